//! `/metrics` over HTTP on a real server: the text parses as Prometheus exposition format, and
//! the counters move when a session is uploaded, processed and notified.

mod common;

use axum::http::StatusCode;
use axum::routing::post;
use common::{fixture, Db, Harness};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// A series' labels, sorted.
type Labels = Vec<(String, String)>;
/// (metric name, labels) → value.
type Samples = BTreeMap<(String, Labels), f64>;

fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == ':')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
}

/// Reads `k="v",…}` (after the opening brace), honouring `\\`, `\"` and `\n` escapes.
fn parse_labels(text: &str) -> Result<(Labels, &str), String> {
    let mut labels = Vec::new();
    let mut rest = text;
    loop {
        if let Some(after) = rest.strip_prefix('}') {
            labels.sort();
            return Ok((labels, after));
        }
        let eq = rest.find('=').ok_or("label without '='")?;
        let key = &rest[..eq];
        if !valid_name(key) {
            return Err(format!("bad label name {key:?}"));
        }
        let mut chars = rest[eq + 1..]
            .strip_prefix('"')
            .ok_or("unquoted label value")?
            .char_indices();
        let mut value = String::new();
        let end = loop {
            match chars.next().ok_or("unterminated label value")? {
                (_, '\\') => match chars.next().ok_or("dangling escape")?.1 {
                    'n' => value.push('\n'),
                    c @ ('\\' | '"') => value.push(c),
                    c => return Err(format!("bad escape \\{c}")),
                },
                (i, '"') => break i,
                (_, c) => value.push(c),
            }
        };
        labels.push((key.to_owned(), value));
        rest = &rest[eq + 2 + end + 1..];
        rest = rest.strip_prefix(',').unwrap_or(rest);
    }
}

fn parse_value(text: &str) -> Result<f64, String> {
    match text {
        "+Inf" => Ok(f64::INFINITY),
        "-Inf" => Ok(f64::NEG_INFINITY),
        "NaN" => Ok(f64::NAN),
        _ => text.parse().map_err(|_| format!("bad value {text:?}")),
    }
}

/// The family a sample belongs to (`x_bucket`, `x_sum`, `x_count` belong to histogram `x`).
fn family<'a>(name: &'a str, types: &BTreeMap<String, String>) -> &'a str {
    for suffix in ["_bucket", "_sum", "_count"] {
        if let Some(base) = name.strip_suffix(suffix) {
            if types.get(base).is_some_and(|t| t == "histogram") {
                return base;
            }
        }
    }
    name
}

/// Parses the exposition text, failing on anything the format does not allow: a sample before
/// its TYPE, a family typed twice or split into two blocks, an unknown type, bad names or values,
/// duplicate series, and histograms whose buckets are not cumulative or disagree with `_count`.
fn parse_exposition(text: &str) -> Result<Samples, String> {
    let mut types: BTreeMap<String, String> = BTreeMap::new();
    let mut samples = Samples::new();
    let mut finished: BTreeSet<String> = BTreeSet::new();
    let mut current = String::new();
    for (n, line) in text.lines().enumerate() {
        let at = |e: String| format!("line {}: {e}: {line:?}", n + 1);
        if line.is_empty() {
            continue;
        }
        if let Some(comment) = line.strip_prefix("# ") {
            let mut parts = comment.splitn(3, ' ');
            match (parts.next(), parts.next(), parts.next()) {
                (Some("TYPE"), Some(name), Some(kind)) => {
                    if !["counter", "gauge", "histogram", "summary", "untyped"].contains(&kind) {
                        return Err(at(format!("unknown type {kind}")));
                    }
                    if types.insert(name.to_owned(), kind.to_owned()).is_some() {
                        return Err(at("family typed twice".into()));
                    }
                }
                (Some("HELP"), Some(name), _) if valid_name(name) => {}
                _ => return Err(at("unknown comment".into())),
            }
            continue;
        }
        let name_end = line.find(['{', ' ']).ok_or_else(|| at("no value".into()))?;
        let name = &line[..name_end];
        if !valid_name(name) {
            return Err(at("bad metric name".into()));
        }
        let (labels, rest) = match line[name_end..].strip_prefix('{') {
            Some(inner) => parse_labels(inner).map_err(at)?,
            None => (Vec::new(), &line[name_end..]),
        };
        let value = parse_value(rest.trim()).map_err(at)?;
        let base = family(name, &types);
        if !types.contains_key(base) {
            return Err(at("sample before its TYPE line".into()));
        }
        if base != current {
            if finished.contains(base) {
                return Err(at("family split into two blocks".into()));
            }
            finished.insert(current.clone());
            current = base.to_owned();
        }
        if samples.insert((name.to_owned(), labels), value).is_some() {
            return Err(at("duplicate series".into()));
        }
    }
    check_histograms(&samples, &types)?;
    Ok(samples)
}

