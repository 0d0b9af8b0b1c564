//! Loading: parses every signature file of a [`SignatureSources`] into a [`SignatureSet`] and
//! runs the strict checks of [`super::validate`]; any problem fails the load.
//!
//! ```
//! // The set compiled into the binary; it fails only if the repository's data is broken.
//! match disclose::signatures::SignatureSet::builtin() {
//!     Ok(set) => assert!(!set.android_apis.is_empty()),
//!     Err(e) => assert!(e.to_string().contains("signatures/")),
//! }
//! ```

use std::path::Path;

use super::schema::{
    AndroidApiFile, AndroidApiRule, AndroidPermissionDef, AndroidPermissionFile, IosApiFile,
    IosApiRule, IosPlistKeyDef, IosPlistKeyFile, LibraryDef, LibraryFile, SdkFile, TaxonomyFile,
};
use super::sources::{SignatureSources, SourceFile, ENTRY_DIRS, FINGERPRINT_DIR, SINGLE_FILES};
use super::{validate, SignatureError, Taxonomy};
use crate::fingerprint::{
    self, file::Fingerprint, file::FingerprintError, index::FingerprintIndex,
};
use crate::policy::lang::meaning::{self, MeaningFile};
use crate::policy::lang::{list_markers, structure};
use rayon::prelude::*;
use std::sync::Arc;

/// One SDK or packer and the file it came from. Derefs to its [`SdkFile`].
#[derive(Debug, Clone)]
pub struct Sdk {
    /// The file as shown to the user (`signatures/sdks/amap.toml`).
    pub origin: String,
    pub spec: SdkFile,
}

impl std::ops::Deref for Sdk {
    type Target = SdkFile;
    fn deref(&self) -> &SdkFile {
        &self.spec
    }
}

/// The file each single-file part of a set came from (for error messages).
#[derive(Debug, Clone, Default)]
pub struct Origins {
    pub taxonomy: String,
    pub android_apis: String,
    pub android_permissions: String,
    pub ios_apis: String,
    pub ios_plist_keys: String,
    pub libraries: String,
    pub fixes: String,
    pub required_reason: String,
    pub privacy_manifest: String,
    pub data_safety: String,
}

/// Everything under `signatures/`, parsed.
#[derive(Debug, Clone, Default)]
pub struct SignatureSet {
    pub taxonomy: Taxonomy,
    pub sdks: Vec<Sdk>,
    pub packers: Vec<Sdk>,
    pub android_apis: Vec<AndroidApiRule>,
    pub android_permissions: Vec<AndroidPermissionDef>,
    pub ios_apis: Vec<IosApiRule>,
    pub ios_plist_keys: Vec<IosPlistKeyDef>,
    /// The policy reader's meaning vocabulary (`language/<lang>/meaning.toml`).
    pub meaning: Vec<MeaningFile>,
    /// Open-source and platform libraries (`libraries.toml`; empty when the file is absent).
    pub libraries: Vec<LibraryDef>,
    /// `language/<lang>/structure.toml`: how policies lay out SDK lists.
    pub structure: Vec<crate::policy::lang::structure::StructureSource>,
    /// `language/<lang>/list-markers.toml`: how plain-text list items start.
    pub list_markers: Vec<list_markers::ListMarkersSource>,
    /// Fix wording for every finding kind (`fixes.toml`; empty when the file is absent).
    pub fixes: super::fixes::Fixes,
    /// Apple's required-reason API categories (`ios-required-reason.toml`; empty when absent).
    pub required_reason: Vec<super::required_reason::ApiCategory>,
    /// Apple's SDK list and collected-data types (`ios-privacy-manifest.toml`).
    pub privacy_manifest: super::required_reason::PrivacyManifestFile,
    /// The wording of `disclose draft` (`draft-wording.toml`; `None` when the file is absent).
    pub draft_wording: Option<crate::draft::wording::DraftWording>,
    /// Play's Data safety form (`data-safety.toml`; empty when the file is absent).
    pub data_safety: crate::declared::DataSafetySpec,
    /// The SDK fingerprints (`fingerprints/*.toml`), indexed for matching renamed classes.
    pub fingerprints: Arc<FingerprintIndex>,
    pub origins: Origins,
}

impl Origins {
    /// The file each single-file part of `sources` comes from (its default path if absent).
    fn of(sources: &SignatureSources) -> Origins {
        let origin_of = |rel: &str| {
            sources
                .get(rel)
                .map_or_else(|| format!("signatures/{rel}"), |f| f.origin.clone())
        };
        Origins {
            taxonomy: origin_of("taxonomy.toml"),
            android_apis: origin_of("android-apis.toml"),
            android_permissions: origin_of("android-permissions.toml"),
            ios_apis: origin_of("ios-apis.toml"),
            ios_plist_keys: origin_of("ios-plist-keys.toml"),
            libraries: origin_of("libraries.toml"),
            fixes: origin_of("fixes.toml"),
            required_reason: origin_of("ios-required-reason.toml"),
            privacy_manifest: origin_of("ios-privacy-manifest.toml"),
            data_safety: origin_of("data-safety.toml"),
        }
    }
}

