//! SDK fingerprints: recognise an SDK whose classes ProGuard / R8 renamed, shrank or moved
//! into other packages (`-repackageclasses ''`), where package-name signatures see nothing.
//!
//! [`features`] reads per-class features that survive renaming (strings, platform API calls,
//! method shapes in platform types, native method names, platform superclasses), the same from
//! a vendor `.jar` and from an app's DEX. [`generate`] turns an SDK's real binary into a
//! fingerprint file ([`file`], `signatures/fingerprints/<sdk>.toml`, built into the binary).
//! [`index`] matches app classes against every fingerprint, and [`claim`] decides, per DEX,
//! which SDKs enough classes prove (several classes sharing enough weight, two rich in strings,
//! or one class sharing [`SDK_ONE_CLASS_STRONG`] strings with one SDK class, the whole of a tiny
//! old SDK): those classes are then the SDK's (attribution), and the SDK is present with the
//! grade reason `present (fingerprint)`. [`claim_classes`] is the same rule for classes read
//! from elsewhere (a vendor jar's classes offered as an app's).
//!
//! ```no_run
//! use disclose::android::dex::DexFile;
//! let dex = DexFile::parse(std::fs::read("classes.dex")?)?;
//! let code = dex.code_index()?;
//! let index = disclose::fingerprint::builtin().as_ref().map_err(|e| e.to_string())?;
//! for claim in disclose::fingerprint::claim(index, &dex, &code, |_| true) {
//!     println!("{} ({} classes, confidence {:.2})", claim.sdk, claim.classes.len(), claim.confidence);
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod features;
pub mod file;
pub mod generate;
pub mod index;

use crate::android::dex::{CodeIndex, DexFile};
use file::{Fingerprint, FingerprintError};
use index::FingerprintIndex;
use std::sync::OnceLock;

mod builtin {
    include!(concat!(env!("OUT_DIR"), "/builtin_fingerprints.rs"));
}

/// An SDK is claimed in a DEX when classes matching this many distinct classes of its
/// fingerprint are found …
pub const SDK_MIN_CLASSES: usize = 3;
/// … sharing at least this much feature weight in all.
pub const SDK_MIN_WEIGHT: u32 = 30;
/// An SDK is also claimed from this many distinct classes of its fingerprint …
pub const SDK_FEW_CLASSES: usize = 2;
/// … when they share at least this much weight, nearly all of it strong (a shrink that keeps only
/// the two or three classes an app calls, as JShare's init path: two classes sharing 14 and 21
/// strings).
pub const SDK_FEW_CLASSES_STRONG_WEIGHT: u32 = 90;
/// An SDK is also claimed from one class of the app that shares at least this many strong features
/// (strings, native methods) with one class of its fingerprint …
pub const SDK_ONE_CLASS_STRONG: u32 = 20;
/// … and has at least this share of its features in that class: an old SDK of a handful of
/// classes (a 2010 FlurryAgent of 8 classes keeps one rich class, its 54 strings the endpoint,
/// event names and log lines) is nearly all in one class. Twenty shared strings in one class is
/// what no look-alike idiom reaches (library copies are left out of every fingerprint).
pub const SDK_ONE_CLASS_CONTAINMENT: f32 = 0.8;
/// Most bytes a fingerprint file may have.
pub const MAX_FILE_BYTES: usize = 50 * 1024;

/// The fingerprint files built into the binary: (path relative to `signatures/`, text).
pub fn builtin_files() -> &'static [(&'static str, &'static str)] {
    builtin::BUILTIN_FINGERPRINTS
}

/// Every built-in fingerprint, parsed.
pub fn builtin_fingerprints() -> Result<Vec<Fingerprint>, FingerprintError> {
    builtin_files()
        .iter()
        .map(|(rel, text)| file::parse(&format!("signatures/{rel}"), text))
        .collect()
}

/// The index of the built-in fingerprints, built once per process.
pub fn builtin() -> &'static Result<FingerprintIndex, FingerprintError> {
    static INDEX: OnceLock<Result<FingerprintIndex, FingerprintError>> = OnceLock::new();
    INDEX.get_or_init(|| builtin_fingerprints().map(FingerprintIndex::new))
}

/// Reads one fingerprint file at `rel` (`fingerprints/<sdk>.toml`, relative to the signatures
/// root; `origin` is the path to name in errors): it must parse, stay within
/// [`MAX_FILE_BYTES`] and be named after its SDK. Whether the SDK id exists is the caller's
/// check (it needs the SDK files).
pub fn load_file(rel: &str, origin: &str, text: &str) -> Result<Fingerprint, FingerprintError> {
    if text.len() > MAX_FILE_BYTES {
        return Err(FingerprintError::Invalid {
            file: origin.to_string(),
            message: format!("{} bytes, more than {MAX_FILE_BYTES}", text.len()),
        });
    }
    let fp = file::parse(origin, text)?;
    if rel != format!("fingerprints/{}.toml", fp.sdk) {
        return Err(FingerprintError::Invalid {
            file: origin.to_string(),
            message: format!("must be named {}.toml", fp.sdk),
        });
    }
    Ok(fp)
}

