//! Statements a policy makes about the SDKs it embeds and about tracking: "本应用不集成任何第三方
//! SDK" (no SDKs), "除X外不集成其他第三方SDK" (no SDK but X), "we use no ad or analytics SDKs" (no
//! SDK of a category), "we do not track you across apps" (no tracking), "本应用不收集任何个人信息"
//! (no personal data). Read per sentence with the negation cues of the meaning vocabulary, so
//! emphasis markup never hides the "not"; the quote is the whole sentence.
//!
//! ```
//! use disclose::policy::{extract, read_policy_bytes, PolicyVocabulary, StatementKind};
//! let vocab = PolicyVocabulary::new(&[], &[]).unwrap();
//! let doc = read_policy_bytes("p.md", "# Privacy\n\nWe use no ad or analytics SDKs.".as_bytes()).unwrap();
//! let found = extract(&doc, &vocab);
//! assert_eq!(found.statements[0].kind, StatementKind::NoSdkCategory);
//! assert_eq!(found.statements[0].categories, ["ads", "analytics", "apm"]);
//! ```

use super::data::{sentence_end, sentence_start};
use super::lang::meaning::{is_markup, strip_markup, Meaning, VerbKind};
use super::vocab::PolicyVocabulary;
use super::{PolicyDocument, TextSpan};
use serde::Serialize;
use std::ops::Range;

/// What a statement denies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StatementKind {
    /// No third-party SDK at all.
    NoSdks,
    /// No third-party SDK other than the ones named (in `except`) or listed in the policy.
    NoOtherSdks,
    /// No SDK of the `categories` (signature categories: `ads`, `analytics` …).
    NoSdkCategory,
    /// The user is not tracked (across apps, for advertising).
    NoTracking,
    /// No personal data is collected at all.
    NoPersonalData,
}

impl StatementKind {
    /// The kebab-case code, as in JSON.
    pub fn code(self) -> &'static str {
        match self {
            StatementKind::NoSdks => "no-sdks",
            StatementKind::NoOtherSdks => "no-other-sdks",
            StatementKind::NoSdkCategory => "no-sdk-category",
            StatementKind::NoTracking => "no-tracking",
            StatementKind::NoPersonalData => "no-personal-data",
        }
    }
}

/// One statement about SDKs, tracking or all personal data.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyStatement {
    pub kind: StatementKind,
    /// For `no-sdk-category`: the signature categories denied.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<String>,
    /// Names the statement excepts ("除Apple iCloud外"), as written.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub except: Vec<String>,
    /// SDK ids of the excepted names that resolve.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub except_ids: Vec<String>,
    /// The SDK the sentence speaks of ("打印SDK并不收集您的任何信息"): its id when it resolves,
    /// else its name as written. `null` when the statement is about the app.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sdk: Option<String>,
    /// The sentence makes the statement only under a condition ("without your consent").
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub conditional: bool,
    /// The whole sentence.
    pub text: TextSpan,
}

