//! A draft of the Play Data safety form, in Play Console's CSV import format, from a scan's
//! evidence: every question `signatures/data-safety.toml` knows, answered where the evidence
//! answers it (data types collected, shared, and the purposes of ads/analytics SDKs) and left
//! empty for a human (encryption in transit, deletion, account creation and deletion links,
//! Families policy, ephemeral processing, optional or required, the app's own purposes: every
//! question of the file, so a partial import is not rejected for a missing row). The import format has exactly five columns and no
//! comment column, so where each answer comes from (code, manifest, vendor documents) is
//! returned beside the CSV in [`DataSafetyDraft::marks`], one per answered row.
//!
//! ```no_run
//! # fn f(app: &disclose::model::InspectReport, set: &disclose::signatures::SignatureSet) {
//! let draft = disclose::declared::draft_data_safety(app, set);
//! std::fs::write("data-safety.csv", &draft.csv).ok();
//! for mark in &draft.marks {
//!     println!("line {}: {} {} from {:?}", mark.line, mark.question, mark.response, mark.sources);
//! }
//! # }
//! ```

use super::data_safety_spec::{DataSafetySpec, RowText};
use super::data_safety_usage::{play_usage, PlayTypeUsage, UsageSource};
use crate::model::InspectReport;
use crate::signatures::SignatureSet;
use serde::Serialize;

/// Where one answered row of a draft comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DraftMark {
    /// 1-based line of the row in [`DataSafetyDraft::csv`] (the header is line 1).
    pub line: usize,
    pub question: String,
    pub response: String,
    /// Code, manifest and/or vendor documents.
    pub sources: Vec<UsageSource>,
    /// Who: `app`, SDK ids.
    pub by: Vec<String>,
}

/// A drafted Data safety CSV and where each answer comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DataSafetyDraft {
    pub csv: String,
    pub marks: Vec<DraftMark>,
}

/// The draft CSV alone (see [`draft_data_safety`] for the marks).
pub fn draft_data_safety_csv(app: &InspectReport, set: &SignatureSet) -> String {
    draft_data_safety(app, set).csv
}

/// Draft the form from `app`'s evidence with the ids of `set.data_safety`.
pub fn draft_data_safety(app: &InspectReport, set: &SignatureSet) -> DataSafetyDraft {
    let spec = &set.data_safety;
    let usage = play_usage(app, set);
    let mut w = Writer::new(spec);
    let q = &spec.questions;
    let rows = &spec.rows;
    let any = if usage.is_empty() { "false" } else { "true" };
    w.row(&q.collects_data, "", any, &rows.collects_data, &[], None);
    w.row(
        &q.encrypted_in_transit,
        "",
        "",
        &rows.encrypted_in_transit,
        &[],
        None,
    );
    for choice in q.deletion_yes.iter().chain(&q.deletion_no) {
        let subs = [("{choice}", choice.label.as_str())];
        w.row(&q.deletion, &choice.id, "", &rows.deletion, &subs, None);
    }
    for o in &spec.other_questions {
        if o.choices.is_empty() {
            w.row(&o.id, "", "", &o.row, &[], None);
        }
        for choice in &o.choices {
            let subs = [("{choice}", choice.label.as_str())];
            w.row(&o.id, &choice.id, "", &o.row, &subs, None);
        }
    }
    for t in &spec.data_types {
        let found = usage.iter().find(|u| u.play_type == t.id);
        let category = spec.category_label(&t.category).unwrap_or(&t.category);
        let subs = [("{category}", category), ("{type}", t.label.as_str())];
        let value = if found.is_some() { "true" } else { "" };
        w.row(&t.category, &t.id, value, &rows.data_type, &subs, found);
    }
    for t in &spec.data_types {
        let found = usage.iter().find(|u| u.play_type == t.id);
        usage_rows(&mut w, spec, &t.id, &t.label, found);
    }
    DataSafetyDraft {
        csv: w.csv,
        marks: w.marks,
    }
}

/// The usage rows of one data type.
fn usage_rows(
    w: &mut Writer,
    spec: &DataSafetySpec,
    id: &str,
    label: &str,
    found: Option<&PlayTypeUsage>,
) {
    let q = &spec.questions;
    let rows = &spec.rows;
    let question = |sub: &str| format!("{}:{id}:{sub}", q.usage_prefix);
    let subs = [("{type}", label)];
    let shared = found.filter(|u| u.is_shared());
    let on = |f: Option<&PlayTypeUsage>| if f.is_some() { "true" } else { "" };
    let both = question(&q.collection_and_sharing);
    w.row(
        &both,
        &q.collected,
        on(found),
        &rows.collected,
        &subs,
        found,
    );
    w.row(&both, &q.shared, on(shared), &rows.shared, &subs, shared);
    w.row(
        &question(&q.ephemeral),
        "",
        "",
        &rows.ephemeral,
        &subs,
        None,
    );
    let control = question(&q.user_control);
    w.row(&control, &q.optional, "", &rows.optional, &subs, None);
    w.row(&control, &q.required, "", &rows.required, &subs, None);
    let sdk_purposes: Vec<&str> = found
        .map(|u| {
            u.uses
                .iter()
                .filter_map(|x| x.sdk_category.as_deref())
                .filter_map(|c| spec.sharing.purpose_of_category.get(c))
                .map(String::as_str)
                .collect()
        })
        .unwrap_or_default();
    for (sub, text, basis) in [
        (&q.collection_purpose, &rows.collection_purpose, found),
        (&q.sharing_purpose, &rows.sharing_purpose, shared),
    ] {
        for p in &spec.purposes {
            let chosen = basis.filter(|_| sdk_purposes.contains(&p.id.as_str()));
            let subs = [("{type}", label), ("{choice}", p.label.as_str())];
            w.row(&question(sub), &p.id, on(chosen), text, &subs, chosen);
        }
    }
}

/// Writes rows and their marks.
struct Writer {
    csv: String,
    marks: Vec<DraftMark>,
    line: usize,
}

impl Writer {
    fn new(spec: &DataSafetySpec) -> Self {
        let mut w = Writer {
            csv: String::new(),
            marks: Vec::new(),
            line: 0,
        };
        let header: Vec<&str> = spec.columns.iter().map(String::as_str).collect();
        w.push(&header);
        w
    }

    fn push(&mut self, fields: &[&str]) {
        let cells: Vec<String> = fields.iter().map(|f| quote(f)).collect();
        self.csv.push_str(&cells.join(","));
        self.csv.push_str("\r\n");
        self.line += 1;
    }

    /// One row; `basis` (the evidence behind a `true`) becomes its mark.
    fn row(
        &mut self,
        question: &str,
        response: &str,
        value: &str,
        text: &RowText,
        subs: &[(&str, &str)],
        basis: Option<&PlayTypeUsage>,
    ) {
        let mut label = text.label.clone();
        for (key, with) in subs {
            label = label.replace(key, with);
        }
        self.push(&[question, response, value, &text.requirement, &label]);
        if let Some(usage) = basis.filter(|_| value == "true") {
            let mut sources: Vec<UsageSource> = usage.uses.iter().map(|u| u.source).collect();
            sources.sort();
            sources.dedup();
            let mut by: Vec<String> = Vec::new();
            for u in &usage.uses {
                if !by.contains(&u.by) {
                    by.push(u.by.clone());
                }
            }
            self.marks.push(DraftMark {
                line: self.line,
                question: question.to_string(),
                response: response.to_string(),
                sources,
                by,
            });
        }
    }
}

/// A CSV field, quoted when it holds a comma, quote or line break (RFC 4180).
fn quote(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}
