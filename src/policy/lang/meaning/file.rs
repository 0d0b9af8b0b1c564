//! The meaning files as written: `signatures/language/<lang>/meaning.toml` parsed strictly
//! (unknown fields refused, every section with match and no-match examples) into
//! [`MeaningFile`]s, which [`super::Meaning::new`] compiles.
//!
//! ```
//! let mut problems = Vec::new();
//! let parsed = disclose::policy::lang::meaning::parse_file("xx", "x.toml", "language = 1", &mut problems);
//! assert!(parsed.is_none() && problems.len() == 1);
//! ```

use crate::signatures::schema::Examples;
use crate::signatures::{SignatureError, SignatureSources};
use serde::Deserialize;

/// `signatures/language/<lang>/meaning.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeaningFile {
    /// The file as shown to the user (set at load).
    #[serde(skip)]
    pub origin: String,
    /// Language tag (`zh`, `en`); must equal the directory name.
    pub language: String,
    pub negation: NegationDef,
    pub enumeration: EnumerationDef,
    pub permission_context: PermissionContextDef,
    pub feature_context: FeatureContextDef,
    pub statements: StatementDef,
    pub references: ReferencesDef,
    #[serde(rename = "sdk_category", default)]
    pub sdk_categories: Vec<SdkCategoryDef>,
    #[serde(rename = "permission_group", default)]
    pub permission_groups: Vec<PermissionGroupDef>,
}

/// Negation cues: NEGATOR FILLER* (up to `max_words_between` Latin words) VERB.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NegationDef {
    pub negators: Vec<String>,
    #[serde(default)]
    pub fillers: Vec<String>,
    #[serde(default)]
    pub max_words_between: usize,
    /// Verbs that deny collecting or reading.
    pub collect: Vec<String>,
    /// Verbs that deny keeping (stored on the server).
    pub retain: Vec<String>,
    /// Verbs that deny sending on (upload, share).
    pub transmit: Vec<String>,
    /// Verbs that deny embedding something (an SDK, a library).
    pub integrate: Vec<String>,
    /// Verb phrases that deny tracking the user.
    pub track: Vec<String>,
    /// Words after a cue that lift it again (除非, unless, but).
    pub exceptions: Vec<String>,
    /// Exception words that leave the cue standing when they follow its verb directly, the
    /// verb having no object of its own: "never stores nor transmits, but does collect the
    /// following" denies storing and sending what follows.
    #[serde(default)]
    pub contrasts: Vec<String>,
    /// Words right after a data word that turn a denial to something else inside it
    /// ("不会读取剪切板中其他无关信息": other content of the clipboard, not the clipboard).
    #[serde(default)]
    pub narrowing: Vec<String>,
    /// Determiners that deny the data word right after them ("no PII is stored").
    #[serde(default)]
    pub determiners: Vec<String>,
    /// A condition before the negator that the denial holds under ("在您未开启…时", "if you
    /// turn off …"): the type is denied only then, so collecting it otherwise is no
    /// contradiction.
    #[serde(default)]
    pub conditions: Vec<String>,
    pub examples: Examples,
}

/// List cues.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnumerationDef {
    /// Cues that open a list of examples (如, such as).
    pub open: Vec<String>,
    /// Words after the items that leave the list open (等, etc.).
    pub open_end: Vec<String>,
    /// Cues that introduce a closed list (包括, namely).
    pub closed: Vec<String>,
    /// How a data word is written around a bare noun ("your {}", "{} data"): a bare noun as
    /// the last item of a list of data words ("your name, email address, or location") names
    /// the type its framed form names ("your location").
    #[serde(default)]
    pub item_frames: Vec<String>,
    pub examples: Examples,
}

/// Words that make a permission word a permission declaration.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PermissionContextDef {
    pub words: Vec<String>,
    pub examples: Examples,
}

/// Words that turn a data word into the name of a product feature.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeatureContextDef {
    pub after: Vec<String>,
    #[serde(default)]
    pub before: Vec<String>,
    /// Bytes (normalised) allowed between the data word and the feature word (quotes, spaces).
    pub max_gap: usize,
    pub examples: Examples,
}

