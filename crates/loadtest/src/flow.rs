//! One borrower session through the real API: create, upload, initiate, wait for completion
//! (polling progress/), insights; each step timed. Transport errors (a killed API process) are
//! retried on the next API process; an upload whose answer was lost is first looked up, so a
//! retry never stores the statement twice.

use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub const STEPS: [&str; 5] = ["create", "upload", "initiate", "processing", "insights"];

/// A statement to upload and the number of transactions it must come back with.
#[derive(Clone)]
pub struct Statement {
    pub pdf: Arc<Vec<u8>>,
    pub bank: String,
    pub from: String,
    pub to: String,
    pub transactions: usize,
    pub pages: usize,
    pub label: String,
}

pub struct Api {
    pub http: reqwest::Client,
    pub ports: Vec<u16>,
    pub api_key: String,
    pub server_hash: String,
    next: AtomicUsize,
}

#[derive(Debug, Default)]
pub struct Outcome {
    pub session_id: Option<String>,
    /// (step, when it started, how long it took).
    pub timings: Vec<(&'static str, Instant, Duration)>,
    pub error: Option<String>,
    pub retries: usize,
}

impl Api {
    pub fn new(ports: Vec<u16>, api_key: String, server_hash: String) -> Api {
        Api {
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(120))
                .pool_idle_timeout(Duration::from_secs(5))
                .build()
                .unwrap_or_default(),
            ports,
            api_key,
            server_hash,
            next: AtomicUsize::new(0),
        }
    }

    fn base(&self) -> String {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        format!(
            "http://127.0.0.1:{}/bank-connect/v1",
            self.ports[n % self.ports.len()]
        )
    }

    /// Sends the request built for some API process; on a transport error or 503 tries the next
    /// one, for up to a minute (processes come back after a kill).
    async fn call(
        &self,
        retries: &mut usize,
        build: impl Fn(&reqwest::Client, &str) -> reqwest::RequestBuilder,
    ) -> Result<(u16, Value), String> {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let request = build(&self.http, &self.base())
                .header("x-api-key", &self.api_key)
                .header("server-hash", &self.server_hash);
            match request.send().await {
                Ok(r) if r.status().as_u16() != 503 => {
                    let status = r.status().as_u16();
                    return Ok((status, r.json().await.unwrap_or(Value::Null)));
                }
                Ok(_) | Err(_) if Instant::now() < deadline => {
                    *retries += 1;
                    tokio::time::sleep(Duration::from_millis(250)).await;
                }
                Ok(r) => return Err(format!("503 until the deadline: {}", r.status())),
                Err(e) => return Err(format!("transport: {e}")),
            }
        }
    }

    async fn has_upload(&self, retries: &mut usize, sid: &str) -> Result<bool, String> {
        let (status, body) = self
            .call(retries, |h, b| {
                h.get(format!("{b}/session_data/{sid}/session_upload_status/"))
            })
            .await?;
        Ok(status == 200 && body["upload_status"] != "NO UPLOADS")
    }

    /// Uploads once: a lost answer is checked against the session before trying again.
    async fn upload(&self, retries: &mut usize, sid: &str, s: &Statement) -> Result<(), String> {
        for _ in 0..20 {
            let form = reqwest::multipart::Form::new()
                .part(
                    "file",
                    reqwest::multipart::Part::bytes(s.pdf.as_ref().clone())
                        .file_name("statement.pdf"),
                )
                .text("bank_name", s.bank.clone())
                .text("session_id", sid.to_owned())
                .text("upload_type", "PDF");
            let url = format!("{}/statement/upload_session/", self.base());
            let sent = self
                .http
                .post(url)
                .header("x-api-key", &self.api_key)
                .multipart(form)
                .send()
                .await;
            match sent {
                Ok(r) if r.status().is_success() => return Ok(()),
                Ok(r) if r.status().as_u16() != 503 => {
                    let status = r.status().as_u16();
                    let body = r.text().await.unwrap_or_default();
                    return Err(format!("upload {status}: {body}"));
                }
                _ => {
                    *retries += 1;
                    tokio::time::sleep(Duration::from_millis(250)).await;
                    if self.has_upload(retries, sid).await? {
                        return Ok(());
                    }
                }
            }
        }
        Err("upload kept failing".to_owned())
    }

    pub async fn run_session(&self, s: &Statement, poll: Duration) -> Outcome {
        let mut outcome = Outcome::default();
        if let Err(e) = self.steps(s, poll, &mut outcome).await {
            outcome.error = Some(e);
        }
        outcome
    }

    async fn steps(&self, s: &Statement, poll: Duration, o: &mut Outcome) -> Result<(), String> {
        let t = Instant::now();
        let range = json!({"link_id": "load", "from_date": s.from, "to_date": s.to});
        let (status, body) = self
            .call(&mut o.retries, |h, b| {
                h.post(format!("{b}/session/")).json(&range)
            })
            .await?;
        let sid = body["session_id"]
            .as_str()
            .filter(|_| status == 200)
            .ok_or(format!("create {status}: {body}"))?
            .to_owned();
        o.session_id = Some(sid.clone());
        o.timings.push(("create", t, t.elapsed()));

        let t = Instant::now();
        self.upload(&mut o.retries, &sid, s).await?;
        o.timings.push(("upload", t, t.elapsed()));

        let t = Instant::now();
        let (status, body) = self
            .call(&mut o.retries, |h, b| {
                h.post(format!("{b}/session_data/{sid}/initiate_processing/"))
            })
            .await?;
        // A lost 202 retried answers that processing was already requested.
        if status != 202 && !body.to_string().contains("already") {
            return Err(format!("initiate {status}: {body}"));
        }
        o.timings.push(("initiate", t, t.elapsed()));

        let t = Instant::now();
        loop {
            let (status, body) = self
                .call(&mut o.retries, |h, b| {
                    h.get(format!("{b}/session_data/{sid}/progress/"))
                })
                .await?;
            if status == 200 && body["session_progress"] == "completed" {
                break;
            }
            if t.elapsed() > Duration::from_secs(600) {
                return Err("processing took over 10 minutes".to_owned());
            }
            tokio::time::sleep(poll).await;
        }
        o.timings.push(("processing", t, t.elapsed()));

        let t = Instant::now();
        let (status, body) = self
            .call(&mut o.retries, |h, b| {
                h.get(format!("{b}/session_data/{sid}/insights/"))
            })
            .await?;
        if status != 200 {
            return Err(format!("insights {status}"));
        }
        o.timings.push(("insights", t, t.elapsed()));
        check_result(&body, s)
    }
}

