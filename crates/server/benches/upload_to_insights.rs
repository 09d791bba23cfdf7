//! Upload → insights latency of the real server on loopback (SQLite, in-process workers, default
//! tuning), for 6-month fixture statements.
//!
//! Two phases:
//! 1. latency: N sessions one after the other; each is timed from the start of its upload until
//!    insights/ answers 200 (upload, initiate_processing, polling progress/, fetching insights/).
//!    Prints p50/p95/max.
//! 2. throughput: N sessions uploaded and initiated at once; statements processed per minute is
//!    N over the time until the last session's insights are ready.
//!
//! `cargo bench -p ledgerlens-server --bench upload_to_insights` (release). Knobs:
//! LEDGERLENS_BENCH_N (default 20), LEDGERLENS_BENCH_WORKERS (default 2, the `serve` default),
//! LEDGERLENS_BENCH_POLL_MS (client polling interval of progress/, default 50).

use ledgerlens_fixtures::{generate_with, layout_names, GenerateOptions, StatementTruth};
use ledgerlens_server::ServerConfig;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::{Duration, Instant};

struct Client {
    http: reqwest::Client,
    base: String,
    api_key: String,
    server_hash: String,
    poll: Duration,
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

impl Client {
    fn url(&self, path: &str) -> String {
        format!("{}/bank-connect/v1/{path}", self.base)
    }

    async fn get(&self, path: &str) -> anyhow::Result<(u16, Value)> {
        let r = self
            .http
            .get(self.url(path))
            .header("x-api-key", &self.api_key)
            .header("server-hash", &self.server_hash)
            .send()
            .await?;
        let status = r.status().as_u16();
        Ok((status, r.json().await.unwrap_or(Value::Null)))
    }

