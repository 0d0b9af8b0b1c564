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
use super::sources::{SignatureSources, SourceFile, ENTRY_DIRS, SINGLE_FILES};
use super::{validate, SignatureError, Taxonomy};
use crate::policy::lang::meaning::{self, MeaningFile};
use crate::policy::lang::structure;
use rayon::prelude::*;

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
    /// Fix wording for every finding kind (`fixes.toml`; empty when the file is absent).
    pub fixes: super::fixes::Fixes,
    /// Play's Data safety form (`data-safety.toml`; empty when the file is absent).
    pub data_safety: crate::declared::DataSafetySpec,
    pub origins: Origins,
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
        let mut set = SignatureSet::default();
        let origin_of = |rel: &str| {
            sources
                .get(rel)
                .map_or_else(|| format!("signatures/{rel}"), |f| f.origin.clone())
        };
        set.origins = Origins {
            taxonomy: origin_of("taxonomy.toml"),
            android_apis: origin_of("android-apis.toml"),
            android_permissions: origin_of("android-permissions.toml"),
            ios_apis: origin_of("ios-apis.toml"),
            ios_plist_keys: origin_of("ios-plist-keys.toml"),
            libraries: origin_of("libraries.toml"),
            fixes: origin_of("fixes.toml"),
            data_safety: origin_of("data-safety.toml"),
        };
        // The SDK and packer files (hundreds) are parsed in parallel; TOML parsing was the
        // largest part of start-up. Everything is then applied in file order, so problems and
        // the order of `sdks` do not depend on scheduling.
        let files: Vec<(&str, &SourceFile)> = sources.iter().collect();
        let mut entries: Vec<Option<EntryParse>> = files
            .par_iter()
            .map(|&(rel, file)| {
                (!SINGLE_FILES.contains(&rel) && !rel.starts_with("language/"))
                    .then(|| parse_entry(rel, &file.origin, file.text.as_ref()))
            })
            .collect();
        let sdk_files = files
            .iter()
            .filter(|(rel, _)| rel.starts_with("sdks/"))
            .count();
        set.sdks.reserve(sdk_files);
        for (index, &(rel, file)) in files.iter().enumerate() {
            let origin = file.origin.as_str();
            let text = file.text.as_ref();
            match rel {
                "taxonomy.toml" => {
                    if let Some(parsed) = parse::<TaxonomyFile>(origin, text, &mut problems) {
                        let (taxonomy, found) = Taxonomy::build(parsed);
                        problems.extend(found.into_iter().map(|m| SignatureError::new(origin, m)));
                        set.taxonomy = taxonomy;
                    }
                }
                "android-apis.toml" => {
                    if let Some(parsed) = parse::<AndroidApiFile>(origin, text, &mut problems) {
                        set.android_apis = parsed.rules;
                    }
                }
                "android-permissions.toml" => {
                    if let Some(parsed) =
                        parse::<AndroidPermissionFile>(origin, text, &mut problems)
                    {
                        set.android_permissions = parsed.permissions;
                    }
                }
                "ios-apis.toml" => {
                    if let Some(parsed) = parse::<IosApiFile>(origin, text, &mut problems) {
                        set.ios_apis = parsed.rules;
                    }
                }
                "ios-plist-keys.toml" => {
                    if let Some(parsed) = parse::<IosPlistKeyFile>(origin, text, &mut problems) {
                        set.ios_plist_keys = parsed.keys;
                    }
                }
                "fixes.toml" => {
                    if let Some(fixes) = load_fixes(origin, text, &mut problems) {
                        set.fixes = fixes;
                    }
                }
                "data-safety.toml" => {
                    if let Some(parsed) = parse(origin, text, &mut problems) {
                        set.data_safety = parsed;
                    }
                }
                "libraries.toml" => {
                    if let Some(parsed) = parse::<LibraryFile>(origin, text, &mut problems) {
                        set.libraries = parsed.libraries;
                    }
                }
                _ if structure::is_structure_file(rel) => {
                    match structure::parse(rel, origin, text) {
                        Ok(parsed) => set.structure.push(parsed),
                        Err((o, m)) => problems.push(SignatureError::new(o, m)),
                    }
                }
                // Meaning files are read together below (`meaning::parse_sources`).
                _ if rel.starts_with("language/") && rel.ends_with("/meaning.toml") => {}
                _ if rel.starts_with("language/") => problems.push(SignatureError::new(
                    origin,
                    "unknown language file (expected language/<lang>/structure.toml or meaning.toml)",
                )),
                _ => {
                    if let Some(Some(entry)) = entries.get_mut(index).map(Option::take) {
                        problems.extend(entry.problems);
                        match entry.sdk {
                            Some((EntryDir::Sdks, sdk)) => set.sdks.push(sdk),
                            Some((EntryDir::Packers, sdk)) => set.packers.push(sdk),
                            None => {}
                        }
                    }
                }
            }
        }
        let (meaning_files, meaning_problems) = meaning::parse_sources(sources);
        set.meaning = meaning_files;
        problems.extend(meaning_problems);
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
        if set.data_safety.is_loaded() {
            problems.extend(
                set.data_safety
                    .check(&set.origins.data_safety, &set.taxonomy),
            );
        }
        problems.extend(validate::check_set(&set));
        (set, problems)
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
fn parse<T: serde::de::DeserializeOwned>(
    origin: &str,
    text: &str,
    problems: &mut Vec<SignatureError>,
) -> Option<T> {
    match toml::from_str::<T>(text) {
        Ok(value) => Some(value),
        Err(e) => {
            let message = match e.span() {
                Some(span) => {
                    let upto = text.get(..span.start).unwrap_or(text);
                    let line = upto.bytes().filter(|&b| b == b'\n').count() + 1;
                    format!("line {line}: {}", e.message())
                }
                None => e.message().to_string(),
            };
            problems.push(SignatureError::new(origin, message));
            None
        }
    }
}
