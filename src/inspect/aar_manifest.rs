//! The `AndroidManifest.xml` of an `.aar`: plain XML text as the library's author wrote it (an
//! AAR is not compiled to binary XML), whose `<uses-permission>` elements every app that links
//! the library inherits through the manifest merger. Vetting an SDK package reads them so its
//! report lists the permissions the SDK brings, like an app's report does.
//!
//! Only the elements named `uses-permission` and `uses-permission-sdk-23` are read, after
//! comments are removed; attribute values may be in single or double quotes.
//!
//! ```text
//! <uses-permission android:name="android.permission.INTERNET" />   → INTERNET
//! <!-- <uses-permission android:name="android.permission.CAMERA"/> -->  → (a comment: nothing)
//! ```

use crate::android::manifest::UsesPermission;

/// Every `<uses-permission>` / `<uses-permission-sdk-23>` element of a manifest's text.
pub(super) fn uses_permissions(text: &str) -> Vec<UsesPermission> {
    let text = without_comments(text);
    let mut out = Vec::new();
    let mut rest = text.as_str();
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..end];
        rest = &rest[end..];
        let name_end = tag
            .find(|c: char| c.is_whitespace() || c == '/')
            .unwrap_or(tag.len());
        let sdk23 = match &tag[..name_end] {
            "uses-permission" => false,
            "uses-permission-sdk-23" => true,
            _ => continue,
        };
        let attrs = &tag[name_end..];
        if let Some(name) = attribute(attrs, "android:name") {
            out.push(UsesPermission {
                name: name.to_string(),
                sdk23,
                max_sdk: attribute(attrs, "android:maxSdkVersion").and_then(|v| v.parse().ok()),
                occurrences: 1,
            });
        }
    }
    out
}

/// The text with every `<!-- … -->` removed (an unterminated comment runs to the end).
fn without_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        rest = match rest[start + 4..].find("-->") {
            Some(end) => &rest[start + 4 + end + 3..],
            None => "",
        };
    }
    out.push_str(rest);
    out
}

/// The value of attribute `name` in a tag's attribute text.
fn attribute<'a>(attrs: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = attrs;
    while let Some(at) = rest.find(name) {
        let before_ok = rest[..at]
            .chars()
            .next_back()
            .is_none_or(char::is_whitespace);
        let after = rest[at + name.len()..].trim_start();
        rest = &rest[at + name.len()..];
        let Some(value) = after.strip_prefix('=').map(str::trim_start) else {
            continue;
        };
        if !before_ok {
            continue;
        }
        let quote = value.chars().next()?;
        if quote != '"' && quote != '\'' {
            continue;
        }
        let body = &value[1..];
        return body.find(quote).map(|end| &body[..end]);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_comments_quotes_and_lookalikes() {
        let text = r#"<manifest xmlns:android="http://schemas.android.com/apk/res/android">
  <uses-permission android:name="android.permission.INTERNET" />
  <!-- <uses-permission android:name="android.permission.CAMERA" /> -->
  <uses-permission-sdk-23 android:name='android.permission.ACCESS_FINE_LOCATION'/>
  <uses-permission
      android:maxSdkVersion="18"
      android:name="android.permission.WRITE_EXTERNAL_STORAGE" >
  </uses-permission>
  <uses-permission-x android:name="not.this" />
  <permission android:name="com.example.OWN" />
</manifest>"#;
        let got = uses_permissions(text);
        let names: Vec<&str> = got.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "android.permission.INTERNET",
                "android.permission.ACCESS_FINE_LOCATION",
                "android.permission.WRITE_EXTERNAL_STORAGE"
            ]
        );
        assert!(got[1].sdk23);
        assert_eq!(got[2].max_sdk, Some(18));
        assert!(uses_permissions("<uses-permission android:name=\"x").is_empty());
    }
}
