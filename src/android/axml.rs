//! Android binary XML (AXML), the compiled form of `AndroidManifest.xml` inside an APK.
//!
//! A document is a `RES_XML_TYPE` chunk holding a string pool (UTF-8 or UTF-16), an optional
//! resource id map (one framework attribute id per attribute-name string), namespace and
//! element chunks. Attribute names are resolved through the resource id map, the way Android
//! itself reads them, so manifests whose attribute-name strings were blanked or scrambled by an
//! obfuscator still read correctly. Unknown chunk types are skipped by their size. Every count
//! and offset is checked against the data: a lying string pool, a truncated chunk or an
//! out-of-range string index is an [`AxmlError`], never a panic.
//!
//! Attribute values stay typed ([`Value`]); resource references (`@0x7f…`) are kept as ids
//! because resolving them needs `resources.arsc`.
//!
//! ```
//! use disclose::android::axml::{AxmlError, XmlDocument};
//! // Eight bytes of an XML chunk header that claims 64 bytes: a truncated document.
//! let bytes = [0x03, 0x00, 0x08, 0x00, 0x40, 0x00, 0x00, 0x00];
//! assert!(matches!(XmlDocument::parse(&bytes), Err(AxmlError::Truncated { .. })));
//! ```

mod android_attrs;
pub(crate) mod string_pool;
mod value;

use std::sync::Arc;

pub use android_attrs::{android_attr_id, android_attr_name};
use string_pool::StringPool;
pub use value::Value;

/// The `android:` namespace URI.
pub const ANDROID_NS: &str = "http://schemas.android.com/apk/res/android";

const RES_STRING_POOL_TYPE: u16 = 0x0001;
const RES_XML_TYPE: u16 = 0x0003;
const RES_XML_START_NAMESPACE_TYPE: u16 = 0x0100;
const RES_XML_END_ELEMENT_TYPE: u16 = 0x0103;
const RES_XML_START_ELEMENT_TYPE: u16 = 0x0102;
const RES_XML_RESOURCE_MAP_TYPE: u16 = 0x0180;
const CHUNK_HEADER_SIZE: usize = 8;
/// `ResXMLTree_node`: chunk header + line number + comment index.
const NODE_HEADER_SIZE: usize = 16;
/// `ResXMLTree_attrExt`: ns, name, attributeStart, attributeSize, attributeCount, 3 indices.
const ELEMENT_EXT_SIZE: usize = 20;
/// `ResXMLTree_attribute`: ns, name, rawValue, `Res_value` (size, res0, dataType, data).
const ATTRIBUTE_SIZE: usize = 20;

/// Why a binary XML document could not be read. `Display` is one line naming the problem and
/// the offset.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AxmlError {
    #[error("binary XML: not an AXML document (first chunk type 0x{found:04x}, expected 0x0003)")]
    NotAxml { found: u16 },
    #[error("binary XML: chunk at offset {offset} is truncated (claims {size} bytes, {available} available)")]
    Truncated {
        offset: usize,
        size: usize,
        available: usize,
    },
    #[error("binary XML: malformed {what} at offset {offset}")]
    Malformed { offset: usize, what: &'static str },
    #[error("binary XML: lying string pool at offset {offset}: {what}")]
    LyingStringPool { offset: usize, what: &'static str },
    #[error("binary XML: string {index} at offset {offset} runs past the string pool")]
    BadString { index: usize, offset: usize },
    #[error("binary XML: string index {index} out of range (the pool holds {count})")]
    StringIndex { index: u32, count: usize },
    #[error("binary XML: element at offset {offset} comes before any string pool")]
    NoStringPool { offset: usize },
    #[error("binary XML: the document holds no element")]
    Empty,
}

/// A little-endian reader over one chunk that reports offsets relative to the whole file.
pub(crate) struct Reader<'a> {
    data: &'a [u8],
    base: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(data: &'a [u8], base: usize) -> Self {
        Reader { data, base }
    }

    fn bytes<const N: usize>(&self, at: usize) -> Result<[u8; N], AxmlError> {
        crate::bytes::array_at(self.data, at).ok_or(AxmlError::Truncated {
            offset: self.base + at,
            size: N,
            available: self.data.len().saturating_sub(at),
        })
    }

    pub(crate) fn u16(&self, at: usize) -> Result<u16, AxmlError> {
        self.bytes::<2>(at).map(u16::from_le_bytes)
    }

    pub(crate) fn u32(&self, at: usize) -> Result<u32, AxmlError> {
        self.bytes::<4>(at).map(u32::from_le_bytes)
    }
}

