//! Compiled SDK (and packer) matchers: built once from a list of [`Sdk`]s, shared across
//! threads, each look-up independent of how many signatures there are (see [`super::tables`];
//! aliases use one Aho-Corasick automaton).
//!
//! ```
//! use disclose::signatures::{normalise_alias, SdkMatcher, SignatureSet};
//! let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/signatures/good");
//! let set = SignatureSet::from_dir_only(&dir)?;
//! let sdks = SdkMatcher::new(&set.sdks)?;
//! let amap = sdks.match_java_class("com.amap.api.location.AMapLocationClient").unwrap();
//! assert_eq!(set.sdks[amap.index()].id, "amap");
//! assert_eq!(sdks.match_descriptor("Lcom/amap/api/location/AMapLocationClient;"), Some(amap));
//! assert_eq!(sdks.match_java_class("com.amap.apix.Other"), None);
//! let text = normalise_alias("本应用集成了高德地图SDK和 AMap 定位");
//! assert!(sdks.match_alias(&text).iter().all(|hit| hit.sdks == [amap]));
//! # Ok::<(), disclose::signatures::SignatureError>(())
//! ```

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use rustc_hash::FxHashMap;
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;

use super::tables::{BoundaryPrefixTable, PlainPrefixTable};
use super::{Sdk, SignatureError};

/// Index of an SDK in the slice the matcher was built from (`SignatureSet::sdks` or `packers`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SdkIdx(pub u32);

impl SdkIdx {
    /// The index as `usize`.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Normalises an alias or a policy text for [`SdkMatcher::match_alias`]: NFKC, then lower case.
pub fn normalise_alias(text: &str) -> String {
    text.nfkc().flat_map(char::to_lowercase).collect()
}

/// One alias found in a text: byte range in the (normalised) text and the SDKs that use it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AliasHit<'m> {
    pub start: usize,
    pub end: usize,
    pub sdks: &'m [SdkIdx],
}

/// Matchers over every kind of SDK evidence.
#[derive(Debug, Clone)]
pub struct SdkMatcher {
    packages: BoundaryPrefixTable,
    /// `android.crumbs`: prefixes whose classes are no evidence of presence.
    crumbs: BoundaryPrefixTable,
    components: BoundaryPrefixTable,
    meta_data: FxHashMap<Box<str>, u32>,
    native_libs: PlainPrefixTable,
    assets: PlainPrefixTable,
    objc_prefixes: PlainPrefixTable,
    objc_classes: FxHashMap<Box<str>, u32>,
    /// `ios.symbols`: C symbol prefixes, without the leading underscore.
    c_symbols: PlainPrefixTable,
    /// `ios.objects`: static-library member name prefixes.
    objects: PlainPrefixTable,
    frameworks: FxHashMap<Box<str>, u32>,
    libraries: FxHashMap<Box<str>, u32>,
    /// The normalised aliases, one automaton pattern each.
    alias_patterns: Vec<String>,
    /// Built on first use: only the example runner and policy-side callers search aliases,
    /// and building it was a fifth of every `inspect`'s start-up.
    alias_automaton: OnceLock<Result<Option<AhoCorasick>, String>>,
    /// Per automaton pattern: the SDKs using that alias, and whether each end needs an ASCII
    /// word boundary.
    alias_sdks: Vec<Vec<SdkIdx>>,
    alias_edges: Vec<(bool, bool)>,
}

/// Framework name from `AdSupport`, `AdSupport.framework` or a load path
/// `/System/Library/Frameworks/AdSupport.framework/AdSupport`.
pub fn framework_name(s: &str) -> &str {
    if let Some(pos) = s.rfind(".framework") {
        let before = &s[..pos];
        return before.rsplit('/').next().unwrap_or(before);
    }
    s.rsplit('/').next().unwrap_or(s)
}

fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

fn is_word_byte(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_ascii_alphanumeric())
}

