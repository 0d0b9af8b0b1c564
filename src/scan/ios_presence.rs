//! Which SDKs one iOS binary shows by itself, before any code is followed: the ObjC classes it
//! defines, the static-library members and C symbols it holds, and the framework it is (its
//! bundle path, or the install name it was built with). Each SDK found gets one piece of
//! presence evidence naming the class, member, symbol, bundle or load command.
//!
//! ```text
//! Frameworks/CrashKit.framework/CrashKit with LC_ID_DYLIB @rpath/Bugly.framework/Bugly
//!     → tencent-bugly, evidence "LC_ID_DYLIB @rpath/Bugly.framework/Bugly"
//! ```

use super::ios::{dylib_framework_name, sdk_id, Binary};
use super::observations::PresenceAccumulator;
use crate::model::Evidence;
use crate::signatures::{Matchers, SignatureSet};
use std::collections::{BTreeMap, BTreeSet};

/// Framework name of a bundle path (`…/Frameworks/AMapFoundationKit.framework` →
/// `AMapFoundationKit`).
fn bundle_framework_name(path: &str) -> Option<&str> {
    let last = path.trim_end_matches('/').rsplit('/').next()?;
    last.strip_suffix(".framework")
        .or_else(|| last.strip_suffix(".dylib"))
}

/// Presence of the SDKs that define classes in this binary; how many classes each defines.
pub(super) fn class_presence(
    bin: &Binary,
    classes: &BTreeSet<&str>,
    set: &SignatureSet,
    m: &Matchers,
    presence: &mut PresenceAccumulator,
) -> BTreeMap<usize, usize> {
    let mut class_owners: BTreeMap<usize, usize> = BTreeMap::new();
    for class in classes {
        if let Some(i) = m.sdks.match_objc_class(class) {
            *class_owners.entry(i.index()).or_default() += 1;
            presence.code(
                i.index(),
                1,
                Some(
                    Evidence::in_file(&bin.path)
                        .at(format!("ObjC class {class}"))
                        .rule(format!("sdk:{}", sdk_id(set, i.index()))),
                ),
            );
        }
    }
    class_owners
}

/// Presence of the SDKs whose `ios.objects` claim a static-library member of this binary or
/// whose `ios.symbols` claim C symbols it defines (C-only or obfuscated static libraries): one
/// piece of evidence per SDK, naming the archive member and the symbol.
pub(super) fn symbol_presence(
    bin: &Binary,
    set: &SignatureSet,
    m: &Matchers,
    presence: &mut PresenceAccumulator,
    owners: &mut BTreeMap<usize, usize>,
) {
    let mut seen: BTreeMap<usize, usize> = BTreeMap::new();
    for slice in &bin.slices {
        let arch = &slice.arch;
        let member = slice.archive_member.as_deref();
        let by_member =
            member.and_then(|name| Some((m.sdks.match_object(name)?, format!("member {name}"))));
        let by_symbol = slice.exported_symbols.iter().filter_map(|symbol| {
            let sdk = m.sdks.match_c_symbol(symbol)?;
            let place = member.map_or_else(String::new, |name| format!("member {name}: "));
            Some((sdk, format!("{place}C symbol {symbol}")))
        });
        for (i, what) in by_member.into_iter().chain(by_symbol) {
            let count = seen.entry(i.index()).or_default();
            *count += 1;
            if *count == 1 {
                let ev = Evidence::in_file(&bin.path).at(format!("{arch} {what}"));
                let rule = format!("sdk:{}", sdk_id(set, i.index()));
                presence.code(i.index(), 1, Some(ev.rule(rule)));
            }
        }
    }
    for (i, n) in seen {
        owners.entry(i).or_insert(n);
    }
}

/// Presence of the SDK whose framework bundle holds this binary, if one does.
pub(super) fn framework_presence(
    bin: &Binary,
    set: &SignatureSet,
    m: &Matchers,
    presence: &mut PresenceAccumulator,
) -> Option<usize> {
    let by_bundle = bundle_framework_name(&bin.owner_bundle)
        .and_then(|name| m.sdks.match_framework(name))
        .map(|i| (i.index(), format!("framework {}", bin.owner_bundle)));
    let framework_sdk = by_bundle.or_else(|| install_name_sdk(bin, m));
    let (i, place) = framework_sdk?;
    presence.code(
        i,
        0,
        Some(
            Evidence::in_file(&bin.path)
                .at(place)
                .rule(format!("sdk:{}", sdk_id(set, i))),
        ),
    );
    Some(i)
}

/// The SDK a dylib names itself as: its install name (`LC_ID_DYLIB
/// @rpath/SmartlookAnalytics.framework/SmartlookAnalytics`) is the framework it was built as,
/// whatever the file is called now (a binary copied out of its bundle, an xcframework slice,
/// a renamed copy). The app's own code is never an SDK's framework.
fn install_name_sdk(bin: &Binary, m: &Matchers) -> Option<(usize, String)> {
    if bin.is_app_code {
        return None;
    }
    bin.slices.iter().find_map(|s| {
        let name = s.install_name.as_deref()?;
        let i = m.sdks.match_framework(dylib_framework_name(name))?;
        Some((i.index(), format!("LC_ID_DYLIB {name}")))
    })
}