/// One attribute of an element.
#[derive(Debug, Clone, PartialEq)]
pub struct XmlAttribute {
    /// Namespace URI (`None` for unqualified attributes such as `package`).
    pub namespace: Option<Arc<str>>,
    /// The name: the framework name when the resource id is a known `android:` attribute,
    /// otherwise the name string from the pool.
    pub name: Arc<str>,
    /// The attribute's resource id from the resource id map, when it has one.
    pub resource_id: Option<u32>,
    /// The raw string value the compiler kept, if any.
    pub raw: Option<Arc<str>>,
    /// The typed value.
    pub value: Value,
}

impl XmlAttribute {
    /// The value as a string: the typed value's string form, or the raw string when the typed
    /// value is empty.
    pub fn string_value(&self) -> String {
        match (&self.value, &self.raw) {
            (Value::Null { .. }, Some(raw)) => raw.to_string(),
            (value, _) => value.to_string(),
        }
    }
}

/// One element, with its attributes and the indices of its parent and children in
/// [`XmlDocument::elements`].
#[derive(Debug, Clone, PartialEq)]
pub struct XmlElement {
    pub namespace: Option<Arc<str>>,
    pub name: Arc<str>,
    pub attributes: Vec<XmlAttribute>,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
    /// Source line number recorded by the compiler.
    pub line: u32,
}

impl XmlElement {
    /// The `android:` attribute `name`: found by its framework resource id first (what Android
    /// uses), else by namespace and name when the attribute carries no resource id.
    pub fn android_attr(&self, name: &str) -> Option<&XmlAttribute> {
        if let Some(id) = android_attr_id(name) {
            if let Some(a) = self.attributes.iter().find(|a| a.resource_id == Some(id)) {
                return Some(a);
            }
        }
        self.attributes.iter().find(|a| {
            a.resource_id.is_none()
                && a.namespace.as_deref() == Some(ANDROID_NS)
                && &*a.name == name
        })
    }

    /// The unqualified attribute `name` (no namespace), e.g. `package` on `<manifest>`.
    pub fn plain_attr(&self, name: &str) -> Option<&XmlAttribute> {
        self.attributes
            .iter()
            .find(|a| a.namespace.is_none() && &*a.name == name)
    }
}

/// A namespace declaration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Namespace {
    pub prefix: Option<Arc<str>>,
    pub uri: Option<Arc<str>>,
}

/// A parsed binary XML document: elements in document order (the first is the root).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct XmlDocument {
    pub elements: Vec<XmlElement>,
    pub namespaces: Vec<Namespace>,
}

impl XmlDocument {
    /// Parses a binary XML document.
    pub fn parse(bytes: &[u8]) -> Result<Self, AxmlError> {
        let head = Reader::new(bytes, 0);
        let kind = head.u16(0)?;
        if kind != RES_XML_TYPE {
            return Err(AxmlError::NotAxml { found: kind });
        }
        let header_size = usize::from(head.u16(2)?);
        let size = head.u32(4)? as usize;
        if size > bytes.len() {
            return Err(AxmlError::Truncated {
                offset: 0,
                size,
                available: bytes.len(),
            });
        }
        if header_size < CHUNK_HEADER_SIZE || header_size > size {
            return Err(AxmlError::Malformed {
                offset: 0,
                what: "document header size",
            });
        }
        let mut builder = Builder::default();
        let mut pos = header_size;
        while size - pos >= CHUNK_HEADER_SIZE {
            let r = Reader::new(&bytes[pos..size], pos);
            let chunk_type = r.u16(0)?;
            let chunk_header = usize::from(r.u16(2)?);
            let chunk_size = r.u32(4)? as usize;
            if chunk_size > size - pos {
                return Err(AxmlError::Truncated {
                    offset: pos,
                    size: chunk_size,
                    available: size - pos,
                });
            }
            if chunk_size < CHUNK_HEADER_SIZE
                || chunk_header < CHUNK_HEADER_SIZE
                || chunk_header > chunk_size
            {
                return Err(AxmlError::Malformed {
                    offset: pos,
                    what: "chunk header",
                });
            }
            let chunk = &bytes[pos..pos + chunk_size];
            builder.chunk(chunk_type, chunk, pos)?;
            pos += chunk_size;
        }
        if builder.doc.elements.is_empty() {
            return Err(AxmlError::Empty);
        }
        Ok(builder.doc)
    }

    /// The root element (a parsed document always has one).
    pub fn root(&self) -> Option<&XmlElement> {
        self.elements.first()
    }

    /// The children of element `index`, in document order.
    pub fn children(&self, index: usize) -> impl Iterator<Item = &XmlElement> + '_ {
        self.elements
            .get(index)
            .map(|e| e.children.as_slice())
            .unwrap_or(&[])
            .iter()
            .filter_map(|&i| self.elements.get(i))
    }
}

#[derive(Default)]
struct Builder {
    pool: Option<StringPool>,
    resource_ids: Vec<u32>,
    stack: Vec<usize>,
    doc: XmlDocument,
}

