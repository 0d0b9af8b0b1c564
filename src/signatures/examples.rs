//! `disclose signatures test`: runs every SDK's and rule's `examples.match` / `examples.no_match`
//! through the compiled matchers of the whole set, so an example also fails when another
//! SDK's signature shadows it.
//!
//! Example forms:
//! - SDKs and packers: `android:` dotted class, `component:` manifest class, `meta:` meta-data
//!   name, `native:` library file, `asset:` asset path, `ios:` ObjC class, `framework:`,
//!   `library:`, `alias:` a name as a policy writes it (matches when, after [`normalise_alias`],
//!   the whole text is one alias of this SDK), `crumb:` dotted class that is this SDK's and one
//!   of its `android.crumbs`.
//! - Libraries (`libraries.toml`): `android:` dotted class owned by the library.
//! - Android rules: `Lpkg/Cls;->name(desc)ret`, `Lpkg/Cls;->NAME:Ltype;`, `"string"`; a method
//!   or field reference may add ` + "str"` (repeatable): a string loaded by the same method.
//! - iOS rules: `selector:NAME`, `symbol:NAME`, `class:NAME`, `framework:NAME`; a selector may
//!   add ` + class:NAME` (repeatable): a class referenced by the same binary.
//!
//! ```
//! let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/signatures/good");
//! let set = disclose::signatures::SignatureSet::from_dir_only(&dir)?;
//! assert_eq!(disclose::signatures::run_examples(&set), vec![]);
//! # Ok::<(), disclose::signatures::SignatureError>(())
//! ```

use super::api_matcher::RuleIdx;
use super::matcher::{normalise_alias, SdkIdx};
use super::schema::Examples;
use super::{Matchers, SdkMatcher, SignatureError, SignatureSet};

/// Every failing example of `set` (empty when all pass), one error per example.
pub fn run_examples(set: &SignatureSet) -> Vec<SignatureError> {
    let matchers = match set.compile() {
        Ok(m) => m,
        Err(e) => return vec![e],
    };
    let mut failures: Vec<SignatureError> =
        crate::policy::lang::structure::run_examples(&set.structure)
            .into_iter()
            .map(|(file, message)| SignatureError::new(file, message))
            .collect();
    failures.extend(set.data_safety.run_examples(&set.origins.data_safety));
    for (sdks, matcher) in [
        (&set.sdks, &matchers.sdks),
        (&set.packers, &matchers.packers),
    ] {
        if let Err(e) = matcher.check_aliases() {
            failures.push(e);
        }
        for (i, sdk) in sdks.iter().enumerate() {
            let me = SdkIdx(u32::try_from(i).unwrap_or(u32::MAX));
            each_example(&sdk.examples, |example, want| {
                let outcome = sdk_example(matcher, example, me).map(|got| (got == want, got));
                report(
                    &mut failures,
                    &sdk.origin,
                    &format!("sdk '{}'", sdk.id),
                    example,
                    want,
                    outcome,
                );
            });
        }
    }
    for lib in &set.libraries {
        each_example(&lib.examples, |example, want| {
            let outcome = library_example(&set.libraries, &matchers, example, &lib.id)
                .map(|got| (got == want, got));
            report(
                &mut failures,
                &set.origins.libraries,
                &format!("library '{}'", lib.id),
                example,
                want,
                outcome,
            );
        });
    }
    for (i, rule) in set.android_apis.iter().enumerate() {
        let me = RuleIdx(u32::try_from(i).unwrap_or(u32::MAX));
        each_example(&rule.examples, |example, want| {
            let outcome = android_example(&matchers, example, me).map(|got| (got == want, got));
            report(
                &mut failures,
                &set.origins.android_apis,
                &format!("rule '{}'", rule.id),
                example,
                want,
                outcome,
            );
        });
    }
    for (i, rule) in set.ios_apis.iter().enumerate() {
        let me = RuleIdx(u32::try_from(i).unwrap_or(u32::MAX));
        each_example(&rule.examples, |example, want| {
            let outcome = ios_example(&matchers, example, me).map(|got| (got == want, got));
            report(
                &mut failures,
                &set.origins.ios_apis,
                &format!("rule '{}'", rule.id),
                example,
                want,
                outcome,
            );
        });
    }
    failures.extend(crate::policy::lang::meaning::run_examples(&set.meaning));
    failures.extend(
        crate::policy::lang::list_markers::run_examples(&set.list_markers)
            .into_iter()
            .map(|(file, message)| SignatureError::new(file, message)),
    );
    failures.extend(super::required_reason::run_examples(set));
    failures
}

fn each_example(examples: &Examples, mut f: impl FnMut(&str, bool)) {
    examples.must_match.iter().for_each(|e| f(e, true));
    examples.no_match.iter().for_each(|e| f(e, false));
}

fn report(
    failures: &mut Vec<SignatureError>,
    file: &str,
    entry: &str,
    example: &str,
    want: bool,
    outcome: Result<(bool, bool), String>,
) {
    let list = if want { "match" } else { "no_match" };
    match outcome {
        Ok((true, _)) => {}
        Ok((false, _)) if want => failures.push(SignatureError::new(
            file,
            format!("{entry}: example '{example}' in 'examples.{list}' does not match"),
        )),
        Ok((false, _)) => failures.push(SignatureError::new(
            file,
            format!("{entry}: example '{example}' in 'examples.{list}' matches"),
        )),
        Err(why) => failures.push(SignatureError::new(
            file,
            format!("{entry}: example '{example}' in 'examples.{list}': {why}"),
        )),
    }
}