/// Whether `rel` is an SDK fingerprint file.
fn is_fingerprint_file(rel: &str) -> bool {
    rel.starts_with(FINGERPRINT_DIR) && rel.as_bytes().get(FINGERPRINT_DIR.len()) == Some(&b'/')
}

/// Whether `rel` is parsed as an SDK or packer entry (everything that is not a single file, a
/// language file or a fingerprint; [`parse_entry`] reports what is not an entry).
fn is_entry_file(rel: &str) -> bool {
    !SINGLE_FILES.contains(&rel) && !rel.starts_with("language/") && !is_fingerprint_file(rel)
}

/// A fingerprint file's problem as a signature problem naming the same file.
fn fingerprint_problem(e: FingerprintError) -> SignatureError {
    match e {
        FingerprintError::Syntax { file, message }
        | FingerprintError::Invalid { file, message } => SignatureError::new(file, message),
        FingerprintError::BadClass {
            file,
            class,
            message,
        } => SignatureError::new(file, format!("class {class}: {message}")),
    }
}

impl SignatureSet {
    /// The set compiled into the binary.
    pub fn builtin() -> Result<SignatureSet, SignatureError> {
        SignatureSet::from_sources(&SignatureSources::builtin())
    }

    /// The built-in set extended and overridden by the files of `dir` (`--signatures DIR`);
    /// the rule is in [`super::sources`].
    pub fn from_dir(dir: &Path) -> Result<SignatureSet, SignatureError> {
        SignatureSet::from_sources(&SignatureSources::builtin_with_dir(dir)?)
    }

    /// Only the files of `dir`, without the built-in set.
    pub fn from_dir_only(dir: &Path) -> Result<SignatureSet, SignatureError> {
        SignatureSet::from_sources(&SignatureSources::read_dir(dir)?)
    }

    /// Parses and validates `sources`; the error is the first problem, with the count of the
    /// others (the CLI's `signatures validate` lists them all via [`validate::validate_sources`]).
    pub fn from_sources(sources: &SignatureSources) -> Result<SignatureSet, SignatureError> {
        let (set, mut problems) = SignatureSet::load_lenient(sources);
        if problems.is_empty() {
            return Ok(set);
        }
        let more = problems.len() - 1;
        let mut first = problems.swap_remove(0);
        if more > 0 {
            first.message = format!(
                "{} (and {more} more problems; run `disclose signatures validate`)",
                first.message
            );
        }
        Err(first)
    }

    /// Parses what can be parsed and returns it with every problem found (parse errors and
    /// the strict checks). A file that fails to parse is left out of the set.
    pub fn load_lenient(sources: &SignatureSources) -> (SignatureSet, Vec<SignatureError>) {
        let mut problems = Vec::new();
        let mut set = SignatureSet {
            origins: Origins::of(sources),
            ..SignatureSet::default()
        };
        // The SDK, packer and fingerprint files (hundreds) are parsed in parallel; TOML parsing
        // was the largest part of start-up. Everything is then applied in file order, so
        // problems and the order of `sdks` do not depend on scheduling.
        let files: Vec<(&str, &SourceFile)> = sources.iter().collect();
        let mut entries: Vec<Option<EntryParse>> = files
            .par_iter()
            .map(|&(rel, file)| {
                is_entry_file(rel).then(|| parse_entry(rel, &file.origin, file.text.as_ref()))
            })
            .collect();
        let fingerprints: Vec<(&str, Result<Fingerprint, FingerprintError>)> = files
            .par_iter()
            .filter(|(rel, _)| is_fingerprint_file(rel))
            .map(|&(rel, file)| {
                let fp = fingerprint::load_file(rel, &file.origin, file.text.as_ref());
                (file.origin.as_str(), fp)
            })
            .collect();
        let sdk_files = files
            .iter()
            .filter(|(rel, _)| rel.starts_with("sdks/"))
            .count();
        set.sdks.reserve(sdk_files);
        for (index, &(rel, file)) in files.iter().enumerate() {
            let origin = file.origin.as_str();
            if set.apply_single_file(rel, origin, file.text.as_ref(), &mut problems)
                || is_fingerprint_file(rel)
            {
                continue;
            }
            if let Some(Some(entry)) = entries.get_mut(index).map(Option::take) {
                problems.extend(entry.problems);
                match entry.sdk {
                    Some((EntryDir::Sdks, sdk)) => set.sdks.push(sdk),
                    Some((EntryDir::Packers, sdk)) => set.packers.push(sdk),
                    None => {}
                }
            }
        }
        set.fingerprints = Arc::new(set.index_fingerprints(fingerprints, &mut problems));
        let (meaning_files, meaning_problems) = meaning::parse_sources(sources);
        set.meaning = meaning_files;
        problems.extend(meaning_problems);
        let has_taxonomy = sources.get("taxonomy.toml").is_some();
        for file in set.meaning.iter().filter(|_| has_taxonomy) {
            for group in &file.permission_groups {
                for id in group.data.iter().filter(|id| !set.taxonomy.contains(id)) {
                    problems.push(SignatureError::new(
                        file.origin.clone(),
                        format!(
                            "permission_group '{}': data '{id}' is not a taxonomy id",
                            group.group
                        ),
                    ));
                }
            }
        }
        if sources.get("taxonomy.toml").is_none() {
            problems.push(SignatureError::new(
                set.origins.taxonomy.clone(),
                "missing: every signature set needs a taxonomy",
            ));
        }
        if !set.structure.is_empty() {
            if let Err((o, m)) = structure::Structure::compile(&set.structure) {
                problems.push(SignatureError::new(o, m));
            }
        }
        if let Err((o, m)) = list_markers::ListMarkers::compile(&set.list_markers) {
            problems.push(SignatureError::new(o, m));
        }
        if set.data_safety.is_loaded() {
            problems.extend(
                set.data_safety
                    .check(&set.origins.data_safety, &set.taxonomy),
            );
        }
        problems.extend(validate::check_set(&set));
        if sources.get("ios-privacy-manifest.toml").is_some() {
            problems.extend(super::required_reason::set_problems(&set));
        }
        problems.extend(crate::draft::wording::check_set(&set, sources));
        (set, problems)
    }

