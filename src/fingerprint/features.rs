//! Per-class features that ProGuard / R8 renaming, shrinking and repackaging leave alone, read
//! the same way from a JVM class file (a vendor `.jar` / `.aar`) and from a DEX class (an app).
//!
//! A feature is a 32-bit hash of a kind letter and a text:
//!
//! | kind | text | weight |
//! |---|---|---|
//! | `s` | a string constant the code loads (`ldc`, `const-string`) | strong (5+ chars) or weak |
//! | `m` | a platform method the code invokes, app types in its descriptor erased | weak |
//! | `f` | a platform field the code reads | weak |
//! | `d` | the descriptor of a method the class defines, app types erased | weak |
//! | `n` | name and erased descriptor of a native method (JNI binds it by name) | strong |
//! | `h` / `i` | a platform superclass (not `Object`) / interface | weak |
//! | `p` | the set of platform methods and fields one method uses, when it has [`MIN_METHOD_CALLS`] or more | strong |
//!
//! A `p` feature needs no string: vendors that encrypt their strings with a new key in every
//! release (Jiguang's JShare, JAnalytics) share almost none from one version to the next, but
//! most of their methods still make the same platform calls. Four or more distinct calls in one
//! method are rarely an idiom that two SDKs share; those that are (stream copying, `Log`
//! wrappers) turn up in several fingerprints and the index ignores them as generic.
//!
//! Platform classes are the Android boot class path ([`PLATFORM_NAMESPACES`]): they are library
//! classes to ProGuard and R8, so their names are never changed. Every other class name is
//! erased to `L;`, because it may have been renamed. Abstract methods are left out on both sides
//! (a DEX code index does not list them).
//!
//! ```
//! use disclose::fingerprint::features::{erase, feature_hash};
//! assert_eq!(erase("(Lcom/foo/A;Landroid/content/Context;[La/b;)V"), "(L;Landroid/content/Context;[L;)V");
//! assert_ne!(feature_hash(b's', "Bugly"), feature_hash(b'm', "Bugly"));
//! ```

use crate::android::classfile::ClassFile;
use crate::android::dex::{ClassCode, DexError, DexFile};

/// Namespaces of the Android boot class path (framework and core Java library). Code in them is
/// never shipped in an app's DEX, so ProGuard and R8 cannot rename it.
pub const PLATFORM_NAMESPACES: &[&str] = &[
    "Landroid/",
    "Ljava/",
    "Ljavax/",
    "Ldalvik/",
    "Lorg/json/",
    "Lorg/w3c/dom/",
    "Lorg/xml/sax/",
    "Lorg/xmlpull/v1/",
    "Lorg/apache/http/",
    "Ljunit/",
];

/// Packages under `Landroid/` that apps ship themselves (support libraries): renameable.
const SHIPPED_UNDER_ANDROID: &[&str] = &["Landroid/support/", "Landroid/arch/"];

/// Strings of at least this many characters are strong features.
const STRONG_STRING_CHARS: usize = 5;

/// A method that uses at least this many distinct platform methods and fields gives a `p`
/// feature (the set of them).
pub const MIN_METHOD_CALLS: usize = 4;

/// Whether `descriptor` (`Lpkg/Name;`) names a platform class.
pub fn is_platform(descriptor: &str) -> bool {
    PLATFORM_NAMESPACES
        .iter()
        .any(|p| descriptor.starts_with(p))
        && !SHIPPED_UNDER_ANDROID
            .iter()
            .any(|p| descriptor.starts_with(p))
}

/// A type or method descriptor with every non-platform class name replaced by `L;`.
pub fn erase(descriptor: &str) -> String {
    let mut out = String::with_capacity(descriptor.len());
    let mut rest = descriptor;
    while let Some(start) = rest.find('L') {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let Some(end) = tail.find(';') else {
            out.push_str(tail);
            return out;
        };
        let class = &tail[..=end];
        if is_platform(class) {
            out.push_str(class);
        } else {
            out.push_str("L;");
        }
        rest = &tail[end + 1..];
    }
    out.push_str(rest);
    out
}

