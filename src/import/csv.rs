//! A spreadsheet's CSV (RFC 4180, a header row naming the columns in their usual
//! spellings, see [`super::row::field`]), including aidmap's own `data/groups.csv`.
//!
//! aidmap's CSV puts a `'` before a cell starting with a formula character (see
//! `export::groups::spreadsheet_safe`); that mark is taken off again, and its `url`
//! column (the group's page on the old site, not the group's own link) is left out.

use anyhow::{Context as _, Result};

use super::row::{field, Field, Row};

/// The rows of a CSV file's text.
pub fn rows(text: &str) -> Result<Vec<Row>> {
    // The reader counts a record after CRLF from its `\r`, a line early: with one kind
    // of line ending the line numbers are the ones an editor shows.
    let text = text.replace("\r\n", "\n");
    let mut reader = ::csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .context("cannot read the CSV's header row")?
        .clone();
    let ours = headers.iter().any(|h| h == "phone_tel") && headers.iter().any(|h| h == "slug");
    let fields: Vec<Option<Field>> = headers
        .iter()
        .map(|h| match h {
            "url" | "phone_tel" if ours => None,
            h => field(h),
        })
        .collect();
    if !fields.contains(&Some(Field::Name)) {
        anyhow::bail!(
            "the CSV has no name column (its header row is: {}); name the column of group names `name`",
            headers.iter().collect::<Vec<_>>().join(", ")
        );
    }
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.context("cannot read the CSV")?;
        let line = record.position().map_or(0, |p| p.line());
        let mut row = Row {
            at: format!("line {line}"),
            ..Row::default()
        };
        for (cell, f) in record.iter().zip(&fields) {
            let Some(f) = f else { continue };
            let cell = if ours { unmark(cell) } else { cell };
            row.set(*f, cell);
        }
        out.push(row);
    }
    Ok(out)
}

/// A cell without the `'` aidmap's CSV puts before a formula character.
fn unmark(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}
