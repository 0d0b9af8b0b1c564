//! Plain word lists of the meaning files that are not compiled into regexes: number words
//! (附件二), third-party words of appendix names and the joiners of an except list.

use super::alternation;
use super::file::MeaningFile;
use crate::policy::normal::normalise_word;

/// Numbers after an appendix name: the number words of `[references] numerals` or one or two
/// digits.
pub(super) fn appendix_numbers(files: &[MeaningFile]) -> String {
    let words: Vec<&String> = files
        .iter()
        .flat_map(|f| f.references.numerals.iter().flatten())
        .collect();
    format!("{}|[0-9]{{1,2}}", alternation(&words))
}

/// `[references] third_party` of every file, normalised.
pub(super) fn third_party_words(files: &[MeaningFile]) -> Vec<String> {
    files
        .iter()
        .flat_map(|f| &f.references.third_party)
        .map(|w| normalise_word(w))
        .filter(|w| !w.is_empty())
        .collect()
}

/// `[statements] joiners` of every file, lower case with their spaces (" and ").
pub(super) fn joiners(files: &[MeaningFile]) -> Vec<String> {
    files
        .iter()
        .flat_map(|f| &f.statements.joiners)
        .map(|w| w.to_lowercase())
        .filter(|w| !w.trim().is_empty())
        .collect()
}

/// `[enumeration] item_frames` of every file, as written (a frame is filled in and then
/// normalised like a data word: normalising "your {}" alone would drop its space); each must
/// hold `{}` once and words beside it.
pub(super) fn item_frames(files: &[MeaningFile]) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for f in files {
        for frame in &f.enumeration.item_frames {
            if frame.matches("{}").count() != 1 || frame.trim() == "{}" {
                return Err(format!(
                    "item frame '{frame}' must hold {{}} once, beside words"
                ));
            }
            out.push(frame.trim().to_string());
        }
    }
    Ok(out)
}

/// Number word → value: the words of entry N of each file's `numerals` mean N + 1.
pub(super) fn numerals(files: &[MeaningFile]) -> std::collections::HashMap<String, u32> {
    let mut out = std::collections::HashMap::new();
    for f in files {
        for (value, words) in (1u32..).zip(&f.references.numerals) {
            for w in words {
                out.insert(normalise_word(w), value);
            }
        }
    }
    out
}
