//! `disclose draft`: what an app should declare, built from the evidence of an inspection (no
//! policy needed). A draft is made of sections ([`DraftSection`]): the MIIT-style third-party
//! SDK list ([`sdk_list`]), the app's own collection and permissions ([`app_collection`]), and
//! two hook points the coordinator plugs other work into — a Play Data safety CSV and an iOS
//! PrivacyInfo.xcprivacy skeleton — which this build reports as not available
//! ([`DraftError::SectionNotAvailable`]), never as made-up output.
//!
//! Every draft starts with a notice that a human must review it and that rows marked "vendor
//! documents" were not observed in the code; every "observed in code" mark points at numbered
//! evidence. Wording (headings, purposes per SDK category) is data:
//! `signatures/draft-wording.toml` ([`wording`]).
//!
//! ```no_run
//! use disclose::draft::{build, render, DraftFormat, DraftOptions, DraftSection};
//! use disclose::draft::wording::Lang;
//! let analyzer = disclose::Analyzer::builtin()?;
//! let app = analyzer.inspect("app.apk".as_ref())?;
//! let options = DraftOptions { lang: Lang::Zh, sections: vec![DraftSection::SdkList] };
//! let draft = build(&analyzer, &app, &options)?;
//! render(&draft, &analyzer, DraftFormat::Md, &mut std::io::stdout())?;
//! # Ok::<(), disclose::Error>(())
//! ```

pub mod app_collection;
mod cells;
pub mod csv;
pub mod html;
pub mod markdown;
pub mod model;
pub mod sdk_list;
pub mod wording;

use crate::model::InspectReport;
use crate::pipeline::Analyzer;
use crate::version::ToolInfo;
use model::{Draft, EvidenceEntry, DRAFT_SCHEMA};
use serde::Serialize;
use std::io::Write;
use wording::{DraftWording, Lang};

/// At most this many call sites are kept per evidence entry (the count says how many exist).
pub const EVIDENCE_PER_ENTRY: usize = 3;

/// One part of a draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DraftSection {
    /// The third-party SDK list (name, operator, purpose, data, permissions, policy link).
    SdkList,
    /// The data the app's own code collects, and the permissions it requests.
    AppCollection,
    /// Hook point: the Play Console Data safety CSV (issue 17 part 2 plugs in here).
    DataSafety,
    /// Hook point: the PrivacyInfo.xcprivacy skeleton (issue 17 part 1 plugs in here).
    PrivacyManifest,
}

impl DraftSection {
    /// The `--section` value (`sdk-list` …).
    pub fn as_str(self) -> &'static str {
        match self {
            DraftSection::SdkList => "sdk-list",
            DraftSection::AppCollection => "app-collection",
            DraftSection::DataSafety => "data-safety",
            DraftSection::PrivacyManifest => "privacy-manifest",
        }
    }

    /// Whether this build can write the section.
    pub fn available(self) -> bool {
        true
    }

    /// The sections written when none is asked for: every available one.
    pub fn defaults() -> Vec<DraftSection> {
        vec![DraftSection::SdkList, DraftSection::AppCollection]
    }
}

/// Output format of a draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftFormat {
    /// Markdown tables.
    Md,
    /// One self-contained HTML page.
    Html,
    /// RFC 4180 CSV of one section (one row per SDK for `sdk-list`).
    Csv,
    /// The typed draft (`disclose.draft/1`).
    Json,
}

/// What to draft.
#[derive(Debug, Clone)]
pub struct DraftOptions {
    pub lang: Lang,
    /// Sections in the order asked; empty means [`DraftSection::defaults`].
    pub sections: Vec<DraftSection>,
}

