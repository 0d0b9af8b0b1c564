//! JVM class file reader, for vendor SDKs shipped as `.jar` / `.aar`: the class's name,
//! superclass, interfaces, fields and methods, and what its constant pool references.
//!
//! Precision: the class-level lists ([`ClassFile::method_refs`], `field_refs`, `strings`) come
//! from the constant pool, so they are **per class, not per method**: a `Methodref` in the pool
//! says some code of the class names it. Per method, [`Member::code`] holds what the method's
//! bytecode actually invokes, reads and loads (its `Code` attribute walked instruction by
//! instruction), as indices into those class-level lists. Names are internal names
//! (`java/lang/Object`); [`MemberRef::smali`] writes a reference the way the DEX side does, so
//! one rule set matches both.
//!
//! The reader takes the bytes of one `.class` file and knows nothing of zip archives.
//!
//! ```
//! use disclose::android::classfile::parse_class;
//! let err = parse_class(b"\xca\xfe\xba\xbe").unwrap_err();
//! assert_eq!(err.to_string(), "class file: version at offset 0x4 runs past the end of the data");
//! ```

mod bytecode;
mod constant_pool;

use crate::bytes::Endian;
pub use bytecode::CodeRefs;
use bytecode::Slot;
use constant_pool::{Constant, ConstantPool, TAG_FIELDREF, TAG_INTERFACE_METHODREF, TAG_METHODREF};

/// What is wrong with a class file. `Display` is one line naming the offset or index.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClassFileError {
    #[error("class file: bad magic {found:#010x} at offset 0 (expected 0xcafebabe)")]
    BadMagic { found: u32 },
    #[error("class file: {what} at offset {offset:#x} runs past the end of the data")]
    Truncated { what: &'static str, offset: usize },
    #[error("class file: constant #{index} at offset {offset:#x}: {problem}")]
    BadConstant {
        index: u16,
        offset: usize,
        problem: &'static str,
    },
    #[error("class file: constant #{index} is not the {expected} entry it must be")]
    BadIndex { index: u16, expected: &'static str },
    #[error("class file: constant #{index} is not valid modified UTF-8")]
    BadUtf8 { index: u16 },
    #[error("class file: bytecode of method {method} at code offset {pc:#x}: {problem}")]
    BadCode {
        method: String,
        pc: usize,
        problem: &'static str,
    },
}

/// A method or field reference from the constant pool.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MemberRef {
    /// Internal name of the class, e.g. `android/telephony/TelephonyManager` (or an array
    /// descriptor such as `[Ljava/lang/Object;`).
    pub class: String,
    pub name: String,
    /// Method descriptor `(I)Ljava/lang/String;` or field type `Ljava/lang/String;`.
    pub descriptor: String,
    /// An `InterfaceMethodref` (not a `Methodref` or `Fieldref`).
    pub interface: bool,
}

impl MemberRef {
    /// The reference in smali form, as the DEX reader writes it:
    /// `Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;` for a method,
    /// `Landroid/os/Build;->SERIAL:Ljava/lang/String;` for a field.
    pub fn smali(&self) -> String {
        let class = if self.class.starts_with('[') {
            self.class.clone()
        } else {
            format!("L{};", self.class)
        };
        let sep = if self.descriptor.starts_with('(') {
            ""
        } else {
            ":"
        };
        format!("{class}->{}{sep}{}", self.name, self.descriptor)
    }
}

/// A field or method the class declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub name: String,
    pub descriptor: String,
    pub access_flags: u16,
    /// For a method with a `Code` attribute: what its bytecode refers to (`None` for fields
    /// and for abstract and native methods).
    pub code: Option<CodeRefs>,
}