impl SdkMatcher {
    /// Compiles the matchers for `sdks`. When two SDKs claim the same prefix (a validation
    /// error) the first one wins.
    pub fn new(sdks: &[Sdk]) -> Result<SdkMatcher, SignatureError> {
        let mut m = SdkMatcher {
            packages: BoundaryPrefixTable::default(),
            crumbs: BoundaryPrefixTable::default(),
            components: BoundaryPrefixTable::default(),
            meta_data: FxHashMap::default(),
            native_libs: PlainPrefixTable::default(),
            assets: PlainPrefixTable::default(),
            objc_prefixes: PlainPrefixTable::default(),
            objc_classes: FxHashMap::default(),
            c_symbols: PlainPrefixTable::default(),
            objects: PlainPrefixTable::default(),
            frameworks: FxHashMap::default(),
            libraries: FxHashMap::default(),
            alias_patterns: Vec::new(),
            alias_automaton: OnceLock::new(),
            alias_sdks: Vec::new(),
            alias_edges: Vec::new(),
        };
        let mut alias_index: FxHashMap<String, usize> = FxHashMap::default();
        for (i, sdk) in sdks.iter().enumerate() {
            let idx =
                u32::try_from(i).map_err(|_| SignatureError::new(&sdk.origin, "too many SDKs"))?;
            let android = &sdk.android;
            for p in android.packages.iter().chain(&android.adapters) {
                m.packages.insert(p, idx);
            }
            for p in &android.components {
                m.components.insert(p, idx);
            }
            for p in &android.crumbs {
                m.crumbs.insert(p, idx);
            }
            for k in &android.meta_data {
                m.meta_data.entry(k.as_str().into()).or_insert(idx);
            }
            for p in &android.native_libs {
                m.native_libs.insert(p, idx);
            }
            for p in &android.assets {
                m.assets.insert(p.strip_prefix("assets/").unwrap_or(p), idx);
            }
            let ios = &sdk.ios;
            for p in &ios.class_prefixes {
                m.objc_prefixes.insert(p, idx);
            }
            for c in ios.classes.iter().chain(&ios.documented_classes) {
                m.objc_classes.entry(c.as_str().into()).or_insert(idx);
            }
            for p in &ios.symbols {
                m.c_symbols.insert(p, idx);
            }
            for p in &ios.objects {
                m.objects.insert(p, idx);
            }
            for f in &ios.frameworks {
                m.frameworks.entry(framework_name(f).into()).or_insert(idx);
            }
            for l in &ios.libraries {
                m.libraries.entry(l.as_str().into()).or_insert(idx);
            }
            let names = std::iter::once(&sdk.name)
                .chain(&sdk.aliases.zh)
                .chain(&sdk.aliases.en);
            for alias in names {
                let norm = normalise_alias(alias.trim());
                if norm.is_empty() {
                    continue;
                }
                let pattern = *alias_index.entry(norm).or_insert_with(|| {
                    m.alias_sdks.push(Vec::new());
                    m.alias_sdks.len() - 1
                });
                if let Some(list) = m.alias_sdks.get_mut(pattern) {
                    if !list.contains(&SdkIdx(idx)) {
                        list.push(SdkIdx(idx));
                    }
                }
            }
        }
        let mut patterns: Vec<(String, usize)> = alias_index.into_iter().collect();
        patterns.sort_by_key(|&(_, i)| i);
        m.alias_edges = patterns
            .iter()
            .map(|(p, _)| {
                (
                    is_word_byte(p.chars().next()),
                    is_word_byte(p.chars().next_back()),
                )
            })
            .collect();
        m.alias_patterns = patterns.into_iter().map(|(p, _)| p).collect();
        Ok(m)
    }

    /// The alias automaton, built on first use.
    fn alias_automaton(&self) -> Result<Option<&AhoCorasick>, SignatureError> {
        let built = self.alias_automaton.get_or_init(|| {
            if self.alias_patterns.is_empty() {
                return Ok(None);
            }
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .build(&self.alias_patterns)
                .map(Some)
                .map_err(|e| e.to_string())
        });
        match built {
            Ok(automaton) => Ok(automaton.as_ref()),
            Err(e) => Err(SignatureError::new(
                "signatures/sdks",
                format!("alias automaton: {e}"),
            )),
        }
    }

    /// Builds the alias automaton now (`disclose signatures validate` / `test`), so a set
    /// whose aliases cannot be compiled fails there instead of matching no alias later.
    pub fn check_aliases(&self) -> Result<(), SignatureError> {
        self.alias_automaton().map(|_| ())
    }

    /// The SDK owning the dotted class name (`com.amap.api.location.AMapLocationClient`,
    /// inner classes with `$`): longest package prefix at a name boundary.
    pub fn match_java_class(&self, dotted: &str) -> Option<SdkIdx> {
        self.packages.get_dotted(dotted).map(SdkIdx)
    }

    /// The same for a DEX descriptor (`Lcom/amap/api/X;`) or internal name (`com/amap/api/X`);
    /// allocation-free.
    pub fn match_descriptor(&self, descriptor: &str) -> Option<SdkIdx> {
        self.packages.get_descriptor(descriptor).map(SdkIdx)
    }

    /// [`Self::match_descriptor`] with the length of the matched prefix (in the descriptor's
    /// internal-name form), to compare with other owners' prefixes.
    pub fn match_descriptor_len(&self, descriptor: &str) -> Option<(SdkIdx, usize)> {
        self.packages
            .get_descriptor_len(descriptor)
            .map(|(i, len)| (SdkIdx(i), len))
    }