    /// Parses `rel` into its part of the set if it is one of the single files or a language
    /// file; false for an SDK, packer or fingerprint file (and for anything else, which
    /// [`parse_entry`] reports).
    fn apply_single_file(
        &mut self,
        rel: &str,
        origin: &str,
        text: &str,
        problems: &mut Vec<SignatureError>,
    ) -> bool {
        match rel {
            "taxonomy.toml" => {
                if let Some(parsed) = parse::<TaxonomyFile>(origin, text, problems) {
                    let (taxonomy, found) = Taxonomy::build(parsed);
                    problems.extend(found.into_iter().map(|m| SignatureError::new(origin, m)));
                    self.taxonomy = taxonomy;
                }
            }
            "android-apis.toml" => {
                if let Some(parsed) = parse::<AndroidApiFile>(origin, text, problems) {
                    self.android_apis = parsed.rules;
                }
            }
            "android-permissions.toml" => {
                if let Some(parsed) = parse::<AndroidPermissionFile>(origin, text, problems) {
                    self.android_permissions = parsed.permissions;
                }
            }
            "ios-apis.toml" => {
                if let Some(parsed) = parse::<IosApiFile>(origin, text, problems) {
                    self.ios_apis = parsed.rules;
                }
            }
            "ios-plist-keys.toml" => {
                if let Some(parsed) = parse::<IosPlistKeyFile>(origin, text, problems) {
                    self.ios_plist_keys = parsed.keys;
                }
            }
            "fixes.toml" => {
                if let Some(fixes) = load_fixes(origin, text, problems) {
                    self.fixes = fixes;
                }
            }
            "ios-required-reason.toml" | "ios-privacy-manifest.toml" => {
                super::required_reason::load(self, rel, origin, text, problems);
            }
            "data-safety.toml" => {
                if let Some(parsed) = parse(origin, text, problems) {
                    self.data_safety = parsed;
                }
            }
            "draft-wording.toml" => {
                let (wording, found) = crate::draft::wording::DraftWording::parse(text);
                problems.extend(found.into_iter().map(|m| SignatureError::new(origin, m)));
                self.draft_wording = wording;
            }
            "libraries.toml" => {
                if let Some(parsed) = parse::<LibraryFile>(origin, text, problems) {
                    self.libraries = parsed.libraries;
                }
            }
            _ if structure::is_structure_file(rel) => match structure::parse(rel, origin, text) {
                Ok(parsed) => self.structure.push(parsed),
                Err((o, m)) => problems.push(SignatureError::new(o, m)),
            },
            _ if list_markers::is_list_markers_file(rel) => {
                match list_markers::parse(rel, origin, text) {
                    Ok(parsed) => self.list_markers.push(parsed),
                    Err((o, m)) => problems.push(SignatureError::new(o, m)),
                }
            }
            // Meaning files are read together (`meaning::parse_sources`).
            _ if rel.starts_with("language/") && rel.ends_with("/meaning.toml") => {}
            _ if rel.starts_with("language/") => problems.push(SignatureError::new(
                origin,
                "unknown language file (expected language/<lang>/structure.toml, meaning.toml or list-markers.toml)",
            )),
            _ => return false,
        }
        true
    }

