//! A memory budget for PDF parses.
//!
//! One parse may hold a few hundred MB (the PDF reader admits 256 MiB of inflated stream data,
//! and the decoded pages come on top), so parses at once are bounded by
//! `parse_memory_budget / parse_memory_per_document` slots. An upload waits for a slot at most
//! `parse_queue_wait`, then gets [`Busy`] (which the server answers as 503 `SERVER_BUSY` with
//! `Retry-After`); a processing job waits as long as it takes. The slot is held by the parsing thread itself, so a client that
//! disconnects cannot free it while its parse still runs.

use crate::Processing;
use bytes::Bytes;
use ledgerlens_statement::{parse_pdf, ParseOptions, ParsedStatement, StatementError};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

pub struct ParseBudget {
    slots: Arc<Semaphore>,
    pub slot_count: usize,
    wait: Duration,
}

/// Half the machine's memory (or 2 GiB when it cannot be read): the rest is for everything else.
pub fn default_budget() -> u64 {
    let total = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with("MemTotal:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
                .map(|kb| kb * 1024)
        });
    total.map_or(2 << 30, |bytes| bytes / 2)
}

/// No parse slot freed up within the wait; the HTTP layer answers 503 `SERVER_BUSY`.
#[derive(Debug, Clone, Copy, thiserror::Error)]
#[error("Too many statements are being read at once, retry in {} seconds", .wait.as_secs().max(1))]
pub struct Busy {
    pub wait: Duration,
}

fn busy(wait: Duration) -> Busy {
    Busy { wait }
}

impl ParseBudget {
    /// `budget` bytes for parses at once, `per_document` bytes each; an upload waits `wait`.
    pub fn new(budget: u64, per_document: u64, wait: Duration) -> ParseBudget {
        let per = per_document.max(1);
        let slot_count = usize::try_from(budget / per)
            .unwrap_or(usize::MAX)
            .clamp(1, Semaphore::MAX_PERMITS);
        ParseBudget {
            slots: Arc::new(Semaphore::new(slot_count)),
            slot_count,
            wait,
        }
    }

    async fn slot(&self, bounded: bool) -> Result<OwnedSemaphorePermit, Busy> {
        let acquire = self.slots.clone().acquire_owned();
        let acquired = if bounded {
            tokio::time::timeout(self.wait, acquire)
                .await
                .map_err(|_| busy(self.wait))?
        } else {
            acquire.await
        };
        // The semaphore is never closed; a closed one would mean shutting down.
        acquired.map_err(|_| busy(self.wait))
    }
}

fn parse_blocking(
    bytes: Bytes,
    password: Option<String>,
    bank: Option<String>,
) -> Result<ParsedStatement, StatementError> {
    let options = ParseOptions {
        password,
        expected_bank: bank,
        ..ParseOptions::default()
    };
    parse_pdf(bytes.to_vec(), &options)
}

async fn parse(
    state: &Processing,
    bounded: bool,
    bytes: Bytes,
    password: Option<String>,
    bank: Option<String>,
) -> Result<Result<ParsedStatement, StatementError>, Busy> {
    let slot = state.parse_budget.slot(bounded).await?;
    let started = std::time::Instant::now();
    let parsed = tokio::task::spawn_blocking(move || {
        let _slot = slot;
        parse_blocking(bytes, password, bank)
    })
    .await
    .unwrap_or_else(|e| {
        Err(StatementError::ExtractionFailed(format!(
            "the parser stopped: {e}"
        )))
    });
    let source = if bounded { "upload" } else { "job" };
    let pages = parsed.as_ref().ok().map(|p| p.page_count);
    state
        .observer
        .record_parse(source, pages, started.elapsed());
    Ok(parsed)
}

/// An upload's parse: 503 SERVER_BUSY when no slot frees up within `parse_queue_wait`.
pub async fn parse_for_upload(
    state: &Processing,
    bytes: Bytes,
    password: Option<String>,
    bank: Option<String>,
) -> Result<Result<ParsedStatement, StatementError>, Busy> {
    parse(state, true, bytes, password, bank).await
}

/// A job's parse: waits for a slot.
pub async fn parse_for_job(
    state: &Processing,
    bytes: Bytes,
    password: Option<String>,
    bank: Option<String>,
) -> Result<ParsedStatement, StatementError> {
    match parse(state, false, bytes, password, bank).await {
        Ok(parsed) => parsed,
        Err(e) => Err(StatementError::ExtractionFailed(e.to_string())),
    }
}