/// One parsed class file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassFile {
    /// Internal name, e.g. `com/tencent/bugly/crashreport/CrashReport`.
    pub name: String,
    /// Internal name of the superclass (`None` for `java/lang/Object` and `module-info`).
    pub super_name: Option<String>,
    pub interfaces: Vec<String>,
    pub access_flags: u16,
    /// Class file major version (49 = Java 5, 52 = Java 8, …).
    pub major_version: u16,
    pub fields: Vec<Member>,
    pub methods: Vec<Member>,
    /// `Methodref` and `InterfaceMethodref` constants, in constant pool order.
    pub method_refs: Vec<MemberRef>,
    /// `Fieldref` constants, in constant pool order.
    pub field_refs: Vec<MemberRef>,
    /// `String` constants, in constant pool order.
    pub strings: Vec<String>,
    /// Names of every `Class` constant (classes the class refers to, itself included).
    pub class_refs: Vec<String>,
}

/// A bounds-checked reader over the class file bytes.
pub(crate) struct Cursor<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize, what: &'static str) -> Result<&'a [u8], ClassFileError> {
        let slice = self
            .pos
            .checked_add(n)
            .and_then(|end| self.data.get(self.pos..end))
            .ok_or_else(|| self.truncated(what))?;
        self.pos += n;
        Ok(slice)
    }
    /// The next `N` bytes (big-endian numbers follow), through the shared reader.
    fn array<const N: usize>(&mut self, what: &'static str) -> Result<[u8; N], ClassFileError> {
        let b = crate::bytes::array_at(self.data, self.pos).ok_or_else(|| self.truncated(what))?;
        self.pos += N;
        Ok(b)
    }
    fn truncated(&self, what: &'static str) -> ClassFileError {
        ClassFileError::Truncated {
            what,
            offset: self.pos,
        }
    }
    pub(crate) fn u8(&mut self, what: &'static str) -> Result<u8, ClassFileError> {
        self.array::<1>(what).map(|[b]| b)
    }
    pub(crate) fn u16(&mut self, what: &'static str) -> Result<u16, ClassFileError> {
        self.array(what).map(|b| Endian::Big.u16_of(b))
    }
    fn u32(&mut self, what: &'static str) -> Result<u32, ClassFileError> {
        self.array(what).map(|b| Endian::Big.u32_of(b))
    }
    pub(crate) fn skip(&mut self, n: usize, what: &'static str) -> Result<(), ClassFileError> {
        self.take(n, what).map(|_| ())
    }
    pub(crate) fn pos(&self) -> usize {
        self.pos
    }
    pub(crate) fn remaining(&self) -> usize {
        self.data.len().saturating_sub(self.pos)
    }
    pub(crate) fn data(&self) -> &'a [u8] {
        self.data
    }
}

/// Parses one `.class` file.
pub fn parse_class(bytes: &[u8]) -> Result<ClassFile, ClassFileError> {
    let mut cur = Cursor {
        data: bytes,
        pos: 0,
    };
    let magic = cur.u32("magic")?;
    if magic != 0xcafe_babe {
        return Err(ClassFileError::BadMagic { found: magic });
    }
    let _minor = cur.u16("version")?;
    let major_version = cur.u16("version")?;
    let pool = ConstantPool::read(&mut cur)?;
    let access_flags = cur.u16("access_flags")?;
    let name = pool.class_name(cur.u16("this_class")?)?.into_owned();
    let super_index = cur.u16("super_class")?;
    let super_name = if super_index == 0 {
        None
    } else {
        Some(pool.class_name(super_index)?.into_owned())
    };
    let interface_count = cur.u16("interfaces_count")?;
    let mut interfaces = Vec::with_capacity(usize::from(interface_count).min(cur.remaining() / 2));
    for _ in 0..interface_count {
        interfaces.push(pool.class_name(cur.u16("interfaces")?)?.into_owned());
    }

    let mut method_refs = Vec::new();
    let mut field_refs = Vec::new();
    let mut strings = Vec::new();
    let mut class_refs = Vec::new();
    let mut slots = vec![Slot::None; pool.entries.len()];
    for (entry, slot) in pool.entries.iter().zip(slots.iter_mut()) {
        match *entry {
            Constant::Ref {
                tag,
                class,
                name_and_type,
            } => {
                let (class, name, descriptor) = pool.member_ref(class, name_and_type)?;
                let r = MemberRef {
                    class: class.into_owned(),
                    name: name.into_owned(),
                    descriptor: descriptor.into_owned(),
                    interface: tag == TAG_INTERFACE_METHODREF,
                };
                match tag {
                    TAG_FIELDREF => {
                        *slot = Slot::Field(field_refs.len() as u32);
                        field_refs.push(r);
                    }
                    TAG_METHODREF | TAG_INTERFACE_METHODREF => {
                        *slot = Slot::Method(method_refs.len() as u32);
                        method_refs.push(r);
                    }
                    _ => {}
                }
            }
            Constant::String(text) => {
                *slot = Slot::String(strings.len() as u32);
                strings.push(pool.utf8(text)?.into_owned());
            }
            Constant::Class(n) => class_refs.push(pool.utf8(n)?.into_owned()),
            _ => {}
        }
    }
    let fields = read_members(&mut cur, &pool, None)?;
    let methods = read_members(&mut cur, &pool, Some(&slots))?;
    skip_attributes(&mut cur)?;
    Ok(ClassFile {
        name,
        super_name,
        interfaces,
        access_flags,
        major_version,
        fields,
        methods,
        method_refs,
        field_refs,
        strings,
        class_refs,
    })
}