/// Problems of the built-in fingerprint files against the SDK ids of the signature data:
/// unreadable files, unknown SDK ids, file names that are not `<sdk>.toml`, oversized files.
/// (Loading a signature set makes the same checks on the files it is given.)
pub fn validate(sdk_ids: &[&str]) -> Vec<String> {
    let mut problems = Vec::new();
    for (rel, text) in builtin_files() {
        let origin = format!("signatures/{rel}");
        match load_file(rel, &origin, text) {
            Err(e) => problems.push(e.to_string()),
            Ok(fp) if !sdk_ids.contains(&fp.sdk.as_str()) => {
                problems.push(format!("{origin}: sdk '{}' has no signature file", fp.sdk));
            }
            Ok(_) => {}
        }
    }
    problems
}

/// One class of the app claimed for an SDK.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimedClass {
    /// Index of the class def in the DEX.
    pub class_def: u32,
    /// Name in the app (`a.b`), and of the class it matches in the SDK's own binary.
    pub app_name: String,
    pub sdk_name: String,
    /// Share of the app class's features found in the SDK's class.
    pub containment: f32,
}

/// An SDK that renamed classes of one DEX prove.
#[derive(Debug, Clone, PartialEq)]
pub struct SdkClaim {
    /// SDK id (`signatures/sdks/<id>.toml`).
    pub sdk: crate::id::SdkId,
    /// Version and source of the fingerprint that matched.
    pub version: String,
    pub classes: Vec<ClaimedClass>,
    /// Distinct fingerprint classes matched, and how many the fingerprint has.
    pub matched: usize,
    pub fingerprint_classes: usize,
    /// Feature weight the matched classes share with the fingerprint, in all.
    pub weight: u32,
    /// `w / (w + 30)` for the shared feature weight `w` of every matched class: 0.5 at the
    /// least weight a claim needs, 0.9 at nine times it.
    pub confidence: f32,
}

/// The SDKs that classes of `dex` for which `candidate(class_def)` holds (the classes no name
/// matched) prove, each with its classes. Classes whose features cannot be read are skipped.
pub fn claim(
    index: &FingerprintIndex,
    dex: &DexFile,
    code: &CodeIndex,
    candidate: impl Fn(u32) -> bool,
) -> Vec<SdkClaim> {
    if index.is_empty() {
        return Vec::new();
    }
    let mut reader = features::DexFeatureReader::new(dex);
    let read = code
        .classes
        .iter()
        .filter(|c| candidate(c.class_def))
        .filter_map(|class| {
            // A match needs a shared strong feature: most classes have none and stop here.
            let strong = reader.strong_features(class).ok()?;
            if !strong.iter().any(|&h| index.has_strong(h)) {
                return None;
            }
            let features = reader.class_features(class).ok()?;
            Some((class.class_def, features))
        });
    claim_classes(index, read)
}

/// The SDKs that classes already read prove (each given with its class-def index, or any number
/// that names it to the caller): the claim rule of [`claim`] for classes from any source (a
/// vendor jar's classes offered as an app's unnamed ones, in the tests and tools).
pub fn claim_classes(
    index: &FingerprintIndex,
    classes: impl IntoIterator<Item = (u32, features::ClassFeatures)>,
) -> Vec<SdkClaim> {
    let mut per_sdk: Vec<SdkEvidence> = vec![SdkEvidence::default(); index.sdks().len()];
    for (class_def, features) in classes {
        let Some(m) = index.match_class(&features) else {
            continue;
        };
        let Some(slot) = per_sdk.get_mut(m.sdk as usize) else {
            continue;
        };
        slot.add(
            &m,
            ClaimedClass {
                class_def,
                app_name: features.name,
                sdk_name: index.class_name(m.fp_class).to_string(),
                containment: m.containment,
            },
        );
    }
    per_sdk
        .into_iter()
        .zip(index.sdks())
        .filter(|(evidence, _)| evidence.proves_sdk())
        .map(|(evidence, sdk)| SdkClaim {
            sdk: sdk.id.clone(),
            version: sdk.version.clone(),
            matched: evidence.fp_classes.len(),
            fingerprint_classes: sdk.classes,
            weight: evidence.weight,
            confidence: evidence.weight as f32 / (evidence.weight as f32 + SDK_MIN_WEIGHT as f32),
            classes: evidence.classes,
        })
        .collect()
}

/// What the classes offered matched for one SDK.
#[derive(Debug, Clone, Default)]
struct SdkEvidence {
    classes: Vec<ClaimedClass>,
    /// Distinct fingerprint classes matched.
    fp_classes: Vec<u32>,
    /// Shared feature weight, and the part of it that is strong.
    weight: u32,
    strong_weight: u32,
    /// One class alone is proof ([`SDK_ONE_CLASS_STRONG`], [`SDK_ONE_CLASS_CONTAINMENT`]).
    one_rich_class: bool,
}

impl SdkEvidence {
    fn add(&mut self, m: &index::ClassMatch, class: ClaimedClass) {
        if !self.fp_classes.contains(&m.fp_class) {
            self.fp_classes.push(m.fp_class);
        }
        self.weight += m.shared_weight;
        self.strong_weight += m.shared_strong * features::ClassFeatures::STRONG_WEIGHT;
        self.one_rich_class |=
            m.shared_strong >= SDK_ONE_CLASS_STRONG && m.containment >= SDK_ONE_CLASS_CONTAINMENT;
        self.classes.push(class);
    }

    fn proves_sdk(&self) -> bool {
        (self.fp_classes.len() >= SDK_MIN_CLASSES && self.weight >= SDK_MIN_WEIGHT)
            || (self.fp_classes.len() >= SDK_FEW_CLASSES
                && self.strong_weight >= SDK_FEW_CLASSES_STRONG_WEIGHT)
            || self.one_rich_class
    }
}
