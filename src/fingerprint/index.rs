//! The fingerprint index: every fingerprint class by its features, generic features left out,
//! and the decision whether one app class is a renamed class of an SDK.
//!
//! A feature is *generic* when the fingerprints of [`generic_sdks`] (3, or one in 6 of many) SDKs share it
//! (`StringBuilder.append`, `Log.d`, `Context.getPackageName` …): it tells no SDK apart, so it
//! is left out of the index and of the app class it occurs in. An app class matches the
//! fingerprint class it shares the most weight with when the shared weight reaches
//! [`CLASS_MIN_WEIGHT`], at least [`CLASS_MIN_STRONG`] of the shared features is strong (a
//! string or a native method: API calls and method shapes alone are idioms, every AIDL stub looks
//! alike), and the share of the app class's (non-generic) features found in that class reaches
//! [`CLASS_MIN_CONTAINMENT`]: a shrunk class keeps a subset of its features, so
//! the test is containment of the app class in the SDK's class, not equality. Features of
//! [`GENERIC_SDKS`] or more SDKs that are not yet generic (with many SDKs) are *common*: they add
//! to a match's weight, and a common feature the SDK's class lacks does not count against its
//! containment, as when 3 SDKs made a feature generic (counted, the common features of a class
//! shrunk to its few idioms sank its containment: a shrunk WeChat SDK lost its claim when the
//! SDKs passed 18). Only more matches than with them counted, never fewer.
//!
//! Some vendors encrypt their strings anew in every release (Jiguang): another version of a class
//! keeps its API calls, method shapes and hierarchy but carries dozens of strong features no
//! fingerprint knows, which sink its containment. When at least [`WEAK_MIN_FEATURES`] of the app
//! class's weak features are not generic and [`WEAK_MIN_CONTAINMENT`] of them are found in the
//! SDK's class, strong features that no fingerprint has are not counted against the match (those
//! the index knows still are, and the shared-strong, shared-weight and containment tests stay).
//! A class that shares [`STRONG_SHARED_MANY`] or more strong features with one SDK class is that
//! class's next release far more often than a look-alike: for it, [`WEAK_MIN_CONTAINMENT_MANY_STRONG`]
//! of its weak features suffice (JPush 3.0.x against the 3.1.1/3.6.6 fingerprint: classes sharing
//! 4–11 strings or call sets, 60–85 % of their API use, and 20–90 strings no fingerprint knows).
//!
//! ```
//! use disclose::fingerprint::features::ClassFeatures;
//! use disclose::fingerprint::file::Fingerprint;
//! use disclose::fingerprint::index::FingerprintIndex;
//! let class = ClassFeatures { name: "com.example.A".into(), strong: vec![1, 2, 3], weak: vec![9] };
//! let fp = Fingerprint { sdk: "example".into(), version: "1".into(), source: "s".into(),
//!     classes_total: 1, classes: vec![class.clone()] };
//! let index = FingerprintIndex::new(vec![fp]);
//! let renamed = ClassFeatures { name: "a".into(), ..class };
//! let m = index.match_class(&renamed).unwrap();
//! assert_eq!(index.class_name(m.fp_class), "com.example.A");
//! ```

use super::features::ClassFeatures;
use super::file::Fingerprint;
use std::collections::{HashMap, HashSet};

/// A feature shared by the fingerprints of this many SDKs is generic (at least; see
/// [`generic_sdks`]).
pub const GENERIC_SDKS: usize = 3;

/// One SDK in this many sharing a feature makes it generic once there are more than
/// `GENERIC_SDKS * GENERIC_SDKS_SHARE` SDKs: calibrated as 3 of 18 (session 11). A fixed count
/// would turn ever more of a small SDK's features generic as SDKs are added (with 29, Asus push
/// lost 28 of its 42 features instead of 15, and with them its claim in flattened JPush apps).
pub const GENERIC_SDKS_SHARE: usize = 6;

/// How many SDKs' fingerprints must share a feature for it to be generic, for `sdk_count` SDKs.
pub fn generic_sdks(sdk_count: usize) -> usize {
    GENERIC_SDKS.max(sdk_count.div_ceil(GENERIC_SDKS_SHARE))
}
/// Least shared feature weight for a class match.
pub const CLASS_MIN_WEIGHT: u32 = 6;
/// Least share of the app class's non-generic features that the SDK class must contain.
pub const CLASS_MIN_CONTAINMENT: f32 = 0.5;
/// Least number of shared features for a class match.
pub const CLASS_MIN_SHARED: u32 = 2;
/// Least number of non-generic weak features (API calls, method shapes, hierarchy) of the app class
/// for unknown strong features to be left out of its containment …
pub const WEAK_MIN_FEATURES: u32 = 6;
/// … and least share of them that the SDK's class must contain.
pub const WEAK_MIN_CONTAINMENT: f32 = 0.8;
/// A class sharing at least this many strong features with its best fingerprint class …
pub const STRONG_SHARED_MANY: u32 = 4;
/// … needs only this share of its (at least [`WEAK_MIN_FEATURES`]) weak features in that class for
/// its unknown strong features to be left out of its containment.
pub const WEAK_MIN_CONTAINMENT_MANY_STRONG: f32 = 0.5;
/// Least number of shared strong features (strings, native methods) for a class match: platform
/// calls and method shapes alone are idioms (every AIDL stub, every Parcelable looks alike).
pub const CLASS_MIN_STRONG: u32 = 1;

