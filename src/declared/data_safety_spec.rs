//! `signatures/data-safety.toml`: what Google Play's Data safety CSV means — its columns, the
//! question and response ids of the general questions and of each data type's usage rows,
//! the 38 data types with their Play category and label, each mapped to taxonomy ids, the
//! purposes, the advertising-ID permission and the SDK categories whose data counts as
//! shared. Parsed strictly (`deny_unknown_fields`) and checked against the taxonomy by
//! [`DataSafetySpec::check`]; the per-type examples run in `disclose signatures test`.
//!
//! ```
//! let set = disclose::signatures::SignatureSet::builtin()?;
//! let spec = &set.data_safety;
//! assert_eq!(spec.play_type_of("device.imei", &set.taxonomy).map(|t| t.id.as_str()), Some("PSL_DEVICE_ID"));
//! assert_eq!(spec.resolve_data_type_row("PSL_DATA_TYPES_LOCATION", "PSL_PRECISE_LOCATION").map(|t| t.label.as_str()), Some("Precise location"));
//! # Ok::<(), disclose::signatures::SignatureError>(())
//! ```

use crate::id::TaxonomyId;
use crate::signatures::{SignatureError, Taxonomy};
use serde::Deserialize;
use std::collections::BTreeSet;

/// The file, as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataSafetySpec {
    /// Where the facts come from, and when they were last checked (`YYYY-MM-DD`).
    pub source: String,
    pub checked: String,
    /// The header row, in order.
    pub columns: Vec<String>,
    pub questions: Questions,
    #[serde(rename = "purpose")]
    pub purposes: Vec<Labelled>,
    #[serde(rename = "category")]
    pub categories: Vec<Labelled>,
    #[serde(rename = "data_type")]
    pub data_types: Vec<PlayDataType>,
    pub advertising_id: AdvertisingId,
    pub sharing: Sharing,
    pub rows: RowTexts,
    /// Questions a draft carries unanswered and a reader accepts without comparing them
    /// (account creation, account and data deletion links, Families policy, badges).
    #[serde(rename = "other_question")]
    pub other_questions: Vec<OtherQuestion>,
}

/// A question of the form the comparison does not use: its id, how the export writes its
/// rows, and its choices (one row each; none for a single value such as a URL).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OtherQuestion {
    pub id: String,
    /// The "Answer requirement" column and the label (`{choice}` = the choice's label).
    pub row: RowText,
    #[serde(default)]
    pub choices: Vec<Labelled>,
}

/// The machine-readable ids of the form's questions and answers.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Questions {
    pub collects_data: String,
    pub encrypted_in_transit: String,
    pub deletion: String,
    pub deletion_yes: Vec<Labelled>,
    pub deletion_no: Vec<Labelled>,
    pub deletion_legacy: String,
    pub data_type_prefix: String,
    pub usage_prefix: String,
    pub collection_and_sharing: String,
    pub collected: String,
    pub shared: String,
    pub ephemeral: String,
    pub user_control: String,
    pub optional: String,
    pub required: String,
    pub collection_purpose: String,
    pub sharing_purpose: String,
}

/// An id with its label as Play Console shows it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Labelled {
    pub id: String,
    pub label: String,
}

/// One Play data type (`PSL_PRECISE_LOCATION`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlayDataType {
    /// The response id of its row (`PSL_PRECISE_LOCATION`).
    pub id: String,
    /// The question id of its row: its category (`PSL_DATA_TYPES_LOCATION`).
    pub category: String,
    pub label: String,
    /// Taxonomy ids this data type covers.
    pub taxonomy: Vec<TaxonomyId>,
    #[serde(default)]
    pub examples: PairExamples,
}

/// `QUESTION_ID,RESPONSE_ID` pairs the reader must (not) resolve to the entry.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PairExamples {
    #[serde(rename = "match", default)]
    pub must_match: Vec<String>,
    #[serde(default)]
    pub no_match: Vec<String>,
}

/// The advertising ID: its permission and taxonomy id.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdvertisingId {
    pub permission: String,
    pub taxonomy: TaxonomyId,
    pub source: String,
}

/// Which SDKs count as third parties receiving data.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sharing {
    pub sdk_categories: Vec<String>,
    /// SDK category → the purpose id a draft selects for its data.
    pub purpose_of_category: std::collections::BTreeMap<String, String>,
}

/// How the export writes one kind of row.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RowText {
    /// The "Answer requirement" column.
    pub requirement: String,
    /// The "Human-friendly question label" column, with `{type}`, `{category}`, `{choice}`.
    pub label: String,
}

/// [`RowText`] of every kind of row a draft writes.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RowTexts {
    pub collects_data: RowText,
    pub encrypted_in_transit: RowText,
    pub deletion: RowText,
    pub data_type: RowText,
    pub collected: RowText,
    pub shared: RowText,
    pub ephemeral: RowText,
    pub optional: RowText,
    pub required: RowText,
    pub collection_purpose: RowText,
    pub sharing_purpose: RowText,
}

impl DataSafetySpec {
    /// Whether `question` is one of [`DataSafetySpec::other_questions`].
    pub fn is_other_question(&self, question: &str) -> bool {
        self.other_questions.iter().any(|o| o.id == question)
    }

    /// Whether the file was loaded (an empty spec when a `--signatures` set lacks it).
    pub fn is_loaded(&self) -> bool {
        !self.data_types.is_empty()
    }

