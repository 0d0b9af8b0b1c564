//! `disclose signatures test` for `signatures/language/<lang>/meaning.toml`: every example of
//! every section, run through the compiled vocabulary of all languages together.
//!
//! ```
//! let sources = disclose::signatures::SignatureSources::builtin();
//! let (files, problems) = disclose::policy::lang::meaning::parse_sources(&sources);
//! assert!(problems.is_empty());
//! assert!(disclose::policy::lang::meaning::run_examples(&files).is_empty());
//! ```

use super::{Meaning, MeaningFile, VerbKind};
use crate::signatures::SignatureError;

/// `disclose signatures test` for the meaning files: every example of every section, run
/// through the vocabulary of all languages together. Feature examples mark the data word with
/// braces (`点击{通讯录}菜单`); statement examples may start with a kind (`no-sdks: …`): a match
/// must give an unconditional statement of that kind, a no-match must not (without a kind: no
/// unconditional statement at all).
pub fn run_examples(files: &[MeaningFile]) -> Vec<SignatureError> {
    let meaning = match Meaning::new(files) {
        Ok(m) => m,
        Err(e) => {
            let origin = files
                .first()
                .map_or("signatures/language", |f| f.origin.as_str());
            return vec![SignatureError::new(origin, e)];
        }
    };
    let mut failures = Vec::new();
    for file in files {
        for (section, examples) in file.all_examples() {
            let cases = examples
                .must_match
                .iter()
                .map(|e| (e, true))
                .chain(examples.no_match.iter().map(|e| (e, false)));
            for (example, want) in cases {
                match example_holds(&meaning, &section, example) {
                    Ok(got) if got == want => {}
                    Ok(_) => {
                        let list = if want { "match" } else { "no_match" };
                        let verb = if want { "does not match" } else { "matches" };
                        failures.push(SignatureError::new(
                            &file.origin,
                            format!("{section}: example '{example}' in 'examples.{list}' {verb}"),
                        ));
                    }
                    Err(why) => failures.push(SignatureError::new(
                        &file.origin,
                        format!("{section}: example '{example}': {why}"),
                    )),
                }
            }
        }
    }
    failures
}

fn normal(text: &str) -> String {
    crate::policy::NormalText::new(text).text
}

fn example_holds(meaning: &Meaning, section: &str, example: &str) -> Result<bool, String> {
    let text = normal(example);
    Ok(match section {
        "negation" => {
            meaning
                .live_negation(&text)
                .is_some_and(|k| k != VerbKind::Integrate)
                || meaning.determiner_denial(&text, "").is_some()
        }
        "enumeration" => meaning.open_cues.is_match(&text) || meaning.open_end.is_match(&text),
        "permission_context" => meaning.is_permission_context(&text),
        "references" => {
            meaning.sdk_list_reference(&text).is_some() || meaning.appendix.is_match(&text)
        }
        "feature_context" => {
            let (Some(a), Some(b)) = (text.find('{'), text.find('}')) else {
                return Err("mark the data word with braces: 点击{通讯录}菜单".into());
            };
            let plain = format!(
                "{}{}{}",
                text.get(..a).unwrap_or(""),
                text.get(a + 1..b).unwrap_or(""),
                text.get(b + 1..).unwrap_or("")
            );
            meaning.is_feature_name(&plain, a, b - 1)
        }
        "statements" => {
            let (kind, sentence) = match text.split_once(": ") {
                Some((k, s)) if k.starts_with("no-") => (Some(k.to_string()), s.to_string()),
                _ => (None, text.clone()),
            };
            let found = crate::policy::statements::statements_in_text(&sentence, meaning, |_| None);
            found
                .iter()
                .any(|f| !f.conditional && kind.as_deref().is_none_or(|k| f.kind.code() == k))
        }
        other if other.starts_with("permission_group '") => {
            let name = other
                .strip_prefix("permission_group '")
                .and_then(|r| r.strip_suffix('\''))
                .unwrap_or("");
            meaning
                .permission_groups
                .iter()
                .filter(|g| g.group == name)
                .any(|g| g.named_in(&text))
        }
        other => {
            let name = other
                .strip_prefix("sdk_category '")
                .and_then(|r| r.strip_suffix('\''))
                .ok_or_else(|| format!("unknown section {other}"))?;
            meaning
                .categories
                .iter()
                .filter(|c| c.name == name)
                .any(|c| c.named_in(&text))
        }
    })
}
