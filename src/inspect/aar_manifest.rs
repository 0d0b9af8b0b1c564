//! The `AndroidManifest.xml` of an `.aar`: plain XML text as the library's author wrote it (an
//! AAR is not compiled to binary XML), whose elements every app that links the library
//! inherits through the manifest merger. Vetting an SDK package reads its `<uses-permission>`
//! elements, so its report lists the permissions the SDK brings like an app's report does, and
//! the components and `<meta-data>` names it declares, which are evidence of the SDK they
//! belong to (a signature file's `android.components` / `android.meta_data`).
//!
//! Elements are read after comments are removed; attribute values may be in single or double
//! quotes; a component name starting with `.` (or without any `.`) is relative to the
//! manifest's `package`.
//!
//! ```text
//! <uses-permission android:name="android.permission.INTERNET" />   → INTERNET
//! <!-- <uses-permission android:name="android.permission.CAMERA"/> -->  → (a comment: nothing)
//! <manifest package="com.vendor.sdk"> <service android:name=".PushService"/>
//!                                                                   → component com.vendor.sdk.PushService
//! <meta-data android:name="VENDOR_APPKEY" android:value="…"/>       → meta-data VENDOR_APPKEY
//! ```

use crate::android::manifest::UsesPermission;

/// Every element of a manifest's text (comments removed): its name and its attribute text.
fn elements(text: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..end];
        rest = &rest[end..];
        let name_end = tag
            .find(|c: char| c.is_whitespace() || c == '/')
            .unwrap_or(tag.len());
        out.push((&tag[..name_end], &tag[name_end..]));
    }
    out
}

/// Every `<uses-permission>` / `<uses-permission-sdk-23>` element of a manifest's text.
pub(super) fn uses_permissions(text: &str) -> Vec<UsesPermission> {
    let text = without_comments(text);
    let mut out = Vec::new();
    for (element, attrs) in elements(&text) {
        let sdk23 = match element {
            "uses-permission" => false,
            "uses-permission-sdk-23" => true,
            _ => continue,
        };
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

/// What an AAR's manifest declares that names an SDK: component classes (full names) and
/// `<meta-data>` names, each with the element it came from.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Declarations {
    /// (element, full class name): `("service", "com.vendor.sdk.PushService")`.
    pub components: Vec<(String, String)>,
    pub meta_data: Vec<String>,
}

/// The components and meta-data names a manifest's text declares.
pub(super) fn declarations(text: &str) -> Declarations {
    let text = without_comments(text);
    let all = elements(&text);
    let package = all
        .iter()
        .find(|(e, _)| *e == "manifest")
        .and_then(|(_, attrs)| attribute(attrs, "package"))
        .unwrap_or("");
    let mut out = Declarations::default();
    for (element, attrs) in all {
        let Some(name) = attribute(attrs, "android:name").filter(|n| !n.is_empty()) else {
            continue;
        };
        match element {
            "activity" | "activity-alias" | "service" | "receiver" | "provider" => {
                let full = if name.starts_with('.') {
                    format!("{package}{name}")
                } else if !name.contains('.') && !package.is_empty() {
                    format!("{package}.{name}")
                } else {
                    name.to_string()
                };
                out.components.push((element.to_string(), full));
            }
            "meta-data" => out.meta_data.push(name.to_string()),
            _ => {}
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

    #[test]
    fn components_and_meta_data_with_relative_names() {
        let text = r#"<manifest xmlns:android="http://schemas.android.com/apk/res/android"
    package="com.vendor.sdk">
  <application>
    <service android:name=".PushService" android:exported="false"/>
    <receiver android:name="com.vendor.sdk.receiver.Boot"/>
    <activity android:name="AdActivity"/>
    <!-- <provider android:name="com.vendor.Hidden"/> -->
    <meta-data android:name="VENDOR_APPKEY" android:value="k"/>
  </application>
</manifest>"#;
        let got = declarations(text);
        let names: Vec<(&str, &str)> = got
            .components
            .iter()
            .map(|(e, n)| (e.as_str(), n.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("service", "com.vendor.sdk.PushService"),
                ("receiver", "com.vendor.sdk.receiver.Boot"),
                ("activity", "com.vendor.sdk.AdActivity")
            ]
        );
        assert_eq!(got.meta_data, ["VENDOR_APPKEY"]);
        assert_eq!(declarations("<manifest>"), Declarations::default());
    }
}
