//! Strict checks of an SDK's iOS evidence values: class prefixes that are not Apple's, C symbol
//! and archive-member prefixes long enough not to claim a word, and the rule that every exact
//! `ios.classes` entry was seen in a real binary — named, with the binary, in one of the SDK's
//! `sources` — while names taken only from vendor headers or documentation go to
//! `ios.documented_classes` (they match the same way; the split says what was verified).
//!
//! ```
//! let set = disclose::signatures::SignatureSet::builtin()?;
//! for sdk in &set.sdks {
//!     assert!(disclose::signatures::validate_ios::ios_value_problems(&sdk.spec).is_empty());
//! }
//! # Ok::<(), disclose::signatures::SignatureError>(())
//! ```

use super::schema::SdkFile;

/// Two-letter prefixes of Apple's frameworks: no SDK may claim them as a class prefix.
const APPLE_CLASS_PREFIXES: [&str; 16] = [
    "NS", "UI", "CF", "CG", "CA", "CL", "AV", "MK", "SK", "WK", "CN", "PH", "HK", "EK", "CB", "LA",
];

/// What is wrong with the iOS evidence values of `sdk`, one message per problem.
pub fn ios_value_problems(sdk: &SdkFile) -> Vec<String> {
    let i = &sdk.ios;
    let mut out = Vec::new();
    for prefix in &i.class_prefixes {
        if prefix.chars().count() < 2
            || prefix.contains(char::is_whitespace)
            || APPLE_CLASS_PREFIXES.contains(&prefix.as_str())
        {
            out.push(format!(
                "'{prefix}' in 'ios.class_prefixes' is too short or an Apple prefix"
            ));
        }
    }
    for s in &i.symbols {
        if s.len() < 5 || s.starts_with(['_', '$']) || s.starts_with("OBJC_") || s.contains(' ') {
            out.push(format!(
                "'{s}' in 'ios.symbols' is shorter than 5 characters, has a space, or starts \
                 with '_', '$' or 'OBJC_' (write C names without the leading underscore)"
            ));
        }
    }
    for o in &i.objects {
        if o.len() < 6 || o.contains(['/', ' ']) {
            out.push(format!(
                "'{o}' in 'ios.objects' is shorter than 6 characters or has a '/' or space"
            ));
        }
    }
    for class in &i.classes {
        if !sdk.sources.iter().any(|s| names_class(s, class)) {
            out.push(format!(
                "'{class}' in 'ios.classes' is not named in any 'sources' entry: cite the real \
                 binary that defines it, or move it to 'ios.documented_classes'"
            ));
        }
    }
    for class in &i.documented_classes {
        if i.classes.contains(class) {
            out.push(format!(
                "'{class}' is in both 'ios.classes' and 'ios.documented_classes'"
            ));
        }
    }
    out
}

/// Whether `source` names `class` as a whole word (`AMPPlan` is not named by `AMPPlanner`).
fn names_class(source: &str, class: &str) -> bool {
    source.match_indices(class).any(|(at, _)| {
        let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        !word(source.get(..at).and_then(|s| s.chars().next_back()))
            && !word(
                source
                    .get(at + class.len()..)
                    .and_then(|s| s.chars().next()),
            )
    })
}

#[cfg(test)]
mod tests {
    use super::names_class;

    #[test]
    fn a_class_is_named_as_a_whole_word_only() {
        assert!(names_class(
            "libX.a (llvm-nm: AMPPlan, AMPUtils)",
            "AMPPlan"
        ));
        assert!(!names_class("libX.a (llvm-nm: AMPPlanner)", "AMPPlan"));
        assert!(!names_class("libX.a (llvm-nm: MyAMPPlan)", "AMPPlan"));
    }
}