/// FNV-1a over the kind letter and the text, folded to 32 bits. Stable: fingerprint files
/// store these values, so this function must never change.
pub fn feature_hash(kind: u8, text: &str) -> u32 {
    fnv1a_folded([kind, 0].into_iter().chain(text.bytes()))
}

/// FNV-1a (64-bit) over `bytes`, folded to 32 bits.
fn fnv1a_folded(bytes: impl Iterator<Item = u8>) -> u32 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let h = bytes.fold(OFFSET, |h, b| (h ^ u64::from(b)).wrapping_mul(PRIME));
    ((h >> 32) ^ h) as u32
}

/// The `p` feature of a method whose platform calls and field reads have the sorted, distinct
/// feature hashes `calls` (`m` and `f` hashes), if it has [`MIN_METHOD_CALLS`] or more: FNV-1a
/// like [`feature_hash`], over `p`, a zero byte and each hash as 4 big-endian bytes. Stable, as
/// fingerprint files store it.
pub fn call_set_hash(calls: &[u32]) -> Option<u32> {
    if calls.len() < MIN_METHOD_CALLS {
        return None;
    }
    let bytes = calls.iter().flat_map(|c| c.to_be_bytes());
    Some(fnv1a_folded([b'p', 0].into_iter().chain(bytes)))
}

/// The features of one class: sorted, distinct, the strong and weak lists disjoint.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClassFeatures {
    /// Java name of the class where it was read (`com.tencent.bugly.crashreport.CrashReport`).
    pub name: String,
    pub strong: Vec<u32>,
    pub weak: Vec<u32>,
}

impl ClassFeatures {
    /// Strong features weigh this much, weak ones 1.
    pub const STRONG_WEIGHT: u32 = 3;

    /// Sum of the weights of every feature.
    pub fn weight(&self) -> u32 {
        self.strong.len() as u32 * Self::STRONG_WEIGHT + self.weak.len() as u32
    }

    /// Number of features.
    pub fn len(&self) -> usize {
        self.strong.len() + self.weak.len()
    }

    pub fn is_empty(&self) -> bool {
        self.strong.is_empty() && self.weak.is_empty()
    }
}

/// Collects the features of one class.
#[derive(Debug, Default)]
pub struct FeatureSink {
    strong: Vec<u32>,
    weak: Vec<u32>,
    /// Platform calls and field reads of the method being read (for its `p` feature).
    calls: Vec<u32>,
}

impl FeatureSink {
    /// A string constant the code loads.
    pub fn string(&mut self, s: &str) {
        let h = feature_hash(b's', s);
        if s.chars().count() >= STRONG_STRING_CHARS {
            self.strong.push(h);
        } else {
            self.weak.push(h);
        }
    }

    /// A method the code invokes (`class` a descriptor `Lpkg/Name;`).
    pub fn invoke(&mut self, class: &str, name: &str, descriptor: &str) {
        if is_platform(class) {
            let text = format!("{class}->{name}{}", erase(descriptor));
            self.call(feature_hash(b'm', &text));
        }
    }

    /// A platform call or field read (its `m` / `f` hash) of the method being read.
    fn call(&mut self, hash: u32) {
        self.weak.push(hash);
        self.calls.push(hash);
    }

    /// The end of one method's code: the set of its platform calls and field reads becomes
    /// its `p` feature (when large enough).
    pub fn end_method(&mut self) {
        self.calls.sort_unstable();
        self.calls.dedup();
        if let Some(h) = call_set_hash(&self.calls) {
            self.strong.push(h);
        }
        self.calls.clear();
    }

    /// A field the code reads.
    pub fn field_read(&mut self, class: &str, name: &str, type_: &str) {
        if is_platform(class) {
            let text = format!("{class}->{name}:{}", erase(type_));
            self.call(feature_hash(b'f', &text));
        }
    }

    /// A method the class defines (not abstract).
    pub fn defined_method(&mut self, name: &str, descriptor: &str, native: bool) {
        if native {
            let text = format!("{name}{}", erase(descriptor));
            self.strong.push(feature_hash(b'n', &text));
        } else {
            self.weak.push(feature_hash(b'd', &erase(descriptor)));
        }
    }

