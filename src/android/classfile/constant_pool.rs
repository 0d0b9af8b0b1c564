//! The constant pool of a JVM class file: every tag of the JVM specification (§4.4), including
//! the two-slot `Long`/`Double` entries and the `Module`/`Package` tags of module-info files.

use std::borrow::Cow;

use super::{ClassFileError, Cursor};
use crate::android::dex::mutf8;

/// Class, name and descriptor of a member reference.
pub(crate) type MemberNames<'a> = (Cow<'a, str>, Cow<'a, str>, Cow<'a, str>);

/// One constant pool entry, holding offsets and indices rather than decoded text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Constant {
    /// Slot 0, and the slot after a `Long` or `Double`.
    Unusable,
    /// `CONSTANT_Utf8`: modified UTF-8 bytes at `start..start + len` of the class file.
    Utf8 { start: usize, len: usize },
    /// `CONSTANT_Integer`, `Float`, `Long`, `Double`, `MethodHandle`, `MethodType`, `Dynamic`,
    /// `InvokeDynamic`: nothing this reader needs beyond skipping them.
    Other,
    /// `CONSTANT_Class`: index of its name.
    Class(u16),
    /// `CONSTANT_String`: index of its text.
    String(u16),
    /// `CONSTANT_Fieldref`, `Methodref`, `InterfaceMethodref`: class and name-and-type indices.
    Ref {
        tag: u8,
        class: u16,
        name_and_type: u16,
    },
    /// `CONSTANT_NameAndType`: name and descriptor indices.
    NameAndType { name: u16, descriptor: u16 },
    /// `CONSTANT_Module`, `CONSTANT_Package`: index of the name.
    Named(u16),
}

pub(crate) const TAG_FIELDREF: u8 = 9;
pub(crate) const TAG_METHODREF: u8 = 10;
pub(crate) const TAG_INTERFACE_METHODREF: u8 = 11;

/// A parsed constant pool over the class file bytes.
pub(crate) struct ConstantPool<'a> {
    bytes: &'a [u8],
    pub(crate) entries: Vec<Constant>,
}

impl<'a> ConstantPool<'a> {
    /// Reads `constant_pool_count` and the entries from `cur`.
    pub(crate) fn read(cur: &mut Cursor<'a>) -> Result<ConstantPool<'a>, ClassFileError> {
        let count = cur.u16("constant_pool_count")?;
        // Each entry takes at least 3 bytes: bound the allocation by what is left.
        let cap = usize::from(count).min(cur.remaining() / 3 + 1);
        let mut entries = Vec::with_capacity(cap);
        entries.push(Constant::Unusable);
        while entries.len() < usize::from(count) {
            let index = entries.len() as u16;
            let offset = cur.pos();
            let tag = cur.u8("constant tag")?;
            let entry = match tag {
                1 => {
                    let len = usize::from(cur.u16("Utf8 length")?);
                    let start = cur.pos();
                    cur.skip(len, "Utf8 bytes")?;
                    Constant::Utf8 { start, len }
                }
                3 | 4 => {
                    cur.skip(4, "Integer/Float")?;
                    Constant::Other
                }
                5 | 6 => {
                    cur.skip(8, "Long/Double")?;
                    entries.push(Constant::Other);
                    if entries.len() >= usize::from(count) {
                        return Err(ClassFileError::BadConstant {
                            index,
                            offset,
                            problem: "Long/Double in the last slot",
                        });
                    }
                    Constant::Unusable
                }
                7 => Constant::Class(cur.u16("Class")?),
                8 => Constant::String(cur.u16("String")?),
                9..=11 => Constant::Ref {
                    tag,
                    class: cur.u16("member ref")?,
                    name_and_type: cur.u16("member ref")?,
                },
                12 => Constant::NameAndType {
                    name: cur.u16("NameAndType")?,
                    descriptor: cur.u16("NameAndType")?,
                },
                15 => {
                    cur.skip(3, "MethodHandle")?;
                    Constant::Other
                }
                16 => {
                    cur.skip(2, "MethodType")?;
                    Constant::Other
                }
                17 | 18 => {
                    cur.skip(4, "Dynamic/InvokeDynamic")?;
                    Constant::Other
                }
                19 | 20 => Constant::Named(cur.u16("Module/Package")?),
                _ => {
                    return Err(ClassFileError::BadConstant {
                        index,
                        offset,
                        problem: "unknown tag",
                    })
                }
            };
            entries.push(entry);
        }
        Ok(ConstantPool {
            bytes: cur.data(),
            entries,
        })
    }

    fn get(&self, index: u16) -> Option<Constant> {
        self.entries.get(usize::from(index)).copied()
    }

    fn wrong(index: u16, expected: &'static str) -> ClassFileError {
        ClassFileError::BadIndex { index, expected }
    }

    /// The text of `Utf8` entry `index`.
    pub(crate) fn utf8(&self, index: u16) -> Result<Cow<'a, str>, ClassFileError> {
        match self.get(index) {
            Some(Constant::Utf8 { start, len }) => {
                let raw = self.bytes.get(start..start + len).unwrap_or_default();
                mutf8::decode(raw).ok_or(ClassFileError::BadUtf8 { index })
            }
            _ => Err(Self::wrong(index, "Utf8")),
        }
    }

    /// The internal name (`java/lang/Object`) of `Class` entry `index`.
    pub(crate) fn class_name(&self, index: u16) -> Result<Cow<'a, str>, ClassFileError> {
        match self.get(index) {
            Some(Constant::Class(name)) => self.utf8(name),
            _ => Err(Self::wrong(index, "Class")),
        }
    }

    /// Class, name and descriptor of a `Fieldref`/`Methodref`/`InterfaceMethodref` entry.
    pub(crate) fn member_ref(
        &self,
        class: u16,
        name_and_type: u16,
    ) -> Result<MemberNames<'a>, ClassFileError> {
        match self.get(name_and_type) {
            Some(Constant::NameAndType { name, descriptor }) => Ok((
                self.class_name(class)?,
                self.utf8(name)?,
                self.utf8(descriptor)?,
            )),
            _ => Err(Self::wrong(name_and_type, "NameAndType")),
        }
    }
}
