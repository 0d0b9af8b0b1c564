//! The vocabulary a policy is matched against: taxonomy words, SDK aliases and permission
//! words, each compiled into one Aho-Corasick automaton over normalised text.

use super::lang::meaning::{Meaning, MeaningFile};
use super::lang::structure::{Structure, StructureSource};
use super::lang::word_ends::has_prefix;
use super::normal::normalise_word;
use super::{PolicyDocument, PolicyError};
use crate::id::{SdkId, TaxonomyId};
use crate::signatures::schema::{DataTypeDef, SdkFile};
use aho_corasick::{AhoCorasick, MatchKind};
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::{Arc, OnceLock};

/// A data type as the policy reader needs it.
#[derive(Debug, Clone)]
pub(super) struct TypeInfo {
    pub id: TaxonomyId,
    /// A parent category: naming it declares its children only vaguely.
    pub has_children: bool,
}

/// An SDK as the policy reader needs it.
#[derive(Debug, Clone)]
pub(super) struct SdkInfo {
    pub id: SdkId,
    /// The vendor's Chinese company names (`vendor_zh`), normalised.
    pub vendors: Vec<String>,
    /// The SDK's name and aliases, normalised.
    pub names: Vec<String>,
    /// Its `category` (`push`, `auth` …).
    pub category: String,
    /// The Latin words of its name, aliases and vendor ("yandex", "appmetrica"), normalised:
    /// a word before a one-word alias that is one of these is part of the SDK's own name.
    pub own_words: HashSet<String>,
}

/// One match of a vocabulary word: ranges in the normalised and the original text.
#[derive(Debug, Clone)]
pub(super) struct Hit {
    /// Index into the types, SDKs or permission groups.
    pub index: usize,
    pub normal: Range<usize>,
    pub original: Range<usize>,
}

/// All matches in one document.
#[derive(Debug, Default)]
pub(super) struct Hits {
    pub types: Vec<Hit>,
    pub sdks: Vec<Hit>,
    pub permissions: Vec<Hit>,
}

struct Matcher {
    automaton: AhoCorasick,
    /// Per pattern: owner index and whether each end needs a Latin word boundary.
    patterns: Vec<(usize, bool, bool)>,
}

impl Matcher {
    fn build(words: Vec<(String, usize)>) -> Result<Self, PolicyError> {
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut patterns = Vec::new();
        let mut texts = Vec::new();
        for (word, owner) in words {
            if word.chars().count() < 2 || seen.contains_key(&word) {
                continue;
            }
            seen.insert(word.clone(), owner);
            let left = word
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric());
            let right = word
                .chars()
                .last()
                .is_some_and(|c| c.is_ascii_alphanumeric());
            patterns.push((owner, left, right));
            texts.push(word);
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&texts)
            .map_err(|e| PolicyError::Vocabulary {
                message: e.to_string(),
            })?;
        Ok(Matcher {
            automaton,
            patterns,
        })
    }

    fn find(&self, text: &str) -> Vec<(usize, Range<usize>)> {
        self.find_iter(text).collect()
    }

    /// The matches of [`Matcher::find`] one by one (no list for a caller that keeps one).
    fn find_iter<'t>(&'t self, text: &'t str) -> impl Iterator<Item = (usize, Range<usize>)> + 't {
        let bytes = text.as_bytes();
        self.automaton.find_iter(text).filter_map(move |m| {
            let &(owner, left, right) = self.patterns.get(m.pattern().as_usize())?;
            let before = m.start().checked_sub(1).and_then(|i| bytes.get(i));
            let after = bytes.get(m.end());
            if left && before.is_some_and(|b| b.is_ascii_alphanumeric()) {
                return None;
            }
            if right && after.is_some_and(|b| b.is_ascii_alphanumeric()) {
                return None;
            }
            Some((owner, m.start()..m.end()))
        })
    }
}