struct IndexedClass {
    sdk: u32,
    name: String,
}

struct Posting {
    strong: bool,
    classes: Vec<u32>,
}

/// What one SDK's fingerprint says about itself.
#[derive(Debug, Clone)]
pub struct IndexedSdk {
    pub id: crate::id::SdkId,
    pub version: String,
    pub source: String,
    /// Classes kept in the fingerprint.
    pub classes: usize,
}

/// One app class matched to a fingerprint class.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClassMatch {
    /// Index into [`FingerprintIndex::sdks`].
    pub sdk: u32,
    pub fp_class: u32,
    /// Shared features and their weight.
    pub shared: u32,
    pub shared_weight: u32,
    /// Shared strong features (strings, native methods).
    pub shared_strong: u32,
    /// Share of the app class's non-generic features found in the SDK's class.
    pub containment: f32,
}

/// Every fingerprint, indexed by feature. The default index is empty (it claims nothing).
#[derive(Default)]
pub struct FingerprintIndex {
    sdks: Vec<IndexedSdk>,
    classes: Vec<IndexedClass>,
    postings: HashMap<u32, Posting>,
    /// Features shared by [`generic_sdks`] or more SDKs.
    generic: HashSet<u32>,
    /// Features shared by [`GENERIC_SDKS`] or more SDKs but fewer than [`generic_sdks`]: they
    /// add to a match's weight but count neither for nor against its containment.
    common: HashSet<u32>,
}

impl std::fmt::Debug for FingerprintIndex {
    /// The SDKs and sizes only: the postings are large and say nothing to a reader.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FingerprintIndex")
            .field("sdks", &self.sdks)
            .field("classes", &self.classes.len())
            .field("features", &self.postings.len())
            .field("generic", &self.generic.len())
            .field("common", &self.common.len())
            .finish()
    }
}

impl FingerprintIndex {
    pub fn new(fingerprints: Vec<Fingerprint>) -> FingerprintIndex {
        let mut sdks = Vec::new();
        let mut classes = Vec::new();
        let mut postings: HashMap<u32, Posting> = HashMap::new();
        // Per feature, the SDKs whose fingerprints have it.
        let mut sdks_of: HashMap<u32, Vec<u32>> = HashMap::new();
        for (s, fp) in fingerprints.into_iter().enumerate() {
            let s = s as u32;
            sdks.push(IndexedSdk {
                id: fp.sdk,
                version: fp.version,
                source: fp.source,
                classes: fp.classes.len(),
            });
            for c in fp.classes {
                let class_no = classes.len() as u32;
                for (&h, strong) in c
                    .strong
                    .iter()
                    .map(|h| (h, true))
                    .chain(c.weak.iter().map(|h| (h, false)))
                {
                    let p = postings.entry(h).or_insert_with(|| Posting {
                        strong,
                        classes: Vec::new(),
                    });
                    p.classes.push(class_no);
                    let owners = sdks_of.entry(h).or_default();
                    if !owners.contains(&s) {
                        owners.push(s);
                    }
                }
                classes.push(IndexedClass {
                    sdk: s,
                    name: c.name,
                });
            }
        }
        let mut generic = HashSet::new();
        let mut common = HashSet::new();
        let generic_from = generic_sdks(sdks.len());
        for (h, owners) in sdks_of {
            if owners.len() >= generic_from {
                postings.remove(&h);
                generic.insert(h);
            } else if owners.len() >= GENERIC_SDKS {
                common.insert(h);
            }
        }
        FingerprintIndex {
            sdks,
            classes,
            postings,
            generic,
            common,
        }
    }

    pub fn sdks(&self) -> &[IndexedSdk] {
        &self.sdks
    }

    pub fn is_empty(&self) -> bool {
        self.classes.is_empty()
    }

    /// Name of fingerprint class `fp_class` in the SDK's own binary.
    pub fn class_name(&self, fp_class: u32) -> &str {
        self.classes
            .get(fp_class as usize)
            .map_or("", |c| c.name.as_str())
    }

