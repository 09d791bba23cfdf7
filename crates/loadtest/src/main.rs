//! `ledgerlens-load`: starts N `serve` and M `worker` processes of the real binary over SQLite or
//! PostgreSQL (optionally with moto's S3 server as the bucket), drives borrower sessions through
//! the API at a target rate, and reports statements/min, per-step latency percentiles, queue
//! depth, errors, webhook deliveries, and CPU-seconds and peak memory per statement. `--chaos`
//! kills API and worker processes with SIGKILL at random and pauses the bucket while it runs,
//! then checks that nothing was lost or duplicated and every webhook arrived once.

mod cluster;
mod flow;
mod proxy;

use anyhow::Context;
use clap::Parser;
use cluster::{Cluster, ClusterConfig, Role};
use flow::{Api, Statement, STEPS};
use serde_json::json;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Parser)]
#[command(about = "Load and chaos harness for ledgerlens (see README: Running at scale)")]
struct Args {
    /// The ledgerlens binary to run (build it with `cargo build --release -p ledgerlens`).
    #[arg(long, default_value = "target/release/ledgerlens")]
    bin: PathBuf,
    /// API processes (`serve --workers 0`).
    #[arg(long, default_value_t = 1)]
    apis: usize,
    /// Worker processes (`worker`).
    #[arg(long, default_value_t = 1)]
    workers: usize,
    /// Jobs each worker process runs at once.
    #[arg(long, default_value_t = 1)]
    jobs_per_worker: usize,
    /// postgres://… to use PostgreSQL (a fresh schema, dropped afterwards); default SQLite.
    #[arg(long)]
    postgres: Option<String>,
    /// Keep uploaded files in moto's S3 server (started by the harness).
    #[arg(long)]
    s3: bool,
    /// Seconds of new sessions; the run then waits for the started ones to finish.
    #[arg(long, default_value_t = 60)]
    duration: u64,
    /// Target statements per minute; 0 keeps `concurrency` sessions in flight instead.
    #[arg(long, default_value_t = 0.0)]
    rate: f64,
    /// Sessions in flight at most.
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// Kill a random API or worker process (SIGKILL) every this many seconds; the second of every
    /// four events pauses the bucket (SIGSTOP moto, with --s3) for `bucket_pause` seconds instead,
    /// the fourth cuts the database (with --postgres) for `db_outage` seconds.
    #[arg(long)]
    chaos: Option<u64>,
    #[arg(long, default_value_t = 10)]
    bucket_pause: u64,
    /// With --chaos and --postgres, every fourth event cuts every database connection and
    /// refuses new ones for this many seconds (through a proxy: what a restart looks like).
    #[arg(long, default_value_t = 5)]
    db_outage: u64,
    /// Where the processes' logs go.
    #[arg(long, default_value = "/tmp/ledgerlens-load-logs")]
    log_dir: PathBuf,
    /// Write the report as JSON here too.
    #[arg(long)]
    json: Option<PathBuf>,
    /// Statement sizes to upload, in turn: small (1 month), medium (6), large (12, dense).
    #[arg(long, value_delimiter = ',', default_value = "small,medium,large")]
    sizes: Vec<String>,
    /// How many of the fixture layouts to draw statements from.
    #[arg(long, default_value_t = 6)]
    layouts: usize,
}

/// Statements of mixed sizes: (months, density) from one month to a dense year.
const SIZES: [(u32, f32, &str); 3] = [(1, 1.0, "small"), (6, 1.0, "medium"), (12, 2.0, "large")];