    /// The superclass and interfaces of the class.
    pub fn hierarchy<'a>(
        &mut self,
        superclass: Option<&str>,
        interfaces: impl IntoIterator<Item = &'a str>,
    ) {
        if let Some(s) = superclass.filter(|s| is_platform(s) && *s != "Ljava/lang/Object;") {
            self.weak.push(feature_hash(b'h', s));
        }
        for i in interfaces.into_iter().filter(|i| is_platform(i)) {
            self.weak.push(feature_hash(b'i', i));
        }
    }

    pub fn finish(mut self, name: String) -> ClassFeatures {
        self.strong.sort_unstable();
        self.strong.dedup();
        self.weak.sort_unstable();
        self.weak.dedup();
        let strong = &self.strong;
        self.weak.retain(|h| strong.binary_search(h).is_err());
        ClassFeatures {
            name,
            strong: self.strong,
            weak: self.weak,
        }
    }
}

const ACC_NATIVE: u32 = 0x0100;
const ACC_ABSTRACT: u32 = 0x0400;

/// `Lname;` for a JVM internal name (`[…` array descriptors stay as they are).
fn jvm_descriptor(internal: &str) -> String {
    if internal.starts_with('[') {
        internal.to_string()
    } else {
        format!("L{internal};")
    }
}

/// The features of a JVM class file.
pub fn jvm_class_features(class: &ClassFile) -> ClassFeatures {
    let mut sink = FeatureSink::default();
    let superclass = class.super_name.as_deref().map(jvm_descriptor);
    let interfaces: Vec<String> = class.interfaces.iter().map(|i| jvm_descriptor(i)).collect();
    sink.hierarchy(superclass.as_deref(), interfaces.iter().map(String::as_str));
    for m in &class.methods {
        let flags = u32::from(m.access_flags);
        if flags & ACC_ABSTRACT != 0 {
            continue;
        }
        sink.defined_method(&m.name, &m.descriptor, flags & ACC_NATIVE != 0);
        let Some(code) = &m.code else {
            continue;
        };
        for r in code
            .invokes
            .iter()
            .filter_map(|&i| class.method_refs.get(i as usize))
        {
            sink.invoke(&jvm_descriptor(&r.class), &r.name, &r.descriptor);
        }
        for r in code
            .field_reads
            .iter()
            .filter_map(|&i| class.field_refs.get(i as usize))
        {
            sink.field_read(&jvm_descriptor(&r.class), &r.name, &r.descriptor);
        }
        for s in code
            .strings
            .iter()
            .filter_map(|&i| class.strings.get(i as usize))
        {
            sink.string(s);
        }
        sink.end_method();
    }
    sink.finish(class.name.replace('/', "."))
}

/// Reads the features of DEX classes, each method, field, string and prototype of the file
/// hashed at most once (a DEX's classes share most of what they refer to).
pub struct DexFeatureReader<'a> {
    dex: &'a DexFile,
    methods: Vec<u64>,
    fields: Vec<u64>,
    strings: Vec<u64>,
    protos: Vec<u64>,
}

/// Cache slot values: 0 not yet computed, [`NOT_A_FEATURE`], or [`FEATURE`] | strong bit | hash.
const NOT_A_FEATURE: u64 = 1 << 40;
const FEATURE: u64 = 1 << 41;
const STRONG_BIT: u64 = 1 << 32;

fn slot(hash: u32, strong: bool) -> u64 {
    FEATURE | if strong { STRONG_BIT } else { 0 } | u64::from(hash)
}

fn push_slot(sink: &mut FeatureSink, value: u64) {
    if value & FEATURE != 0 {
        let h = value as u32;
        if value & STRONG_BIT != 0 {
            sink.strong.push(h);
        } else {
            sink.weak.push(h);
        }
    }
}

/// A platform call or field read (an `m` / `f` slot) of the method being read.
fn push_call(sink: &mut FeatureSink, value: u64) {
    if value & FEATURE != 0 {
        sink.call(value as u32);
    }
}