fn check_histograms(samples: &Samples, types: &BTreeMap<String, String>) -> Result<(), String> {
    for (name, _) in types.iter().filter(|(_, t)| *t == "histogram") {
        let bucket = format!("{name}_bucket");
        let mut series: BTreeMap<Labels, Vec<(f64, f64)>> = BTreeMap::new();
        for ((n, labels), value) in samples.iter().filter(|((n, _), _)| *n == bucket) {
            let le = labels
                .iter()
                .find(|(k, _)| k == "le")
                .ok_or(format!("{n} without le"))?;
            let rest: Vec<_> = labels.iter().filter(|(k, _)| k != "le").cloned().collect();
            series
                .entry(rest)
                .or_default()
                .push((parse_value(&le.1)?, *value));
        }
        for (labels, mut buckets) in series {
            buckets.sort_by(|a, b| a.0.total_cmp(&b.0));
            if buckets.windows(2).any(|w| w[1].1 < w[0].1) {
                return Err(format!("{name}{labels:?}: buckets not cumulative"));
            }
            let count = samples.get(&(format!("{name}_count"), labels.clone()));
            let inf = buckets.last().filter(|b| b.0.is_infinite()).map(|b| b.1);
            if inf.is_none() || inf != count.copied() {
                return Err(format!(
                    "{name}{labels:?}: +Inf bucket {inf:?} vs count {count:?}"
                ));
            }
        }
    }
    Ok(())
}

fn value(samples: &Samples, name: &str, labels: &[(&str, &str)]) -> f64 {
    let mut key: Vec<(String, String)> = labels
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    key.sort();
    samples.get(&(name.to_owned(), key)).copied().unwrap_or(0.0)
}

async fn scrape(h: &Harness, token: Option<&str>) -> (u16, String) {
    let mut request = h.http.get(format!("{}/metrics", h.base));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("scrape");
    let status = response.status().as_u16();
    (status, response.text().await.expect("body"))
}