/// Taxonomy words, SDK aliases and permission words, compiled for matching, and the meaning
/// vocabulary of every language.
pub struct PolicyVocabulary {
    /// How SDK lists are laid out (labels, header words, platform words, look-alike cues).
    pub(super) structure: Structure,
    pub(super) types: Vec<TypeInfo>,
    meaning: Arc<Meaning>,
    pub(super) sdks: Vec<SdkInfo>,
    type_matcher: Matcher,
    sdk_matcher: Matcher,
    permission_matcher: Matcher,
    /// The first two characters of every Chinese alias ("华为", "即构"): a one-character stop
    /// word inside one of them ("为", "即") does not end a name.
    brand_heads: HashSet<String>,
    /// `android.packages` prefixes of the SDKs, for package names written in a row.
    packages: super::packages::PackageIndex,
}

impl std::fmt::Debug for PolicyVocabulary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "PolicyVocabulary({} types, {} sdks)",
            self.types.len(),
            self.sdks.len()
        )
    }
}

impl PolicyVocabulary {
    /// Compiles the vocabulary with the built-in language files
    /// (`signatures/language/*/{structure,meaning}.toml`). Fails when a type names an unknown
    /// parent or when one word is given to two different types (the policy could not tell them
    /// apart).
    pub fn new(types: &[DataTypeDef], sdks: &[SdkFile]) -> Result<Self, PolicyError> {
        Self::build(types, sdks, builtin_structure()?, Meaning::builtin()?)
    }

    /// Like [`PolicyVocabulary::new`] with the structure files of a signature set (those of
    /// `--signatures DIR` included); the built-in ones when `structure` is empty.
    pub fn with_structure(
        types: &[DataTypeDef],
        sdks: &[SdkFile],
        structure: &[StructureSource],
    ) -> Result<Self, PolicyError> {
        Self::with_language(types, sdks, structure, &[])
    }

    /// The vocabulary of a signature set: its taxonomy, the names and aliases of its SDKs
    /// and of its packers (a policy names its hardening SDK, "梆梆加固"), and its language
    /// files.
    pub fn for_signatures(set: &crate::signatures::SignatureSet) -> Result<Self, PolicyError> {
        let specs: Vec<SdkFile> = set
            .sdks
            .iter()
            .chain(&set.packers)
            .map(|s| s.spec.clone())
            .collect();
        Self::with_language(set.taxonomy.types(), &specs, &set.structure, &set.meaning)
    }

    /// Compiles the vocabulary with the language files of a signature set (`--signatures
    /// DIR`): its structure and meaning files; for each, no files means the built-in ones.
    pub fn with_language(
        types: &[DataTypeDef],
        sdks: &[SdkFile],
        structure: &[StructureSource],
        meaning: &[MeaningFile],
    ) -> Result<Self, PolicyError> {
        let structure = if structure.is_empty() {
            builtin_structure()?
        } else {
            Structure::compile(structure).map_err(|(file, m)| PolicyError::Vocabulary {
                message: format!("{file}: {m}"),
            })?
        };
        let meaning = if meaning.is_empty() {
            Meaning::builtin()?
        } else {
            Arc::new(Meaning::new(meaning)?)
        };
        Self::build(types, sdks, structure, meaning)
    }