/// A normalised offset as stored in the map (policies are far below 4 GiB: `MAX_POLICY_BYTES`).
fn offset(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// Normalised text with emphasis markup removed, and the map back to normalised offsets.
struct Stripped {
    text: String,
    /// Where the offset to the normalised text changes: (offset in `text`, its offset in the
    /// normalised text), by offset; bytes after one map linearly until the next. One entry
    /// per markup run, not per byte: a 20 MB policy full of `_` stays small.
    jumps: Vec<(u32, u32)>,
}

impl Stripped {
    fn new(normal: &str) -> Stripped {
        if !normal.contains(is_markup) {
            return Stripped {
                text: normal.to_string(),
                jumps: Vec::new(),
            };
        }
        let mut text = String::with_capacity(normal.len());
        let mut jumps = vec![(0, 0)];
        let mut run_at = None;
        for (i, c) in normal.char_indices() {
            if is_markup(c) {
                run_at.get_or_insert(i);
                continue;
            }
            // The same rule as `strip_markup`: a markup run between two Latin words is a space.
            if let Some(at) = run_at.take() {
                if c.is_ascii_alphanumeric() && text.ends_with(|p: char| p.is_ascii_alphanumeric())
                {
                    jumps.push((offset(text.len()), offset(at)));
                    text.push(' ');
                }
                jumps.push((offset(text.len()), offset(i)));
            }
            text.push(c);
        }
        Stripped { text, jumps }
    }

    /// The normalised offset of byte `i` of the stripped text.
    fn normal_at(&self, i: usize) -> usize {
        let at = self.jumps.partition_point(|&(s, _)| s as usize <= i);
        match at.checked_sub(1).and_then(|k| self.jumps.get(k)) {
            Some(&(s, n)) => n as usize + (i - s as usize),
            None => i,
        }
    }

    fn normal_range(&self, range: Range<usize>) -> Range<usize> {
        if self.jumps.is_empty() {
            return range;
        }
        let start = self.normal_at(range.start);
        let end = if range.end == 0 {
            start
        } else {
            self.normal_at(range.end - 1) + 1
        };
        start.min(end)..end
    }
}

/// Every statement of the document, in order, one per sentence and kind.
/// `text` is the sentence text of the document (its normalised text, wrapped lines joined).
pub(super) fn statements(
    doc: &PolicyDocument,
    vocab: &PolicyVocabulary,
    text: &str,
) -> Vec<PolicyStatement> {
    let stripped = Stripped::new(text);
    let mut out: Vec<PolicyStatement> = Vec::new();
    for found in statements_in_text(&stripped.text, vocab.meaning(), |name| {
        vocab.sdk_id_for(name).map(str::to_string)
    }) {
        let range = stripped.normal_range(found.sentence.clone());
        let (s, e) = doc
            .normal
            .original_range(range.start, range.end.max(range.start));
        let text = doc.span(s..e);
        if out
            .iter()
            .any(|o| o.kind == found.kind && o.text.start == text.start)
        {
            continue;
        }
        out.push(PolicyStatement {
            kind: found.kind,
            categories: found.categories,
            except: found.except,
            except_ids: found.except_ids,
            sdk: found.sdk,
            conditional: found.conditional,
            text,
        });
    }
    out
}

/// A statement found in a piece of normalised, markup-free text.
#[derive(Debug, Clone)]
pub(crate) struct FoundStatement {
    pub kind: StatementKind,
    pub categories: Vec<String>,
    pub except: Vec<String>,
    pub except_ids: Vec<String>,
    pub sdk: Option<String>,
    pub conditional: bool,
    pub sentence: Range<usize>,
}

/// How far after its cue the object of an SDK statement may reach (normalised bytes).
const MAX_OBJECT: usize = 160;

/// The statements of normalised text; `resolve` maps an SDK name to its id.
pub(crate) fn statements_in_text(
    text: &str,
    meaning: &Meaning,
    resolve: impl Fn(&str) -> Option<String>,
) -> Vec<FoundStatement> {
    let mut cues: Vec<(Range<usize>, VerbKind)> = meaning.negation_cues(text);
    if let Some(extra) = &meaning.statement_cues {
        cues.extend(
            extra
                .find_iter(text)
                .map(|m| (m.range(), VerbKind::Integrate)),
        );
        cues.sort_by_key(|(r, _)| r.start);
    }
    let mut out = Vec::new();
    for (cue, kind) in cues {
        let start = sentence_start(text, cue.start);
        let end = sentence_end(text, cue.end).max(cue.end);
        let sentence = start..end;
        let whole = text.get(sentence.clone()).unwrap_or("");
        let before = text.get(start..cue.start).unwrap_or("");
        let after = text.get(cue.end..end).unwrap_or("");
        let conditional = meaning.conditions.is_match(whole) || meaning.has_exception(after);
        let mut push = |kind: StatementKind, categories: Vec<String>, except: Vec<String>| {
            let except_ids = except.iter().filter_map(|n| resolve(n)).collect();
            out.push(FoundStatement {
                kind,
                categories,
                except,
                except_ids,
                sdk: None,
                conditional,
                sentence: sentence.clone(),
            });
        };
        match kind {
            VerbKind::Track => push(StatementKind::NoTracking, Vec::new(), Vec::new()),
            VerbKind::Integrate => {
                // The object: what follows the cue, up to an example list ("such as …").
                let mut object_end = crate::policy::normal::snapped(after, 0, MAX_OBJECT).len();
                if let Some(m) = meaning.open_cues.find(after) {
                    object_end = object_end.min(m.start());
                }
                // In Chinese a comma ends the clause ("不使用相关功能，来阻止该SDK…"); in English
                // commas separate the items of the object ("cookies, analytics tools, or …").
                if let Some(comma) = after.get(..object_end).and_then(|o| o.find(',')) {
                    if after.get(..comma).is_some_and(|h| !h.is_ascii()) {
                        object_end = comma;
                    }
                }
                let object = after.get(..object_end).unwrap_or("");
                if !meaning.sdk_words.is_match(object) {
                    continue;
                }
                let mut categories: Vec<String> = Vec::new();
                let mut tracking = false;
                for c in &meaning.categories {
                    if c.named_in(object) {
                        tracking |= c.categories.iter().any(|x| x == "tracker");
                        categories.extend(c.categories.iter().cloned());
                    }
                }
                categories.sort();
                categories.dedup();
                let except = except_names(meaning, before);
                let other = meaning.other_words.is_match(object);
                if !categories.is_empty() {
                    push(StatementKind::NoSdkCategory, categories, except);
                    if tracking {
                        push(StatementKind::NoTracking, Vec::new(), Vec::new());
                    }
                } else if other || !except.is_empty() {
                    push(StatementKind::NoOtherSdks, Vec::new(), except);
                } else {
                    push(StatementKind::NoSdks, Vec::new(), Vec::new());
                }
            }
            VerbKind::Collect => {
                let about_sdk = meaning.sdk_words.is_match(before);
                let blanket = meaning.blanket.find(after).or_else(|| {
                    about_sdk
                        .then(|| meaning.scoped_blanket.find(after))
                        .flatten()
                });
                // The blanket object follows the verb closely ("不收集您的任何信息").
                if blanket.is_none_or(|m| m.start() > 24) {
                    continue;
                }
                let subject = about_sdk.then(|| subject_name(before));
                push(StatementKind::NoPersonalData, Vec::new(), Vec::new());
                if let (Some(name), Some(last)) = (subject, out.last_mut()) {
                    last.sdk = Some(resolve(&name).unwrap_or(name));
                }
            }
            VerbKind::Retain | VerbKind::Transmit => {}
        }
    }
    out
}

/// The names of an except frame before the cue ("除apple icloud外", "apart from x,").
fn except_names(meaning: &Meaning, before: &str) -> Vec<String> {
    let Some(open) = meaning.except_open.find_iter(before).last() else {
        return Vec::new();
    };
    let rest = before.get(open.end()..).unwrap_or("");
    let mut end = rest.find([',', ';', '，', '；']).unwrap_or(rest.len());
    for close in &meaning.except_close {
        if let Some(p) = rest.get(..end).and_then(|r| r.rfind(close.as_str())) {
            end = p;
            break;
        }
    }
    let mut names: Vec<String> = rest
        .get(..end)
        .unwrap_or("")
        .split(['、', '/'])
        .map(str::to_string)
        .collect();
    for joiner in &meaning.joiners {
        names = names
            .iter()
            .flat_map(|p| p.split(joiner.as_str()).map(str::to_string))
            .collect();
    }
    names
        .iter()
        .map(|p| p.trim().trim_matches(['"', '“', '”', '(', ')']).to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

/// The subject of a sentence before its cue: the text after the last comma or colon.
fn subject_name(before: &str) -> String {
    let cut = before
        .rfind([',', ':', '，', '：', '。'])
        .map(|p| {
            p + before
                .get(p..)
                .and_then(|r| r.chars().next())
                .map_or(1, char::len_utf8)
        })
        .unwrap_or(0);
    strip_markup(before.get(cut..).unwrap_or(before))
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stripped_offsets_map_back_to_the_normalised_text() {
        let normal = "we do**not**use ads.本应用`不`集成sdk";
        let stripped = Stripped::new(normal);
        assert_eq!(stripped.text, "we do not use ads.本应用不集成sdk");
        for word in ["not", "use ads", "不集成", "sdk", "we"] {
            let at = stripped.text.find(word).unwrap_or(usize::MAX);
            let range = stripped.normal_range(at..at + word.len());
            // A range over removed markup spans it in the normalised text.
            let back = normal.get(range).map(|r| r.replace('`', ""));
            assert_eq!(back.as_deref(), Some(word), "{word}");
        }
    }
}
