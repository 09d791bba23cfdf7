//! Errors of the enrichment library: only defects in the embedded tables can fail.

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnalysisError {
    #[error("table {table} line {line}: {problem}")]
    Table {
        table: &'static str,
        line: usize,
        problem: String,
    },
}
