//! The [`Analyzer`]: compiled signatures, the policy vocabulary, limits and first-party
//! prefixes — everything the pipeline needs, built once and shared by every input (it is
//! `Sync`).
//!
//! ```no_run
//! let analyzer = disclose::Analyzer::builtin()?;
//! let report = analyzer.inspect(std::path::Path::new("app.apk"))?;
//! println!("{} SDKs", report.sdks.len());
//! # Ok::<(), disclose::Error>(())
//! ```

use crate::archive::Limits;
use crate::model::InspectReport;
use crate::policy::PolicyVocabulary;
use crate::signatures::{Matchers, SignatureSet, SignatureSources};
use crate::version::{DataVersion, ToolInfo};
use crate::Error;
use std::path::Path;
use std::sync::OnceLock;

/// Compiled signatures plus limits: everything needed to inspect apps.
pub struct Analyzer {
    pub set: SignatureSet,
    pub matchers: Matchers,
    /// The policy reader's vocabulary (taxonomy words and SDK aliases), built on first use:
    /// `inspect` never needs it, and building it is a fifth of a small inspect's time.
    vocabulary: OnceLock<Result<PolicyVocabulary, String>>,
    pub limits: Limits,
    /// Dotted package prefixes of the app's own code besides its applicationId and manifest
    /// components (`first_party` in `disclose.toml`, `--first-party PREFIX`).
    pub first_party: Vec<String>,
    /// Which signature data this is (named in every report).
    pub data_version: DataVersion,
}

impl Analyzer {
    /// The signatures compiled into the binary.
    pub fn builtin() -> Result<Analyzer, Error> {
        Analyzer::from_sources(&SignatureSources::builtin())
    }

    /// The built-in signatures extended/overridden by the files in `dir`.
    pub fn with_signatures_dir(dir: &Path) -> Result<Analyzer, Error> {
        let sources = SignatureSources::builtin_with_dir(dir)
            .map_err(|e| Error::Signatures(e.to_string()))?;
        Analyzer::from_sources(&sources)
    }

    /// The signatures in `sources`, with their data version (reports name it).
    pub fn from_sources(sources: &SignatureSources) -> Result<Analyzer, Error> {
        let set =
            SignatureSet::from_sources(sources).map_err(|e| Error::Signatures(e.to_string()))?;
        let mut analyzer = Analyzer::new(set)?;
        analyzer.data_version = DataVersion::of_sources(sources);
        Ok(analyzer)
    }

    /// An analyzer for a set built in code; its data version has the SDK count and no hash.
    pub fn new(set: SignatureSet) -> Result<Analyzer, Error> {
        let matchers = set
            .compile()
            .map_err(|e| Error::Signatures(e.to_string()))?;
        let data_version = DataVersion {
            sdks: set.sdks.len(),
            hash: String::new(),
        };
        Ok(Analyzer {
            set,
            matchers,
            vocabulary: OnceLock::new(),
            limits: Limits::default(),
            first_party: Vec::new(),
            data_version,
        })
    }

    /// The policy reader's vocabulary for these signatures (built once, on first use).
    pub fn vocabulary(&self) -> Result<&PolicyVocabulary, Error> {
        self.vocabulary
            .get_or_init(|| PolicyVocabulary::for_signatures(&self.set).map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|e| Error::Signatures(e.clone()))
    }

    /// Inspect the package at `path`: an app (APK, split APKs in a zip or a folder, App
    /// Bundle, IPA, `.app` directory) or a
    /// vendor SDK package (`.jar`, `.aar`, `.dex`, `.so`, Mach-O, `.a`, `.framework` /
    /// `.xcframework` directory or zip), told apart by [`crate::input::Format`]. `-`, a FIFO
    /// or a device is read into memory first, up to the per-entry limit.
    pub fn inspect(&self, path: &Path) -> Result<InspectReport, Error> {
        self.inspect_path(path).map(|r| self.stamped(r))
    }

    /// Inspect one app given as several split APK files (`base.apk split_config.*.apk …`, as
    /// pulled from a device). One path is [`Analyzer::inspect`]. The report's file is the paths
    /// joined by ` + `; its sha256 stands for the set (see
    /// [`crate::archive::sha256_of_split_files`]). Splits of two apps are an error naming both.
    pub fn inspect_splits(&self, paths: &[std::path::PathBuf]) -> Result<InspectReport, Error> {
        match paths {
            [] => Err(Error::Usage("no app to inspect".into())),
            [one] => self.inspect(one),
            many => {
                let name = split_set_name(many);
                let report = self.inspect_split_set(Path::new(&name), many)?;
                Ok(self.stamped(report))
            }
        }
    }

    /// Inspect a package already in memory; `path` names it in the report and in errors.
    pub fn inspect_bytes(&self, path: &Path, bytes: Vec<u8>) -> Result<InspectReport, Error> {
        self.inspect_in_memory(path, bytes).map(|r| self.stamped(r))
    }

    /// The tool and this signature data's version, as reports name them.
    pub fn tool(&self) -> ToolInfo {
        ToolInfo::new(self.data_version.clone())
    }

    /// `report` naming the tool and signature data versions that produced it.
    fn stamped(&self, mut report: InspectReport) -> InspectReport {
        report.tool = Some(self.tool());
        report
    }
}

/// How a set of split files is named in reports and errors: the paths joined by ` + `.
pub fn split_set_name(paths: &[std::path::PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(" + ")
}
