//! Resource ids of the `android:` attributes the manifest model and the launcher-icon reader use.
//!
//! Android identifies framework attributes by resource id, not by the name string in the pool
//! (obfuscators blank or scramble those names), so these ids decide what an attribute is.
//! Source: the public attribute ids of the Android framework (`R.attr` in the Android API
//! reference; `frameworks/base/core/res/res/values/public.xml`), cross-checked here with
//! `aapt dump resources /usr/share/android-framework-res/framework-res.apk`
//! (Debian `android-framework-res` 10.0.0+r36), lines `spec resource 0x0101…  android:attr/…`.

/// `(resource id, attribute name)`, sorted by id.
pub(crate) const ANDROID_ATTRS: &[(u32, &str)] = &[
    (0x0101_0000, "theme"),
    (0x0101_0001, "label"),
    (0x0101_0002, "icon"),
    (0x0101_0003, "name"),
    (0x0101_0006, "permission"),
    (0x0101_0007, "readPermission"),
    (0x0101_0008, "writePermission"),
    (0x0101_0009, "protectionLevel"),
    (0x0101_000a, "permissionGroup"),
    (0x0101_000b, "sharedUserId"),
    (0x0101_000e, "enabled"),
    (0x0101_000f, "debuggable"),
    (0x0101_0010, "exported"),
    (0x0101_0011, "process"),
    (0x0101_0013, "multiprocess"),
    (0x0101_0018, "authorities"),
    (0x0101_001b, "grantUriPermissions"),
    (0x0101_001c, "priority"),
    (0x0101_001d, "launchMode"),
    (0x0101_0024, "value"),
    (0x0101_0025, "resource"),
    (0x0101_0026, "mimeType"),
    (0x0101_0027, "scheme"),
    (0x0101_0028, "host"),
    (0x0101_002a, "path"),
    (0x0101_002b, "pathPrefix"),
    (0x0101_0199, "drawable"),
    (0x0101_0202, "targetActivity"),
    (0x0101_020c, "minSdkVersion"),
    (0x0101_021b, "versionCode"),
    (0x0101_021c, "versionName"),
    (0x0101_0270, "targetSdkVersion"),
    (0x0101_0271, "maxSdkVersion"),
    (0x0101_0280, "allowBackup"),
    (0x0101_0281, "glEsVersion"),
    (0x0101_028e, "required"),
    (0x0101_02b7, "installLocation"),
    (0x0101_03a9, "isolatedProcess"),
    (0x0101_04ea, "extractNativeLibs"),
    (0x0101_04ec, "usesCleartextTraffic"),
    (0x0101_0505, "directBootAware"),
    (0x0101_0527, "networkSecurityConfig"),
    (0x0101_052c, "roundIcon"),
    (0x0101_0572, "compileSdkVersion"),
    (0x0101_0573, "compileSdkVersionCodename"),
    (0x0101_0576, "versionCodeMajor"),
    (0x0101_0599, "foregroundServiceType"),
    (0x0101_0603, "requestLegacyExternalStorage"),
];

/// The name of a framework attribute by resource id, when this table knows it.
pub fn android_attr_name(id: u32) -> Option<&'static str> {
    ANDROID_ATTRS
        .binary_search_by_key(&id, |&(i, _)| i)
        .ok()
        .and_then(|i| ANDROID_ATTRS.get(i))
        .map(|&(_, name)| name)
}

/// The resource id of a framework attribute by name, when this table knows it.
pub fn android_attr_id(name: &str) -> Option<u32> {
    ANDROID_ATTRS
        .iter()
        .find(|&&(_, n)| n == name)
        .map(|&(id, _)| id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_unique() {
        assert!(ANDROID_ATTRS.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(android_attr_name(0x0101_0003), Some("name"));
        assert_eq!(android_attr_id("versionCode"), Some(0x0101_021b));
        assert_eq!(android_attr_name(0x0101_0004), None);
    }
}
