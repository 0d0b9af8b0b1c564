//! Emphasis markup in policy text (`**not**`, `_x_`, `` `x` ``, `~~x~~`), which must never
//! hide a word such as "not".
//!
//! ```
//! use disclose::policy::lang::meaning::strip_markup;
//! assert_eq!(strip_markup("we do **not** collect"), "we do not collect");
//! ```

use std::borrow::Cow;

/// Whether `c` is emphasis markup (`**not**`, `_not_`, `` `x` ``, `~~x~~`).
pub fn is_markup(c: char) -> bool {
    matches!(c, '*' | '_' | '`' | '~')
}

/// Text without emphasis markup, which must never hide a word such as "not". Normalised text
/// has lost the spaces around markup ("do**not**collect"), so a markup run between two Latin
/// letters or digits becomes one space.
pub fn strip_markup(text: &str) -> Cow<'_, str> {
    // Most sentences hold no markup: they are read as they are, without a copy.
    if !text.bytes().any(|b| is_markup(char::from(b))) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut in_run = false;
    for c in text.chars() {
        if is_markup(c) {
            in_run = true;
            continue;
        }
        if in_run
            && c.is_ascii_alphanumeric()
            && out
                .chars()
                .last()
                .is_some_and(|p| p.is_ascii_alphanumeric())
        {
            out.push(' ');
        }
        in_run = false;
        out.push(c);
    }
    Cow::Owned(out)
}
