//! aapt2's protobuf XML: the form of `AndroidManifest.xml` (and every XML resource) inside an
//! Android App Bundle (`base/manifest/AndroidManifest.xml`) and in `aapt2 link --proto-format`
//! output. It is read into the same [`XmlDocument`] as binary XML ([`super::axml`]), so the
//! manifest model ([`super::manifest`]) is built by one piece of code for both forms.
//!
//! Schema: `frameworks/base/tools/aapt2/Resources.proto` of the Android Open Source Project
//! (package `aapt.pb`), messages `XmlNode` (1 element, 2 text, 3 source), `XmlElement`
//! (1 namespace_declaration, 2 namespace_uri, 3 name, 4 attribute, 5 child), `XmlNamespace`
//! (1 prefix, 2 uri), `XmlAttribute` (1 namespace_uri, 2 name, 3 value, 5 resource_id,
//! 6 compiled_item), `SourcePosition` (1 line_number), `Item` (1 ref, 2 str, 3 raw_str,
//! 4 styled_str, 5 file, 6 id, 7 prim), `Reference` (1 type, 2 id), `Primitive`. `Primitive`
//! has two published forms: the first (`type` = 1, `data` = 2, both varints: a `Res_value`)
//! and the later `oneof` (1 null, 2 empty, 3 float, 4/5 deprecated float dimension/fraction,
//! 6 int_decimal, 7 int_hexadecimal, 8 boolean, 9–12 colours, 13 dimension, 14 fraction); the
//! wire type of fields 1 and 2 tells them apart, so both read. The wire format itself is
//! [`super::proto_wire`], a small hand reader (see there for why not generated code).
//!
//! Nesting is bounded ([`MAX_DEPTH`]), text nodes are dropped (the manifest model never reads
//! them), and an attribute's name is its framework name when its resource id is a known
//! `android:` attribute, as in binary XML.
//!
//! ```
//! use disclose::android::proto_xml::parse;
//! // XmlNode { element: XmlElement { name: "manifest" } }
//! let node = [0x0a, 0x0a, 0x1a, 0x08, b'm', b'a', b'n', b'i', b'f', b'e', b's', b't'];
//! let doc = parse(&node).unwrap();
//! assert_eq!(&*doc.root().unwrap().name, "manifest");
//! ```

use super::axml::{android_attr_name, Namespace, Value, XmlAttribute, XmlDocument, XmlElement};
use super::proto_wire::{fields, Wire, WireError};
use std::sync::Arc;

/// How deeply elements may nest (a manifest needs about 6 levels).
pub const MAX_DEPTH: usize = 128;

/// Why a protobuf XML document could not be read. `Display` is one line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProtoXmlError {
    #[error("protobuf XML: {0}")]
    Wire(#[from] WireError),
    #[error("protobuf XML: elements nest deeper than {MAX_DEPTH} levels")]
    TooDeep,
    #[error("protobuf XML: the root node is not an element")]
    NoRoot,
}

/// Reads an aapt2 protobuf `XmlNode` whose element is the document's root.
pub fn parse(bytes: &[u8]) -> Result<XmlDocument, ProtoXmlError> {
    let mut doc = XmlDocument::default();
    let mut root = None;
    let mut line = 0;
    for field in fields(bytes) {
        match field? {
            (1, Wire::Bytes(element)) => root = Some(element),
            (3, Wire::Bytes(source)) => line = line_of(source)?,
            _ => {}
        }
    }
    let root = root.ok_or(ProtoXmlError::NoRoot)?;
    element(&mut doc, root, None, line, 1)?;
    Ok(doc)
}

/// Whether `bytes` look like a protobuf `XmlNode` rather than binary XML: binary XML starts
/// with its chunk type `0x0003`, an `XmlNode` with field 1 (the element) as bytes (`0x0a`).
pub fn looks_like_proto(bytes: &[u8]) -> bool {
    bytes.first() == Some(&0x0a)
}

/// Appends the `XmlElement` in `data` (and, depth first, its children) to `doc`.
fn element(
    doc: &mut XmlDocument,
    data: &[u8],
    parent: Option<usize>,
    line: u32,
    depth: usize,
) -> Result<(), ProtoXmlError> {
    if depth > MAX_DEPTH {
        return Err(ProtoXmlError::TooDeep);
    }
    let index = doc.elements.len();
    doc.elements.push(XmlElement {
        namespace: None,
        name: Arc::from(""),
        attributes: Vec::new(),
        parent,
        children: Vec::new(),
        line,
    });
    if let Some(p) = parent.and_then(|p| doc.elements.get_mut(p)) {
        p.children.push(index);
    }
    let mut children = Vec::new();
    for field in fields(data) {
        let (number, value) = field?;
        let Wire::Bytes(bytes) = value else { continue };
        match number {
            1 => doc.namespaces.push(namespace(bytes)?),
            2 => set(doc, index, |e| e.namespace = non_empty(bytes)),
            3 => set(doc, index, |e| e.name = Arc::from(lossy(bytes))),
            4 => {
                let attr = attribute(bytes)?;
                set(doc, index, |e| e.attributes.push(attr));
            }
            5 => children.push(bytes),
            _ => {}
        }
    }
    for child in children {
        let mut child_element = None;
        let mut child_line = 0;
        for field in fields(child) {
            match field? {
                (1, Wire::Bytes(e)) => child_element = Some(e),
                (3, Wire::Bytes(source)) => child_line = line_of(source)?,
                _ => {}
            }
        }
        if let Some(e) = child_element {
            element(doc, e, Some(index), child_line, depth + 1)?;
        }
    }
    Ok(())
}

