//! Reads Google Play Console's Data safety CSV (the form's export, which is also its import
//! format) into a typed [`DataSafetyForm`]: the general answers (does the app collect or share
//! any required data type, encryption in transit, deletion requests) and, per Play data type,
//! whether it is selected, collected, shared, processed ephemerally, required or optional, and
//! why it is collected and shared. What each id means comes from `signatures/data-safety.toml`
//! ([`DataSafetySpec`]); rows the file does not know are kept in [`DataSafetyForm::unknown`].
//!
//! Bad input is one error naming the file and the problem (`ErrorKind::Malformed`, exit 2);
//! a file over [`MAX_DATA_SAFETY_BYTES`] is `ErrorKind::LimitExceeded`.
//!
//! ```
//! let set = disclose::signatures::SignatureSet::builtin()?;
//! let csv = "Question ID (machine readable),Response ID (machine readable),Response value,Answer requirement,Human-friendly question label\r\n\
//!   PSL_DATA_COLLECTION_COLLECTS_PERSONAL_DATA,,true,REQUIRED,Does your app collect or share any of the required user data types?\r\n\
//!   PSL_DATA_TYPES_LOCATION,PSL_PRECISE_LOCATION,true,MULTIPLE_CHOICE,Location / Precise location\r\n\
//!   PSL_DATA_USAGE_RESPONSES:PSL_PRECISE_LOCATION:PSL_DATA_USAGE_COLLECTION_AND_SHARING,PSL_DATA_USAGE_ONLY_COLLECTED,true,MULTIPLE_CHOICE,\"Data usage and handling (Precise location) / Is this data collected, shared, or both? / Collected\"\r\n";
//! let form = disclose::declared::DataSafetyForm::parse("form.csv", csv.as_bytes(), &set.data_safety)?;
//! assert_eq!(form.collects_data.map(|a| a.value), Some(true));
//! let precise = form.data_type("PSL_PRECISE_LOCATION").unwrap();
//! assert!(precise.selected && precise.collected && !precise.shared);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use super::csv::{read_records, Record};
use super::data_safety_spec::DataSafetySpec;
use crate::Error;
use serde::Serialize;
use std::path::Path;

/// The largest Data safety CSV read (a full export is about 100 KB).
pub const MAX_DATA_SAFETY_BYTES: u64 = 4 * 1024 * 1024;
/// The most rows read (a full export has 782).
const MAX_ROWS: usize = 50_000;

/// A yes/no answer and the line of the row that gave it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Answer {
    pub value: bool,
    pub line: usize,
}

/// What the form says about one Play data type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeclaredDataType {
    /// Response id of the data type (`PSL_PRECISE_LOCATION`).
    pub id: String,
    /// Question id of its category (`PSL_DATA_TYPES_LOCATION`).
    pub category: String,
    /// "Location / Precise location".
    pub label: String,
    /// Ticked in the data types step.
    pub selected: bool,
    /// Line of the data type row (0 when the file has none).
    pub line: usize,
    pub collected: bool,
    pub shared: bool,
    /// Line of the "collected, shared, or both?" rows (0 when absent).
    pub usage_line: usize,
    pub ephemeral: Option<bool>,
    /// `Some(true)`: collection is required; `Some(false)`: users can choose.
    pub required: Option<bool>,
    pub collection_purposes: Vec<String>,
    pub sharing_purposes: Vec<String>,
}

/// A row the spec does not know (kept, never an error: Play adds questions).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnknownRow {
    pub line: usize,
    pub question: String,
    pub response: String,
}

/// A Data safety form as read from its CSV.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DataSafetyForm {
    /// The file as named by the user.
    pub file: String,
    /// "Does your app collect or share any of the required user data types?"
    pub collects_data: Option<Answer>,
    /// "Is all of the user data collected by your app encrypted in transit?"
    pub encrypted_in_transit: Option<Answer>,
    /// "Do you provide a way for users to request that their data is deleted?"
    pub deletion_request: Option<Answer>,
    /// Every data type of the spec, in the spec's order.
    pub data_types: Vec<DeclaredDataType>,
    pub unknown: Vec<UnknownRow>,
    /// Rows read (without the header).
    pub rows: usize,
}

