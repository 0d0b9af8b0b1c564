//! Class file reader against `javap -v` (tests/golden/classfile/, made by
//! tests/golden/classfile/regen.py from real vendor SDK jars) and against malformed input.

mod support;

use std::path::Path;
use std::process::Command;

use disclose::android::classfile::{parse_class, ClassFile, ClassFileError};

/// `.class` entries of a jar, or of the `classes.jar` inside an `.aar`, read with python3's
/// zipfile (the class file reader knows nothing of archives).
fn class_entries(jar: &Path) -> Vec<(String, Vec<u8>)> {
    const SCRIPT: &str = r#"
import io, sys, zipfile
data = open(sys.argv[1], "rb").read()
if sys.argv[1].endswith(".aar"):
    data = zipfile.ZipFile(io.BytesIO(data)).read("classes.jar")
z = zipfile.ZipFile(io.BytesIO(data))
out = sys.stdout.buffer
for n in z.namelist():
    if n.endswith(".class"):
        b = z.read(n)
        out.write(n.encode() + b"\0" + str(len(b)).encode() + b"\0" + b)
"#;
    let out = Command::new("python3")
        .arg("-c")
        .arg(SCRIPT)
        .arg(jar)
        .output()
        .expect("run python3");
    assert!(out.status.success(), "python3 failed on {}", jar.display());
    let mut rest: &[u8] = &out.stdout;
    let mut entries = Vec::new();
    while !rest.is_empty() {
        let mut fields = rest.splitn(3, |&b| b == 0);
        let name = String::from_utf8(fields.next().expect("name").to_vec()).expect("utf-8 name");
        let len: usize = std::str::from_utf8(fields.next().expect("len"))
            .expect("len")
            .parse()
            .expect("len");
        let body = fields.next().expect("body");
        entries.push((name, body[..len].to_vec()));
        rest = &body[len..];
    }
    entries
}

