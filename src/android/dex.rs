//! DEX reader: the id tables of a `classes*.dex` file and a per-class, per-method index of what
//! its code invokes, reads and loads.
//!
//! [`DexFile::parse`] checks the header (magic `dex\n035\0` … `dex\n041\0`, file and header
//! size, endianness) and every id table against the data up front, including each id's
//! references into the other tables, so that the accessors ([`DexFile::string`],
//! [`DexFile::method`], …) only decode variable-length data lazily. Strings are modified UTF-8,
//! returned borrowed from the file when they are plain ASCII.
//!
//! [`DexFile::code_index`] decodes every method's code item: it walks the Dalvik instruction
//! stream by instruction format (payload pseudo-instructions skipped by their size) and records,
//! per defined class and per method, the method ids it invokes (with the number of call sites),
//! the field ids it reads (`iget*`/`sget*`), the string ids it loads (`const-string*`), the type
//! ids it names (`new-instance`, `const-class`, `check-cast`, `instance-of`) and the call sites
//! of `invoke-custom`. [`DexFile::code_index_lenient`] skips a broken method or class and
//! reports it instead of failing the whole file.
//!
//! Classes a dex defines (class defs) and types it only references are kept apart:
//! [`DefinedTypes`] collects the defined classes of all dex files of an app, and
//! [`DexFile::referenced_types`] lists the class types no dex defines.
//!
//! ```no_run
//! use disclose::android::dex::{smali_method, DexFile};
//! let dex = DexFile::parse(std::fs::read("classes.dex")?)?;
//! let index = dex.code_index()?;
//! for class in &index.classes {
//!     for method in &class.methods {
//!         for &callee in method.invokes() {
//!             println!("{}", smali_method(&dex.method(callee)?));
//!         }
//!     }
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod bytes;
mod code;
mod code_store;
mod file;
mod header;
pub(crate) mod mutf8;
mod opcodes;

pub use code_store::{ClassCode, CodeIndex, MethodCode, MethodIter, Methods};
pub use file::{ClassDef, DefinedTypes, DexFile, FieldRef, MethodRef, ProtoRef};

/// What is wrong with a DEX file. `Display` is one line naming the offset or index.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DexError {
    #[error("dex: file is {len} bytes, shorter than the 112-byte header")]
    TooShort { len: usize },
    #[error("dex: bad magic \"{found}\" at offset 0 (expected \"dex\\n035\\0\" or later)")]
    BadMagic { found: String },
    #[error("dex: unsupported version {version:03}")]
    UnsupportedVersion { version: u32 },
    #[error("dex: big-endian dex files are not supported (endian tag at offset 0x28)")]
    BigEndian,
    #[error("dex: bad endian tag {tag:#010x} at offset 0x28")]
    EndianTag { tag: u32 },
    #[error("dex: bad header size {size} at offset 0x24")]
    HeaderSize { size: usize },
    #[error("dex: header declares file size {declared}, data is {actual} bytes")]
    FileSize { declared: usize, actual: usize },
    #[error("dex: section {section} ({count} items at offset {offset:#x}) lies outside the {len}-byte file")]
    SectionOutOfBounds {
        section: &'static str,
        offset: u32,
        count: u32,
        len: usize,
    },
    #[error("dex: {kind} index {index} out of range (the table has {count})")]
    IndexOutOfRange {
        kind: &'static str,
        index: u32,
        count: u32,
    },
    #[error("dex: {what} {index} refers to {kind} {value}, out of range (the table has {count})")]
    BadReference {
        what: &'static str,
        index: u32,
        kind: &'static str,
        value: u32,
        count: u32,
    },
    #[error("dex: {what} at offset {offset:#x} runs past the end of the data")]
    Truncated { what: &'static str, offset: usize },
    #[error("dex: string {index} at offset {offset:#x} is not valid modified UTF-8")]
    BadString { index: u32, offset: usize },
    #[error("dex: class_data of class def {class_def} at offset {offset:#x}: {problem}")]
    BadClassData {
        class_def: u32,
        offset: usize,
        problem: &'static str,
    },
    #[error(
        "dex: code of method {method_idx} at offset {code_off:#x}, code unit {pc:#x}: {problem}"
    )]
    BadCode {
        method_idx: u32,
        code_off: u32,
        pc: u32,
        problem: String,
    },
}

/// Java source name of a type descriptor: `Lcom/foo/Bar$Baz;` → `com.foo.Bar$Baz`,
/// `[I` → `int[]`, `V` → `void`. A string that is no descriptor is returned as it is.
///
/// ```
/// use disclose::android::dex::descriptor_to_java;
/// assert_eq!(descriptor_to_java("Lcom/foo/Bar$Baz;"), "com.foo.Bar$Baz");
/// assert_eq!(descriptor_to_java("[[Ljava/lang/String;"), "java.lang.String[][]");
/// assert_eq!(descriptor_to_java("J"), "long");
/// ```
pub fn descriptor_to_java(desc: &str) -> String {
    let element = desc.trim_start_matches('[');
    let dims = desc.len() - element.len();
    let base = match element {
        "Z" => "boolean".to_owned(),
        "B" => "byte".to_owned(),
        "S" => "short".to_owned(),
        "C" => "char".to_owned(),
        "I" => "int".to_owned(),
        "J" => "long".to_owned(),
        "F" => "float".to_owned(),
        "D" => "double".to_owned(),
        "V" => "void".to_owned(),
        _ => match element.strip_prefix('L').and_then(|s| s.strip_suffix(';')) {
            Some(name) => name.replace('/', "."),
            None => return desc.to_owned(),
        },
    };
    let mut out = base;
    for _ in 0..dims {
        out.push_str("[]");
    }
    out
}

/// The smali form of a method reference, as evidence shows it: `Lcom/foo/Bar;->baz(I)V`.
///
/// ```
/// use disclose::android::dex::{smali_method, MethodRef};
/// let m = MethodRef { class: "Lcom/foo/Bar;".into(), name: "baz".into(), descriptor: "(I)V".into() };
/// assert_eq!(smali_method(&m), "Lcom/foo/Bar;->baz(I)V");
/// ```
pub fn smali_method(m: &MethodRef) -> String {
    let mut out = String::with_capacity(m.class.len() + m.name.len() + m.descriptor.len() + 2);
    out.push_str(&m.class);
    out.push_str("->");
    out.push_str(&m.name);
    out.push_str(&m.descriptor);
    out
}