fn corpus(sizes: &[String], layouts: usize) -> anyhow::Result<Vec<Statement>> {
    let names = ledgerlens_fixtures::layout_names();
    let mut statements = Vec::new();
    for (i, layout) in names.iter().take(layouts.max(1)).enumerate() {
        for (months, density, size) in SIZES {
            if !sizes.iter().any(|s| s == size) {
                continue;
            }
            let mut options = ledgerlens_fixtures::GenerateOptions::seeded(1000 + i as u64);
            options.months = Some(months);
            options.density = Some(density);
            let (pdf, truth) = ledgerlens_fixtures::generate_with(layout, &options)
                .map_err(|e| anyhow::anyhow!("{layout}: {e}"))?;
            statements.push(Statement {
                pdf: Arc::new(pdf),
                bank: truth.bank.clone(),
                from: truth.identity.from_date.format("%d/%m/%Y").to_string(),
                to: truth.identity.to_date.format("%d/%m/%Y").to_string(),
                transactions: truth.transactions.len(),
                pages: truth.pages,
                label: format!("{layout}/{size} ({} pages)", truth.pages),
            });
        }
    }
    Ok(statements)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Queue depth from the first API process's /metrics: (queued, running) jobs.
async fn queue_depth(http: &reqwest::Client, port: u16) -> Option<(f64, f64)> {
    let text = http
        .get(format!("http://127.0.0.1:{port}/metrics"))
        .timeout(Duration::from_secs(2))
        .send()
        .await
        .ok()?
        .text()
        .await
        .ok()?;
    let sum = |state: &str| -> f64 {
        text.lines()
            .filter(|l| {
                l.starts_with("ledgerlens_jobs{") && l.contains(&format!("state=\"{state}\""))
            })
            .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
            .sum()
    };
    Some((sum("queued"), sum("running")))
}

/// One chaos event: from the kill (or pause) to the restart (or resume), and what it was.
struct ChaosEvent {
    began: Instant,
    ended: Instant,
    what: String,
}

/// What chaos does besides killing processes.
struct Outages {
    bucket_pause: Duration,
    db: Option<(Arc<proxy::DbProxy>, Duration)>,
}

/// Every `every` seconds: SIGKILL a random member and start it again after a second; the second
/// of every four events pauses the bucket instead (with --s3), the fourth cuts the database
/// (with --postgres).
fn chaos_loop(
    cluster: Arc<Mutex<Cluster>>,
    every: Duration,
    outages: Outages,
    stop: Arc<std::sync::atomic::AtomicBool>,
) -> std::thread::JoinHandle<Vec<ChaosEvent>> {
    std::thread::spawn(move || {
        let mut events = Vec::new();
        let mut seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(7, |d| d.as_nanos() as u64)
            | 1;
        let mut n = 0;
        while !stop.load(std::sync::atomic::Ordering::Relaxed) {
            std::thread::sleep(every);
            if stop.load(std::sync::atomic::Ordering::Relaxed) {
                break;
            }
            n += 1;
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let mut c = cluster.lock().unwrap_or_else(|e| e.into_inner());
            let began = Instant::now();
            let what = if n % 4 == 2 && c.moto.is_some() {
                c.pause_bucket(true);
                drop(c);
                std::thread::sleep(outages.bucket_pause);
                cluster
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .pause_bucket(false);
                format!("bucket paused {} s", outages.bucket_pause.as_secs())
            } else if let Some((db, length)) = outages.db.as_ref().filter(|_| n % 4 == 0) {
                drop(c);
                db.outage(*length);
                format!(
                    "database connections cut, refused for {} s",
                    length.as_secs()
                )
            } else {
                let index = (seed % c.members.len() as u64) as usize;
                match c.kill_and_restart(index, Duration::from_secs(1)) {
                    Ok(role) => format!("kill -9 {}, restarted after 1 s", role.name()),
                    Err(e) => format!("restart failed: {e}"),
                }
            };
            events.push(ChaosEvent {
                began,
                ended: Instant::now(),
                what,
            });
        }
        events
    })
}

/// For each event, the slowest session step in flight during it: how long the clients of the
/// killed process (or of the paused bucket) waited before their step went through.
fn recovery(
    events: &[ChaosEvent],
    outcomes: &[(String, flow::Outcome)],
    started: Instant,
) -> Vec<serde_json::Value> {
    let round = |d: Duration| (d.as_secs_f64() * 10.0).round() / 10.0;
    events
        .iter()
        .map(|e| {
            let slowest = outcomes
                .iter()
                .flat_map(|(_, o)| o.timings.iter())
                .filter(|(_, start, took)| *start <= e.ended && *start + *took >= e.began)
                .max_by_key(|(_, _, took)| *took);
            json!({
                "event": e.what,
                "at_s": round(e.began.duration_since(started)),
                "slowest_step_in_flight": slowest.map(|(step, _, took)| json!({"step": step, "s": round(*took)})),
            })
        })
        .collect()
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    eprintln!("generating the statements…");
    let statements = corpus(&args.sizes, args.layouts)?;
    anyhow::ensure!(
        !statements.is_empty(),
        "no statements: --sizes takes small, medium, large"
    );
    let db_proxy = match (&args.postgres, args.chaos) {
        (Some(url), Some(_)) => Some(Arc::new(
            proxy::DbProxy::start(proxy::upstream(url)?).await?,
        )),
        _ => None,
    };
    let postgres = match (&args.postgres, &db_proxy) {
        (Some(url), Some(p)) => Some(proxy::rewrite(url, p.port)?),
        (url, _) => url.clone(),
    };
    let cluster = Cluster::start(ClusterConfig {
        bin: args.bin.clone(),
        apis: args.apis.max(1),
        workers: args.workers,
        jobs_per_worker: args.jobs_per_worker.max(1),
        postgres,
        s3: args.s3,
        log_dir: args.log_dir.clone(),
    })?;
    let ports = cluster.api_ports();
    let (api_key, server_hash) = cluster.credentials.clone();
    let api = Arc::new(Api::new(ports.clone(), api_key, server_hash));
    wait_healthy(&api.http, &ports).await?;
    let (hook, received) = flow::receiver().await?;
    let body = json!({"webhook_url": hook, "webhook_mode": 1});
    let r = api
        .http
        .post(format!(
            "http://127.0.0.1:{}/bank-connect/v1/session_data/update_webhook/",
            ports[0]
        ))
        .header("x-api-key", &api.api_key)
        .header("server-hash", &api.server_hash)
        .json(&body)
        .send()
        .await?;
    anyhow::ensure!(r.status().is_success(), "update_webhook: {}", r.status());
    let cluster = Arc::new(Mutex::new(cluster));

    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let chaos = args.chaos.map(|secs| {
        chaos_loop(
            cluster.clone(),
            Duration::from_secs(secs.max(1)),
            Outages {
                bucket_pause: Duration::from_secs(args.bucket_pause),
                db: db_proxy
                    .clone()
                    .map(|p| (p, Duration::from_secs(args.db_outage))),
            },
            stop.clone(),
        )
    });
    let depth_samples: Arc<Mutex<Vec<(f64, f64)>>> = Arc::default();
    let sampler = {
        let (cluster, http, port, samples, stop) = (
            cluster.clone(),
            api.http.clone(),
            ports[0],
            depth_samples.clone(),
            stop.clone(),
        );
        tokio::spawn(async move {
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                cluster.lock().unwrap_or_else(|e| e.into_inner()).sample();
                if let Some(d) = queue_depth(&http, port).await {
                    samples.lock().unwrap_or_else(|e| e.into_inner()).push(d);
                }
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
        })
    };

    let started = Instant::now();
    let cpu_at_start: f64 = total_cpu(&cluster);
    let slots = Arc::new(tokio::sync::Semaphore::new(args.concurrency.max(1)));
    let mut sessions = tokio::task::JoinSet::new();
    let mut n = 0usize;
    let interval = (args.rate > 0.0).then(|| Duration::from_secs_f64(60.0 / args.rate));
    while started.elapsed() < Duration::from_secs(args.duration) {
        let permit = slots.clone().acquire_owned().await?;
        let statement = statements[n % statements.len()].clone();
        n += 1;
        let api = api.clone();
        sessions.spawn(async move {
            let outcome = api
                .run_session(&statement, Duration::from_millis(250))
                .await;
            if outcome.error.is_some() {
                // A failing system would otherwise be hammered by new sessions in a tight loop.
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            drop(permit);
            (statement.label.clone(), outcome)
        });
        if let Some(interval) = interval {
            let next = started + interval.mul_f64(n as f64);
            tokio::time::sleep_until(next.into()).await;
        }
    }
    let mut outcomes = Vec::new();
    while let Some(done) = sessions.join_next().await {
        outcomes.push(done.context("session task")?);
    }
    let elapsed = started.elapsed();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let chaos = chaos.map(|h| {
        let events = h.join().unwrap_or_default();
        recovery(&events, &outcomes, started)
    });
    let _ = sampler.await;
    let webhooks = wait_webhooks(&received, &outcomes).await;
    let cpu = total_cpu(&cluster) - cpu_at_start;
    let mut report = report(
        &args,
        &outcomes,
        elapsed,
        cpu,
        &cluster,
        &depth_samples,
        webhooks,
        chaos,
    );
    report["corpus"] = corpus_summary(&statements);
    println!("{}", serde_json::to_string_pretty(&report)?);
    if let Some(path) = &args.json {
        std::fs::write(path, serde_json::to_string_pretty(&report)?)?;
    }
    let failed = report["errors"].as_array().is_some_and(|e| !e.is_empty())
        || report["webhooks"]["not_exactly_once"].as_u64() != Some(0);
    if failed {
        anyhow::bail!("the run had errors (see the report)");
    }
    Ok(())
}

/// Per size: statements, pages and transactions (min-max), and file sizes.
fn corpus_summary(statements: &[Statement]) -> serde_json::Value {
    let mut out = serde_json::Map::new();
    for (_, _, size) in SIZES {
        let tag = format!("/{size} ");
        let of: Vec<&Statement> = statements
            .iter()
            .filter(|s| s.label.contains(&tag))
            .collect();
        if of.is_empty() {
            continue;
        }
        let range = |f: fn(&Statement) -> usize| {
            let v: Vec<usize> = of.iter().map(|s| f(s)).collect();
            let (min, max) = (v.iter().min(), v.iter().max());
            format!("{}-{}", min.unwrap_or(&0), max.unwrap_or(&0))
        };
        out.insert(
            size.to_owned(),
            json!({"statements": of.len(), "pages": range(|s| s.pages), "transactions": range(|s| s.transactions), "kib": range(|s| s.pdf.len() / 1024)}),
        );
    }
    serde_json::Value::Object(out)
}

fn total_cpu(cluster: &Arc<Mutex<Cluster>>) -> f64 {
    let mut c = cluster.lock().unwrap_or_else(|e| e.into_inner());
    c.totals().iter().map(|t| t.1).sum()
}

async fn wait_healthy(http: &reqwest::Client, ports: &[u16]) -> anyhow::Result<()> {
    for port in ports {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let ok = http
                .get(format!("http://127.0.0.1:{port}/healthz"))
                .send()
                .await;
            if ok.is_ok_and(|r| r.status().is_success()) {
                break;
            }
            anyhow::ensure!(
                Instant::now() < deadline,
                "serve on {port} did not start (see the logs)"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    Ok(())
}

/// Waits (up to 60 s) until every completed session has both notifications, then lists the
/// sessions that got something other than exactly one of each (with what they got).
async fn wait_webhooks(
    received: &flow::Received,
    outcomes: &[(String, flow::Outcome)],
) -> (usize, Vec<String>) {
    let sids: Vec<&String> = outcomes
        .iter()
        .filter(|(_, o)| o.error.is_none())
        .filter_map(|(_, o)| o.session_id.as_ref())
        .collect();
    let events = [
        "SESSION_REQUIREMENT_COMPLETION_NOTIFICATION",
        "ENRICHMENT_NOTIFICATION",
    ];
    let count_bad = || {
        let seen = received.lock().unwrap_or_else(|e| e.into_inner());
        sids.iter()
            .filter_map(|sid| {
                let got = seen.get(sid.as_str());
                let counts: Vec<usize> = events
                    .iter()
                    .map(|e| got.and_then(|g| g.get(*e)).copied().unwrap_or(0))
                    .collect();
                (counts != [1, 1]).then(|| {
                    format!(
                        "{sid}: completion x{}, enrichment x{}",
                        counts[0], counts[1]
                    )
                })
            })
            .collect::<Vec<String>>()
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    while !count_bad().is_empty() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    // A duplicate would show up shortly after the first delivery.
    tokio::time::sleep(Duration::from_secs(2)).await;
    (sids.len(), count_bad())
}

#[allow(clippy::too_many_arguments)]
fn report(
    args: &Args,
    outcomes: &[(String, flow::Outcome)],
    elapsed: Duration,
    cpu: f64,
    cluster: &Arc<Mutex<Cluster>>,
    depth: &Arc<Mutex<Vec<(f64, f64)>>>,
    webhooks: (usize, Vec<String>),
    chaos: Option<Vec<serde_json::Value>>,
) -> serde_json::Value {
    let ok = outcomes.iter().filter(|(_, o)| o.error.is_none()).count();
    let mut steps = serde_json::Map::new();
    for step in STEPS {
        let mut ms: Vec<f64> = outcomes
            .iter()
            .flat_map(|(_, o)| o.timings.iter())
            .filter(|(s, _, _)| *s == step)
            .map(|(_, _, d)| d.as_secs_f64() * 1000.0)
            .collect();
        ms.sort_by(f64::total_cmp);
        steps.insert(
            step.to_owned(),
            json!({"n": ms.len(), "p50_ms": percentile(&ms, 50.0).round(), "p95_ms": percentile(&ms, 95.0).round(), "p99_ms": percentile(&ms, 99.0).round(), "max_ms": ms.last().copied().unwrap_or(0.0).round()}),
        );
    }
    let errors: Vec<String> = outcomes
        .iter()
        .filter_map(|(label, o)| o.error.as_ref().map(|e| format!("{label}: {e}")))
        .collect();
    let depth = depth.lock().map(|d| d.clone()).unwrap_or_default();
    let queued_max = depth.iter().map(|d| d.0).fold(0.0, f64::max);
    let queued_mean = depth.iter().map(|d| d.0).sum::<f64>() / depth.len().max(1) as f64;
    let mut c = cluster.lock().unwrap_or_else(|e| e.into_inner());
    let totals = c.totals();
    let peak = |role: Role| {
        totals
            .iter()
            .filter(|t| t.0 == role)
            .map(|t| t.2)
            .max()
            .unwrap_or(0)
    };
    let cpu_of = |role: Role| {
        totals
            .iter()
            .filter(|t| t.0 == role)
            .map(|t| t.1)
            .sum::<f64>()
    };
    json!({
        "config": {"apis": args.apis, "workers": args.workers, "jobs_per_worker": args.jobs_per_worker,
                   "database": if args.postgres.is_some() { "postgresql" } else { "sqlite" },
                   "objects": if args.s3 { "s3 (moto)" } else { "data dir" },
                   "target_rate_per_min": args.rate, "concurrency": args.concurrency, "duration_s": args.duration,
                   "chaos_every_s": args.chaos},
        "sessions": {"started": outcomes.len(), "completed": ok},
        "elapsed_s": (elapsed.as_secs_f64() * 10.0).round() / 10.0,
        "statements_per_min": ((ok as f64) / elapsed.as_secs_f64() * 60.0 * 10.0).round() / 10.0,
        "steps": steps,
        "retries": outcomes.iter().map(|(_, o)| o.retries).sum::<usize>(),
        "queue_depth": {"queued_max": queued_max, "queued_mean": (queued_mean * 10.0).round() / 10.0, "samples": depth.len()},
        "cpu": {"seconds_total": (cpu * 100.0).round() / 100.0,
                "seconds_per_statement": (cpu / ok.max(1) as f64 * 1000.0).round() / 1000.0,
                "api_seconds": (cpu_of(Role::Api) * 100.0).round() / 100.0,
                "worker_seconds": (cpu_of(Role::Worker) * 100.0).round() / 100.0},
        "peak_rss_mib": {"api": peak(Role::Api) / (1024 * 1024), "worker": peak(Role::Worker) / (1024 * 1024)},
        "webhooks": {"sessions_checked": webhooks.0, "not_exactly_once": webhooks.1.len(), "not_exactly_once_sessions": webhooks.1.iter().take(10).collect::<Vec<_>>()},
        "chaos": chaos,
        "errors": errors,
    })
}