fn golden(name: &str) -> Vec<String> {
    let path = support::repo_file(&format!("tests/golden/classfile/{name}"));
    let text = std::fs::read_to_string(path).expect("golden file");
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

/// Our line for `class`, in the golden's format.
fn summary(entry: &str, class: &ClassFile) -> String {
    let interface_refs = class.method_refs.iter().filter(|r| r.interface).count();
    let codes = || class.methods.iter().filter_map(|m| m.code.as_ref());
    let invokes: u32 = codes().flat_map(|c| &c.invoke_counts).sum();
    let reads: u32 = codes().flat_map(|c| &c.field_read_counts).sum();
    let loads: u32 = codes().flat_map(|c| &c.string_counts).sum();
    format!(
        "{entry} {} {} {} {} {} {} {} {} {} {invokes} {reads} {loads}",
        class.name,
        class.super_name.as_deref().unwrap_or("-"),
        class.interfaces.len(),
        class.fields.len(),
        class.methods.len(),
        class.method_refs.len() - interface_refs,
        interface_refs,
        class.field_refs.len(),
        class.strings.len(),
    )
}

fn check_jar(golden_name: &str, package: &str, inner: &str, with_refs: bool) {
    let Some(jar) = support::corpus_npm(package, inner) else {
        return;
    };
    let mut lines = Vec::new();
    let mut refs = Vec::new();
    for (entry, bytes) in class_entries(&jar) {
        let class = parse_class(&bytes).unwrap_or_else(|e| panic!("{golden_name}/{entry}: {e}"));
        lines.push(summary(&entry, &class));
        for r in &class.method_refs {
            let kind = if r.interface {
                "InterfaceMethodref"
            } else {
                "Methodref"
            };
            refs.push(format!("{kind} {}.{}:{}", r.class, r.name, r.descriptor));
        }
        for r in &class.field_refs {
            refs.push(format!("Fieldref {}.{}:{}", r.class, r.name, r.descriptor));
        }
    }
    lines.sort();
    let expected = golden(&format!("{golden_name}.txt"));
    assert_eq!(
        lines.len(),
        expected.len(),
        "{golden_name}: number of classes"
    );
    for (got, want) in lines.iter().zip(&expected) {
        assert_eq!(got, want, "{golden_name}");
    }
    if with_refs {
        refs.sort();
        assert_eq!(
            refs,
            golden(&format!("{golden_name}.refs.txt")),
            "{golden_name}: references"
        );
    }
}

#[test]
fn bugly_jar_matches_javap() {
    check_jar(
        "bugly_crash_release",
        "cordova-plugin-bugly-sdk",
        "package/src/android/libs/bugly_crash_release.jar",
        true,
    );
}

#[test]
fn wechat_jar_matches_javap() {
    check_jar(
        "libammsdk",
        "react-native-wechat",
        "package/android/libs/libammsdk.jar",
        true,
    );
}

#[test]
fn qq_jars_match_javap() {
    check_jar(
        "mta-sdk-1.6.2",
        "cordova-plugin-qqsdk",
        "package/src/android/mta-sdk-1.6.2.jar",
        false,
    );
    check_jar(
        "open_sdk_r5793",
        "cordova-plugin-qqsdk",
        "package/src/android/open_sdk_r5793.jar",
        false,
    );
}

#[test]
fn tbs_jar_matches_javap() {
    check_jar(
        "tbs_sdk_thirdapp_v3.5.0",
        "cordova-plugin-x5-tbs",
        "package/platforms/android/libs/tbs_sdk_thirdapp_v3.5.0.1004_43500_sharewithdownload_withoutGame_obfs_20170801_113025.jar",
        false,
    );
}

#[test]
fn aar_classes_match_javap() {
    check_jar(
        "alipaySdk-15.6.5",
        "cordova-plugin-alipay-v2",
        "package/src/android/lib/alipaySdk-15.6.5-20190718211148.aar",
        false,
    );
    check_jar(
        "weibo-openDefault-4.3.6",
        "cordova-plugin-weibosdk",
        "package/src/android/libs/openDefault-4.3.6.aar",
        false,
    );
}

#[test]
fn wechat_jar_references_privacy_apis_in_smali_form() {
    let Some(jar) =
        support::corpus_npm("react-native-wechat", "package/android/libs/libammsdk.jar")
    else {
        return;
    };
    let smali: Vec<String> = class_entries(&jar)
        .iter()
        .filter_map(|(_, b)| parse_class(b).ok())
        .flat_map(|c| c.method_refs.into_iter().map(|r| r.smali()))
        .collect();
    assert!(
        smali
            .iter()
            .any(|s| s.starts_with("Landroid/telephony/TelephonyManager;->getDeviceId(")),
        "getDeviceId"
    );
}

// ---- synthetic class files ----

/// A class `p/A extends java/lang/Object` whose constant pool holds one of every tag, a Long in
/// two slots, a Methodref, an InterfaceMethodref, a Fieldref and a String; one method `m()V`.
fn tiny_class() -> Vec<u8> {
    let mut v = vec![0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 52];
    let mut pool: Vec<Vec<u8>> = Vec::new();
    let utf8 = |s: &[u8]| {
        let mut e = vec![1, 0, s.len() as u8];
        e.extend_from_slice(s);
        e
    };
    pool.push(utf8(b"p/A")); // 1
    pool.push(vec![7, 0, 1]); // 2 Class p/A
    pool.push(utf8(b"java/lang/Object")); // 3
    pool.push(vec![7, 0, 3]); // 4 Class Object
    pool.push(utf8(b"m")); // 5
    pool.push(utf8(b"()V")); // 6
    pool.push(vec![12, 0, 5, 0, 6]); // 7 NameAndType m:()V
    pool.push(vec![10, 0, 2, 0, 7]); // 8 Methodref p/A.m:()V
    pool.push(vec![11, 0, 4, 0, 7]); // 9 InterfaceMethodref Object.m:()V
    pool.push(vec![5, 0, 0, 0, 0, 0, 0, 0, 1]); // 10-11 Long
    pool.push(vec![6, 0, 0, 0, 0, 0, 0, 0, 1]); // 12-13 Double
    pool.push(utf8(b"\xe4\xb8\xad\xc0\x80")); // 14 "中\0"
    pool.push(vec![8, 0, 14]); // 15 String
    pool.push(vec![9, 0, 2, 0, 7]); // 16 Fieldref (odd descriptor, fine for the pool)
    pool.push(vec![3, 0, 0, 0, 1]); // 17 Integer
    pool.push(vec![4, 0, 0, 0, 1]); // 18 Float
    pool.push(vec![15, 6, 0, 8]); // 19 MethodHandle
    pool.push(vec![16, 0, 6]); // 20 MethodType
    pool.push(vec![17, 0, 0, 0, 7]); // 21 Dynamic
    pool.push(vec![18, 0, 0, 0, 7]); // 22 InvokeDynamic
    pool.push(vec![19, 0, 1]); // 23 Module
    pool.push(vec![20, 0, 1]); // 24 Package
    pool.push(utf8(b"Code")); // 25
    v.extend_from_slice(&26u16.to_be_bytes());
    for e in pool {
        v.extend(e);
    }
    v.extend_from_slice(&[0, 0x21, 0, 2, 0, 4, 0, 0]); // flags, this, super, 0 interfaces
    v.extend_from_slice(&[0, 0]); // 0 fields
                                  // m()V with a Code attribute: ldc "中"; invokevirtual p/A.m; invokevirtual p/A.m;
                                  // getstatic p/A.m; return.
    let code = [0x12, 15, 0xb6, 0, 8, 0xb6, 0, 8, 0xb2, 0, 16, 0xb1];
    v.extend_from_slice(&[0, 1, 0, 1, 0, 5, 0, 6, 0, 1, 0, 25]); // 1 method: public m()V, 1 attribute
    v.extend_from_slice(&(12 + code.len() as u32).to_be_bytes());
    v.extend_from_slice(&[0, 1, 0, 1]); // max_stack, max_locals
    v.extend_from_slice(&(code.len() as u32).to_be_bytes());
    v.extend_from_slice(&code);
    v.extend_from_slice(&[0, 0, 0, 0]); // no exception table, no attributes
    v.extend_from_slice(&[0, 0]); // 0 class attributes
    v
}

#[test]
fn tiny_class_reads_every_constant_kind() {
    let class = parse_class(&tiny_class()).expect("tiny class");
    assert_eq!(class.name, "p/A");
    assert_eq!(class.super_name.as_deref(), Some("java/lang/Object"));
    assert_eq!(class.major_version, 52);
    assert_eq!(class.methods.len(), 1);
    assert_eq!(
        (
            class.methods[0].name.as_str(),
            class.methods[0].descriptor.as_str()
        ),
        ("m", "()V")
    );
    assert_eq!(class.method_refs.len(), 2);
    assert!(!class.method_refs[0].interface && class.method_refs[1].interface);
    assert_eq!(class.method_refs[0].smali(), "Lp/A;->m()V");
    assert_eq!(class.field_refs.len(), 1);
    assert_eq!(class.strings, ["中\u{0}"]);
    assert_eq!(class.class_refs, ["p/A", "java/lang/Object"]);
    let code = class.methods[0].code.as_ref().expect("Code attribute");
    assert_eq!(
        (code.invokes.as_slice(), code.invoke_counts.as_slice()),
        (&[0][..], &[2][..])
    );
    assert_eq!(code.field_reads, [0]);
    assert_eq!(code.strings, [0]);
}

#[test]
fn truncated_and_corrupted_class_files_are_errors() {
    let good = tiny_class();
    for len in 0..good.len() {
        assert!(parse_class(&good[..len]).is_err(), "prefix of {len} bytes");
    }
    for at in 0..good.len() {
        for value in [0x00, 0x01, 0x7f, 0x80, 0xff] {
            let mut bad = good.clone();
            bad[at] = value;
            let _ = parse_class(&bad);
        }
    }
    assert_eq!(
        parse_class(b"PK\x03\x04").unwrap_err(),
        ClassFileError::BadMagic { found: 0x504b_0304 }
    );
    let mut bad_tag = good.clone();
    bad_tag[10] = 2;
    let e = parse_class(&bad_tag).expect_err("tag 2");
    assert_eq!(
        e.to_string(),
        "class file: constant #1 at offset 0xa: unknown tag"
    );
    let mut bad_this = good.clone();
    let this_at = good
        .windows(6)
        .position(|w| w == [0, 0x21, 0, 2, 0, 4])
        .expect("this_class")
        + 2;
    bad_this[this_at] = 0;
    bad_this[this_at + 1] = 99;
    assert!(parse_class(&bad_this)
        .expect_err("this_class 99")
        .to_string()
        .contains("#99"));
}

#[test]
fn absurd_counts_are_errors_without_allocating() {
    // 65535 constants announced, none present.
    let e =
        parse_class(&[0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 52, 0xff, 0xff]).expect_err("empty pool");
    assert!(e.to_string().contains("runs past the end"), "{e}");
    // An attribute claiming 4 GiB.
    let mut bad = tiny_class();
    let n = bad.len();
    bad[n - 2..].copy_from_slice(&[0, 1]);
    bad.extend_from_slice(&[0, 1, 0xff, 0xff, 0xff, 0xff]);
    assert!(parse_class(&bad)
        .expect_err("huge attribute")
        .to_string()
        .contains("attribute"));
}