impl DataSafetyForm {
    /// Read the CSV at `path` (at most [`MAX_DATA_SAFETY_BYTES`]).
    pub fn read(path: &Path, spec: &DataSafetySpec) -> Result<DataSafetyForm, Error> {
        let bytes = crate::input::read_bounded(path, MAX_DATA_SAFETY_BYTES)?;
        DataSafetyForm::parse(&path.display().to_string(), &bytes, spec)
    }

    /// Parse the bytes of a Data safety CSV; `file` names it in errors.
    pub fn parse(file: &str, bytes: &[u8], spec: &DataSafetySpec) -> Result<DataSafetyForm, Error> {
        if !spec.is_loaded() {
            return Err(Error::Signatures(
                "data-safety.toml: missing, so a Data safety CSV cannot be read".into(),
            ));
        }
        if bytes.len() as u64 > MAX_DATA_SAFETY_BYTES {
            return Err(Error::limit(
                file,
                format!("over {MAX_DATA_SAFETY_BYTES} bytes: not a Data safety CSV"),
            ));
        }
        let text = std::str::from_utf8(bytes).map_err(|e| {
            Error::input(file, format!("not UTF-8 text (byte {})", e.valid_up_to()))
        })?;
        let records = read_records(text).map_err(|e| Error::input(file, e))?;
        if records.len() > MAX_ROWS {
            return Err(Error::limit(file, format!("over {MAX_ROWS} rows")));
        }
        let (header, rows) = records
            .split_first()
            .ok_or_else(|| Error::input(file, "empty: not a Data safety CSV"))?;
        check_header(file, header, spec)?;
        let mut form = DataSafetyForm {
            file: file.to_string(),
            collects_data: None,
            encrypted_in_transit: None,
            deletion_request: None,
            data_types: spec
                .data_types
                .iter()
                .map(|t| DeclaredDataType {
                    id: t.id.clone(),
                    category: t.category.clone(),
                    label: format!(
                        "{} / {}",
                        spec.category_label(&t.category).unwrap_or(&t.category),
                        t.label
                    ),
                    selected: false,
                    line: 0,
                    collected: false,
                    shared: false,
                    usage_line: 0,
                    ephemeral: None,
                    required: None,
                    collection_purposes: Vec::new(),
                    sharing_purposes: Vec::new(),
                })
                .collect(),
            unknown: Vec::new(),
            rows: rows.len(),
        };
        for row in rows {
            form.apply(file, row, spec)?;
        }
        Ok(form)
    }

    /// The form's answers for data type `id` (`PSL_DEVICE_ID`).
    pub fn data_type(&self, id: &str) -> Option<&DeclaredDataType> {
        self.data_types.iter().find(|t| t.id == id)
    }