/// The cached value at `idx` of `cache`, computed by `compute` the first time.
fn cached(
    cache: &mut [u64],
    idx: u32,
    compute: impl FnOnce() -> Result<u64, DexError>,
) -> Result<u64, DexError> {
    match cache.get(idx as usize).copied() {
        Some(0) => {
            let v = compute()?;
            if let Some(s) = cache.get_mut(idx as usize) {
                *s = v;
            }
            Ok(v)
        }
        Some(v) => Ok(v),
        None => compute(),
    }
}

impl<'a> DexFeatureReader<'a> {
    pub fn new(dex: &'a DexFile) -> DexFeatureReader<'a> {
        DexFeatureReader {
            dex,
            methods: vec![0; dex.method_count() as usize],
            fields: vec![0; dex.field_count() as usize],
            strings: vec![0; dex.string_count() as usize],
            protos: vec![0; dex.proto_count() as usize],
        }
    }

    fn string(&mut self, idx: u32) -> Result<u64, DexError> {
        let dex = self.dex;
        cached(&mut self.strings, idx, || {
            let s = dex.string(idx)?;
            let strong = s.chars().count() >= STRONG_STRING_CHARS;
            Ok(slot(feature_hash(b's', &s), strong))
        })
    }

    fn invoke(&mut self, idx: u32) -> Result<u64, DexError> {
        let dex = self.dex;
        cached(&mut self.methods, idx, || {
            let (class_idx, _, _) = dex.method_ids(idx)?;
            if !is_platform(&dex.type_descriptor(class_idx)?) {
                return Ok(NOT_A_FEATURE);
            }
            let r = dex.method(idx)?;
            let text = format!("{}->{}{}", r.class, r.name, erase(&r.descriptor));
            Ok(slot(feature_hash(b'm', &text), false))
        })
    }

    fn field_read(&mut self, idx: u32) -> Result<u64, DexError> {
        let dex = self.dex;
        cached(&mut self.fields, idx, || {
            let f = dex.field(idx)?;
            if !is_platform(&f.class) {
                return Ok(NOT_A_FEATURE);
            }
            let text = format!("{}->{}:{}", f.class, f.name, erase(&f.type_));
            Ok(slot(feature_hash(b'f', &text), false))
        })
    }

    /// The `d` feature of a defined (not native) method: its erased descriptor.
    fn defined(&mut self, method_idx: u32) -> Result<u64, DexError> {
        let dex = self.dex;
        let (_, proto_idx, _) = dex.method_ids(method_idx)?;
        cached(&mut self.protos, proto_idx, || {
            let desc = dex.proto_descriptor(proto_idx)?;
            Ok(slot(feature_hash(b'd', &erase(&desc)), false))
        })
    }

    /// Hashes of the strong features of `code` (its strings of 5+ characters, its native
    /// methods and the `p` features of its methods): a cheap first look, since a class match
    /// needs a shared strong feature.
    pub fn strong_features(&mut self, code: &ClassCode) -> Result<Vec<u32>, DexError> {
        let mut out = Vec::new();
        let mut calls = Vec::new();
        for m in &code.methods {
            if m.invokes().len() + m.field_reads().len() >= MIN_METHOD_CALLS {
                calls.clear();
                for &callee in m.invokes() {
                    let v = self.invoke(callee)?;
                    if v & FEATURE != 0 {
                        calls.push(v as u32);
                    }
                }
                for &field in m.field_reads() {
                    let v = self.field_read(field)?;
                    if v & FEATURE != 0 {
                        calls.push(v as u32);
                    }
                }
                calls.sort_unstable();
                calls.dedup();
                out.extend(call_set_hash(&calls));
            }
            if m.access_flags & ACC_NATIVE != 0 {
                let own = self.dex.method(m.method_idx)?;
                let text = format!("{}{}", own.name, erase(&own.descriptor));
                out.push(feature_hash(b'n', &text));
            }
            for &s in m.strings() {
                let v = self.string(s)?;
                if v & STRONG_BIT != 0 {
                    out.push(v as u32);
                }
            }
        }
        Ok(out)
    }

    /// The features of the class `code`.
    pub fn class_features(&mut self, code: &ClassCode) -> Result<ClassFeatures, DexError> {
        let dex = self.dex;
        let mut sink = FeatureSink::default();
        let def = dex.class_def(code.class_def)?;
        let interfaces = dex.interfaces(&def)?;
        sink.hierarchy(
            def.superclass.as_deref(),
            interfaces.iter().map(|i| i.as_ref()),
        );
        for m in &code.methods {
            if m.access_flags & ACC_ABSTRACT != 0 {
                continue;
            }
            if m.access_flags & ACC_NATIVE != 0 {
                let own = dex.method(m.method_idx)?;
                sink.defined_method(&own.name, &own.descriptor, true);
            } else {
                let v = self.defined(m.method_idx)?;
                push_slot(&mut sink, v);
            }
            for &callee in m.invokes() {
                let v = self.invoke(callee)?;
                push_call(&mut sink, v);
            }
            for &field in m.field_reads() {
                let v = self.field_read(field)?;
                push_call(&mut sink, v);
            }
            for &s in m.strings() {
                let v = self.string(s)?;
                push_slot(&mut sink, v);
            }
            sink.end_method();
        }
        let name = crate::android::dex::descriptor_to_java(&def.descriptor);
        Ok(sink.finish(name))
    }
}

/// The features of the class `code` of `dex` (for many classes of one DEX, use one
/// [`DexFeatureReader`]).
pub fn dex_class_features(dex: &DexFile, code: &ClassCode) -> Result<ClassFeatures, DexError> {
    DexFeatureReader::new(dex).class_features(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn support_library_is_not_platform() {
        assert!(is_platform("Landroid/app/Activity;"));
        assert!(!is_platform("Landroid/support/v4/app/Fragment;"));
        assert!(!is_platform("Landroidx/core/app/ActivityCompat;"));
        assert!(!is_platform("Lcom/tencent/bugly/Bugly;"));
    }

    #[test]
    fn erase_keeps_arrays_primitives_and_platform_types() {
        assert_eq!(
            erase("([ILa/b;J)Ljava/lang/String;"),
            "([IL;J)Ljava/lang/String;"
        );
        assert_eq!(erase("La;"), "L;");
        assert_eq!(erase("Lbroken"), "Lbroken");
    }

    #[test]
    fn a_method_with_four_platform_calls_gives_one_order_free_p_feature() {
        let calls = [
            (
                "Landroid/content/Context;",
                "getPackageName",
                "()Ljava/lang/String;",
            ),
            ("Landroid/os/Build;", "getSerial", "()Ljava/lang/String;"),
            ("Ljava/io/File;", "exists", "()Z"),
            ("Lcom/vendor/a;", "b", "()V"),
        ];
        let read = |order: &[usize], with_field: bool| {
            let mut s = FeatureSink::default();
            for &i in order {
                let (c, n, d) = calls[i];
                s.invoke(c, n, d);
            }
            if with_field {
                s.field_read("Landroid/os/Build;", "MODEL", "Ljava/lang/String;");
            }
            s.end_method();
            s.finish("X".into())
        };
        // Three platform calls (the vendor's own call does not count): no `p` feature.
        assert!(read(&[0, 1, 2, 3], false).strong.is_empty());
        let a = read(&[0, 1, 2, 3], true);
        let b = read(&[3, 2, 1, 0], true);
        assert_eq!(a.strong.len(), 1);
        assert_eq!(a, b);
        assert!(a.weak.len() == 4 && !a.weak.contains(&a.strong[0]));
    }

    #[test]
    fn strong_and_weak_stay_disjoint() {
        let mut s = FeatureSink::default();
        s.string("Bugly");
        s.string("Bugly");
        s.string("id");
        s.invoke("Lcom/x/Y;", "a", "()V");
        s.invoke(
            "Landroid/util/Log;",
            "d",
            "(Ljava/lang/String;Ljava/lang/String;)I",
        );
        let f = s.finish("X".into());
        assert_eq!(f.strong.len(), 1);
        assert_eq!(f.weak.len(), 2);
        assert_eq!(f.weight(), 5);
    }
}
