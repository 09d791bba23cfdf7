//! The XLSX rendering: real Excel dates, numbers in the Indian grouping (lakh, crore) with their
//! sign, frozen headers, filters on the lists, print setup (landscape, one page wide, the header
//! row on every page), and the charts the model asks for.

use crate::model::{Cell, ChartKind, ChartSpec, Report, Sheet};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use rust_xlsxwriter::{
    Chart, ChartType, Color, ExcelDateTime, Format, FormatBorder, Workbook, Worksheet, XlsxError,
};

/// Indian grouping (1,23,45,678.00) for amounts below one lakh: plain thousands grouping, with
/// an explicit negative section so the minus sign shows in every spreadsheet.
pub const INDIAN_NUMBER_FORMAT: &str = "#,##0.00;-#,##0.00";

/// The number format of one amount: Indian grouping by its magnitude, minus sign kept.
///
/// Spreadsheets have no locale-free lakh/crore grouping. A single conditional format
/// (`[>=10000000]…;[>=100000]…;…`) spends its sections on the magnitudes and leaves negative
/// amounts to the last section, where LibreOffice drops their sign. So each cell gets the pattern
/// of its own magnitude — escaped commas at the lakh and crore places — as a plain
/// `positive;negative` pair, which Excel and LibreOffice both render with the sign.
pub fn indian_money_format(value: Decimal) -> String {
    let whole = value.abs().round_dp(2).trunc();
    let text = whole.to_string();
    let digits = text.split('.').next().unwrap_or_default().len();
    if digits <= 5 {
        return INDIAN_NUMBER_FORMAT.to_owned();
    }
    // "##0" for the last three digits, then one "##\," pair per further group of two.
    let pairs = (digits - 3).div_ceil(2);
    let pattern = format!("{}##0.00", r"##\,".repeat(pairs));
    format!("{pattern};-{pattern}")
}
const DATE_FORMAT: &str = "dd-mmm-yyyy";
const MONTH_FORMAT: &str = "mmm-yyyy";

struct Formats {
    header: Format,
    number: Format,
    percent: Format,
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
            number: Format::new().set_num_format("0.00;-0.00"),
            percent: Format::new().set_num_format(r#"0.00"%";-0.00"%""#),
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
        print_setup(worksheet, sheet)?;
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
            // Below the table, not beside it: fit-to-width would otherwise shrink the figures to
            // make room for the chart.
            let chart = chart(sheet, spec)?;
            ws.insert_chart(row_num(sheet.rows.len() + 3)?, 0, &chart)?;
        }
    }
    Ok(())
}

/// Landscape A4, as wide as one page, the header row repeated on every page.
fn print_setup(ws: &mut Worksheet, sheet: &Sheet) -> Result<(), XlsxError> {
    const A4: u8 = 9;
    ws.set_landscape();
    ws.set_paper_size(A4);
    ws.set_margins(0.4, 0.4, 0.5, 0.5, 0.3, 0.3);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_header(format!("&L&\"-,Bold\"{}", sheet.name.replace('&', "&&")));
    ws.set_footer("&RPage &P of &N");
    if !sheet.columns.is_empty() {
        ws.set_repeat_rows(0, 0)?;
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
            let format = Format::new().set_num_format(indian_money_format(*value));
            ws.write_number_with_format(row, col, to_f64(*value), &format)?;
        }
        Cell::Number(value) => {
            ws.write_number_with_format(row, col, to_f64(*value), &f.number)?;
        }
        Cell::Percent(value) => {
            ws.write_number_with_format(row, col, to_f64(*value), &f.percent)?;
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
    let last_row = row_num(spec.rows.unwrap_or(sheet.rows.len()).min(sheet.rows.len()))?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn format_of(value: &str) -> String {
        indian_money_format(Decimal::from_str(value).expect("decimal"))
    }

    #[test]
    fn the_pattern_follows_the_magnitude_and_keeps_the_sign() {
        assert_eq!(format_of("0"), "#,##0.00;-#,##0.00");
        assert_eq!(format_of("-99999.99"), "#,##0.00;-#,##0.00");
        assert_eq!(format_of("123456"), r"##\,##\,##0.00;-##\,##\,##0.00");
        assert_eq!(format_of("-9876543.21"), r"##\,##\,##0.00;-##\,##\,##0.00");
        assert_eq!(
            format_of("12345678"),
            r"##\,##\,##\,##0.00;-##\,##\,##\,##0.00"
        );
        assert_eq!(
            format_of("-1234567890"),
            r"##\,##\,##\,##\,##0.00;-##\,##\,##\,##\,##0.00"
        );
    }
}
