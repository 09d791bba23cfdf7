//! BankConnect's contract, kept apart from the engine: the engine crates (pdf, statement,
//! analysis, report) expose their own model, and this crate maps it to the documented shapes
//! (field names, formats, key order). The server and the command line both answer through it,
//! so the offline `ledgerlens parse` prints the same Insights document the service serves.
pub mod api;
pub mod engine;
pub mod enrichment;
pub mod errors;
pub mod hosted;
pub mod insights;
pub mod legacy;
pub mod openapi;
pub mod rolling;
pub mod timestamps;
pub mod webhooks;