    /// One row into the form.
    fn apply(&mut self, file: &str, row: &Record, spec: &DataSafetySpec) -> Result<(), Error> {
        let field = |i: usize| row.fields.get(i).map_or("", |s| s.trim());
        let (question, response, raw) = (field(0), field(1), field(2));
        let q = &spec.questions;
        let value = parse_value(raw);
        let answer = |v: Option<bool>| {
            v.map(|value| Answer {
                value,
                line: row.line,
            })
        };
        let bool_of = |v: Option<Option<bool>>| {
            v.ok_or_else(|| {
                Error::input(
                    file,
                    format!(
                        "line {}: {question} {response}: the response value '{raw}' is not true or false",
                        row.line
                    ),
                )
            })
        };
        if question.is_empty() {
            return Err(Error::input(
                file,
                format!("line {}: no question id", row.line),
            ));
        }
        if question == q.collects_data {
            self.collects_data = answer(bool_of(value)?);
        } else if question == q.encrypted_in_transit {
            self.encrypted_in_transit = answer(bool_of(value)?);
        } else if question == q.deletion_legacy {
            self.deletion_request = answer(bool_of(value)?).or(self.deletion_request);
        } else if question == q.deletion {
            if bool_of(value)? == Some(true) {
                if q.deletion_yes.iter().any(|r| r.id == response) {
                    self.deletion_request = answer(Some(true));
                } else if q.deletion_no.iter().any(|r| r.id == response) {
                    self.deletion_request = answer(Some(false));
                } else {
                    self.unknown_row(row, question, response);
                }
            }
        } else if let Some(t) = spec.resolve_data_type_row(question, response) {
            let selected = bool_of(value)? == Some(true);
            if let Some(d) = self.data_types.iter_mut().find(|d| d.id == t.id) {
                d.selected = selected;
                d.line = row.line;
            }
        } else if let Some(usage) = question
            .strip_prefix(q.usage_prefix.as_str())
            .and_then(|rest| rest.strip_prefix(':'))
        {
            let Some((type_id, sub)) = usage.split_once(':') else {
                self.unknown_row(row, question, response);
                return Ok(());
            };
            let Some(d) = self.data_types.iter_mut().find(|d| d.id == type_id) else {
                self.unknown_row(row, question, response);
                return Ok(());
            };
            let on = bool_of(value)? == Some(true);
            let known = apply_usage(d, sub, response, on, value.flatten(), row.line, spec);
            if !known {
                self.unknown_row(row, question, response);
            }
        } else if !spec.is_other_question(question) {
            self.unknown_row(row, question, response);
        }
        Ok(())
    }

    fn unknown_row(&mut self, row: &Record, question: &str, response: &str) {
        self.unknown.push(UnknownRow {
            line: row.line,
            question: question.to_string(),
            response: response.to_string(),
        });
    }
}

/// One usage row into its data type; `false` when the sub-question or response is unknown.
fn apply_usage(
    d: &mut DeclaredDataType,
    sub: &str,
    response: &str,
    on: bool,
    value: Option<bool>,
    line: usize,
    spec: &DataSafetySpec,
) -> bool {
    let q = &spec.questions;
    let is_purpose = spec.purposes.iter().any(|p| p.id == response);
    if sub == q.collection_and_sharing {
        if d.usage_line == 0 {
            d.usage_line = line;
        }
        if response == q.collected {
            d.collected |= on;
        } else if response == q.shared {
            d.shared |= on;
        } else {
            return false;
        }
    } else if sub == q.ephemeral {
        d.ephemeral = value.or(d.ephemeral);
    } else if sub == q.user_control {
        if response == q.required {
            if on {
                d.required = Some(true);
            }
        } else if response == q.optional {
            if on {
                d.required = Some(false);
            }
        } else {
            return false;
        }
    } else if sub == q.collection_purpose && is_purpose {
        if on {
            d.collection_purposes.push(response.to_string());
        }
    } else if sub == q.sharing_purpose && is_purpose {
        if on {
            d.sharing_purposes.push(response.to_string());
        }
    } else {
        return false;
    }
    true
}

/// `Some(Some(b))` for true/false (any case), `Some(None)` for an empty value, `None` otherwise.
fn parse_value(raw: &str) -> Option<Option<bool>> {
    if raw.is_empty() {
        Some(None)
    } else if raw.eq_ignore_ascii_case("true") {
        Some(Some(true))
    } else if raw.eq_ignore_ascii_case("false") {
        Some(Some(false))
    } else {
        None
    }
}

/// The header must start with the spec's first three columns (question, response, value).
fn check_header(file: &str, header: &Record, spec: &DataSafetySpec) -> Result<(), Error> {
    let got: Vec<&str> = header.fields.iter().map(|s| s.trim()).collect();
    let wanted = spec.columns.iter().take(3);
    let ok = got.len() >= 3 && wanted.zip(&got).all(|(w, g)| w == g);
    if ok {
        return Ok(());
    }
    let shown: String = got.join(",").chars().take(120).collect();
    Err(Error::input(
        file,
        format!(
            "not a Play Console Data safety CSV: the header is '{shown}', expected '{}'",
            spec.columns.join(",")
        ),
    ))
}