    /// Whether `hash` is a strong feature of some fingerprint (and not generic).
    pub fn has_strong(&self, hash: u32) -> bool {
        self.postings.get(&hash).is_some_and(|p| p.strong)
    }

    /// The fingerprint class `app_class` is a (renamed, maybe shrunk) copy of, if any.
    pub fn match_class(&self, app_class: &ClassFeatures) -> Option<ClassMatch> {
        self.match_class_with(app_class, true)
    }

    /// [`Self::match_class`] without the tolerance for another release that shares many strong
    /// features ([`STRONG_SHARED_MANY`]): the test `generate::unlike_others` puts to a class of
    /// another SDK's binary (shared vendor code is the same release's code). With the tolerance
    /// there, 7 of the 18 files changed, and through the generic features they share, a shrunk
    /// WeChat SDK kept too few matching classes to be claimed.
    pub fn match_class_same_release(&self, app_class: &ClassFeatures) -> Option<ClassMatch> {
        self.match_class_with(app_class, false)
    }

    fn match_class_with(
        &self,
        app_class: &ClassFeatures,
        tolerate_release: bool,
    ) -> Option<ClassMatch> {
        // (fingerprint class, shared features, shared weight, shared strong features)
        let mut tally: Vec<(u32, u32, u32, u32)> = Vec::new();
        let mut known = 0u32;
        for h in app_class.strong.iter().chain(&app_class.weak) {
            let Some(p) = self.postings.get(h) else {
                continue;
            };
            known += 1;
            let w = if p.strong {
                ClassFeatures::STRONG_WEIGHT
            } else {
                1
            };
            let strong = u32::from(p.strong);
            for &c in &p.classes {
                match tally.iter_mut().find(|t| t.0 == c) {
                    Some(t) => {
                        t.1 += 1;
                        t.2 += w;
                        t.3 += strong;
                    }
                    None => tally.push((c, 1, w, strong)),
                }
            }
        }
        if known == 0 {
            return None;
        }
        let (fp_class, shared, shared_weight, shared_strong) = tally
            .into_iter()
            .filter(|t| t.3 >= CLASS_MIN_STRONG)
            .max_by_key(|&(c, n, w, _)| (w, n, std::cmp::Reverse(c)))?;
        let many_strong = tolerate_release && shared_strong >= STRONG_SHARED_MANY;
        let containment = self.containment(
            app_class,
            fp_class,
            (shared_strong, shared - shared_strong),
            many_strong,
        );
        let sdk = self.classes.get(fp_class as usize)?.sdk;
        (shared_weight >= CLASS_MIN_WEIGHT
            && shared >= CLASS_MIN_SHARED
            && containment >= CLASS_MIN_CONTAINMENT)
            .then_some(ClassMatch {
                sdk,
                fp_class,
                shared,
                shared_weight,
                shared_strong,
                containment,
            })
    }

    /// Whether feature `h` of an app class counts in its containment in fingerprint class
    /// `fp_class`: not generic, and not a common feature that class lacks.
    fn counts(&self, h: u32, fp_class: u32) -> bool {
        !self.generic.contains(&h)
            && (!self.common.contains(&h)
                || self
                    .postings
                    .get(&h)
                    .is_some_and(|p| p.classes.contains(&fp_class)))
    }

    /// Share of `app_class`'s counted features ([`Self::counts`]) among the shared ones (`shared_strong` strong,
    /// `shared_weak` weak) found in its best fingerprint class. Features of the app class that no
    /// fingerprint has count against the match; generic ones, and common ones the class lacks, count for nothing; unknown strong
    /// features count for nothing either when the class's weak features are nearly all contained,
    /// or (`many_strong`: it shares many strong features with the class) most of them are (see the
    /// module doc).
    fn containment(
        &self,
        app_class: &ClassFeatures,
        fp_class: u32,
        (shared_strong, shared_weak): (u32, u32),
        many_strong: bool,
    ) -> f32 {
        let counted = |h: &&u32| self.counts(**h, fp_class);
        let weak = app_class.weak.iter().filter(counted).count() as u32;
        let strong = app_class.strong.iter().filter(counted).count() as u32;
        let least_weak = if many_strong {
            WEAK_MIN_CONTAINMENT_MANY_STRONG
        } else {
            WEAK_MIN_CONTAINMENT
        };
        let weak_contained =
            weak >= WEAK_MIN_FEATURES && shared_weak as f32 >= least_weak * weak as f32;
        let shared = shared_strong + shared_weak;
        let counted_strong = if weak_contained {
            app_class
                .strong
                .iter()
                .filter(|h| self.postings.contains_key(h) && self.counts(**h, fp_class))
                .count() as u32
        } else {
            strong
        };
        shared as f32 / (weak + counted_strong).max(1) as f32
    }
}
