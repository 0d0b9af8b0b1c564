//! DEX reader against `dexdump` (tests/golden/dex/, made by tests/golden/dex/regen.sh from the
//! real apps) and against malformed input.

mod support;

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

use disclose::android::dex::{smali_method, DefinedTypes, DexFile};

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
            assert_eq!(method.invokes().len(), method.invoke_counts().len());
            assert!(
                method.invokes().windows(2).all(|w| w[0] < w[1]),
                "sorted, distinct"
            );
            for (&m, &n) in method.invokes().iter().zip(method.invoke_counts()) {
                *invoke_sites.entry(m).or_default() += n;
            }
            for (&f, &n) in method.field_reads().iter().zip(method.field_read_counts()) {
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

// ---- synthetic files: a tiny dex built here, then broken in the ways hostile files are ----

mod tiny {
    use std::borrow::Cow;

    use disclose::android::dex::{DexError, DexFile};

    pub const HEADER: usize = 0x70;
    pub const STRINGS: [&[u8]; 5] = [b"LFoo;", b"V", b"run", b"hi", b"\xe4\xb8\xad\xc0\x80"];

    fn put32(v: &mut [u8], off: usize, x: u32) {
        v[off..off + 4].copy_from_slice(&x.to_le_bytes());
    }
    fn put16(v: &mut [u8], off: usize, x: u16) {
        v[off..off + 2].copy_from_slice(&x.to_le_bytes());
    }

    /// Offsets of interesting places in the file `build` returns.
    pub struct Layout {
        pub class_data: usize,
        pub code: usize,
    }

    /// A dex with one class `LFoo;` holding one static method `run()V` whose code is `insns`.
    /// Ids: strings 0 "LFoo;", 1 "V", 2 "run", 3 "hi", 4 "中\0"; types 0 LFoo;, 1 V; proto 0
    /// ()V; field 0 LFoo;->run:LFoo;; method 0 LFoo;->run()V.
    pub fn build(insns: &[u16]) -> (Vec<u8>, Layout) {
        let mut v = vec![0u8; 0xc4];
        v[0..8].copy_from_slice(b"dex\n035\0");
        put32(&mut v, 36, HEADER as u32);
        put32(&mut v, 40, 0x1234_5678);
        let tables: [(usize, u32, u32); 6] = [
            (56, 5, 0x70),
            (64, 2, 0x84),
            (72, 1, 0x8c),
            (80, 1, 0x98),
            (88, 1, 0xa0),
            (96, 1, 0xa8),
        ];
        for (at, count, off) in tables {
            put32(&mut v, at, count);
            put32(&mut v, at + 4, off);
        }
        v.resize(0xc8, 0);
        for (i, s) in STRINGS.iter().enumerate() {
            let off = v.len();
            put32(&mut v, 0x70 + 4 * i, off as u32);
            let utf16_len = if i == 4 { 2 } else { s.len() as u8 };
            v.push(utf16_len);
            v.extend_from_slice(s);
            v.push(0);
        }
        put32(&mut v, 0x84, 0);
        put32(&mut v, 0x88, 1);
        put32(&mut v, 0x8c, 1); // proto: shorty "V"
        put32(&mut v, 0x90, 1); // return type V
        put16(&mut v, 0x98, 0); // field class
        put16(&mut v, 0x9a, 0); // field type
        put32(&mut v, 0x9c, 2); // field name "run"
        put16(&mut v, 0xa0, 0); // method class
        put16(&mut v, 0xa2, 0); // method proto
        put32(&mut v, 0xa4, 2); // method name "run"
        put32(&mut v, 0xa8, 0); // class def: class LFoo;
        put32(&mut v, 0xac, 1); // public
        put32(&mut v, 0xb0, u32::MAX); // no superclass
        put32(&mut v, 0xb8, u32::MAX); // no source file
        while !v.len().is_multiple_of(4) {
            v.push(0);
        }
        let code = v.len();
        v.extend_from_slice(&[1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        v.extend_from_slice(&(insns.len() as u32).to_le_bytes());
        for unit in insns {
            v.extend_from_slice(&unit.to_le_bytes());
        }
        let class_data = v.len();
        put32(&mut v, 0xa8 + 24, class_data as u32);
        // 0 static, 0 instance fields, 1 direct, 0 virtual; method diff 0, ACC_PUBLIC|STATIC,
        // code offset (as a 2-byte LEB128).
        v.extend_from_slice(&[0, 0, 1, 0, 0, 9]);
        v.push((code as u8 & 0x7f) | 0x80);
        v.push((code >> 7) as u8);
        let len = v.len() as u32;
        put32(&mut v, 32, len);
        put32(&mut v, 104, len - 0x70);
        put32(&mut v, 108, 0x70);
        (v, Layout { class_data, code })
    }

    /// Code touching every kind of reference, with both payload kinds after the return.
    pub const GOOD_CODE: [u16; 26] = [
        0x001a, 3, // const-string v0, "hi"
        0x0062, 0, // sget-object v0, field 0
        0x0071, 0, 0, // invoke-static {}, method 0
        0x0071, 0, 0, // invoke-static {}, method 0
        0x001c, 0,      // const-class v0, LFoo;
        0x000e, // return-void
        0x0000, // nop (alignment)
        0x0100, 1, 0, 0, 5, 0, // packed-switch-payload: 1 target
        0x0300, 1, 3, 0, 0x4241, 0x43, // fill-array-data-payload: 3 one-byte elements
    ];

    pub fn parse(bytes: Vec<u8>) -> Result<DexFile, DexError> {
        DexFile::parse(bytes)
    }

    pub fn is_borrowed(s: Cow<'_, str>) -> bool {
        matches!(s, Cow::Borrowed(_))
    }
}

#[test]
fn tiny_dex_indexes_every_kind_of_reference() {
    let (bytes, _) = tiny::build(&tiny::GOOD_CODE);
    let dex = tiny::parse(bytes).expect("tiny dex parses");
    assert_eq!(dex.string_count(), 5);
    assert!(tiny::is_borrowed(dex.string(0).expect("ascii")));
    assert_eq!(dex.string(4).expect("mutf-8"), "中\u{0}");
    assert!(!tiny::is_borrowed(dex.string(4).expect("mutf-8")));
    let m = dex.method(0).expect("method 0");
    assert_eq!(smali_method(&m), "LFoo;->run()V");
    let f = dex.field(0).expect("field 0");
    assert_eq!((&*f.class, &*f.name, &*f.type_), ("LFoo;", "run", "LFoo;"));
    let class = dex.class_defs().next().expect("one class").expect("valid");
    assert_eq!(
        (class.index, &*class.descriptor, class.superclass.as_deref()),
        (0, "LFoo;", None)
    );
    let index = dex.code_index().expect("code index");
    let method = index.classes[0].methods.get(0).expect("one method");
    assert_eq!(method.method_idx, 0);
    assert_eq!(method.invokes(), [0]);
    assert_eq!(method.invoke_counts(), [2]);
    assert_eq!(method.invoke_sites(0), 2);
    assert_eq!(method.field_reads(), [0]);
    assert_eq!(method.strings(), [3]);
    assert_eq!(method.types(), [0]);
    let defined = DefinedTypes::of(std::slice::from_ref(&dex)).expect("defined");
    assert!(defined.contains("LFoo;"));
    assert!(dex
        .referenced_types(&defined)
        .expect("referenced")
        .is_empty());
}

#[test]
fn truncated_files_are_errors_at_every_length() {
    let (bytes, _) = tiny::build(&tiny::GOOD_CODE);
    for len in 0..bytes.len() {
        let mut cut = bytes[..len].to_vec();
        // Keep the header's file size honest so that the tables themselves are what is cut.
        if len >= 0x24 {
            cut[32..36].copy_from_slice(&(len as u32).to_le_bytes());
        }
        if let Ok(dex) = tiny::parse(cut) {
            let _ = dex.code_index();
            let _ = dex.code_index_lenient();
            let _ = dex.string(4);
        }
    }
    let e = tiny::parse(bytes[..0x40].to_vec()).expect_err("short header");
    assert_eq!(
        e.to_string(),
        "dex: file is 64 bytes, shorter than the 112-byte header"
    );
}

#[test]
fn header_faults_are_named() {
    let (good, _) = tiny::build(&tiny::GOOD_CODE);
    let mut bad_magic = good.clone();
    bad_magic[0] = b'z';
    assert!(tiny::parse(bad_magic)
        .expect_err("magic")
        .to_string()
        .contains("bad magic"));
    let mut old = good.clone();
    old[4..8].copy_from_slice(b"034\0");
    assert!(matches!(
        tiny::parse(old),
        Err(disclose::android::dex::DexError::UnsupportedVersion { version: 34 })
    ));
    let mut newer = good.clone();
    newer[4..8].copy_from_slice(b"039\0");
    assert_eq!(tiny::parse(newer).expect("039").version(), 39);
    let mut big_endian = good.clone();
    big_endian[40..44].copy_from_slice(&0x7856_3412u32.to_le_bytes());
    assert!(tiny::parse(big_endian)
        .expect_err("endian")
        .to_string()
        .contains("big-endian"));
    let mut lying_size = good.clone();
    lying_size[32..36].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(tiny::parse(lying_size)
        .expect_err("size")
        .to_string()
        .contains("file size"));
}

#[test]
fn absurd_counts_are_errors_without_allocating() {
    let (good, _) = tiny::build(&tiny::GOOD_CODE);
    for at in [56, 64, 72, 80, 88, 96] {
        let mut bad = good.clone();
        bad[at..at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
        let e = tiny::parse(bad).expect_err("absurd count");
        assert!(e.to_string().contains("lies outside"), "{e}");
    }
}

#[test]
fn out_of_range_ids_are_errors() {
    let (good, layout) = tiny::build(&tiny::GOOD_CODE);
    // A type whose descriptor is string 99.
    let mut bad = good.clone();
    bad[0x84..0x88].copy_from_slice(&99u32.to_le_bytes());
    let e = tiny::parse(bad).expect_err("type -> string 99");
    assert_eq!(
        e.to_string(),
        "dex: type_id 0 refers to string 99, out of range (the table has 5)"
    );
    // A method whose class is type 7.
    let mut bad = good.clone();
    bad[0xa0..0xa2].copy_from_slice(&7u16.to_le_bytes());
    assert!(tiny::parse(bad).is_err());
    // Lookups past the tables.
    let dex = tiny::parse(good.clone()).expect("good");
    assert!(dex.string(5).is_err());
    assert!(dex.type_descriptor(2).is_err());
    assert!(dex.method(1).is_err());
    assert!(dex.field(u32::MAX).is_err());
    // An invoke of method 9 in the code: strict fails, lenient skips the method and says why.
    let mut bad = good;
    let invoke_operand = layout.code + 16 + 2 * 5;
    bad[invoke_operand..invoke_operand + 2].copy_from_slice(&9u16.to_le_bytes());
    let dex = tiny::parse(bad).expect("ids are fine, code is not");
    let e = dex.code_index().expect_err("bad invoke");
    assert!(e.to_string().contains("method index 9 out of range"), "{e}");
    let (index, errors) = dex.code_index_lenient();
    assert_eq!(errors.len(), 1);
    assert!(index.classes[0].methods.is_empty());
}

#[test]
fn code_running_past_the_end_is_an_error() {
    // A const-wide (5 units) with only 2 units of code.
    let (bytes, _) = tiny::build(&[0x0018, 0]);
    let e = tiny::parse(bytes)
        .expect("ids")
        .code_index()
        .expect_err("truncated instruction");
    assert!(
        e.to_string().contains("runs past the end of the code"),
        "{e}"
    );
    // A payload claiming 60000 targets.
    let (bytes, _) = tiny::build(&[0x000e, 0x0100, 60000, 0, 0]);
    assert!(tiny::parse(bytes).expect("ids").code_index().is_err());
    // A fill-array-data payload claiming 4 GiB of elements.
    let (bytes, _) = tiny::build(&[0x000e, 0x0300, 4, 0xffff, 0xffff]);
    assert!(tiny::parse(bytes).expect("ids").code_index().is_err());
    // A code item whose instruction count runs past the file.
    let (mut bytes, layout) = tiny::build(&tiny::GOOD_CODE);
    bytes[layout.code + 12..layout.code + 16].copy_from_slice(&0x7fff_ffffu32.to_le_bytes());
    let e = tiny::parse(bytes)
        .expect("ids")
        .code_index()
        .expect_err("huge insns_size");
    assert!(
        e.to_string().contains("run past the end of the file"),
        "{e}"
    );
}

#[test]
fn absurd_class_data_counts_are_errors() {
    let (mut bytes, layout) = tiny::build(&tiny::GOOD_CODE);
    // direct_methods_size = 0x0fffffff.
    bytes[layout.class_data + 2] = 0xff;
    bytes.splice(
        layout.class_data + 3..layout.class_data + 3,
        [0xff, 0xff, 0x7f],
    );
    let len = bytes.len() as u32;
    bytes[32..36].copy_from_slice(&len.to_le_bytes());
    let dex = tiny::parse(bytes).expect("ids");
    let e = dex.code_index().expect_err("absurd count");
    assert!(
        e.to_string().contains("member counts exceed the file"),
        "{e}"
    );
    let (_, errors) = dex.code_index_lenient();
    assert_eq!(errors.len(), 1);
}

#[test]
fn every_single_byte_corruption_is_handled() {
    let (good, _) = tiny::build(&tiny::GOOD_CODE);
    for at in 0..good.len() {
        for value in [0x00, 0x01, 0x7f, 0x80, 0xff] {
            let mut bad = good.clone();
            bad[at] = value;
            if let Ok(dex) = tiny::parse(bad) {
                let _ = dex.code_index();
                let _ = dex.code_index_lenient();
                for i in 0..dex.string_count() {
                    let _ = dex.string(i);
                }
                for c in dex.class_defs().flatten() {
                    let _ = dex.interfaces(&c);
                    let _ = dex.source_file(&c);
                }
                let _ = dex.method(0).map(|m| smali_method(&m));
                let _ = dex.field(0);
            }
        }
    }
}

#[test]
fn errors_are_one_line() {
    let (good, _) = tiny::build(&tiny::GOOD_CODE);
    let mut bad = good;
    bad[0xa8..0xac].copy_from_slice(&3u32.to_le_bytes());
    let e = tiny::parse(bad).expect_err("class def of type 3");
    assert!(!e.to_string().contains('\n'));
}

#[test]
fn dex_file_and_index_can_cross_threads() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<DexFile>();
    send_sync::<disclose::android::dex::CodeIndex>();
    send_sync::<disclose::android::dex::DexError>();
}

#[test]
fn methods_sharing_one_huge_code_item_exhaust_a_budget_instead_of_hanging() {
    // 20,000 nops (40 KB of code), then 10,000 methods that all point at it: decoding each
    // would cost 400 MB of work for an 80 KB file.
    let (mut bytes, layout) = tiny::build(&vec![0u16; 20_000]);
    let class_data = bytes.len();
    bytes[0xa8 + 24..0xa8 + 28].copy_from_slice(&(class_data as u32).to_le_bytes());
    bytes.extend_from_slice(&[0, 0, 0x90, 0x4e, 0]); // 10,000 direct methods (LEB128 90 4e)
    let code = layout.code as u32;
    for _ in 0..10_000 {
        bytes.extend_from_slice(&[0, 9]);
        bytes.extend_from_slice(&[(code & 0x7f) as u8 | 0x80, (code >> 7) as u8]);
    }
    let len = bytes.len() as u32;
    bytes[32..36].copy_from_slice(&len.to_le_bytes());
    let dex = tiny::parse(bytes).expect("ids are valid");
    let e = dex.code_index().expect_err("budget");
    assert!(e.to_string().contains("decoding budget spent"), "{e}");
    let (index, errors) = dex.code_index_lenient();
    assert!(!errors.is_empty());
    assert!(index.classes[0].methods.len() < 10_000);
}
