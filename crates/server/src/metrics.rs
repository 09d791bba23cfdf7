//! Prometheus metrics at `/metrics`, in the text exposition format (version 0.0.4) written by
//! hand: a few counters and histograms need no client library.
//!
//! Access: with `LEDGERLENS_METRICS_TOKEN` set, only requests carrying
//! `Authorization: Bearer <token>` are answered (from any address); without it only loopback
//! peers are. Everyone else gets the API's 404, so the endpoint does not announce itself.
//! Counters are per process; queue depths and pool usage are read at scrape time.

use crate::state::AppState;
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use subtle::ConstantTimeEq;

/// Upper bounds (seconds) shared by every histogram: HTTP requests from milliseconds, parses and
/// jobs up to the 60 s parse limit and beyond.
const BUCKETS: [f64; 15] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0, 30.0, 60.0, 120.0,
];

#[derive(Debug, Clone, Default)]
struct Histogram {
    /// Observations per bucket (not cumulative; summed when written).
    buckets: [u64; BUCKETS.len()],
    sum: f64,
    count: u64,
}

impl Histogram {
    fn observe(&mut self, seconds: f64) {
        if let Some(i) = BUCKETS.iter().position(|bound| seconds <= *bound) {
            self.buckets[i] += 1;
        }
        self.sum += seconds;
        self.count += 1;
    }
}

#[derive(Debug, Clone)]
enum Series {
    Counter(f64),
    Histogram(Box<Histogram>),
}