/// Statements about SDKs and tracking.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatementDef {
    pub sdk_words: Vec<String>,
    pub other_words: Vec<String>,
    pub except_open: Vec<String>,
    #[serde(default)]
    pub except_close: Vec<String>,
    pub blanket: Vec<String>,
    /// Blanket objects that count only when the sentence speaks of one SDK.
    #[serde(default)]
    pub scoped_blanket: Vec<String>,
    pub conditions: Vec<String>,
    /// Whole cues that deny embedding without a negator before the verb ("use no", "无任何").
    #[serde(default)]
    pub cues: Vec<String>,
    /// Words joining the names an except frame lists ("除A和B外", "apart from A and B").
    #[serde(default)]
    pub joiners: Vec<String>,
    pub examples: Examples,
}

/// What a policy says about itself (used for its warnings).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferencesDef {
    /// A text holding none of these (in any language) is not a privacy policy.
    pub policy_words: Vec<String>,
    /// A short line holding every word of one group is the title of a policy.
    pub policy_titles: Vec<Vec<String>>,
    /// Appendix names, followed by a number (附件二, Appendix 2).
    pub appendix: Vec<String>,
    /// A reference to a separate SDK list: SEE … SUBJECT … LIST.
    pub see: Vec<String>,
    pub sdk_list_subject: Vec<String>,
    pub list: Vec<String>,
    /// Number words by value: the words of entry N mean N + 1 (`["二", "贰"]` = 2, as in
    /// 附件二); digits need no entry.
    #[serde(default)]
    pub numerals: Vec<Vec<String>>,
    /// Words that make the name of a separate document about third parties ("第三方",
    /// "third-party"): such an appendix is given when another document lists SDKs.
    #[serde(default)]
    pub third_party: Vec<String>,
    pub examples: Examples,
}

/// One category of SDK as statements name it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SdkCategoryDef {
    pub name: String,
    /// `category` values of `signatures/sdks/*.toml` the word denies.
    pub categories: Vec<String>,
    pub words: Vec<String>,
    pub examples: Examples,
}

/// One permission group and the words policies of this language use for it. Groups of the
/// same name in several languages are one group (their words merged).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PermissionGroupDef {
    /// Group id (`camera`, `location`, …), shown as the declared permission's `group`.
    pub group: String,
    /// Taxonomy ids the permission gives access to (may be empty: overlay, notifications).
    #[serde(default)]
    pub data: Vec<String>,
    pub words: Vec<String>,
    pub examples: Examples,
}

/// Parses every `language/<lang>/meaning.toml` of `sources`, with the problems found.
pub fn parse_sources(sources: &SignatureSources) -> (Vec<MeaningFile>, Vec<SignatureError>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for (rel, file) in sources.iter() {
        let Some(lang) = rel
            .strip_prefix("language/")
            .and_then(|r| r.strip_suffix("/meaning.toml"))
        else {
            continue;
        };
        if let Some(parsed) = parse_file(lang, &file.origin, file.text.as_ref(), &mut problems) {
            files.push(parsed);
        }
    }
    (files, problems)
}

/// Parses one meaning file; problems name the file (and line for TOML errors).
pub fn parse_file(
    lang: &str,
    origin: &str,
    text: &str,
    problems: &mut Vec<SignatureError>,
) -> Option<MeaningFile> {
    let mut parsed: MeaningFile = match crate::signatures::load::from_toml(text) {
        Ok(p) => p,
        Err(message) => {
            problems.push(SignatureError::new(origin, message));
            return None;
        }
    };
    parsed.origin = origin.to_string();
    if parsed.language != lang {
        problems.push(SignatureError::new(
            origin,
            format!(
                "language '{}' differs from the directory name '{lang}' (field 'language')",
                parsed.language
            ),
        ));
    }
    for (section, examples) in parsed.all_examples() {
        if examples.must_match.is_empty() || examples.no_match.is_empty() {
            problems.push(SignatureError::new(
                origin,
                format!("{section}: needs at least one example in 'examples.match' and one in 'examples.no_match'"),
            ));
        }
    }
    Some(parsed)
}

impl MeaningFile {
    pub(crate) fn all_examples(&self) -> Vec<(String, &Examples)> {
        let mut out = vec![
            ("negation".to_string(), &self.negation.examples),
            ("enumeration".to_string(), &self.enumeration.examples),
            (
                "permission_context".to_string(),
                &self.permission_context.examples,
            ),
            (
                "feature_context".to_string(),
                &self.feature_context.examples,
            ),
            ("statements".to_string(), &self.statements.examples),
            ("references".to_string(), &self.references.examples),
        ];
        for c in &self.sdk_categories {
            out.push((format!("sdk_category '{}'", c.name), &c.examples));
        }
        for g in &self.permission_groups {
            out.push((format!("permission_group '{}'", g.group), &g.examples));
        }
        out
    }
}
