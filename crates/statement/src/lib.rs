//! The statement engine: from positioned text to identity, transactions and a reconciliation verdict.
pub mod banks;
pub mod columns;
pub mod completeness;
pub mod error;
mod figure_fonts;
pub mod hash;
pub mod identity;
pub mod lines;
pub mod model;
pub mod parse;
mod parts;
pub mod reconcile;
mod stacked;
pub mod summary;
pub mod table;
pub mod text;
pub mod values;
mod whole_rupees;

pub use error::{ErrorKind, StatementError};
pub use model::{ParsedStatement, Transaction, TransactionType};
pub use parse::{parse_document, parse_pdf, ParseOptions};
pub use parts::is_parts_note;