    fn build(
        types: &[DataTypeDef],
        sdks: &[SdkFile],
        structure: Structure,
        meaning: Arc<Meaning>,
    ) -> Result<Self, PolicyError> {
        let index: HashMap<&str, usize> = types
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.as_str(), i))
            .collect();
        let mut infos: Vec<TypeInfo> = types
            .iter()
            .map(|t| TypeInfo {
                id: t.id.clone(),
                has_children: false,
            })
            .collect();
        for t in types {
            if let Some(parent) = &t.parent {
                let Some(&p) = index.get(parent.as_str()) else {
                    return Err(PolicyError::Vocabulary {
                        message: format!("type {} names unknown parent {parent}", t.id),
                    });
                };
                if let Some(info) = infos.get_mut(p) {
                    info.has_children = true;
                }
            }
        }
        let mut owner_of: HashMap<String, usize> = HashMap::new();
        let mut type_words = Vec::new();
        for (i, t) in types.iter().enumerate() {
            for w in t.en.iter().chain(&t.zh_hans).chain(&t.zh_hant) {
                let n = normalise_word(w);
                if let Some(&other) = owner_of.get(&n) {
                    if other != i {
                        let other_id = types.get(other).map(|o| o.id.as_str()).unwrap_or("?");
                        return Err(PolicyError::Vocabulary {
                            message: format!("word {w:?} is given to both {other_id} and {}", t.id),
                        });
                    }
                    continue;
                }
                owner_of.insert(n.clone(), i);
                type_words.push((n, i));
            }
        }
        let mut sdk_words = Vec::new();
        let mut infos_sdk = Vec::new();
        let mut brand_heads = HashSet::new();
        for (i, s) in sdks.iter().enumerate() {
            infos_sdk.push(sdk_info(s));
            for alias in std::iter::once(&s.name)
                .chain(&s.aliases.zh)
                .chain(&s.aliases.en)
            {
                let n = normalise_word(alias);
                let head: String = n.chars().take(2).collect();
                if head.chars().count() == 2 && head.chars().all(|c| !c.is_ascii()) {
                    brand_heads.insert(head);
                }
                if let Some(stem) = n.strip_suffix("sdk").map(str::trim_end) {
                    let cjk = stem.chars().filter(|c| !c.is_ascii()).count();
                    if cjk >= 2 || (cjk == 0 && stem.len() >= 4) {
                        sdk_words.push((stem.to_string(), i));
                    }
                }
                // "极光一键登陆": the alias also matches its variant spellings.
                for (variant, standard) in structure.spelling_variants() {
                    if n.contains(standard) {
                        sdk_words.push((n.replace(standard, variant), i));
                    }
                }
                sdk_words.push((n, i));
            }
        }
        let mut perm_words = Vec::new();
        for (i, g) in meaning.permission_groups.iter().enumerate() {
            for w in &g.words {
                perm_words.push((normalise_word(w), i));
            }
        }
        Ok(PolicyVocabulary {
            structure,
            types: infos,
            meaning,
            sdks: infos_sdk,
            type_matcher: Matcher::build(type_words)?,
            sdk_matcher: Matcher::build(sdk_words)?,
            permission_matcher: Matcher::build(perm_words)?,
            brand_heads,
            packages: super::packages::PackageIndex::new(sdks),
        })
    }

    /// The meaning vocabulary (negation, lists, statements).
    pub fn meaning(&self) -> &Meaning {
        &self.meaning
    }

    /// Number of data types and SDKs known.
    pub fn len(&self) -> (usize, usize) {
        (self.types.len(), self.sdks.len())
    }

    /// True when no data types and no SDKs are known.
    pub fn is_empty(&self) -> bool {
        self.types.is_empty() && self.sdks.is_empty()
    }

    /// The SDK id whose alias matches `name` best (longest alias), if any.
    pub fn sdk_id_for(&self, name: &str) -> Option<&str> {
        let n = normalise_word(name);
        if let Some(id) = self.best_sdk(&n) {
            return Some(id);
        }
        // "Xiaomi PUSH SDKSDK": a doubled or glued "sdk" hides the alias's word boundary.
        if n.contains("sdk") {
            let spaced = normalise_word(&n.replace("sdk", " sdk "));
            return self.best_sdk(&spaced);
        }
        None
    }

    /// The SDK id of the first Java package name written in `text` whose prefix an SDK
    /// signature lists ("微信开放平台SDK（com.tencent.mm.opensdk）").
    pub fn sdk_id_for_package(&self, text: &str) -> Option<&str> {
        let i = self.packages.sdk_in(text)?;
        self.sdks.get(i).map(|s| s.id.as_str())
    }

    /// Whether the one-character word at `at..at + len` of normalised `text` is part of the
    /// first two characters of a known Chinese alias ("为" in "华为").
    pub(super) fn inside_brand(&self, text: &str, at: usize, len: usize) -> bool {
        self.brand_start(text, at, len).is_some()
    }

    /// Start of the brand head ("华为") that the one-character word at `at..at + len` is part
    /// of, if any.
    pub(super) fn brand_start(&self, text: &str, at: usize, len: usize) -> Option<usize> {
        let word = text.get(at..at + len).unwrap_or("");
        if word.chars().count() != 1 || word.is_ascii() {
            return None;
        }
        let w = word.chars().next()?;
        let prev = text.get(..at).and_then(|t| t.chars().next_back());
        let next = text.get(at + len..).and_then(|t| t.chars().next());
        let pair = |a: char, b: char| self.brand_heads.contains(&format!("{a}{b}"));
        match (prev, next) {
            (Some(p), _) if pair(p, w) => Some(at - p.len_utf8()),
            (_, Some(n)) if pair(w, n) => Some(at),
            _ => None,
        }
    }

    /// Length (normalised bytes) of the longest known alias inside a normalised name.
    pub(super) fn sdk_alias_len(&self, normal: &str) -> Option<usize> {
        self.sdk_mentions(normal).map(|(_, r)| r.len()).max()
    }

    fn best_sdk(&self, normal: &str) -> Option<&str> {
        let (i, r) = self.sdk_mentions(normal).max_by_key(|(_, r)| r.len())?;
        let head = normal.get(..r.start).unwrap_or("").trim_end();
        let tail = normal.get(r.end..).unwrap_or("").trim();
        // "Quokka Metrics (SDK)": a one-word alias after an unknown product word is the end
        // of another product's name, not that SDK.
        let ends = tail.is_empty() || self.structure.sdk_words().iter().any(|w| w == tail);
        if ends && self.unknown_product_words(head, i, normal.get(r.clone())?) {
            return None;
        }
        self.sdks.get(i).map(|s| s.id.as_str())
    }

    /// Whether `head`, the Latin words written before the one-word alias `alias` of SDK
    /// `index` in a Latin name, names another product: one or two words of three letters or
    /// more, none a word of that SDK's own names or vendor, an alias, a platform, an SDK word
    /// or a word that starts no name ("the", "our").
    fn unknown_product_words(&self, head: &str, index: usize, alias: &str) -> bool {
        let Some(sdk) = self.sdks.get(index) else {
            return false;
        };
        let words: Vec<&str> = head.split(' ').filter(|w| !w.is_empty()).collect();
        let st = &self.structure;
        let product_word = |w: &&str| {
            w.len() >= 3
                && w.chars().all(|c| c.is_ascii_lowercase())
                && !sdk.own_words.contains(*w)
                && st.platform_of(w).is_none()
                && !st.sdk_words().iter().any(|s| s == w)
                && !st.is_not_name(w)
                && self.sdk_alias_len(w).is_none()
        };
        !alias.contains(' ')
            && alias.chars().all(|c| c.is_ascii_alphanumeric())
            && (1..=2).contains(&words.len())
            && words.iter().all(product_word)
    }

    /// The SDK aliases in normalised `text` that are mentions: an alias whose last character
    /// begins a longer data or category word is the middle of another word ("易信" in
    /// "交易信息", "个推" in "一个推送"), not the SDK.
    fn sdk_mentions<'t>(
        &'t self,
        text: &'t str,
    ) -> impl Iterator<Item = (usize, Range<usize>)> + 't {
        self.sdk_matcher
            .find_iter(text)
            .filter(move |(_, r)| !self.ends_inside_word(text, r))
    }

    /// Whether a word of the language files (`[not_sdk] data_items`, `[category_words]`)
    /// starts at the last character of the match `at` of normalised `text` and runs past it.
    fn ends_inside_word(&self, text: &str, at: &Range<usize>) -> bool {
        let Some(last) = text
            .get(at.start..at.end)
            .and_then(|m| m.chars().next_back())
        else {
            return false;
        };
        if last.is_ascii() {
            return false;
        }
        let Some(rest) = text.get(at.end - last.len_utf8()..) else {
            return false;
        };
        let st = &self.structure;
        st.data_item_words()
            .chain(st.category_words())
            .any(|w| w.len() > last.len_utf8() && has_prefix(rest, w))
    }

    /// Taxonomy ids named in a piece of normalised text.
    pub(super) fn type_hits_in(&self, normal: &str) -> Vec<(usize, Range<usize>)> {
        self.type_matcher.find(normal)
    }

    /// The data words of `text`, a copy of the document's normalised text with the same
    /// offsets (the sentence text of `sentences.rs`).
    pub(super) fn type_hits(&self, doc: &PolicyDocument, text: &str) -> Vec<Hit> {
        hits_of(doc, self.type_matcher.find_iter(text))
    }

    pub(super) fn scan(&self, doc: &PolicyDocument) -> Hits {
        let text = doc.normal.text.as_str();
        // Three automata over the same text, each on the core that is free.
        let (types, (sdks, permissions)) = rayon::join(
            || hits_of(doc, self.type_matcher.find_iter(text)),
            || {
                rayon::join(
                    || self.product_mentions(doc, hits_of(doc, self.sdk_mentions(text))),
                    || hits_of(doc, self.permission_matcher.find_iter(text)),
                )
            },
        );
        Hits {
            types,
            sdks,
            permissions,
        }
    }
}