fn set(doc: &mut XmlDocument, index: usize, f: impl FnOnce(&mut XmlElement)) {
    if let Some(e) = doc.elements.get_mut(index) {
        f(e);
    }
}

fn namespace(data: &[u8]) -> Result<Namespace, ProtoXmlError> {
    let mut ns = Namespace {
        prefix: None,
        uri: None,
    };
    for field in fields(data) {
        match field? {
            (1, Wire::Bytes(b)) => ns.prefix = non_empty(b),
            (2, Wire::Bytes(b)) => ns.uri = non_empty(b),
            _ => {}
        }
    }
    Ok(ns)
}

fn attribute(data: &[u8]) -> Result<XmlAttribute, ProtoXmlError> {
    let mut namespace = None;
    let mut name = String::new();
    let mut raw = None;
    let mut resource_id = None;
    let mut compiled = None;
    for field in fields(data) {
        match field? {
            (1, Wire::Bytes(b)) => namespace = non_empty(b),
            (2, Wire::Bytes(b)) => name = lossy(b),
            (3, Wire::Bytes(b)) => raw = Some(Arc::<str>::from(lossy(b))),
            (5, Wire::Varint(id)) => resource_id = u32::try_from(id).ok().filter(|&id| id != 0),
            (6, Wire::Bytes(item)) => compiled = Some(item_value(item)?),
            _ => {}
        }
    }
    let name = match resource_id.and_then(android_attr_name) {
        Some(known) => Arc::from(known),
        None => Arc::from(name),
    };
    // Without a compiled item the value is the raw string, as binary XML keeps it.
    let value = match (compiled, &raw) {
        (Some(v), _) => v,
        (None, Some(raw)) => Value::String(Arc::clone(raw)),
        (None, None) => Value::Null { empty: false },
    };
    Ok(XmlAttribute {
        namespace,
        name,
        resource_id,
        raw,
        value,
    })
}

/// An `Item` as a typed value.
pub(crate) fn item_value(data: &[u8]) -> Result<Value, ProtoXmlError> {
    let mut value = Value::Null { empty: false };
    for field in fields(data) {
        let (number, wire) = field?;
        let Wire::Bytes(bytes) = wire else { continue };
        value = match number {
            1 => reference(bytes)?,
            // String, RawString, StyledString (value = 1), FileReference (path = 1).
            2..=5 => Value::String(Arc::from(first_string(bytes)?)),
            6 => Value::Null { empty: false },
            7 => primitive(bytes)?,
            _ => continue,
        };
    }
    Ok(value)
}

fn reference(data: &[u8]) -> Result<Value, ProtoXmlError> {
    let (mut attribute, mut id) = (false, 0u32);
    for field in fields(data) {
        match field? {
            (1, Wire::Varint(t)) => attribute = t == 1,
            (2, Wire::Varint(v)) => id = v as u32,
            _ => {}
        }
    }
    Ok(if attribute {
        Value::Attribute(id)
    } else {
        Value::Reference(id)
    })
}

fn first_string(data: &[u8]) -> Result<String, ProtoXmlError> {
    for field in fields(data) {
        if let (1, Wire::Bytes(b)) = field? {
            return Ok(lossy(b));
        }
    }
    Ok(String::new())
}

/// `Res_value` type bytes of the values a `Primitive` oneof names.
const TYPE_FLOAT: u8 = 0x04;
const TYPE_DIMENSION: u8 = 0x05;
const TYPE_FRACTION: u8 = 0x06;
const TYPE_INT_DEC: u8 = 0x10;
const TYPE_INT_HEX: u8 = 0x11;
const TYPE_INT_BOOLEAN: u8 = 0x12;
const TYPE_INT_COLOR_ARGB8: u8 = 0x1c;

