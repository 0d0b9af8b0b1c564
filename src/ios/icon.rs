//! The launcher icon of an iOS app: the files `Info.plist` names
//! (`CFBundleIcons → CFBundlePrimaryIcon → CFBundleIconFiles`, the iPad variant
//! `CFBundleIcons~ipad`, and the older `CFBundleIconFiles` / `CFBundleIconFile`), matched in the
//! app folder with their `@2x`/`@3x`/`~ipad` suffixes, else every `AppIcon*.png` there; of those
//! the one with the most pixels, converted to a standard PNG ([`super::icon_png`]).
//!
//! ```
//! use disclose::ios::icon::icon_candidates;
//! let paths = vec!["P/A.app/AppIcon60x60@2x.png".to_string(), "P/A.app/AppIcon60x60@3x.png".into(),
//!                  "P/A.app/Other.png".into()];
//! assert_eq!(icon_candidates(&paths, "P/A.app", &["AppIcon60x60".into()]).len(), 2);
//! ```

use super::bundle::BundleSource;
use super::icon_png::{png_size, standard_png};
use crate::model::AppIcon;
use plist::{Dictionary, Value};

/// Icon files larger than this are not read (an app icon is a few KB to a few hundred KB).
pub const MAX_ICON_FILE_BYTES: u64 = 512 * 1024;
/// Most candidate files whose header is read.
const MAX_CANDIDATES: usize = 32;

/// The icon base names `Info.plist` lists, in the order above.
pub fn icon_names(info: &Dictionary) -> Vec<String> {
    let mut names = Vec::new();
    for key in ["CFBundleIcons", "CFBundleIcons~ipad"] {
        let files = info
            .get(key)
            .and_then(Value::as_dictionary)
            .and_then(|d| d.get("CFBundlePrimaryIcon"))
            .and_then(Value::as_dictionary)
            .and_then(|d| d.get("CFBundleIconFiles"));
        names.extend(strings(files));
    }
    names.extend(strings(info.get("CFBundleIconFiles")));
    names.extend(strings(info.get("CFBundleIconFile")));
    names
}

fn strings(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_string)
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

/// The PNG files directly in `app_dir` that carry one of `names` (with or without `.png`, with
/// any `@Nx` / `~device` suffix); with no names, or none found, every `AppIcon*.png` there.
pub fn icon_candidates(paths: &[String], app_dir: &str, names: &[String]) -> Vec<String> {
    let in_app: Vec<(&String, &str)> = paths
        .iter()
        .filter_map(|p| {
            let file = p.strip_prefix(app_dir)?.strip_prefix('/')?;
            (!file.contains('/') && file.to_ascii_lowercase().ends_with(".png"))
                .then_some((p, file))
        })
        .collect();
    let named: Vec<String> = in_app
        .iter()
        .filter(|(_, file)| names.iter().any(|name| carries_name(file, name)))
        .map(|(p, _)| (*p).clone())
        .collect();
    if !named.is_empty() {
        return named;
    }
    in_app
        .iter()
        .filter(|(_, file)| file.to_ascii_lowercase().starts_with("appicon"))
        .map(|(p, _)| (*p).clone())
        .collect()
}

/// `AppIcon60x60@2x.png` carries `AppIcon60x60` (and `AppIcon60x60.png`).
fn carries_name(file: &str, name: &str) -> bool {
    let base = name.strip_suffix(".png").unwrap_or(name);
    match file.strip_prefix(base) {
        Some(rest) => rest.starts_with('@') || rest.starts_with('~') || rest == ".png",
        None => false,
    }
}

/// The app's icon as a standard PNG: the candidate with the most pixels. `Ok(None)` when the
/// app has no icon file; `Err` (one line naming the file) when every candidate is unreadable.
pub fn read_app_icon(
    src: &dyn BundleSource,
    app_dir: &str,
    info: Option<&Dictionary>,
) -> Result<Option<AppIcon>, String> {
    let names = info.map(icon_names).unwrap_or_default();
    let candidates = icon_candidates(&src.paths(), app_dir, &names);
    let mut best: Option<(u64, String, Vec<u8>)> = None;
    let mut first_error = None;
    for path in candidates.iter().take(MAX_CANDIDATES) {
        let read = src
            .read(path, MAX_ICON_FILE_BYTES)
            .map_err(|e| e.to_string())
            .and_then(|bytes| {
                let (w, h) = png_size(&bytes).map_err(|e| format!("{path}: {e}"))?;
                Ok((u64::from(w) * u64::from(h), bytes))
            });
        match read {
            Ok((pixels, bytes)) => {
                if best.as_ref().is_none_or(|(most, _, _)| pixels > *most) {
                    best = Some((pixels, path.clone(), bytes));
                }
            }
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    let Some((_, file, bytes)) = best else {
        return first_error.map_or(Ok(None), Err);
    };
    let png = standard_png(&bytes).map_err(|e| format!("{file}: {e}"))?;
    Ok(Some(AppIcon {
        file,
        media_type: "image/png".to_string(),
        bytes: png,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(files: &[&str]) -> Vec<String> {
        files.iter().map(|f| format!("Payload/A.app/{f}")).collect()
    }

    #[test]
    fn plist_names_pick_their_scaled_variants_only() {
        let all = paths(&[
            "AppIcon60x60@2x.png",
            "AppIcon76x76@2x~ipad.png",
            "AppIcon60x60Dark@2x.png",
            "Frameworks/F.framework/AppIcon60x60@3x.png",
            "LaunchImage.png",
        ]);
        let names = ["AppIcon60x60".to_string(), "AppIcon76x76.png".to_string()];
        assert_eq!(
            icon_candidates(&all, "Payload/A.app", &names),
            paths(&["AppIcon60x60@2x.png", "AppIcon76x76@2x~ipad.png"])
        );
        // No names (or none present): every AppIcon*.png at the top of the app.
        assert_eq!(
            icon_candidates(&all, "Payload/A.app", &["Missing".into()]).len(),
            3
        );
    }

    #[test]
    fn names_come_from_every_icon_key() {
        let xml = br#"<?xml version="1.0"?><plist version="1.0"><dict>
            <key>CFBundleIcons</key><dict><key>CFBundlePrimaryIcon</key><dict>
              <key>CFBundleIconFiles</key><array><string>AppIcon60x60</string></array></dict></dict>
            <key>CFBundleIcons~ipad</key><dict><key>CFBundlePrimaryIcon</key><dict>
              <key>CFBundleIconFiles</key><array><string>AppIcon76x76</string></array></dict></dict>
            <key>CFBundleIconFile</key><string>Icon.png</string></dict></plist>"#;
        let dict = crate::ios::plist::parse_dictionary(xml, 1 << 20).unwrap();
        assert_eq!(
            icon_names(&dict),
            ["AppIcon60x60", "AppIcon76x76", "Icon.png"]
        );
    }
}