impl PolicyVocabulary {
    /// The SDK hits that name the SDK: a one-word alias written capitalised right after a
    /// capitalised word that names another product ("We use Quokka Metrics to …") is the
    /// end of that product's name; the longer, unknown name is read instead.
    fn product_mentions(&self, doc: &PolicyDocument, hits: Vec<Hit>) -> Vec<Hit> {
        let original = doc.text.as_str();
        hits.into_iter()
            .filter(|h| {
                let Some(word) = original.get(h.original.clone()) else {
                    return true;
                };
                let before = original.get(..h.original.start).unwrap_or("");
                let Some(head) = capitalised_word_before(before) else {
                    return true;
                };
                !(word.starts_with(|c: char| c.is_ascii_uppercase())
                    && self.unknown_product_words(&head.to_ascii_lowercase(), h.index, word))
            })
            .collect()
    }
}

/// An SDK file as the policy reader needs it.
fn sdk_info(s: &SdkFile) -> SdkInfo {
    let names: Vec<String> = std::iter::once(&s.name)
        .chain(&s.aliases.zh)
        .chain(&s.aliases.en)
        .map(|a| normalise_word(a))
        .collect();
    let vendor = s.vendor.as_deref().map(normalise_word).unwrap_or_default();
    let own_words = names
        .iter()
        .chain(std::iter::once(&vendor))
        .flat_map(|n| latin_words(n).map(str::to_string).collect::<Vec<_>>())
        .collect();
    SdkInfo {
        id: s.id.clone(),
        vendors: s.vendor_zh.iter().map(|v| normalise_word(v)).collect(),
        names,
        category: s.category.clone(),
        own_words,
    }
}

