//! The XLSX rendering: real Excel dates, numbers in the Indian grouping (lakh, crore), frozen
//! headers, filters on the lists, and the charts the model asks for.

use crate::model::{Cell, ChartKind, ChartSpec, Report, Sheet};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use rust_xlsxwriter::{
    Chart, ChartType, Color, ExcelDateTime, Format, FormatBorder, Workbook, Worksheet, XlsxError,
};

/// 1,23,45,678.00: crore and lakh groups by magnitude. Excel has no locale-free Indian grouping,
/// so the escaped commas place the separators and the conditions pick the pattern.
pub const INDIAN_NUMBER_FORMAT: &str =
    r"[>=10000000]##\,##\,##\,##0.00;[>=100000]##\,##\,##0.00;##,##0.00";
const DATE_FORMAT: &str = "dd-mmm-yyyy";
const MONTH_FORMAT: &str = "mmm-yyyy";

struct Formats {
    header: Format,
    money: Format,
    number: Format,
    count: Format,
    date: Format,
    month: Format,
    text: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            header: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0x00DC_E6F1))
                .set_border_bottom(FormatBorder::Thin),
            money: Format::new().set_num_format(INDIAN_NUMBER_FORMAT),
            number: Format::new().set_num_format("0.00"),
            count: Format::new().set_num_format("0"),
            date: Format::new().set_num_format(DATE_FORMAT),
            month: Format::new().set_num_format(MONTH_FORMAT),
            text: Format::new(),
        }
    }
}

/// Money and figures as f64: the one place a Decimal leaves exact arithmetic.
fn to_f64(value: Decimal) -> f64 {
    value.to_f64().unwrap_or_default()
}

pub fn render(report: &Report) -> Result<Vec<u8>, XlsxError> {
    let formats = Formats::new();
    let mut workbook = Workbook::new();
    for sheet in &report.sheets {
        let worksheet = workbook.add_worksheet();
        write_sheet(worksheet, sheet, &formats)?;
    }
    workbook.save_to_buffer()
}

fn write_sheet(ws: &mut Worksheet, sheet: &Sheet, formats: &Formats) -> Result<(), XlsxError> {
    ws.set_name(&sheet.name)?;
    for (col, column) in sheet.columns.iter().enumerate() {
        let col = col_num(col)?;
        ws.set_column_width(col, column.width)?;
        ws.write_string_with_format(0, col, &column.title, &formats.header)?;
    }
    for (index, row) in sheet.rows.iter().enumerate() {
        let row_num = row_num(index + 1)?;
        for (col, cell) in row.iter().enumerate() {
            write_cell(ws, row_num, col_num(col)?, cell, formats)?;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    if sheet.filter && !sheet.columns.is_empty() {
        let last_col = col_num(sheet.columns.len() - 1)?;
        ws.autofilter(0, 0, row_num(sheet.rows.len())?, last_col)?;
    }
    if let Some(spec) = &sheet.chart {
        if !sheet.rows.is_empty() {
            let chart = chart(sheet, spec)?;
            let anchor = col_num(sheet.columns.len() + 1)?;
            ws.insert_chart(1, anchor, &chart)?;
        }
    }
    Ok(())
}

fn write_cell(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &Cell,
    f: &Formats,
) -> Result<(), XlsxError> {
    match cell {
        Cell::Empty => {}
        Cell::Text(text) => {
            ws.write_string_with_format(row, col, text, &f.text)?;
        }
        Cell::Count(n) => {
            // Counts are small; i64 → f64 loses nothing below 2^53.
            ws.write_number_with_format(row, col, *n as f64, &f.count)?;
        }
        Cell::Money(value) => {
            ws.write_number_with_format(row, col, to_f64(*value), &f.money)?;
        }
        Cell::Number(value) => {
            ws.write_number_with_format(row, col, to_f64(*value), &f.number)?;
        }
        Cell::Date(date) => {
            ws.write_datetime_with_format(row, col, excel_date(*date)?, &f.date)?;
        }
        Cell::Month(date) => {
            ws.write_datetime_with_format(row, col, excel_date(*date)?, &f.month)?;
        }
        Cell::Bool(flag) => {
            ws.write_boolean(row, col, *flag)?;
        }
    }
    Ok(())
}

fn excel_date(date: chrono::NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    use chrono::Datelike;
    let year = u16::try_from(date.year()).map_err(|_| out_of_range("year"))?;
    let month = u8::try_from(date.month()).map_err(|_| out_of_range("month"))?;
    let day = u8::try_from(date.day()).map_err(|_| out_of_range("day"))?;
    ExcelDateTime::from_ymd(year, month, day)
}

fn chart(sheet: &Sheet, spec: &ChartSpec) -> Result<Chart, XlsxError> {
    let mut chart = Chart::new(match spec.kind {
        ChartKind::Column => ChartType::Column,
        ChartKind::Line => ChartType::Line,
    });
    chart.title().set_name(&spec.title);
    chart.y_axis().set_num_format("#,##0");
    let last_row = row_num(sheet.rows.len())?;
    let category = spec.category_column;
    for &value_col in &spec.value_columns {
        let name = sheet
            .columns
            .get(usize::from(value_col))
            .map_or("", |c| c.title.as_str());
        chart
            .add_series()
            .set_name(name)
            .set_categories((sheet.name.as_str(), 1, category, last_row, category))
            .set_values((sheet.name.as_str(), 1, value_col, last_row, value_col));
    }
    chart.set_width(720).set_height(360);
    Ok(chart)
}

fn out_of_range(what: &str) -> XlsxError {
    XlsxError::ParameterError(format!("{what} out of range for Excel"))
}

fn row_num(index: usize) -> Result<u32, XlsxError> {
    u32::try_from(index).map_err(|_| out_of_range("row"))
}

fn col_num(index: usize) -> Result<u16, XlsxError> {
    u16::try_from(index).map_err(|_| out_of_range("column"))
}