    /// One statement through the whole flow; returns the time until insights/ answered.
    async fn run(&self, pdf: Vec<u8>, truth: &StatementTruth) -> anyhow::Result<Duration> {
        let body = json!({
            "link_id": "bench",
            "from_date": truth.identity.from_date.format("%d/%m/%Y").to_string(),
            "to_date": truth.identity.to_date.format("%d/%m/%Y").to_string(),
        });
        let r = self
            .http
            .post(self.url("session/"))
            .header("x-api-key", &self.api_key)
            .json(&body)
            .send()
            .await?;
        let created: Value = r.json().await?;
        let sid = created["session_id"]
            .as_str()
            .ok_or_else(|| anyhow::anyhow!("no session id: {created}"))?
            .to_owned();
        let started = Instant::now();
        let form = reqwest::multipart::Form::new()
            .part(
                "file",
                reqwest::multipart::Part::bytes(pdf)
                    .file_name("statement.pdf")
                    .mime_str("application/pdf")?,
            )
            .text("bank_name", truth.bank.clone())
            .text("session_id", sid.clone());
        let r = self
            .http
            .post(self.url("statement/upload_session/"))
            .header("x-api-key", &self.api_key)
            .multipart(form)
            .send()
            .await?;
        anyhow::ensure!(r.status().is_success(), "upload: {}", r.text().await?);
        let r = self
            .http
            .post(self.url(&format!("session_data/{sid}/initiate_processing/")))
            .header("x-api-key", &self.api_key)
            .header("server-hash", &self.server_hash)
            .send()
            .await?;
        anyhow::ensure!(r.status().as_u16() == 202, "initiate: {}", r.status());
        loop {
            let (status, body) = self.get(&format!("session_data/{sid}/progress/")).await?;
            anyhow::ensure!(status == 200, "progress: {body}");
            if body["session_progress"] == "completed" {
                break;
            }
            anyhow::ensure!(
                started.elapsed() < Duration::from_secs(300),
                "session {sid} not processed after 5 minutes"
            );
            tokio::time::sleep(self.poll).await;
        }
        let (status, insights) = self.get(&format!("session_data/{sid}/insights/")).await?;
        anyhow::ensure!(status == 200, "insights: {insights}");
        let elapsed = started.elapsed();
        let predictors = insights["accounts"][0]["data"]["predictors"]
            .as_object()
            .map_or(0, |p| p.len());
        anyhow::ensure!(predictors > 0, "insights without predictors");
        Ok(elapsed)
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    // Nearest-rank.
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn fixtures(n: usize, seed_base: u64) -> anyhow::Result<Vec<(Vec<u8>, StatementTruth)>> {
    let layouts = layout_names();
    (0..n)
        .map(|i| {
            let layout = layouts[i % layouts.len()];
            let options = GenerateOptions {
                months: Some(6),
                ..GenerateOptions::seeded(seed_base + i as u64)
            };
            generate_with(layout, &options).map_err(|e| anyhow::anyhow!("{layout}: {e}"))
        })
        .collect()
}

fn main() -> anyhow::Result<()> {
    // `cargo bench` passes --bench; `cargo test --benches` runs this too: keep that quick.
    let quick = !std::env::args().any(|a| a == "--bench");
    let n: usize = if quick {
        2
    } else {
        env_or("LEDGERLENS_BENCH_N", 20)
    };
    let workers: usize = env_or("LEDGERLENS_BENCH_WORKERS", 2);
    let poll = Duration::from_millis(env_or("LEDGERLENS_BENCH_POLL_MS", 50));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(bench(n, workers, poll))
}

async fn bench(n: usize, workers: usize, poll: Duration) -> anyhow::Result<()> {
    let dir = std::env::temp_dir().join(format!(
        "ledgerlens-bench-{}",
        uuid::Uuid::new_v4().simple()
    ));
    std::fs::create_dir_all(&dir)?;
    let mut config = ServerConfig::new("127.0.0.1:0", dir.clone(), None);
    config.workers = workers;
    let server = ledgerlens_server::start(config).await?;
    let credentials = server.state.store.create_client("bench", false).await?;
    let client = Arc::new(Client {
        http: reqwest::Client::builder()
            .timeout(Duration::from_secs(120))
            .build()?,
        base: format!("http://{}", server.addr),
        api_key: credentials.api_key,
        server_hash: credentials.server_hash,
        poll,
    });

    let statements = fixtures(n, 9000)?;
    let rows: usize = statements.iter().map(|(_, t)| t.transactions.len()).sum();
    let pages: usize = statements.iter().map(|(_, t)| t.pages).sum();
    println!(
        "upload→insights: {n} six-month statements ({} rows, {} pages on average), {workers} in-process workers, SQLite, loopback",
        rows / n.max(1),
        pages / n.max(1)
    );

    let mut latencies = Vec::with_capacity(n);
    for (pdf, truth) in &statements {
        latencies.push(client.run(pdf.clone(), truth).await?);
    }
    latencies.sort();
    println!(
        "latency (sequential): p50 {:.0} ms, p95 {:.0} ms, max {:.0} ms",
        percentile(&latencies, 50.0).as_secs_f64() * 1e3,
        percentile(&latencies, 95.0).as_secs_f64() * 1e3,
        latencies.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
    );

    let batch = fixtures(n, 19000)?;
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for (pdf, truth) in batch {
        let client = client.clone();
        tasks.spawn(async move { client.run(pdf, &truth).await });
    }
    let mut concurrent = Vec::with_capacity(n);
    while let Some(done) = tasks.join_next().await {
        concurrent.push(done??);
    }
    let wall = started.elapsed();
    concurrent.sort();
    println!(
        "throughput ({n} at once): {:.1} statements/minute ({:.2} s wall); latency under load p50 {:.0} ms, p95 {:.0} ms",
        n as f64 / wall.as_secs_f64() * 60.0,
        wall.as_secs_f64(),
        percentile(&concurrent, 50.0).as_secs_f64() * 1e3,
        percentile(&concurrent, 95.0).as_secs_f64() * 1e3,
    );
    server.stop().await;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
