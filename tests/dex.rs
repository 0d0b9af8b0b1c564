//! DEX reader against `dexdump` (tests/golden/dex/, made by tests/golden/dex/regen.sh from the
//! real apps) and against malformed input.

mod support;

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

use disclose::android::dex::{smali_method, DefinedTypes, DexError, DexFile};

/// The `classes*.dex` entries of `apk`, by name, read with `unzip` (the dex reader knows
/// nothing of archives).
fn dex_entries(apk: &Path) -> Vec<(String, Vec<u8>)> {
    let listing = Command::new("unzip")
        .arg("-Z1")
        .arg(apk)
        .output()
        .expect("run unzip -Z1");
    let names = String::from_utf8_lossy(&listing.stdout);
    let mut out = Vec::new();
    for name in names.lines() {
        let is_dex = name.starts_with("classes") && name.ends_with(".dex") && !name.contains('/');
        if is_dex {
            let bytes = Command::new("unzip")
                .arg("-p")
                .arg(apk)
                .arg(name)
                .output()
                .expect("run unzip -p");
            out.push((name.to_owned(), bytes.stdout));
        }
    }
    out
}

/// One golden line: what dexdump reports for one dex.
#[derive(Debug)]
enum Golden {
    Classes(u32),
    Invoke(String, u32),
    Field(String, u32),
}

fn read_golden(app: &str) -> HashMap<String, Vec<Golden>> {
    let path = support::repo_file(&format!("tests/golden/dex/{app}.txt"));
    let text = std::fs::read_to_string(&path).expect("golden file");
    let mut out: HashMap<String, Vec<Golden>> = HashMap::new();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let parts: Vec<&str> = line.split(' ').collect();
        let entry = match parts.as_slice() {
            [_, "classes", n] => Golden::Classes(n.parse().expect("count")),
            [_, "invoke", r, n] => Golden::Invoke((*r).to_owned(), n.parse().expect("count")),
            [_, "field", r, n] => Golden::Field((*r).to_owned(), n.parse().expect("count")),
            _ => panic!("bad golden line {line:?}"),
        };
        out.entry(parts[0].to_owned()).or_default().push(entry);
    }
    out
}

/// Whether smali reference `full` (`Lpkg/Cls;->name…`) is what golden reference `want` names:
/// `Lpkg/Cls;->` names every member of the class, `Lpkg/Cls;->name` one member by name.
fn ref_matches(want: &str, class: &str, name: &str) -> bool {
    match want.split_once("->") {
        Some((c, "")) => c == class,
        Some((c, n)) => c == class && n == name,
        None => false,
    }
}

fn check_app(app_file: &str) {
    let Some(apk) = support::corpus_app(app_file) else {
        return;
    };
    let app = app_file.trim_end_matches(".apk");
    let golden = read_golden(app);
    let entries = dex_entries(&apk);
    assert_eq!(entries.len(), golden.len(), "{app}: number of dex files");
    let mut dexes = Vec::new();
    for (name, bytes) in entries {
        let dex = DexFile::parse(bytes).unwrap_or_else(|e| panic!("{app}/{name}: {e}"));
        let index = dex
            .code_index()
            .unwrap_or_else(|e| panic!("{app}/{name}: {e}"));
        assert_eq!(index.classes.len() as u32, dex.class_def_count());
        let (lenient, errors) = dex.code_index_lenient();
        assert!(errors.is_empty(), "{app}/{name}: {errors:?}");
        assert_eq!(lenient, index);

        // Sites per referenced method and field, over all methods of all classes.
        let mut invoke_sites: HashMap<u32, u32> = HashMap::new();
        let mut read_sites: HashMap<u32, u32> = HashMap::new();
        for method in index.classes.iter().flat_map(|c| &c.methods) {
            assert_eq!(method.invokes.len(), method.invoke_counts.len());
            assert!(
                method.invokes.windows(2).all(|w| w[0] < w[1]),
                "sorted, distinct"
            );
            for (&m, &n) in method.invokes.iter().zip(&method.invoke_counts) {
                *invoke_sites.entry(m).or_default() += n;
            }
            for (&f, &n) in method.field_reads.iter().zip(&method.field_read_counts) {
                *read_sites.entry(f).or_default() += n;
            }
        }
        for expected in golden
            .get(&name)
            .unwrap_or_else(|| panic!("{app}: no golden for {name}"))
        {
            match expected {
                Golden::Classes(n) => {
                    assert_eq!(dex.class_defs().count() as u32, *n, "{app}/{name}: classes");
                    assert!(dex.class_defs().all(|c| c.is_ok()));
                }
                Golden::Invoke(want, n) => {
                    let got: u32 = invoke_sites
                        .iter()
                        .filter(|(&m, _)| {
                            let r = dex.method(m).expect("method id");
                            ref_matches(want, &r.class, &r.name)
                        })
                        .map(|(_, &c)| c)
                        .sum();
                    assert_eq!(got, *n, "{app}/{name}: invoke sites of {want}");
                }
                Golden::Field(want, n) => {
                    let got: u32 = read_sites
                        .iter()
                        .filter(|(&f, _)| {
                            let r = dex.field(f).expect("field id");
                            ref_matches(want, &r.class, &r.name)
                        })
                        .map(|(_, &c)| c)
                        .sum();
                    assert_eq!(got, *n, "{app}/{name}: read sites of {want}");
                }
            }
        }
        dexes.push(dex);
    }
    // Defined and referenced-only types are disjoint; every class def is defined.
    let defined = DefinedTypes::of(&dexes).expect("defined types");
    for dex in &dexes {
        for t in dex.referenced_types(&defined).expect("referenced types") {
            assert!(!defined.contains(&dex.type_descriptor(t).expect("type")));
        }
    }
}

#[test]
fn yosemite_matches_dexdump() {
    check_app("Yosemite.apk");
}

#[test]
fn uiautomator2_server_matches_dexdump() {
    check_app("appium-uiautomator2-server-v10.6.6.apk");
}

#[test]
fn uiautomator2_android_test_matches_dexdump() {
    check_app("appium-uiautomator2-server-debug-androidTest.apk");
}

#[test]
fn settings_matches_dexdump() {
    check_app("settings_apk-debug.apk");
}

#[test]
fn api_demos_matches_dexdump() {
    check_app("ApiDemos-debug.apk");
}

#[test]
fn app_uiautomator_matches_dexdump() {
    check_app("app-uiautomator.apk");
}

#[test]
fn yosemite_resolves_names_the_way_smali_writes_them() {
    let Some(apk) = support::corpus_app("Yosemite.apk") else {
        return;
    };
    let (_, bytes) = dex_entries(&apk).into_iter().next().expect("classes.dex");
    let dex = DexFile::parse(bytes).expect("parse");
    assert_eq!(dex.version(), 35);
    let found = (0..dex.method_count())
        .map(|i| smali_method(&dex.method(i).expect("method")))
        .any(|s| s == "Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;");
    assert!(found, "getDeviceId reference");
    let class = dex
        .class_defs()
        .next()
        .expect("a class")
        .expect("class def");
    assert!(class.descriptor.starts_with('L') && class.descriptor.ends_with(';'));
}
