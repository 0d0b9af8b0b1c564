//! Negation in a policy sentence: the cues ("不会收集", "do not collect"), what their verb
//! denies, and whether an exception word (除非, unless) takes the denial back.
//!
//! ```
//! use disclose::policy::lang::meaning::{Meaning, VerbKind};
//! let meaning = Meaning::builtin()?;
//! assert_eq!(meaning.live_negation("我们不会收集您的"), Some(VerbKind::Collect));
//! # Ok::<(), disclose::policy::PolicyError>(())
//! ```

use super::markup::strip_markup;
use super::{Meaning, VerbKind};

impl Meaning {
    /// Every negation cue in normalised `text` (markup already stripped): its byte range and
    /// the kind of its verb.
    pub fn negation_cues(&self, text: &str) -> Vec<(std::ops::Range<usize>, VerbKind)> {
        self.negation
            .captures_iter(text)
            .filter_map(|caps| self.cue_of(&caps))
            .collect()
    }

    /// The first negation cue of `negation_cues(text)`, without reading the rest of `text`.
    pub fn first_negation_cue(&self, text: &str) -> Option<(std::ops::Range<usize>, VerbKind)> {
        self.negation
            .captures_iter(text)
            .find_map(|caps| self.cue_of(&caps))
    }

    /// The last negation cue of `negation_cues(text)`: the matches are found without their
    /// groups (a fast search) and only the last one is read with them. It starts where the
    /// last match starts, so the search resumed there finds that same match.
    pub fn last_negation_cue(&self, text: &str) -> Option<(std::ops::Range<usize>, VerbKind)> {
        let last = self.negation.find_iter(text).last()?;
        let cue = self
            .negation
            .captures_at(text, last.start())
            .filter(|caps| caps.get(0).is_some_and(|m| m.range() == last.range()))
            .and_then(|caps| self.cue_of(&caps));
        match cue {
            Some(cue) => Some(cue),
            None => self.negation_cues(text).pop(),
        }
    }

    /// The range and verb kind of one match of the negation regex.
    fn cue_of(&self, caps: &regex::Captures<'_>) -> Option<(std::ops::Range<usize>, VerbKind)> {
        let all = caps.get(0)?;
        let kind = [
            ("track", VerbKind::Track),
            ("integrate", VerbKind::Integrate),
            ("transmit", VerbKind::Transmit),
            ("retain", VerbKind::Retain),
            ("collect", VerbKind::Collect),
        ]
        .into_iter()
        .find(|(name, _)| caps.name(name).is_some())
        .map(|(_, k)| k)?;
        // "不会收集或储存": a collect verb among the fillers denies collecting too.
        let kind = match kind {
            VerbKind::Retain | VerbKind::Transmit if self.collect_verbs.is_match(all.as_str()) => {
                VerbKind::Collect
            }
            k => k,
        };
        Some((all.range(), kind))
    }

    /// Whether the text right after a data word narrows a denial to something else inside
    /// it ("中其他无关信息").
    pub fn narrows(&self, after_word: &str) -> bool {
        self.narrowing.is_match(after_word)
    }

    /// The kind of the last negation cue of `before` (the start of a sentence up to a word)
    /// when no exception word follows it: the word after `before` is then denied.
    pub fn live_negation(&self, before: &str) -> Option<VerbKind> {
        let clean = strip_markup(before);
        let (range, kind) = self.last_negation_cue(&clean)?;
        let after = clean.get(range.end..).unwrap_or("");
        let Some(exception) = self.exceptions.find(after) else {
            return Some(kind);
        };
        // "never stores nor transmits, but does collect …": the verb has no object before
        // the contrast, so it shares the object that follows.
        let bare_verb = after
            .get(..exception.start())
            .is_some_and(|gap| !gap.contains(char::is_alphanumeric));
        let contrast = self
            .contrasts
            .find(after)
            .is_some_and(|c| c.start() == exception.start());
        (bare_verb && contrast).then_some(kind)
    }

    /// Whether the denial cue of `before` (the start of a sentence up to a denied word) stands
    /// after a `[negation] conditions` phrase ("在您未开启…时，我们不会收集…"): the type is
    /// denied only under that condition.
    pub fn denial_is_conditional(&self, before: &str) -> bool {
        let clean = strip_markup(before);
        let Some((cue, _)) = self.last_negation_cue(&clean) else {
            return false;
        };
        self.denial_conditions
            .find(&clean)
            .is_some_and(|m| m.start() < cue.start)
    }

    /// What a determiner right before a data word denies ("no pii is stored" → keeping):
    /// `None` when `before` does not end with one; else the kind of the verb in `after`
    /// (keeping, sending) or collecting.
    pub fn determiner_denial(&self, before: &str, after: &str) -> Option<VerbKind> {
        if !self.determiners.is_match(&strip_markup(before)) {
            return None;
        }
        let retain = self.retain_verbs.find(after).map(|m| m.start());
        let transmit = self.transmit_verbs.find(after).map(|m| m.start());
        Some(match (retain, transmit) {
            (Some(r), Some(t)) if t < r => VerbKind::Transmit,
            (Some(_), _) => VerbKind::Retain,
            (None, Some(_)) => VerbKind::Transmit,
            (None, None) => VerbKind::Collect,
        })
    }
}