    /// The data type a data-type row (question = category, response = data type) stands for.
    pub fn resolve_data_type_row(&self, question: &str, response: &str) -> Option<&PlayDataType> {
        self.data_types
            .iter()
            .find(|t| t.id == response && t.category == question)
    }

    /// The data type with response id `id`.
    pub fn data_type(&self, id: &str) -> Option<&PlayDataType> {
        self.data_types.iter().find(|t| t.id == id)
    }

    /// The label of a category question id.
    pub fn category_label(&self, id: &str) -> Option<&str> {
        self.categories
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.label.as_str())
    }

    /// The Play data type that covers taxonomy id `ty`: the one listing it, else the one
    /// listing its nearest ancestor; `None` when Play has no data type for it.
    pub fn play_type_of(&self, ty: &str, taxonomy: &Taxonomy) -> Option<&PlayDataType> {
        std::iter::once(ty)
            .chain(taxonomy.ancestors(ty))
            .find_map(|t| {
                self.data_types
                    .iter()
                    .find(|d| d.taxonomy.iter().any(|x| x == t))
            })
    }

    /// Every problem of the file (`origin` names it), checked against `taxonomy`.
    pub fn check(&self, origin: &str, taxonomy: &Taxonomy) -> Vec<SignatureError> {
        let mut problems = Vec::new();
        let mut say = |m: String| problems.push(SignatureError::new(origin, m));
        if self.columns.len() < 4 {
            say(format!(
                "columns: {} names, the export has 5",
                self.columns.len()
            ));
        }
        if !is_date(&self.checked) {
            say(format!("checked: '{}' is not YYYY-MM-DD", self.checked));
        }
        if !self.source.starts_with("https://") {
            say("source: not an https URL".into());
        }
        let categories: BTreeSet<&str> = self.categories.iter().map(|c| c.id.as_str()).collect();
        let mut ids = BTreeSet::new();
        let mut mapped = BTreeSet::new();
        for t in &self.data_types {
            if !ids.insert(t.id.as_str()) {
                say(format!("data_type '{}': listed twice", t.id));
            }
            if !categories.contains(t.category.as_str()) {
                say(format!(
                    "data_type '{}': unknown category '{}'",
                    t.id, t.category
                ));
            }
            if !t.category.starts_with(&self.questions.data_type_prefix) {
                say(format!(
                    "data_type '{}': category '{}' lacks the prefix '{}'",
                    t.id, t.category, self.questions.data_type_prefix
                ));
            }
            for ty in &t.taxonomy {
                if !taxonomy.contains(ty) {
                    say(format!("data_type '{}': unknown taxonomy id '{ty}'", t.id));
                }
                if !mapped.insert(ty.as_str()) {
                    say(format!(
                        "data_type '{}': taxonomy id '{ty}' is mapped twice",
                        t.id
                    ));
                }
            }
            for pair in t.examples.must_match.iter().chain(&t.examples.no_match) {
                if pair.split_once(',').is_none() {
                    say(format!(
                        "data_type '{}': example '{pair}' is not QUESTION,RESPONSE",
                        t.id
                    ));
                }
            }
        }
        let mut others = BTreeSet::new();
        for o in &self.other_questions {
            if !others.insert(o.id.as_str()) || categories.contains(o.id.as_str()) {
                say(format!("other_question '{}': listed twice", o.id));
            }
            if !o.id.starts_with("PSL_") {
                say(format!("other_question '{}': not a PSL_ question id", o.id));
            }
            if o.choices.is_empty() == o.row.label.contains("{choice}") {
                say(format!(
                    "other_question '{}': `{{choice}}` belongs in the label exactly when there are choices",
                    o.id
                ));
            }
        }
        if self.data_types.iter().all(|t| t.taxonomy.is_empty()) {
            say("no data_type maps a taxonomy id".into());
        }
        let purposes: BTreeSet<&str> = self.purposes.iter().map(|p| p.id.as_str()).collect();
        for (category, purpose) in &self.sharing.purpose_of_category {
            if !purposes.contains(purpose.as_str()) {
                say(format!(
                    "sharing.purpose_of_category.{category}: unknown purpose '{purpose}'"
                ));
            }
        }
        if !taxonomy.contains(&self.advertising_id.taxonomy) {
            say(format!(
                "advertising_id: unknown taxonomy id '{}'",
                self.advertising_id.taxonomy
            ));
        }
        problems
    }

    /// The failing examples (`signatures test`), one message each.
    pub fn run_examples(&self, origin: &str) -> Vec<SignatureError> {
        let mut failures = Vec::new();
        for t in &self.data_types {
            let cases = t.examples.must_match.iter().map(|e| (e, true));
            for (pair, want) in cases.chain(t.examples.no_match.iter().map(|e| (e, false))) {
                let (q, r) = pair.split_once(',').unwrap_or((pair.as_str(), ""));
                let got = self
                    .resolve_data_type_row(q.trim(), r.trim())
                    .is_some_and(|hit| hit.id == t.id);
                if got != want {
                    let verb = if want { "should" } else { "should not" };
                    failures.push(SignatureError::new(
                        origin,
                        format!(
                            "data_type '{}': example '{pair}' {verb} resolve to it",
                            t.id
                        ),
                    ));
                }
            }
        }
        failures
    }
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}