async fn scrape_parsed(h: &Harness) -> Samples {
    let (status, text) = scrape(h, None).await;
    assert_eq!(status, 200, "{text}");
    parse_exposition(&text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

/// A webhook receiver that answers 200 and counts the calls.
async fn counting_receiver() -> (String, Arc<AtomicUsize>) {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let app = axum::Router::new().route(
        "/hook",
        post(move || {
            let counter = counter.clone();
            async move {
                counter.fetch_add(1, Ordering::SeqCst);
                StatusCode::OK
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{addr}/hook"), calls)
}

const UPLOAD_ROUTE: &str = "/bank-connect/v1/statement/upload_session/";
const PROGRESS_ROUTE: &str = "/bank-connect/v1/session_data/{session_id}/progress/";

async fn counters_move_after_a_session(db: Db) {
    if db == Db::Postgres && !common::postgres_reachable().await {
        return;
    }
    let mut config = common::config(db, common::temp_dir());
    config.webhook_allow_private = true;
    let h = Harness::start_with(config).await;
    let t = h.tenant("metrics").await;
    let (url, calls) = counting_receiver().await;
    let (status, _) = h
        .post(
            &t,
            "session_data/update_webhook/",
            json!({"webhook_url": url, "webhook_mode": 1}),
        )
        .await;
    assert_eq!(status, 200);
    let before = scrape_parsed(&h).await;

    let (pdf, truth) = fixture("hdfc_classic", 7);
    let sid = h
        .session_for(&t, truth.identity.from_date, truth.identity.to_date)
        .await;
    assert_eq!(h.upload(&t, &sid, &truth.bank, pdf, "").await.0, 200);
    let (status, _) = h
        .post(
            &t,
            &format!("session_data/{sid}/initiate_processing/"),
            json!({}),
        )
        .await;
    assert_eq!(status, 202);
    h.wait_processed(&t, &sid).await;
    for _ in 0..200 {
        if calls.load(Ordering::SeqCst) >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // A 404 (unmatched) and a wrong method (matched route, 405).
    let (status, _) = h.get(&t, "no/such/route/").await;
    assert_eq!(status, 404);
    // The webhook attempt is counted right after the receiver answers; give it a moment.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let after = scrape_parsed(&h).await;
    let delta = |name: &str, labels: &[(&str, &str)]| {
        value(&after, name, labels) - value(&before, name, labels)
    };

    let upload = [
        ("method", "POST"),
        ("route", UPLOAD_ROUTE),
        ("status", "200"),
    ];
    assert_eq!(delta("ledgerlens_http_requests_total", &upload), 1.0);
    assert_eq!(
        delta("ledgerlens_http_request_duration_seconds_count", &upload),
        1.0
    );
    let progress = [
        ("method", "GET"),
        ("route", PROGRESS_ROUTE),
        ("status", "200"),
    ];
    assert!(delta("ledgerlens_http_requests_total", &progress) >= 1.0);
    let unmatched = [("method", "GET"), ("route", "unmatched"), ("status", "404")];
    assert_eq!(delta("ledgerlens_http_requests_total", &unmatched), 1.0);

    let pages = delta("ledgerlens_pages_parsed_total", &[("source", "upload")]);
    assert!(pages >= 1.0, "pages parsed: {pages}");
    assert_eq!(
        delta(
            "ledgerlens_statements_parsed_total",
            &[("source", "upload"), ("result", "ok")]
        ),
        1.0
    );
    for kind in ["process_statement", "finalize_session"] {
        let done = [("kind", kind), ("outcome", "done")];
        assert_eq!(
            delta("ledgerlens_jobs_finished_total", &done),
            1.0,
            "{kind}"
        );
        assert_eq!(delta("ledgerlens_job_duration_seconds_count", &done), 1.0);
        for state in ["queued", "running"] {
            assert_eq!(
                value(
                    &after,
                    "ledgerlens_jobs",
                    &[("kind", kind), ("state", state)]
                ),
                0.0
            );
        }
    }
    assert_eq!(calls.load(Ordering::SeqCst), 2, "two notifications");
    assert_eq!(
        delta("ledgerlens_webhook_attempts_total", &[("outcome", "ok")]),
        2.0
    );
    assert_eq!(value(&after, "ledgerlens_database_up", &[]), 1.0);
    assert!(value(&after, "ledgerlens_db_pool_max_connections", &[]) >= 1.0);
    assert!(value(&after, "process_resident_memory_bytes", &[]) > 0.0);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn counters_move_after_a_session_sqlite() {
    counters_move_after_a_session(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn counters_move_after_a_session_postgres() {
    counters_move_after_a_session(Db::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_metrics_token_is_required_once_set() {
    let mut config = common::config(Db::Sqlite, common::temp_dir());
    config.metrics_token = Some("scrape-me".to_owned());
    let h = Harness::start_with(config).await;
    assert_eq!(scrape(&h, None).await.0, 404);
    assert_eq!(scrape(&h, Some("wrong")).await.0, 404);
    let (status, text) = scrape(&h, Some("scrape-me")).await;
    assert_eq!(status, 200);
    parse_exposition(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    h.stop().await;
}

#[test]
fn the_parser_refuses_what_the_format_does_not_allow() {
    let ok = "# HELP a_total A.\n# TYPE a_total counter\na_total{x=\"q\\\"\"} 1\n";
    assert!(parse_exposition(ok).is_ok());
    for bad in [
        "a_total 1\n",
        "# TYPE a counter\na{x=\"1} 2\n",
        "# TYPE a counter\na one\n",
        "# TYPE a counter\n# TYPE a counter\n",
        "# TYPE a counter\n# TYPE b counter\na 1\nb 1\na{y=\"1\"} 1\n",
        "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n",
    ] {
        assert!(parse_exposition(bad).is_err(), "{bad}");
    }
}