/// A `Primitive` in either published form, as the `Res_value` it stands for.
fn primitive(data: &[u8]) -> Result<Value, ProtoXmlError> {
    let (mut data_type, mut word) = (0u8, 0u32);
    let mut value = None;
    for field in fields(data) {
        let (number, wire) = field?;
        match (number, wire) {
            // First form: type = 1, data = 2, both varints.
            (1, Wire::Varint(t)) => data_type = t as u8,
            (2, Wire::Varint(d)) => word = d as u32,
            // The oneof form.
            (1, Wire::Bytes(_)) => value = Some(Value::Null { empty: false }),
            (2, Wire::Bytes(_)) => value = Some(Value::Null { empty: true }),
            (3, Wire::Fixed32(f)) => value = Some(res_value(TYPE_FLOAT, f)),
            (4 | 5, Wire::Fixed32(f)) => value = Some(Value::Float(f32::from_bits(f))),
            (6, Wire::Varint(v)) => value = Some(res_value(TYPE_INT_DEC, v as u32)),
            (7, Wire::Varint(v)) => value = Some(res_value(TYPE_INT_HEX, v as u32)),
            (8, Wire::Varint(v)) => value = Some(res_value(TYPE_INT_BOOLEAN, u32::from(v != 0))),
            (9..=12, Wire::Varint(v)) => {
                let color = TYPE_INT_COLOR_ARGB8 + (number - 9) as u8;
                value = Some(res_value(color, v as u32));
            }
            (13, Wire::Varint(v)) => value = Some(res_value(TYPE_DIMENSION, v as u32)),
            (14, Wire::Varint(v)) => value = Some(res_value(TYPE_FRACTION, v as u32)),
            _ => {}
        }
    }
    Ok(value.unwrap_or_else(|| res_value(data_type, word)))
}

fn res_value(data_type: u8, data: u32) -> Value {
    Value::decode::<()>(data_type, data, |_| Ok(None)).unwrap_or(Value::Null { empty: false })
}

fn line_of(source: &[u8]) -> Result<u32, ProtoXmlError> {
    for field in fields(source) {
        if let (1, Wire::Varint(line)) = field? {
            return Ok(u32::try_from(line).unwrap_or(u32::MAX));
        }
    }
    Ok(0)
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn non_empty(bytes: &[u8]) -> Option<Arc<str>> {
    (!bytes.is_empty()).then(|| Arc::from(lossy(bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A length-delimited field (any length).
    fn field(number: u8, body: &[u8]) -> Vec<u8> {
        let mut out = vec![number << 3 | 2];
        let mut len = body.len();
        while len >= 0x80 {
            out.push((len as u8 & 0x7f) | 0x80);
            len >>= 7;
        }
        out.push(len as u8);
        out.extend_from_slice(body);
        out
    }

    fn varint(number: u8, v: u8) -> Vec<u8> {
        vec![number << 3, v]
    }

    fn node(element: &[u8]) -> Vec<u8> {
        field(1, element)
    }

    #[test]
    fn both_primitive_forms_read_the_same() {
        // versionCode = 7: first form (type 0x10, data 7) and oneof form (int_decimal 7).
        let old = [varint(1, 0x10), varint(2, 7)].concat();
        let new = varint(6, 7);
        assert_eq!(primitive(&old).unwrap(), Value::IntDec(7));
        assert_eq!(primitive(&new).unwrap(), Value::IntDec(7));
        assert_eq!(primitive(&varint(8, 1)).unwrap(), Value::Bool(true));
    }

    #[test]
    fn attributes_take_framework_names_by_resource_id() {
        // android:name with resource id 0x01010003 but a scrambled name string.
        let attr = [
            field(1, crate::android::axml::ANDROID_NS.as_bytes()),
            field(2, b"zz"),
            field(3, b".Main"),
            vec![5 << 3, 0x83, 0x80, 0x84, 0x08], // 0x01010003
        ]
        .concat();
        let element = [field(3, b"activity"), field(4, &attr)].concat();
        let doc = parse(&node(&element)).unwrap();
        let a = doc.root().unwrap().android_attr("name").unwrap();
        assert_eq!(a.string_value(), ".Main");
    }

    #[test]
    fn nesting_is_bounded_and_text_roots_are_refused() {
        // <x><x>…</x></x>, MAX_DEPTH + 1 levels: each XmlElement holds its child as field 5.
        let mut element = field(3, b"x");
        for _ in 0..MAX_DEPTH {
            element = [field(3, b"x"), field(5, &node(&element))].concat();
        }
        let doc = node(&element);
        assert_eq!(parse(&doc), Err(ProtoXmlError::TooDeep));
        // One level less reads, every level an element.
        let mut element = field(3, b"x");
        for _ in 0..MAX_DEPTH - 1 {
            element = [field(3, b"x"), field(5, &node(&element))].concat();
        }
        assert_eq!(
            parse(&node(&element)).map(|d| d.elements.len()),
            Ok(MAX_DEPTH)
        );
        assert_eq!(parse(&field(2, b"text")), Err(ProtoXmlError::NoRoot));
        assert!(matches!(
            parse(&[0x0a, 0x05, 0x1a]),
            Err(ProtoXmlError::Wire(_))
        ));
    }
}