    /// Whether a class (descriptor or internal name) of SDK `sdk` is one of its `crumbs`:
    /// shipped by other libraries too, so no evidence that the SDK is present.
    pub fn is_crumb(&self, descriptor: &str, sdk: SdkIdx) -> bool {
        self.crumbs.get_descriptor(descriptor) == Some(sdk.0)
    }

    /// The SDK owning a manifest component class name (component prefixes, boundary rule).
    pub fn match_component(&self, class_name: &str) -> Option<SdkIdx> {
        self.components.get_dotted(class_name).map(SdkIdx)
    }

    /// The SDK whose app-key `meta-data` name this is (exact).
    pub fn match_meta_data(&self, name: &str) -> Option<SdkIdx> {
        self.meta_data.get(name).map(|&i| SdkIdx(i))
    }

    /// The SDK shipping this native library (file name or path; longest plain prefix).
    pub fn match_native_lib(&self, file: &str) -> Option<SdkIdx> {
        self.native_libs.get(file_name(file)).map(SdkIdx)
    }

    /// The SDK shipping this asset (`assets/ijiami.dat` or `ijiami.dat`): longest plain prefix
    /// of the path under `assets/`, else of the file name.
    pub fn match_asset(&self, path: &str) -> Option<SdkIdx> {
        let rel = path.strip_prefix("assets/").unwrap_or(path);
        self.assets
            .get(rel)
            .or_else(|| self.assets.get(file_name(rel)))
            .map(SdkIdx)
    }

    /// The SDK owning an ObjC/Swift class name: an exact class entry first, else the longest
    /// class prefix.
    pub fn match_objc_class(&self, name: &str) -> Option<SdkIdx> {
        match self.objc_classes.get(name) {
            Some(&i) => Some(SdkIdx(i)),
            None => self.objc_prefixes.get(name).map(SdkIdx),
        }
    }

    /// The SDK whose `ios.symbols` claims a defined C symbol as the symbol table spells it
    /// (`_ADJSignGenerate`); ObjC runtime names (`_OBJC_CLASS_$_X`) and Swift names are never
    /// C-symbol evidence.
    pub fn match_c_symbol(&self, symbol: &str) -> Option<SdkIdx> {
        let name = symbol.strip_prefix('_').unwrap_or(symbol);
        if name.starts_with("OBJC_") || name.starts_with('$') || name.starts_with("_$s") {
            return None;
        }
        self.c_symbols.get(name).map(SdkIdx)
    }

    /// The SDK whose `ios.objects` claims a static-library member name.
    pub fn match_object(&self, member: &str) -> Option<SdkIdx> {
        self.objects.get(member).map(SdkIdx)
    }

    /// The SDK of a framework (`AMapLocationKit`, `AMapLocationKit.framework`, or a load path).
    pub fn match_framework(&self, name: &str) -> Option<SdkIdx> {
        self.frameworks
            .get(framework_name(name))
            .map(|&i| SdkIdx(i))
    }

    /// The SDK of a static library file name (`libWeChatSDK.a`, or a path ending in it).
    pub fn match_library(&self, file: &str) -> Option<SdkIdx> {
        self.libraries.get(file_name(file)).map(|&i| SdkIdx(i))
    }

    /// Every SDK name or alias in `text`, which must be normalised with [`normalise_alias`]
    /// (and Traditional → Simplified by the caller, as aliases are written in Simplified).
    /// Leftmost-longest, non-overlapping; an alias whose first or last character is an ASCII
    /// letter or digit only counts at an ASCII word boundary (`amap` not in `amapx`).
    pub fn match_alias(&self, text: &str) -> Vec<AliasHit<'_>> {
        let Ok(Some(automaton)) = self.alias_automaton() else {
            return Vec::new();
        };
        let mut hits = Vec::new();
        for m in automaton.find_iter(text) {
            let p = m.pattern().as_usize();
            let (check_start, check_end) =
                self.alias_edges.get(p).copied().unwrap_or((false, false));
            let before = text.get(..m.start()).and_then(|s| s.chars().next_back());
            let after = text.get(m.end()..).and_then(|s| s.chars().next());
            if (check_start && is_word_byte(before)) || (check_end && is_word_byte(after)) {
                continue;
            }
            if let Some(sdks) = self.alias_sdks.get(p) {
                hits.push(AliasHit {
                    start: m.start(),
                    end: m.end(),
                    sdks,
                });
            }
        }
        hits
    }

    /// Number of distinct Android package prefixes (for reports and benchmarks).
    pub fn package_prefix_count(&self) -> usize {
        self.packages.len()
    }
}
