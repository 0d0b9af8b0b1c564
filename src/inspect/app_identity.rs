//! What a user recognises an Android app by: its name (`android:label`) and launcher icon
//! (`android:icon`), resolved through the package's `resources.arsc` (an App Bundle's
//! `base/resources.pb`). The name is the value in
//! the default language (else English, else the first language the table has); the icon is the
//! bitmap at the highest screen density, following an adaptive icon's `<foreground>` layer when
//! the launcher icon is one. Nothing here fails an inspection: a table that cannot be read
//! leaves the name and icon unknown and says why in an analysis limit.
//!
//! ```text
//! $ disclose inspect Yosemite.apk --format json
//! "app": { …, "name": "Yosemite",
//!          "icon": { "file": "res/mipmap-xxxhdpi-v4/ic_launcher.png", "media_type": "image/png" } }
//! ```

use crate::android::arsc::{ConfiguredValue, ResourceTable};
use crate::android::axml::{Value, XmlDocument};
use crate::android::manifest::AndroidManifest;
use crate::android::{proto_xml, resources_pb};
use crate::archive::AppPackage;
use crate::model::{AppIcon, Limit, LimitKind};

/// Icons larger than this are not embedded in reports (a launcher icon is a few KB).
const MAX_ICON_BYTES: u64 = 512 * 1024;
/// Density the platform assumes for resources without one (mdpi).
const DEFAULT_DENSITY: u16 = 160;

/// The app's name and icon, and why they could not be read when they could not.
#[derive(Debug, Default)]
pub(crate) struct AppIdentity {
    pub name: Option<String>,
    pub icon: Option<AppIcon>,
    pub limits: Vec<Limit>,
}

/// A resource table: `resources.arsc` of an APK, or `base/resources.pb` of an App Bundle.
enum Table<'a> {
    Arsc(ResourceTable<'a>),
    Proto(&'a [u8]),
}

impl Table<'_> {
    fn values(&self, id: u32) -> Result<Vec<ConfiguredValue>, String> {
        match self {
            Table::Arsc(table) => Ok(table.values(id)),
            Table::Proto(bytes) => {
                resources_pb::values(bytes, id).map_err(|e| format!("{BUNDLE_TABLE}: {e}"))
            }
        }
    }
}

/// Where an App Bundle keeps the base module's resource table; its files are under `base/`.
const BUNDLE_TABLE: &str = "base/resources.pb";

/// Resolves the manifest's label and icon in the first split that has a resource table.
pub(crate) fn android_identity(package: &AppPackage, manifest: &AndroidManifest) -> AppIdentity {
    let mut identity = AppIdentity {
        name: manifest
            .application
            .label
            .clone()
            .filter(|l| resource_id(l).is_none()),
        ..AppIdentity::default()
    };
    let label_id = manifest.application.label.as_deref().and_then(resource_id);
    let icon_id = manifest.application.icon.as_deref().and_then(resource_id);
    if label_id.is_none() && icon_id.is_none() {
        return identity;
    }
    // (split, table file, prefix of the table's file paths inside the archive)
    let Some((split, table_file, prefix, bytes)) = package.splits.iter().find_map(|split| {
        let (file, prefix) = [("resources.arsc", ""), (BUNDLE_TABLE, "base/")]
            .into_iter()
            .find(|(file, _)| split.archive.entry(file).is_some())?;
        let entry = split.archive.entry(file)?;
        Some((split, file, prefix, split.archive.read(entry)))
    }) else {
        return identity;
    };
    let bytes = match bytes {
        Ok(bytes) => bytes,
        Err(e) => {
            identity
                .limits
                .push(unreadable(format!("{table_file}: {e}")));
            return identity;
        }
    };
    let table = if table_file == BUNDLE_TABLE {
        Table::Proto(&bytes)
    } else {
        match ResourceTable::parse(&bytes) {
            Ok(table) => Table::Arsc(table),
            Err(e) => {
                identity.limits.push(unreadable(e.to_string()));
                return identity;
            }
        }
    };
    let mut lookup = |id: u32| match table.values(id) {
        Ok(values) => values,
        Err(e) => {
            identity.limits.push(unreadable(e));
            Vec::new()
        }
    };
    let name = label_id.and_then(|id| default_string(&lookup(id)));
    let icon = icon_id.and_then(|id| {
        let file = icon_file(&mut lookup, id, package, prefix)?;
        read_icon(package, &split.name, &format!("{prefix}{file}"))
    });
    if label_id.is_some() {
        identity.name = name;
    }
    identity.icon = icon;
    identity
}

/// `@0x7f0b0001` → `0x7f0b0001`.
fn resource_id(text: &str) -> Option<u32> {
    u32::from_str_radix(text.strip_prefix("@0x")?, 16).ok()
}

fn unreadable(message: String) -> Limit {
    Limit::new(
        LimitKind::Unreadable,
        format!("app name and icon unknown: {message}"),
    )
}

/// The string in the default language, else English, else the first one.
fn default_string(values: &[ConfiguredValue]) -> Option<String> {
    fn text(v: &ConfiguredValue) -> Option<&str> {
        v.value.as_str().map(str::trim).filter(|s| !s.is_empty())
    }
    let rank = |v: &ConfiguredValue| match v.config.locale.as_str() {
        "" => 0,
        "en" | "en-US" => 1,
        _ => 2,
    };
    let mut candidates: Vec<&ConfiguredValue> =
        values.iter().filter(|v| text(v).is_some()).collect();
    candidates.sort_by_key(|v| rank(v));
    candidates.first().and_then(|v| text(v)).map(str::to_string)
}

