//! Full parse of a 100+ page statement against poppler's `pdftotext -layout` on the same file,
//! in the same run: wall time (median of several runs), pages/s and peak memory of each.
//!
//! Run: `cargo bench -p ledgerlens --bench parse_vs_pdftotext` (needs poppler-utils).
//! Both sides are measured as separate processes started the same way, so process start-up and
//! file reading count for both; the in-process library time is printed too.

use ledgerlens_statement::{parse_pdf, ParseOptions};
use std::process::Command;
use std::time::{Duration, Instant};

const RUNS: usize = 7;

struct Measured {
    median: Duration,
    peak_rss_kib: i64,
}

fn main() {
    let seed = std::env::var("LEDGERLENS_BENCH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(42);
    let (pdf, truth) = ledgerlens_fixtures::generate("long_12m", seed).expect("long_12m fixture");
    let dir = std::env::temp_dir().join(format!("ledgerlens-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("long_12m.pdf");
    std::fs::write(&file, &pdf).expect("write fixture");

    let bin = env!("CARGO_BIN_EXE_ledgerlens");
    let command = |program: &str, args: &[&std::ffi::OsStr]| {
        let mut c = Command::new(program);
        c.args(args);
        c
    };
    let out = dir.join("out.txt");
    let mut commands = [
        (
            command(
                bin,
                &[
                    "parse".as_ref(),
                    "--no-enrichment".as_ref(),
                    file.as_os_str(),
                ],
            ),
            "ledgerlens parse --no-enrichment",
        ),
        (
            command(bin, &["parse".as_ref(), file.as_os_str()]),
            "ledgerlens parse",
        ),
        (
            command(
                "pdftotext",
                &["-layout".as_ref(), file.as_os_str(), out.as_os_str()],
            ),
            "pdftotext -layout (apt-get install poppler-utils)",
        ),
    ];
    // Processes first: a child's reported peak includes the memory it shared with this process
    // before exec, which the in-process runs below would inflate.
    let [engine, full, poppler] = time_processes(&mut commands);
    let library = time_library(&pdf, &truth);
    let pages = truth.pages as f64;
    println!(
        "statement: {} pages, {} transactions, {} KiB",
        truth.pages,
        truth.transactions.len(),
        pdf.len() / 1024
    );
    println!(
        "library parse (in-process, median of {RUNS}): {:>8.1} ms  {:>6.0} pages/s",
        ms(library),
        pages / library.as_secs_f64()
    );
    report("parse --no-enrichment (process)", &engine, pages);
    report("parse, with enrichment (process)", &full, pages);
    report("pdftotext -layout (process)", &poppler, pages);
    for (name, m) in [
        ("parse --no-enrichment", &engine),
        ("parse with enrichment", &full),
    ] {
        println!(
            "ratio: {name} takes {:.2}x the time of pdftotext -layout",
            m.median.as_secs_f64() / poppler.median.as_secs_f64()
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

fn report(name: &str, m: &Measured, pages: f64) {
    println!(
        "{name:<34} median {:>8.1} ms  {:>6.0} pages/s  peak RSS {:>7.1} MiB",
        ms(m.median),
        pages / m.median.as_secs_f64(),
        m.peak_rss_kib as f64 / 1024.0
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn time_library(pdf: &[u8], truth: &ledgerlens_fixtures::StatementTruth) -> Duration {
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let started = Instant::now();
        let parsed = parse_pdf(pdf.to_vec(), &ParseOptions::default()).expect("long_12m parses");
        times.push(started.elapsed());
        assert_eq!(
            parsed.transactions.len(),
            truth.transactions.len(),
            "every row read"
        );
        assert!(parsed.reconciliation.reconciled, "chain holds");
    }
    median(times)
}

/// Runs the commands round-robin, `RUNS` rounds, so load drifting on the machine affects each
/// command alike; returns each one's median time and peak memory.
// The children are reaped by wait4 (std's wait() cannot report a child's own peak memory).
#[allow(clippy::zombie_processes)]
fn time_processes<const N: usize>(commands: &mut [(Command, &str); N]) -> [Measured; N] {
    let mut times: [Vec<Duration>; N] = std::array::from_fn(|_| Vec::with_capacity(RUNS));
    let mut peaks = [0_i64; N];
    for _ in 0..RUNS {
        for (i, (command, name)) in commands.iter_mut().enumerate() {
            let started = Instant::now();
            let child = command
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap_or_else(|e| panic!("cannot run {name}: {e}"));
            let (status, rss) = wait_with_rusage(child.id());
            times[i].push(started.elapsed());
            assert!(status == 0, "{name} exited with status {status}");
            peaks[i] = peaks[i].max(rss);
        }
    }
    std::array::from_fn(|i| Measured {
        median: median(std::mem::take(&mut times[i])),
        peak_rss_kib: peaks[i],
    })
}

/// Waits for one child and returns its exit status and peak resident set (KiB). `wait4` gives
/// the child's own rusage, which `std::process::Child::wait` does not expose.
fn wait_with_rusage(pid: u32) -> (i32, i64) {
    let mut status = 0;
    // SAFETY: rusage is plain old data, zero is a valid value, and wait4 only writes into it.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: pid is our own un-waited child; the pointers are valid for the call's duration.
    let waited = unsafe { libc::wait4(pid as libc::pid_t, &mut status, 0, &mut usage) };
    assert!(waited == pid as libc::pid_t, "wait4 failed");
    (libc::WEXITSTATUS(status), usage.ru_maxrss)
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}