/// Why a draft cannot be written.
#[derive(Debug, thiserror::Error)]
pub enum DraftError {
    /// The section is a hook point no implementation is plugged into yet.
    #[error("--section {}: not available in this build (the {} draft is not implemented yet)", .0.as_str(), .0.as_str())]
    SectionNotAvailable(DraftSection),
    /// The section does not apply to the app's platform.
    #[error("--section {}: {}", .0.as_str(), .1)]
    SectionNotForPlatform(DraftSection, &'static str),
    /// The section is a file of its own format, not a table.
    #[error("--section {}: --format csv writes tables; use md, html or json for this section", .0.as_str())]
    SectionNotCsv(DraftSection),
    /// CSV holds one table.
    #[error("--format csv writes one section; pick one with --section (asked: {0})")]
    CsvNeedsOneSection(String),
    /// The signature set has no `draft-wording.toml`.
    #[error("signatures: no draft-wording.toml, which `disclose draft` needs")]
    NoWording,
}

impl From<DraftError> for crate::Error {
    fn from(e: DraftError) -> Self {
        match e {
            DraftError::NoWording => crate::Error::Signatures(e.to_string()),
            other => crate::Error::Usage(other.to_string()),
        }
    }
}

/// The sections `options` stands for, checked: each available, none twice.
pub fn sections(options: &DraftOptions) -> Result<Vec<DraftSection>, DraftError> {
    let asked = if options.sections.is_empty() {
        DraftSection::defaults()
    } else {
        options.sections.clone()
    };
    let mut out = Vec::with_capacity(asked.len());
    for s in asked {
        if !s.available() {
            return Err(DraftError::SectionNotAvailable(s));
        }
        if !out.contains(&s) {
            out.push(s);
        }
    }
    Ok(out)
}

/// The wording of `analyzer`'s signatures.
pub fn wording(analyzer: &Analyzer) -> Result<&DraftWording, DraftError> {
    analyzer
        .set
        .draft_wording
        .as_ref()
        .ok_or(DraftError::NoWording)
}

/// Numbers evidence entries as sections add them.
#[derive(Debug, Default)]
pub struct EvidenceBook {
    entries: Vec<EvidenceEntry>,
}

impl EvidenceBook {
    /// Adds the call sites of `obs` and returns the entry's id (`E1` …).
    pub fn add(&mut self, obs: &crate::model::DataObservation) -> String {
        let id = format!("E{}", self.entries.len() + 1);
        self.entries.push(EvidenceEntry {
            id: id.clone(),
            by: obs.by.clone(),
            data_type: obs.data_type.clone(),
            sites: obs.sites,
            places: obs
                .evidence
                .iter()
                .take(EVIDENCE_PER_ENTRY)
                .cloned()
                .collect(),
        });
        id
    }
}

/// Builds the draft of an inspected app.
pub fn build(
    analyzer: &Analyzer,
    app: &InspectReport,
    options: &DraftOptions,
) -> Result<Draft, DraftError> {
    let wording = wording(analyzer)?;
    let sections = sections(options)?;
    let lang = options.lang;
    let mut book = EvidenceBook::default();
    let mut sdk_list = None;
    let mut app_collection = None;
    let mut data_safety_csv = None;
    let mut privacy_manifest = None;
    for section in &sections {
        match section {
            DraftSection::SdkList => {
                sdk_list = Some(sdk_list::build(analyzer, wording, app, lang, &mut book));
            }
            DraftSection::AppCollection => {
                app_collection = Some(app_collection::build(analyzer, app, lang, &mut book));
            }
            DraftSection::DataSafety => {
                if app.app.platform != crate::model::Platform::Android {
                    return Err(DraftError::SectionNotForPlatform(
                        *section,
                        "Google Play's Data safety form is drafted for Android apps only",
                    ));
                }
                data_safety_csv = Some(crate::declared::draft_data_safety_csv(app, &analyzer.set));
            }
            DraftSection::PrivacyManifest => {
                let skeleton =
                    crate::scan::ios_required_reason::required_reason_skeleton(app, &analyzer.set);
                if skeleton.is_empty() {
                    return Err(DraftError::SectionNotForPlatform(
                        *section,
                        "a privacy manifest is drafted for iOS apps only",
                    ));
                }
                privacy_manifest = Some(skeleton);
            }
        }
    }
    Ok(Draft {
        schema: DRAFT_SCHEMA.to_string(),
        tool: ToolInfo::new(analyzer.data_version.clone()),
        lang,
        notice: wording.notice(lang),
        app: app.app.clone(),
        sections,
        sdk_list,
        app_collection,
        data_safety_csv,
        privacy_manifest,
        evidence: book.entries,
        limits: app.limits.clone(),
    })
}

/// Writes `draft` in `format`.
pub fn render(
    draft: &Draft,
    analyzer: &Analyzer,
    format: DraftFormat,
    out: &mut dyn Write,
) -> Result<(), crate::Error> {
    let wording = wording(analyzer)?;
    let io = |e: std::io::Error| crate::Error::io("output", e);
    match format {
        DraftFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, draft)
                .map_err(|e| io(std::io::Error::other(e)))?;
            writeln!(out).map_err(io)
        }
        DraftFormat::Md => markdown::write(draft, wording, out).map_err(io),
        DraftFormat::Html => html::write(draft, wording, out).map_err(io),
        DraftFormat::Csv => {
            if draft.sections.len() != 1 {
                let asked: Vec<&str> = draft.sections.iter().map(|s| s.as_str()).collect();
                return Err(DraftError::CsvNeedsOneSection(asked.join(", ")).into());
            }
            match (&draft.data_safety_csv, draft.privacy_manifest.is_some()) {
                (Some(csv), _) => out.write_all(csv.as_bytes()).map_err(io),
                (None, true) => {
                    Err(DraftError::SectionNotCsv(DraftSection::PrivacyManifest).into())
                }
                (None, false) => csv::write(draft, wording, out).map_err(io),
            }
        }
    }
}