/// Nothing lost, nothing duplicated: one account, one statement, every transaction once.
fn check_result(insights: &Value, s: &Statement) -> Result<(), String> {
    let accounts = insights["accounts"].as_array().map_or(0, Vec::len);
    let rows = insights["accounts"][0]["data"]["transactions"]
        .as_array()
        .map_or(0, Vec::len);
    if accounts != 1 || rows != s.transactions {
        return Err(format!(
            "{}: {accounts} accounts, {rows} transactions (expected 1, {})",
            s.label, s.transactions
        ));
    }
    Ok(())
}

/// Webhook events received, per session id: (event name, count).
pub type Received = Arc<Mutex<HashMap<String, HashMap<String, usize>>>>;

/// A webhook receiver on loopback answering 200; counts each (session, event).
pub async fn receiver() -> anyhow::Result<(String, Received)> {
    let received: Received = Arc::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let seen = received.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let seen = seen.clone();
            tokio::spawn(async move {
                while let Some(body) = read_request(&mut stream).await {
                    if let Ok(v) = serde_json::from_slice::<Value>(&body) {
                        let sid = v["session_id"].as_str().unwrap_or_default().to_owned();
                        let event = v["event_name"].as_str().unwrap_or_default().to_owned();
                        let mut seen = seen.lock().unwrap_or_else(|e| e.into_inner());
                        *seen.entry(sid).or_default().entry(event).or_default() += 1;
                    }
                    let ok = b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n";
                    if stream.write_all(ok).await.is_err() {
                        break;
                    }
                }
            });
        }
    });
    Ok((format!("http://{addr}/hook"), received))
}

/// The body of the next HTTP/1.1 request on a keep-alive connection (Content-Length framed).
async fn read_request(stream: &mut tokio::net::TcpStream) -> Option<Vec<u8>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 16384];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            if buf.len() >= end + 4 + length {
                return Some(buf[end + 4..end + 4 + length].to_vec());
            }
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}