    /// The index of the fingerprints that loaded and name an SDK of this set; the others are
    /// problems.
    fn index_fingerprints(
        &self,
        loaded: Vec<(&str, Result<Fingerprint, FingerprintError>)>,
        problems: &mut Vec<SignatureError>,
    ) -> FingerprintIndex {
        let mut kept = Vec::with_capacity(loaded.len());
        for (origin, fp) in loaded {
            match fp {
                Err(e) => problems.push(fingerprint_problem(e)),
                Ok(fp) if self.sdks.iter().all(|s| s.spec.id != fp.sdk) => {
                    problems.push(SignatureError::new(
                        origin,
                        format!("sdk '{}' has no signature file", fp.sdk),
                    ));
                }
                Ok(fp) => kept.push(fp),
            }
        }
        FingerprintIndex::new(kept)
    }

    /// The SDK or packer with `id`.
    pub fn find(&self, id: &str) -> Option<&Sdk> {
        self.sdks.iter().chain(&self.packers).find(|s| s.id == id)
    }
}

/// Parses `fixes.toml` and adds its wording problems (every kind covered, known placeholders).
fn load_fixes(
    origin: &str,
    text: &str,
    problems: &mut Vec<SignatureError>,
) -> Option<super::fixes::Fixes> {
    let parsed = parse::<super::fixes::FixFile>(origin, text, problems)?;
    let fixes = super::fixes::Fixes::new(parsed.fix);
    let found = fixes.problems();
    problems.extend(found.into_iter().map(|m| SignatureError::new(origin, m)));
    Some(fixes)
}

/// Which directory an SDK-like file came from.
enum EntryDir {
    Sdks,
    Packers,
}

/// One `sdks/*.toml` or `packers/*.toml` file, parsed, with its problems.
struct EntryParse {
    sdk: Option<(EntryDir, Sdk)>,
    problems: Vec<SignatureError>,
}

/// Parses one file of `sdks/` or `packers/` (anything else is an unknown file).
fn parse_entry(rel: &str, origin: &str, text: &str) -> EntryParse {
    let mut problems = Vec::new();
    let sdk = parse_entry_into(rel, origin, text, &mut problems);
    EntryParse { sdk, problems }
}

fn parse_entry_into(
    rel: &str,
    origin: &str,
    text: &str,
    problems: &mut Vec<SignatureError>,
) -> Option<(EntryDir, Sdk)> {
    let Some((dir, name)) = rel.split_once('/') else {
        problems.push(SignatureError::new(
            origin,
            format!(
                "unknown signature file (expected one of {}, or sdks/*.toml, packers/*.toml)",
                SINGLE_FILES.join(", ")
            ),
        ));
        return None;
    };
    let Some(stem) = name
        .strip_suffix(".toml")
        .filter(|_| ENTRY_DIRS.contains(&dir) && !name.contains('/'))
    else {
        problems.push(SignatureError::new(
            origin,
            "unknown signature file (only sdks/*.toml and packers/*.toml)",
        ));
        return None;
    };
    let spec = parse::<SdkFile>(origin, text, problems)?;
    if spec.id != stem {
        problems.push(SignatureError::new(
            origin,
            format!(
                "id '{}' differs from the file name '{stem}' (field 'id')",
                spec.id
            ),
        ));
    }
    let sdk = Sdk {
        origin: origin.to_string(),
        spec,
    };
    let dir = if dir == "sdks" {
        EntryDir::Sdks
    } else {
        EntryDir::Packers
    };
    Some((dir, sdk))
}

/// Deserialises one file; a failure becomes `FILE: line N: MESSAGE`.
pub(super) fn parse<T: serde::de::DeserializeOwned>(
    origin: &str,
    text: &str,
    problems: &mut Vec<SignatureError>,
) -> Option<T> {
    from_toml(text)
        .map_err(|message| problems.push(SignatureError::new(origin, message)))
        .ok()
}

/// Deserialises one TOML file strictly as `T`; a failure is `line N: MESSAGE` (the message
/// alone when TOML names no place), for every signature and language file alike.
pub(crate) fn from_toml<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, String> {
    toml::from_str::<T>(text).map_err(|e| match e.span() {
        Some(span) => {
            let upto = text.get(..span.start).unwrap_or(text);
            let line = upto.bytes().filter(|&b| b == b'\n').count() + 1;
            format!("line {line}: {}", e.message())
        }
        None => e.message().to_string(),
    })
}