/// The capitalised Latin word written right before `before`'s last blank ("Quokka" of
/// "We use Quokka "), when a blank or the text start stands before it.
fn capitalised_word_before(before: &str) -> Option<&str> {
    let head = before.strip_suffix(' ')?;
    let start = head
        .rfind(|c: char| !c.is_ascii_alphabetic())
        .map_or(0, |i| i + 1);
    let word = head.get(start..)?;
    let lead = head.get(..start).and_then(|t| t.chars().next_back());
    (word.starts_with(|c: char| c.is_ascii_uppercase())
        && lead.is_none_or(|c| c == ' ' || c == '*' || c == '['))
    .then_some(word)
}

/// The runs of Latin letters and digits of a normalised name.
fn latin_words(normal: &str) -> impl Iterator<Item = &str> {
    normal
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| w.len() >= 2)
}

/// The matches of one scan (in text order) with their original ranges: each is mapped back
/// from where the one before it was (a scan finds hundreds of thousands in a long table).
fn hits_of(doc: &PolicyDocument, found: impl Iterator<Item = (usize, Range<usize>)>) -> Vec<Hit> {
    let mut run = 0usize;
    found
        .map(|(index, normal)| {
            let (s, e) = doc
                .normal
                .original_range_after(normal.start, normal.end, &mut run);
            Hit {
                index,
                normal,
                original: s..e,
            }
        })
        .collect()
}

/// The built-in structure vocabulary, compiled once per process.
fn builtin_structure() -> Result<Structure, PolicyError> {
    static BUILTIN: OnceLock<Result<Structure, String>> = OnceLock::new();
    BUILTIN
        .get_or_init(Structure::builtin)
        .clone()
        .map_err(|message| PolicyError::Vocabulary { message })
}
