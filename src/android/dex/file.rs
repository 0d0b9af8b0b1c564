//! [`DexFile`]: the owned bytes of one dex file and lazy accessors over its id tables.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::Arc;

use super::bytes::{u16_at, u32_at, uleb128};
use super::header::{
    self, Header, Table, CLASS_DEF_SIZE, FIELD_ID_SIZE, METHOD_ID_SIZE, PROTO_ID_SIZE,
    STRING_ID_SIZE, TYPE_ID_SIZE,
};
use super::{mutf8, DexError};

/// "No index" in class defs (no superclass, no source file).
pub(crate) const NO_INDEX: u32 = u32::MAX;

/// One parsed dex file. Owns its bytes; cheap to share across threads.
#[derive(Debug, Clone)]
pub struct DexFile {
    /// The bytes as read (no copy: an `Arc<[u8]>` would copy the whole file once more).
    pub(crate) data: Arc<Vec<u8>>,
    pub(crate) header: Header,
}

/// A method reference resolved to names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MethodRef<'a> {
    /// Descriptor of the declaring class, e.g. `Landroid/telephony/TelephonyManager;`.
    pub class: Cow<'a, str>,
    pub name: Cow<'a, str>,
    /// Method descriptor, e.g. `(Ljava/lang/String;I)V`.
    pub descriptor: String,
}

/// A field reference resolved to names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldRef<'a> {
    /// Descriptor of the declaring class, e.g. `Landroid/os/Build;`.
    pub class: Cow<'a, str>,
    pub name: Cow<'a, str>,
    /// Type descriptor of the field, e.g. `Ljava/lang/String;`.
    pub type_: Cow<'a, str>,
}

/// A method prototype.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtoRef<'a> {
    pub shorty: Cow<'a, str>,
    pub return_type: Cow<'a, str>,
    pub parameters: Vec<Cow<'a, str>>,
}

/// A class defined by this dex file (`class_def_item`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassDef<'a> {
    /// Index of the class def in this file.
    pub index: u32,
    /// Descriptor of the class, e.g. `Lcom/foo/Bar;`.
    pub descriptor: Cow<'a, str>,
    /// Descriptor of the superclass (`None` for `java.lang.Object`).
    pub superclass: Option<Cow<'a, str>>,
    pub access_flags: u32,
    /// Type id of the class.
    pub class_idx: u32,
    /// Type id of the superclass.
    pub superclass_idx: Option<u32>,
    /// Offset of the interface type list (0: none); see [`DexFile::interfaces`].
    pub interfaces_off: u32,
    /// String id of the source file name, if recorded.
    pub source_file_idx: Option<u32>,
    /// Offset of the class data (0: a class with no fields or methods).
    pub class_data_off: u32,
}

impl DexFile {
    /// Parses and validates `bytes`: the header, the bounds of every id table, and every id's
    /// references into the other tables (so later lookups of valid ids cannot fail on them).
    pub fn parse(bytes: Vec<u8>) -> Result<DexFile, DexError> {
        let header = header::parse(&bytes)?;
        let mut bytes = bytes;
        bytes.truncate(header.file_size);
        let dex = DexFile {
            data: Arc::new(bytes),
            header,
        };
        dex.validate_ids()?;
        Ok(dex)
    }

    /// The bytes back, for reuse as the buffer of the next file; `None` while a clone of this
    /// `DexFile` still shares them.
    pub fn into_bytes(self) -> Option<Vec<u8>> {
        Arc::try_unwrap(self.data).ok()
    }

    /// The format version: 35 for `dex\n035\0`, …
    pub fn version(&self) -> u32 {
        self.header.version
    }

    /// The raw bytes of the file.
    pub fn bytes(&self) -> &[u8] {
        &self.data
    }

    pub fn string_count(&self) -> u32 {
        self.header.strings.count
    }
    pub fn type_count(&self) -> u32 {
        self.header.types.count
    }
    pub fn proto_count(&self) -> u32 {
        self.header.protos.count
    }
    pub fn field_count(&self) -> u32 {
        self.header.fields.count
    }
    pub fn method_count(&self) -> u32 {
        self.header.methods.count
    }
    pub fn class_def_count(&self) -> u32 {
        self.header.class_defs.count
    }