/// Whether an SDK example is attributed to SDK `me`.
fn sdk_example(m: &SdkMatcher, example: &str, me: SdkIdx) -> Result<bool, String> {
    let (kind, value) = example
        .split_once(':')
        .ok_or("needs a KIND: prefix (android, crumb, component, meta, native, asset, ios, framework, library, symbol, object, alias)")?;
    let got = match kind {
        "android" => m.match_java_class(value),
        "component" => m.match_component(value),
        "meta" => m.match_meta_data(value),
        "native" => m.match_native_lib(value),
        "asset" => m.match_asset(value),
        "ios" => m.match_objc_class(value),
        "framework" => m.match_framework(value),
        "library" => m.match_library(value),
        "symbol" => m.match_c_symbol(value),
        "object" => m.match_object(value),
        "crumb" => {
            // A crumb example matches when the class is this SDK's and one of its crumbs.
            let descriptor = format!("L{};", value.replace('.', "/"));
            let mine = m.match_java_class(value) == Some(me);
            return Ok(mine && m.is_crumb(&descriptor, me));
        }
        "alias" => {
            let text = normalise_alias(value.trim());
            let whole = m
                .match_alias(&text)
                .into_iter()
                .any(|hit| hit.start == 0 && hit.end == text.len() && hit.sdks.contains(&me));
            return Ok(whole);
        }
        other => return Err(format!("unknown example kind '{other}'")),
    };
    if kind == "android" {
        // The descriptor form must agree with the dotted form.
        let descriptor = format!("L{};", value.replace('.', "/"));
        if m.match_descriptor(&descriptor) != got {
            return Err(format!(
                "descriptor form '{descriptor}' is attributed differently"
            ));
        }
    }
    Ok(got == Some(me))
}

/// Whether a library example (`android:` dotted class) is owned by library `me`: the library
/// table's longest prefix, unless an SDK's prefix is longer.
fn library_example(
    libraries: &[super::schema::LibraryDef],
    m: &Matchers,
    example: &str,
    me: &str,
) -> Result<bool, String> {
    let value = example
        .strip_prefix("android:")
        .ok_or("a library example is android:DOTTED.CLASS")?;
    let descriptor = format!("L{};", value.replace('.', "/"));
    let lib = m.libraries.match_descriptor(&descriptor);
    let sdk = m.sdks.match_descriptor_len(&descriptor);
    let owner = match (lib, sdk) {
        (Some((l, llen)), Some((_, slen))) if llen > slen => Some(l),
        (Some((l, _)), None) => Some(l),
        _ => None,
    };
    Ok(owner
        .and_then(|i| libraries.get(i))
        .is_some_and(|l| l.id == me))
}

/// Splits `BASE + "a" + "b"` into the base and the quoted extras.
fn split_extras(example: &str) -> (&str, Vec<&str>) {
    let mut parts = example.split(" + ");
    let base = parts.next().unwrap_or(example).trim();
    (base, parts.map(str::trim).collect())
}

fn unquote(s: &str) -> Option<&str> {
    s.strip_prefix('"').and_then(|s| s.strip_suffix('"'))
}

/// Whether an Android smali-form example fires rule `me`.
fn android_example(m: &Matchers, example: &str, me: RuleIdx) -> Result<bool, String> {
    let (base, extras) = split_extras(example);
    let mut strings = Vec::new();
    for extra in &extras {
        strings.push(
            unquote(extra).ok_or_else(|| format!("'{extra}' after '+' must be a quoted string"))?,
        );
    }
    if let Some(s) = unquote(base) {
        if !extras.is_empty() {
            return Err("a string example takes no '+' part".to_string());
        }
        return Ok(m.android_apis.match_string(s).contains(&me));
    }
    let (class, member) = base
        .split_once("->")
        .ok_or("expected Lpkg/Cls;->name(desc)ret, Lpkg/Cls;->NAME:Ltype; or \"string\"")?;
    if !(class.starts_with('L') && class.ends_with(';')) {
        return Err(format!("class '{class}' is not a descriptor Lpkg/Cls;"));
    }
    let hits = if let Some(paren) = member.find('(') {
        m.android_apis
            .match_method(class, &member[..paren], &member[paren..])
    } else if let Some((name, type_)) = member.split_once(':') {
        m.android_apis.match_field(class, name, type_)
    } else {
        return Err(format!(
            "member '{member}' has neither (descriptor) nor :type"
        ));
    };
    Ok(hits.contains(&me) && m.android_apis.strings_satisfied(me, strings.into_iter()))
}

/// Whether an iOS example fires rule `me`.
fn ios_example(m: &Matchers, example: &str, me: RuleIdx) -> Result<bool, String> {
    let (base, extras) = split_extras(example);
    let mut classes = Vec::new();
    for extra in &extras {
        classes.push(
            extra
                .strip_prefix("class:")
                .ok_or_else(|| format!("'{extra}' after '+' must be class:NAME"))?,
        );
    }
    let (kind, value) = base
        .split_once(':')
        .ok_or("needs a KIND: prefix (selector, symbol, class, framework)")?;
    let hits = match kind {
        "selector" => m.ios_apis.match_selector(value),
        "symbol" => m.ios_apis.match_symbol(value),
        "class" => m.ios_apis.match_class(value),
        "framework" => m.ios_apis.match_framework(value),
        other => return Err(format!("unknown example kind '{other}'")),
    };
    if kind != "selector" && !extras.is_empty() {
        return Err("only a selector example takes '+ class:NAME'".to_string());
    }
    let needed = m.ios_apis.required_classes(me);
    let classes_ok = needed.is_empty() || classes.iter().any(|c| needed.iter().any(|n| n == c));
    Ok(hits.contains(&me) && classes_ok)
}
