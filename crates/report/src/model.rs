//! The report as plain tables: one model, two renderings (XLSX and XML), so both always carry
//! the same content.

use chrono::NaiveDate;
use rust_decimal::Decimal;

/// One cell, typed so each rendering can pick the right representation.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    /// A whole count (transactions, days).
    Count(i64),
    /// Money: Decimal until a rendering serialises it.
    Money(Decimal),
    /// A non-money figure (score, ratio).
    Number(Decimal),
    /// A percentage, as its number of percent (12.5 for 12.5 %).
    Percent(Decimal),
    Date(NaiveDate),
    /// A calendar month, stored as its first day.
    Month(NaiveDate),
    Bool(bool),
}

impl Cell {
    pub fn text(value: impl Into<String>) -> Cell {
        let value = value.into();
        if value.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(value)
        }
    }

    pub fn opt_text(value: Option<&str>) -> Cell {
        value.map_or(Cell::Empty, Cell::text)
    }

    pub fn opt_money(value: Option<Decimal>) -> Cell {
        value.map_or(Cell::Empty, Cell::Money)
    }

    pub fn opt_date(value: Option<NaiveDate>) -> Cell {
        value.map_or(Cell::Empty, Cell::Date)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub title: String,
    /// Width in Excel character units.
    pub width: f64,
    /// XML element name when the title is data (an account number, a month): element names
    /// must stay the same from one report to the next, so the title goes in an attribute.
    pub key: Option<&'static str>,
}

impl Column {
    pub fn new(title: &str, width: f64) -> Column {
        Column {
            title: title.to_owned(),
            width,
            key: None,
        }
    }

    /// A column whose title is data, written in XML as `<key column="title">`.
    pub fn keyed(title: &str, width: f64, key: &'static str) -> Column {
        Column {
            key: Some(key),
            ..Column::new(title, width)
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    /// Clustered columns (monthly credits vs debits).
    Column,
    /// Lines (EOD balance).
    Line,
}

/// A chart over one sheet's rows: categories from one column, one series per value column.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartSpec {
    pub kind: ChartKind,
    pub title: String,
    pub category_column: u16,
    pub value_columns: Vec<u16>,
    /// Data rows charted, from the first; all rows when `None` (a grid's summary rows below
    /// the data stay out of the chart).
    pub rows: Option<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// Worksheet name (at most 31 characters, none of `[]:*?/\`).
    pub name: String,
    /// XML element name.
    pub key: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
    /// Header frozen and filterable: the long lists, not the overview.
    pub filter: bool,
    pub chart: Option<ChartSpec>,
}

impl Sheet {
    pub fn new(name: &str, key: &str, columns: Vec<Column>) -> Sheet {
        Sheet {
            name: name.to_owned(),
            key: key.to_owned(),
            columns,
            rows: Vec::new(),
            filter: true,
            chart: None,
        }
    }

    /// Index of the column titled `title`.
    pub fn column(&self, title: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.title == title)
    }
}

/// Whether the report covers one account or a whole session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Account,
    Aggregate,
}

impl Scope {
    pub fn name(self) -> &'static str {
        match self {
            Scope::Account => "account",
            Scope::Aggregate => "aggregate",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The account id (account report) or session id (aggregate).
    pub id: String,
    pub scope: Scope,
    pub sheets: Vec<Sheet>,
}

impl Report {
    pub fn sheet(&self, name: &str) -> Option<&Sheet> {
        self.sheets.iter().find(|s| s.name == name)
    }
}