    /// The `u32` at `off`, or a truncation error naming `what`.
    pub(crate) fn u32(&self, off: usize, what: &'static str) -> Result<u32, DexError> {
        u32_at(&self.data, off).ok_or(DexError::Truncated { what, offset: off })
    }

    fn u16(&self, off: usize, what: &'static str) -> Result<u16, DexError> {
        u16_at(&self.data, off).ok_or(DexError::Truncated { what, offset: off })
    }

    /// Offset of item `idx` of `table`, or an index error.
    fn item(
        &self,
        table: Table,
        idx: u32,
        size: usize,
        kind: &'static str,
    ) -> Result<usize, DexError> {
        table.item(idx, size).ok_or(DexError::IndexOutOfRange {
            kind,
            index: idx,
            count: table.count,
        })
    }

    /// String `idx`, decoded from modified UTF-8 (borrowed when plain ASCII).
    pub fn string(&self, idx: u32) -> Result<Cow<'_, str>, DexError> {
        let id_off = self.item(self.header.strings, idx, STRING_ID_SIZE, "string")?;
        let off = self.u32(id_off, "string_id")? as usize;
        let mut pos = off;
        let utf16_len = uleb128(&self.data, &mut pos).ok_or(DexError::Truncated {
            what: "string_data_item",
            offset: off,
        })?;
        // Each UTF-16 unit takes at most 3 bytes: bound the search for the terminator.
        let rest = self.data.get(pos..).unwrap_or_default();
        let window = &rest[..rest.len().min(utf16_len as usize * 3 + 1)];
        let end = memchr::memchr(0, window).ok_or(DexError::Truncated {
            what: "string_data_item",
            offset: off,
        })?;
        mutf8::decode(&window[..end]).ok_or(DexError::BadString {
            index: idx,
            offset: off,
        })
    }

    /// String id of the descriptor of type `type_idx`.
    fn type_string_idx(&self, type_idx: u32) -> Result<u32, DexError> {
        let off = self.item(self.header.types, type_idx, TYPE_ID_SIZE, "type")?;
        self.u32(off, "type_id")
    }

    /// The descriptor of type `type_idx`, e.g. `Lcom/foo/Bar;` or `[I`.
    pub fn type_descriptor(&self, type_idx: u32) -> Result<Cow<'_, str>, DexError> {
        self.string(self.type_string_idx(type_idx)?)
    }

    /// Prototype `proto_idx`.
    pub fn proto(&self, proto_idx: u32) -> Result<ProtoRef<'_>, DexError> {
        let off = self.item(self.header.protos, proto_idx, PROTO_ID_SIZE, "proto")?;
        let shorty = self.string(self.u32(off, "proto_id")?)?;
        let return_type = self.type_descriptor(self.u32(off + 4, "proto_id")?)?;
        let params_off = self.u32(off + 8, "proto_id")?;
        let parameters = self
            .type_list(params_off)?
            .map(|t| self.type_descriptor(u32::from(t)))
            .collect::<Result<_, _>>()?;
        Ok(ProtoRef {
            shorty,
            return_type,
            parameters,
        })
    }

    /// Method descriptor of prototype `proto_idx`: `(Ljava/lang/String;I)V`.
    pub fn proto_descriptor(&self, proto_idx: u32) -> Result<String, DexError> {
        let mut out = String::new();
        self.write_proto_descriptor(proto_idx, &mut out)?;
        Ok(out)
    }

    /// Appends the method descriptor of prototype `proto_idx` to `out` (for many prototypes
    /// into one buffer); on an error `out` may hold part of it.
    pub fn write_proto_descriptor(&self, proto_idx: u32, out: &mut String) -> Result<(), DexError> {
        let off = self.item(self.header.protos, proto_idx, PROTO_ID_SIZE, "proto")?;
        out.push('(');
        for t in self.type_list(self.u32(off + 8, "proto_id")?)? {
            out.push_str(&self.type_descriptor(u32::from(t))?);
        }
        out.push(')');
        out.push_str(&self.type_descriptor(self.u32(off + 4, "proto_id")?)?);
        Ok(())
    }

    /// The type ids of the `type_list` at `off` (none when `off` is 0).
    pub(crate) fn type_list(&self, off: u32) -> Result<impl Iterator<Item = u16> + '_, DexError> {
        let (start, size) = if off == 0 {
            (0, 0)
        } else {
            let size = self.u32(off as usize, "type_list")? as usize;
            let start = off as usize + 4;
            if start + size * 2 > self.data.len() {
                return Err(DexError::Truncated {
                    what: "type_list",
                    offset: off as usize,
                });
            }
            (start, size)
        };
        Ok((0..size).filter_map(move |i| u16_at(&self.data, start + 2 * i)))
    }

    /// The raw ids of method `method_idx`: (class type id, proto id, name string id).
    pub fn method_ids(&self, method_idx: u32) -> Result<(u32, u32, u32), DexError> {
        let off = self.item(self.header.methods, method_idx, METHOD_ID_SIZE, "method")?;
        Ok((
            u32::from(self.u16(off, "method_id")?),
            u32::from(self.u16(off + 2, "method_id")?),
            self.u32(off + 4, "method_id")?,
        ))
    }

    /// Method `method_idx`, resolved to class, name and descriptor.
    pub fn method(&self, method_idx: u32) -> Result<MethodRef<'_>, DexError> {
        let (class_idx, proto_idx, name_idx) = self.method_ids(method_idx)?;
        Ok(MethodRef {
            class: self.type_descriptor(class_idx)?,
            name: self.string(name_idx)?,
            descriptor: self.proto_descriptor(proto_idx)?,
        })
    }

    /// The raw ids of field `field_idx`: (class type id, field type id, name string id).
    pub fn field_ids(&self, field_idx: u32) -> Result<(u32, u32, u32), DexError> {
        let off = self.item(self.header.fields, field_idx, FIELD_ID_SIZE, "field")?;
        Ok((
            u32::from(self.u16(off, "field_id")?),
            u32::from(self.u16(off + 2, "field_id")?),
            self.u32(off + 4, "field_id")?,
        ))
    }

    /// Field `field_idx`, resolved to class, name and type.
    pub fn field(&self, field_idx: u32) -> Result<FieldRef<'_>, DexError> {
        let (class_idx, type_idx, name_idx) = self.field_ids(field_idx)?;
        Ok(FieldRef {
            class: self.type_descriptor(class_idx)?,
            name: self.string(name_idx)?,
            type_: self.type_descriptor(type_idx)?,
        })
    }

    /// Class def `index`.
    pub fn class_def(&self, index: u32) -> Result<ClassDef<'_>, DexError> {
        let off = self.item(self.header.class_defs, index, CLASS_DEF_SIZE, "class_def")?;
        let field = |n: usize| self.u32(off + 4 * n, "class_def");
        let class_idx = field(0)?;
        let superclass_idx = Some(field(2)?).filter(|&i| i != NO_INDEX);
        Ok(ClassDef {
            index,
            descriptor: self.type_descriptor(class_idx)?,
            superclass: superclass_idx
                .map(|i| self.type_descriptor(i))
                .transpose()?,
            access_flags: field(1)?,
            class_idx,
            superclass_idx,
            interfaces_off: field(3)?,
            source_file_idx: Some(field(4)?).filter(|&i| i != NO_INDEX),
            class_data_off: field(6)?,
        })
    }

    /// Every class def, in file order.
    pub fn class_defs(&self) -> impl Iterator<Item = Result<ClassDef<'_>, DexError>> {
        (0..self.class_def_count()).map(move |i| self.class_def(i))
    }

    /// Descriptors of the interfaces `class` implements.
    pub fn interfaces(&self, class: &ClassDef<'_>) -> Result<Vec<Cow<'_, str>>, DexError> {
        self.type_list(class.interfaces_off)?
            .map(|t| self.type_descriptor(u32::from(t)))
            .collect()
    }

    /// The source file name recorded for `class`, if any.
    pub fn source_file(&self, class: &ClassDef<'_>) -> Result<Option<Cow<'_, str>>, DexError> {
        class.source_file_idx.map(|i| self.string(i)).transpose()
    }

    /// Type ids of the class types (`L…;`) this file refers to that no dex of the app defines.
    pub fn referenced_types(&self, defined: &DefinedTypes) -> Result<Vec<u32>, DexError> {
        let mut out = Vec::new();
        for type_idx in 0..self.type_count() {
            let desc = self.type_descriptor(type_idx)?;
            if desc.starts_with('L') && !defined.contains(&desc) {
                out.push(type_idx);
            }
        }
        Ok(out)
    }

    /// Checks every id's references into the other tables, and each string's data offset.
    fn validate_ids(&self) -> Result<(), DexError> {
        let h = &self.header;
        let len = self.data.len();
        let check = |what, index, kind, value: u32, count: u32| {
            if value < count {
                Ok(())
            } else {
                Err(DexError::BadReference {
                    what,
                    index,
                    kind,
                    value,
                    count,
                })
            }
        };
        for i in 0..h.strings.count {
            let off = self.u32(h.strings.off + i as usize * STRING_ID_SIZE, "string_id")?;
            check("string_id", i, "data offset", off, len as u32)?;
        }
        for i in 0..h.types.count {
            let s = self.u32(h.types.off + i as usize * TYPE_ID_SIZE, "type_id")?;
            check("type_id", i, "string", s, h.strings.count)?;
        }
        for i in 0..h.protos.count {
            let off = h.protos.off + i as usize * PROTO_ID_SIZE;
            check(
                "proto_id",
                i,
                "string",
                self.u32(off, "proto_id")?,
                h.strings.count,
            )?;
            check(
                "proto_id",
                i,
                "type",
                self.u32(off + 4, "proto_id")?,
                h.types.count,
            )?;
            for t in self.type_list(self.u32(off + 8, "proto_id")?)? {
                check("proto_id", i, "parameter type", u32::from(t), h.types.count)?;
            }
        }
        for i in 0..h.fields.count {
            let (class, type_, name) = self.field_ids(i)?;
            check("field_id", i, "type", class, h.types.count)?;
            check("field_id", i, "type", type_, h.types.count)?;
            check("field_id", i, "string", name, h.strings.count)?;
        }
        for i in 0..h.methods.count {
            let (class, proto, name) = self.method_ids(i)?;
            check("method_id", i, "type", class, h.types.count)?;
            check("method_id", i, "proto", proto, h.protos.count)?;
            check("method_id", i, "string", name, h.strings.count)?;
        }
        for i in 0..h.class_defs.count {
            let off = h.class_defs.off + i as usize * CLASS_DEF_SIZE;
            let field = |n: usize| self.u32(off + 4 * n, "class_def");
            check("class_def", i, "type", field(0)?, h.types.count)?;
            let superclass = field(2)?;
            if superclass != NO_INDEX {
                check("class_def", i, "type", superclass, h.types.count)?;
            }
            for t in self.type_list(field(3)?)? {
                check(
                    "class_def",
                    i,
                    "interface type",
                    u32::from(t),
                    h.types.count,
                )?;
            }
            let source = field(4)?;
            if source != NO_INDEX {
                check("class_def", i, "string", source, h.strings.count)?;
            }
            check("class_def", i, "class_data offset", field(6)?, len as u32)?;
        }
        Ok(())
    }
}

/// The classes defined by all dex files of an app, by descriptor: what tells a defined class
/// from a type that is only referenced.
#[derive(Debug, Clone, Default)]
pub struct DefinedTypes {
    descriptors: HashSet<String>,
}

impl DefinedTypes {
    /// Collects the class defs of every dex in `dexes`.
    pub fn of(dexes: &[DexFile]) -> Result<DefinedTypes, DexError> {
        let mut descriptors = HashSet::new();
        for dex in dexes {
            for class in dex.class_defs() {
                descriptors.insert(class?.descriptor.into_owned());
            }
        }
        Ok(DefinedTypes { descriptors })
    }

    /// Whether some dex defines the class with this descriptor.
    pub fn contains(&self, descriptor: &str) -> bool {
        self.descriptors.contains(descriptor)
    }

    /// Number of distinct defined classes.
    pub fn len(&self) -> usize {
        self.descriptors.len()
    }

    pub fn is_empty(&self) -> bool {
        self.descriptors.is_empty()
    }
}