/// The bitmap file of icon resource `id` at the highest density; an adaptive icon (XML) is
/// followed to its foreground layer. `prefix` is where the table's paths are in the archive.
fn icon_file(
    lookup: &mut dyn FnMut(u32) -> Vec<ConfiguredValue>,
    id: u32,
    package: &AppPackage,
    prefix: &str,
) -> Option<String> {
    let files = file_values(&lookup(id));
    if let Some(bitmap) = best_bitmap(&files) {
        return Some(bitmap);
    }
    // Only XML drawables: an adaptive icon names its layers by reference.
    files
        .iter()
        .filter(|(file, _)| file.ends_with(".xml"))
        .find_map(|(file, _)| {
            let foreground = adaptive_foreground(package, &format!("{prefix}{file}"))?;
            best_bitmap(&file_values(&lookup(foreground)))
        })
}

/// `(file, density)` of every string value (drawables resolve to file paths).
fn file_values(values: &[ConfiguredValue]) -> Vec<(String, u16)> {
    values
        .iter()
        .filter_map(|v| Some((v.value.as_str()?.to_string(), v.config.density)))
        .collect()
}

/// The bitmap at the highest real density (`nodpi`/`anydpi` rank lowest).
fn best_bitmap(files: &[(String, u16)]) -> Option<String> {
    files
        .iter()
        .filter(|(file, _)| media_type(file).is_some())
        .max_by_key(|(file, density)| {
            let rank = match *density {
                0 => DEFAULT_DENSITY,
                0xfffe | 0xffff => 1,
                d => d,
            };
            (rank, std::cmp::Reverse(file.clone()))
        })
        .map(|(file, _)| file.clone())
}

/// The `android:drawable` reference of an adaptive icon's `<foreground>`.
fn adaptive_foreground(package: &AppPackage, file: &str) -> Option<u32> {
    let bytes = package.splits.iter().find_map(|split| {
        let entry = split.archive.entry(file)?;
        (entry.size <= MAX_ICON_BYTES).then(|| split.archive.read(entry).ok())?
    })?;
    // Binary XML in an APK, aapt2's protobuf XML in an App Bundle.
    let doc = XmlDocument::parse(&bytes)
        .ok()
        .or_else(|| proto_xml::parse(&bytes).ok())?;
    doc.elements
        .iter()
        .filter(|el| &*el.name == "foreground")
        .find_map(|el| match el.android_attr("drawable")?.value {
            Value::Reference(id) => Some(id),
            _ => None,
        })
}

fn media_type(file: &str) -> Option<&'static str> {
    let lower = file.to_ascii_lowercase();
    if lower.ends_with(".png") {
        Some("image/png")
    } else if lower.ends_with(".webp") {
        Some("image/webp")
    } else if lower.ends_with(".jpg") || lower.ends_with(".jpeg") {
        Some("image/jpeg")
    } else {
        None
    }
}

/// The icon's bytes, from the split that holds the table or else any split.
fn read_icon(package: &AppPackage, preferred: &str, file: &str) -> Option<AppIcon> {
    let media = media_type(file)?;
    let mut splits: Vec<_> = package.splits.iter().collect();
    splits.sort_by_key(|s| s.name != preferred);
    splits.into_iter().find_map(|split| {
        let entry = split.archive.entry(file)?;
        if entry.size > MAX_ICON_BYTES {
            return None;
        }
        let bytes = split.archive.read(entry).ok()?;
        Some(AppIcon {
            file: file.to_string(),
            media_type: media.to_string(),
            bytes,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::android::arsc::ResourceConfig;
    use std::sync::Arc;

    fn value(locale: &str, density: u16, text: &str) -> ConfiguredValue {
        ConfiguredValue {
            config: ResourceConfig {
                locale: locale.into(),
                density,
                sdk_version: 0,
            },
            value: Value::String(Arc::from(text)),
        }
    }

    #[test]
    fn default_language_wins_then_english() {
        let values = [value("zh-CN", 0, "演示"), value("", 0, "Demo")];
        assert_eq!(default_string(&values).as_deref(), Some("Demo"));
        let values = [value("zh-CN", 0, "演示"), value("en", 0, "Demo")];
        assert_eq!(default_string(&values).as_deref(), Some("Demo"));
        assert_eq!(default_string(&[value("fr", 0, " ")]), None);
    }

    #[test]
    fn highest_density_bitmap_wins() {
        let files = file_values(&[
            value("", 160, "res/mipmap-mdpi/ic.png"),
            value("", 640, "res/mipmap-xxxhdpi/ic.png"),
            value("", 0xffff, "res/mipmap-anydpi-v26/ic.xml"),
        ]);
        assert_eq!(
            best_bitmap(&files).as_deref(),
            Some("res/mipmap-xxxhdpi/ic.png")
        );
        assert_eq!(resource_id("@0x7f0b0001"), Some(0x7f0b_0001));
        assert_eq!(resource_id("My App"), None);
    }
}