/// Reads a `fields` table (`slots` is `None`) or a `methods` table, scanning each method's
/// `Code` attribute with `slots`.
fn read_members(
    cur: &mut Cursor<'_>,
    pool: &ConstantPool<'_>,
    slots: Option<&[Slot]>,
) -> Result<Vec<Member>, ClassFileError> {
    let what = if slots.is_some() { "method" } else { "field" };
    let count = cur.u16(what)?;
    // A member takes at least 8 bytes.
    let mut members = Vec::with_capacity(usize::from(count).min(cur.remaining() / 8));
    for _ in 0..count {
        let access_flags = cur.u16(what)?;
        let name = pool.utf8(cur.u16(what)?)?.into_owned();
        let descriptor = pool.utf8(cur.u16(what)?)?.into_owned();
        let mut code = None;
        let attributes = cur.u16("attributes_count")?;
        for _ in 0..attributes {
            let attr_name = cur.u16("attribute name")?;
            let len = cur.u32("attribute length")? as usize;
            let body = cur.take(len, "attribute")?;
            if let Some(slots) = slots {
                if code.is_none() && pool.utf8(attr_name).is_ok_and(|n| n == "Code") {
                    let mut inner = Cursor { data: body, pos: 4 };
                    let code_len = inner.u32("code_length")? as usize;
                    let bytes = inner.take(code_len, "code")?;
                    code = Some(bytecode::scan(bytes, slots, &name)?);
                }
            }
        }
        members.push(Member {
            name,
            descriptor,
            access_flags,
            code,
        });
    }
    Ok(members)
}

/// Skips an `attributes_count` and its attributes by their lengths.
fn skip_attributes(cur: &mut Cursor<'_>) -> Result<(), ClassFileError> {
    let count = cur.u16("attributes_count")?;
    for _ in 0..count {
        cur.skip(2, "attribute name")?;
        let len = cur.u32("attribute length")?;
        cur.skip(len as usize, "attribute")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smali_form_of_methods_fields_and_array_classes() {
        let m = MemberRef {
            class: "android/telephony/TelephonyManager".into(),
            name: "getDeviceId".into(),
            descriptor: "()Ljava/lang/String;".into(),
            interface: false,
        };
        assert_eq!(
            m.smali(),
            "Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;"
        );
        let f = MemberRef {
            class: "android/os/Build".into(),
            name: "SERIAL".into(),
            descriptor: "Ljava/lang/String;".into(),
            interface: false,
        };
        assert_eq!(f.smali(), "Landroid/os/Build;->SERIAL:Ljava/lang/String;");
        let a = MemberRef {
            class: "[Ljava/lang/Object;".into(),
            name: "clone".into(),
            descriptor: "()Ljava/lang/Object;".into(),
            interface: false,
        };
        assert_eq!(a.smali(), "[Ljava/lang/Object;->clone()Ljava/lang/Object;");
    }
}
