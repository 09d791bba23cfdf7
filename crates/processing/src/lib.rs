//! Processing: what happens to a statement after the HTTP layer has accepted it.
//!
//! This crate owns the work between the statement engine (ledgerlens-statement), the enrichment
//! (ledgerlens-analysis) and the store (ledgerlens-store), the way meilisearch's index-scheduler
//! owns indexing behind its HTTP routes:
//!
//! - [`stored_parse`]: the engine's reading of an upload, kept from upload to processing so the
//!   job need not parse the file again;
//! - [`enrichment`]: the enrichment input stored with each processed statement, and the
//!   orchestration that enriches an account over all of its statements;
//! - [`accounts`]: a session's processed statements grouped into bank accounts, each with its
//!   status, its merged transactions and its enrichment attached.
//!
//! It must not know HTTP: no routes, status codes, headers, request extractors or error bodies.
//! The server (ledgerlens-server) authenticates, validates and translates; it calls into this
//! crate and serialises what comes back. Anything shaped by the wire contract comes from
//! ledgerlens-contract, never from the server.

pub mod accounts;
pub mod enrichment;
pub mod stored_parse;
