//! The CSV draft (RFC 4180: CRLF line ends, fields with `,` `"` or line breaks quoted, quotes
//! doubled) of one section: one row per SDK for `sdk-list`, one row per data type and owner for
//! `app-collection`. The first record is the review notice (padded to the column count, so
//! every record has the same number of fields), the second the column names. Observed and
//! vendor-documented data sit in separate columns; the last column holds the call sites behind
//! each evidence id, so the file stands on its own.
//!
//! ```
//! use disclose::draft::csv::field;
//! assert_eq!(field("plain"), "plain");
//! assert_eq!(field("a, \"b\""), "\"a, \"\"b\"\"\"");
//! ```

use super::cells;
use super::model::{Draft, EvidenceEntry};
use super::wording::{DraftWording, Lang};
use std::io::{self, Write};

/// One field, quoted when it must be.
pub fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn record(out: &mut dyn Write, fields: &[String]) -> io::Result<()> {
    let fields: Vec<String> = fields.iter().map(|f| field(f)).collect();
    write!(out, "{}\r\n", fields.join(","))
}

fn notice(out: &mut dyn Write, draft: &Draft, columns: usize) -> io::Result<()> {
    let mut fields = vec![draft.notice.clone()];
    fields.resize(columns, String::new());
    record(out, &fields)
}

/// The call sites of the evidence ids `ids`, one line each.
fn places(draft: &Draft, ids: &[String]) -> String {
    ids.iter()
        .filter_map(|id| draft.evidence.iter().find(|e| &e.id == id))
        .map(|e: &EvidenceEntry| {
            let first = e.places.first().map(cells::place).unwrap_or_default();
            format!("{}: {first}", e.id)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn sdk_list(draft: &Draft, w: &DraftWording, out: &mut dyn Write) -> io::Result<()> {
    let (lang, l) = (draft.lang, &w.labels);
    let names = [
        &l.sdk_name,
        &l.vendor,
        &l.purpose,
        &l.data_from_code,
        &l.data_from_vendor,
        &l.permissions,
        &l.privacy_policy,
        &l.evidence,
    ];
    notice(out, draft, names.len())?;
    record(out, &names.map(|n| n.get(lang).to_string()))?;
    for r in draft.sdk_list.iter().flat_map(|s| &s.rows) {
        let mut vendor_data = cells::data_items(r, false, lang, w);
        if !r.vendor_documented {
            vendor_data.push(w.labels.vendor_silent.get(lang).to_string());
        }
        let ids: Vec<String> = r.data.iter().flat_map(|d| d.evidence.clone()).collect();
        record(
            out,
            &[
                cells::sdk_name(r, lang, w),
                cells::vendor(r, lang),
                r.purpose.clone(),
                cells::data_items(r, true, lang, w).join(cells::sep(lang)),
                vendor_data.join(cells::sep(lang)),
                cells::permissions(&r.permissions, lang, w),
                r.privacy_policy.clone().unwrap_or_default(),
                places(draft, &ids),
            ],
        )?;
    }
    Ok(())
}

fn app_collection(draft: &Draft, w: &DraftWording, out: &mut dyn Write) -> io::Result<()> {
    let (lang, l): (Lang, _) = (draft.lang, &w.labels);
    let names = cells::app_data_columns(l);
    notice(out, draft, names.len())?;
    record(out, &names.map(|n| n.get(lang).to_string()))?;
    for d in draft.app_collection.iter().flat_map(|a| &a.data) {
        record(
            out,
            &[
                d.name.clone(),
                cells::collected_by(d, lang, w),
                cells::permissions(&d.permissions, lang, w),
                places(draft, &d.evidence),
            ],
        )?;
    }
    Ok(())
}

/// Writes the draft's one section as CSV.
pub fn write(draft: &Draft, w: &DraftWording, out: &mut dyn Write) -> io::Result<()> {
    if draft.sdk_list.is_some() {
        sdk_list(draft, w, out)
    } else {
        app_collection(draft, w, out)
    }
}