impl Builder {
    fn chunk(&mut self, chunk_type: u16, chunk: &[u8], offset: usize) -> Result<(), AxmlError> {
        match chunk_type {
            // Android reads the first pool and the first map; later ones are ignored.
            RES_STRING_POOL_TYPE if self.pool.is_none() => {
                self.pool = Some(StringPool::parse(chunk, offset)?);
            }
            RES_XML_RESOURCE_MAP_TYPE if self.resource_ids.is_empty() => {
                let r = Reader::new(chunk, offset);
                let header = usize::from(r.u16(2)?);
                let count = (chunk.len() - header) / 4;
                self.resource_ids.reserve(count);
                for i in 0..count {
                    self.resource_ids.push(r.u32(header + i * 4)?);
                }
            }
            RES_XML_START_NAMESPACE_TYPE => {
                let (r, ext) = self.node(chunk, offset, 8)?;
                let pool = self
                    .pool
                    .as_ref()
                    .ok_or(AxmlError::NoStringPool { offset })?;
                let prefix = pool.get(r.u32(ext)?)?.cloned();
                let uri = pool.get(r.u32(ext + 4)?)?.cloned();
                self.doc.namespaces.push(Namespace { prefix, uri });
            }
            RES_XML_START_ELEMENT_TYPE => self.start_element(chunk, offset)?,
            RES_XML_END_ELEMENT_TYPE => {
                self.stack.pop();
            }
            // End-namespace, CDATA and unknown chunks carry nothing the model needs.
            _ => {}
        }
        Ok(())
    }

    /// Checks a tree node's header and returns a reader and the offset of its extension,
    /// which must hold at least `ext_size` bytes.
    fn node<'c>(
        &self,
        chunk: &'c [u8],
        offset: usize,
        ext_size: usize,
    ) -> Result<(Reader<'c>, usize), AxmlError> {
        let r = Reader::new(chunk, offset);
        let ext = usize::from(r.u16(2)?);
        if ext < NODE_HEADER_SIZE || ext + ext_size > chunk.len() {
            return Err(AxmlError::Malformed {
                offset,
                what: "tree node header",
            });
        }
        Ok((r, ext))
    }

    fn start_element(&mut self, chunk: &[u8], offset: usize) -> Result<(), AxmlError> {
        let (r, ext) = self.node(chunk, offset, ELEMENT_EXT_SIZE)?;
        let pool = self
            .pool
            .as_ref()
            .ok_or(AxmlError::NoStringPool { offset })?;
        let line = r.u32(8)?;
        let namespace = pool.get(r.u32(ext)?)?.cloned();
        let name = pool
            .get(r.u32(ext + 4)?)?
            .cloned()
            .unwrap_or_else(|| Arc::from(""));
        let attr_start = usize::from(r.u16(ext + 8)?);
        let attr_size = usize::from(r.u16(ext + 10)?);
        let attr_count = usize::from(r.u16(ext + 12)?);
        let first = ext + attr_start;
        if attr_count > 0
            && (attr_size < ATTRIBUTE_SIZE
                || attr_count
                    .checked_mul(attr_size)
                    .and_then(|n| n.checked_add(first))
                    .is_none_or(|end| end > chunk.len()))
        {
            return Err(AxmlError::Malformed {
                offset,
                what: "attribute table",
            });
        }
        let mut attributes = Vec::with_capacity(attr_count);
        for i in 0..attr_count {
            let at = first + i * attr_size;
            let name_index = r.u32(at + 4)?;
            let resource_id = self
                .resource_ids
                .get(name_index as usize)
                .copied()
                .filter(|&id| id != 0);
            let name = match resource_id.and_then(android_attr_name) {
                Some(known) => Arc::from(known),
                None => pool
                    .get(name_index)?
                    .cloned()
                    .unwrap_or_else(|| Arc::from("")),
            };
            let data_type = chunk.get(at + 15).copied().unwrap_or(0);
            let data = r.u32(at + 16)?;
            attributes.push(XmlAttribute {
                namespace: pool.get(r.u32(at)?)?.cloned(),
                name,
                resource_id,
                raw: pool.get(r.u32(at + 8)?)?.cloned(),
                value: Value::decode(data_type, data, |i| pool.get(i).map(|s| s.cloned()))?,
            });
        }
        let index = self.doc.elements.len();
        let parent = self.stack.last().copied();
        if let Some(p) = parent.and_then(|p| self.doc.elements.get_mut(p)) {
            p.children.push(index);
        }
        self.doc.elements.push(XmlElement {
            namespace,
            name,
            attributes,
            parent,
            children: Vec::new(),
            line,
        });
        self.stack.push(index);
        Ok(())
    }
}