/// (metric name, rendered label set) → series; names sort together, so each family is written
/// in one block.
type Families = BTreeMap<(&'static str, String), Series>;

/// This process's counters and histograms.
#[derive(Debug, Default)]
pub struct Metrics {
    series: Mutex<Families>,
    in_flight: AtomicI64,
}

/// The route template a request matched, handed from the inner route layer to the outer
/// request counter through the response's extensions.
#[derive(Clone)]
struct RouteTemplate(String);

fn help(name: &str) -> (&'static str, &'static str) {
    match name {
        "ledgerlens_http_requests_total" => ("counter", "HTTP requests answered, by method, route template and status."),
        "ledgerlens_http_request_duration_seconds" => ("histogram", "Time to answer an HTTP request (until the response head), by method, route template and status."),
        "ledgerlens_jobs_finished_total" => ("counter", "Job attempts this process finished, by kind and outcome (done, failed, dead, lease_lost, deferred)."),
        "ledgerlens_job_duration_seconds" => ("histogram", "Duration of job attempts in this process, by kind and outcome."),
        "ledgerlens_pages_parsed_total" => ("counter", "PDF pages parsed by this process (source: upload or job); its rate is pages per second."),
        "ledgerlens_statements_parsed_total" => ("counter", "PDF parses by this process, by source and result (ok or error)."),
        "ledgerlens_parse_duration_seconds" => ("histogram", "Duration of PDF parses (text extraction, table reading, reconciliation), by source."),
        "ledgerlens_webhook_attempts_total" => ("counter", "Webhook delivery attempts by this process, by outcome (ok or failed)."),
        _ => ("untyped", ""),
    }
}

/// Label values escaped as the exposition format requires.
fn labels(pairs: &[(&str, &str)]) -> String {
    let mut out = String::from("{");
    for (i, (key, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let escaped = value
            .replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('\n', "\\n");
        let _ = write!(out, "{key}=\"{escaped}\"");
    }
    out.push('}');
    out
}

/// Processing counts its jobs, parses and webhook attempts here.
impl ledgerlens_processing::Observer for Metrics {
    fn record_job(&self, kind: &str, outcome: &str, elapsed: Duration) {
        Metrics::record_job(self, kind, outcome, elapsed);
    }

    fn record_parse(&self, source: &str, pages: Option<usize>, elapsed: Duration) {
        Metrics::record_parse(self, source, pages, elapsed);
    }

    fn record_webhook_attempt(&self, ok: bool) {
        Metrics::record_webhook_attempt(self, ok);
    }
}

impl Metrics {
    fn with_series(&self, name: &'static str, labels: String, update: impl FnOnce(&mut Series)) {
        let mut series = self.series.lock().unwrap_or_else(|e| e.into_inner());
        let entry = series.entry((name, labels)).or_insert_with(|| {
            if help(name).0 == "histogram" {
                Series::Histogram(Box::default())
            } else {
                Series::Counter(0.0)
            }
        });
        update(entry);
    }

    pub fn add(&self, name: &'static str, pairs: &[(&str, &str)], by: f64) {
        self.with_series(name, labels(pairs), |s| {
            if let Series::Counter(v) = s {
                *v += by;
            }
        });
    }

    pub fn observe(&self, name: &'static str, pairs: &[(&str, &str)], elapsed: Duration) {
        self.with_series(name, labels(pairs), |s| {
            if let Series::Histogram(h) = s {
                h.observe(elapsed.as_secs_f64());
            }
        });
    }

    pub fn record_job(&self, kind: &str, outcome: &str, elapsed: Duration) {
        let pairs = [("kind", kind), ("outcome", outcome)];
        self.add("ledgerlens_jobs_finished_total", &pairs, 1.0);
        self.observe("ledgerlens_job_duration_seconds", &pairs, elapsed);
    }

    pub fn record_parse(&self, source: &str, pages: Option<usize>, elapsed: Duration) {
        let result = if pages.is_some() { "ok" } else { "error" };
        self.add(
            "ledgerlens_statements_parsed_total",
            &[("source", source), ("result", result)],
            1.0,
        );
        if let Some(pages) = pages {
            let pages = u32::try_from(pages).map_or(f64::from(u32::MAX), f64::from);
            self.add(
                "ledgerlens_pages_parsed_total",
                &[("source", source)],
                pages,
            );
        }
        self.observe(
            "ledgerlens_parse_duration_seconds",
            &[("source", source)],
            elapsed,
        );
    }

    pub fn record_webhook_attempt(&self, ok: bool) {
        let outcome = if ok { "ok" } else { "failed" };
        self.add(
            "ledgerlens_webhook_attempts_total",
            &[("outcome", outcome)],
            1.0,
        );
    }

    /// The counters and histograms of this process, in exposition format.
    fn render_series(&self, out: &mut String) {
        let series = self
            .series
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let mut current = "";
        for ((name, labels), value) in &series {
            if *name != current {
                let (kind, text) = help(name);
                let _ = writeln!(out, "# HELP {name} {text}\n# TYPE {name} {kind}");
                current = name;
            }
            match value {
                Series::Counter(v) => {
                    let _ = writeln!(out, "{name}{labels} {v}");
                }
                Series::Histogram(h) => render_histogram(out, name, labels, h),
            }
        }
        let _ = writeln!(
            out,
            "# HELP ledgerlens_http_requests_in_flight HTTP requests being answered now.\n# TYPE ledgerlens_http_requests_in_flight gauge\nledgerlens_http_requests_in_flight {}",
            self.in_flight.load(Ordering::Relaxed)
        );
    }
}

fn render_histogram(out: &mut String, name: &str, labels: &str, h: &Histogram) {
    // `le` joins the series' own labels: `{a="b"}` becomes `{a="b",le="0.1"}`.
    let inner = labels.trim_start_matches('{').trim_end_matches('}');
    let sep = if inner.is_empty() { "" } else { "," };
    let mut cumulative = 0;
    for (bound, n) in BUCKETS.iter().zip(h.buckets.iter()) {
        cumulative += n;
        let _ = writeln!(
            out,
            "{name}_bucket{{{inner}{sep}le=\"{bound}\"}} {cumulative}"
        );
    }
    let _ = writeln!(out, "{name}_bucket{{{inner}{sep}le=\"+Inf\"}} {}", h.count);
    let _ = writeln!(out, "{name}_sum{labels} {}", h.sum);
    let _ = writeln!(out, "{name}_count{labels} {}", h.count);
}

/// Inner layer (on the routes): names the matched route template for [`track_requests`].
pub async fn tag_route(request: Request, next: Next) -> Response {
    let template = request
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned());
    let mut response = next.run(request).await;
    if let Some(template) = template {
        response.extensions_mut().insert(RouteTemplate(template));
    }
    response
}

/// Outer layer: counts and times every request. Paths no route matched share one label so an
/// attacker cannot grow the series without bound.
pub async fn track_requests(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let method = request.method().as_str().to_owned();
    let metrics = state.metrics.clone();
    metrics.in_flight.fetch_add(1, Ordering::Relaxed);
    let response = next.run(request).await;
    metrics.in_flight.fetch_sub(1, Ordering::Relaxed);
    let route = response
        .extensions()
        .get::<RouteTemplate>()
        .map_or("unmatched", |r| r.0.as_str());
    let status = response.status().as_u16().to_string();
    let pairs = [
        ("method", method.as_str()),
        ("route", route),
        ("status", status.as_str()),
    ];
    metrics.add("ledgerlens_http_requests_total", &pairs, 1.0);
    metrics.observe(
        "ledgerlens_http_request_duration_seconds",
        &pairs,
        started.elapsed(),
    );
    response
}

/// Whether this request may read the metrics (see the module docs).
fn allowed(state: &AppState, request: &Request) -> bool {
    match state.config.metrics_token.as_deref() {
        Some(token) => request
            .headers()
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .is_some_and(|given| bool::from(given.trim().as_bytes().ct_eq(token.as_bytes()))),
        None => request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .is_some_and(|ConnectInfo(peer)| peer.ip().is_loopback()),
    }
}

/// GET /metrics.
pub async fn serve_metrics(State(state): State<AppState>, request: Request) -> Response {
    if !allowed(&state, &request) {
        return crate::http_contract::not_found_response();
    }
    let mut out = String::with_capacity(16 * 1024);
    state.metrics.render_series(&mut out);
    render_store(&state, &mut out).await;
    render_process(&mut out);
    (
        [("content-type", "text/plain; version=0.0.4; charset=utf-8")],
        out,
    )
        .into_response()
}

/// Queue depths and pool usage, read now. A database that does not answer shows as
/// `ledgerlens_database_up 0` instead of failing the scrape.
async fn render_store(state: &AppState, out: &mut String) {
    let pool = state.store.pool_stats();
    let _ = writeln!(
        out,
        "# HELP ledgerlens_db_pool_connections Database connections of this process, by state.\n# TYPE ledgerlens_db_pool_connections gauge\nledgerlens_db_pool_connections{{state=\"in_use\"}} {}\nledgerlens_db_pool_connections{{state=\"idle\"}} {}\n# HELP ledgerlens_db_pool_max_connections Most connections the pool opens.\n# TYPE ledgerlens_db_pool_max_connections gauge\nledgerlens_db_pool_max_connections {}",
        pool.open.saturating_sub(pool.idle),
        pool.idle,
        pool.max
    );
    let depths = state.store.queue_depths().await;
    let up = u8::from(depths.is_ok());
    let _ = writeln!(out, "# HELP ledgerlens_database_up Whether the queue depths could be read.\n# TYPE ledgerlens_database_up gauge\nledgerlens_database_up {up}");
    let Ok(depths) = depths else { return };
    let _ = writeln!(out, "# HELP ledgerlens_jobs Jobs in the shared queue, by kind and state (queued, running, dead).\n# TYPE ledgerlens_jobs gauge");
    for kind in ["process_statement", "finalize_session"] {
        for job_state in ["queued", "running", "dead"] {
            let n: i64 = depths
                .jobs
                .iter()
                .filter(|(k, s, _)| k == kind && s == job_state)
                .map(|(_, _, n)| n)
                .sum();
            let _ = writeln!(
                out,
                "ledgerlens_jobs{{kind=\"{kind}\",state=\"{job_state}\"}} {n}"
            );
        }
    }
    let _ = writeln!(out, "# HELP ledgerlens_webhooks Webhook notifications in the shared outbox, by state (pending, sending, failed: given up).\n# TYPE ledgerlens_webhooks gauge");
    for hook_state in ["pending", "sending", "failed"] {
        let n: i64 = depths
            .webhooks
            .iter()
            .filter(|(s, _)| s == hook_state)
            .map(|(_, n)| n)
            .sum();
        let _ = writeln!(out, "ledgerlens_webhooks{{state=\"{hook_state}\"}} {n}");
    }
}

/// The standard process metrics, from /proc (Linux; elsewhere they are left out).
fn render_process(out: &mut String) {
    let Some(usage) = ProcessUsage::of_self() else {
        return;
    };
    let _ = writeln!(
        out,
        "# HELP process_cpu_seconds_total User and system CPU time spent.\n# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total {}\n# HELP process_resident_memory_bytes Resident memory size.\n# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes {}",
        usage.cpu_seconds, usage.rss_bytes
    );
}

/// CPU time and resident memory of a process, read from /proc.
#[derive(Debug, Clone, Copy)]
pub struct ProcessUsage {
    pub cpu_seconds: f64,
    pub rss_bytes: u64,
    /// Peak resident memory (VmHWM).
    pub peak_rss_bytes: u64,
}

impl ProcessUsage {
    pub fn of_self() -> Option<ProcessUsage> {
        Self::of_pid(std::process::id())
    }

    pub fn of_pid(pid: u32) -> Option<ProcessUsage> {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        // Fields after the command name, which may itself hold spaces and parentheses.
        let rest = &stat[stat.rfind(')')? + 2..];
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let ticks: f64 = [11, 12]
            .iter()
            .filter_map(|i| fields.get(*i)?.parse::<f64>().ok())
            .sum();
        // SAFETY: sysconf only reads a configuration value.
        let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
        let per_second = if per_second > 0 {
            per_second as f64
        } else {
            100.0
        };
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
        let kib = |key: &str| -> u64 {
            status
                .lines()
                .find_map(|l| l.strip_prefix(key))
                .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
                .unwrap_or(0)
        };
        Some(ProcessUsage {
            cpu_seconds: ticks / per_second,
            rss_bytes: kib("VmRSS:") * 1024,
            peak_rss_bytes: kib("VmHWM:") * 1024,
        })
    }
}

/// `/metrics` alone, for `ledgerlens worker` (which serves no API): bound to `listen` until
/// `shutdown` flips.
pub async fn serve_standalone(
    state: AppState,
    listen: &str,
    mut shutdown: tokio::sync::watch::Receiver<bool>,
) -> anyhow::Result<SocketAddr> {
    use anyhow::Context;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("binding the metrics listener {listen}"))?;
    let addr = listener.local_addr()?;
    let router = axum::Router::new()
        .route("/metrics", axum::routing::get(serve_metrics))
        .with_state(state);
    tokio::spawn(async move {
        let served = axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            let _ = shutdown.changed().await;
        })
        .await;
        if let Err(e) = served {
            tracing::warn!(error = %e, "the metrics listener stopped");
        }
    });
    Ok(addr)
}
