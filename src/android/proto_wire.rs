//! The protobuf wire format, read by hand: the fields of one message as (number, value) pairs,
//! each length checked against the data. Used by the proto XML reader ([`super::proto_xml`])
//! and by the App Bundle's `BundleConfig.pb` reader; nothing here knows a schema.
//!
//! Why by hand and not generated code: the schemas we read are a handful of small messages
//! (aapt2's `XmlNode` family, bundletool's `Bundletool.version`), code generation would need
//! `protoc` at build time (not in CI), and a reader over [`crate::bytes`] keeps the one rule
//! every parser here follows: bounds-checked reads, a typed error, never a panic.
//! Encoding reference: the Protocol Buffers encoding guide (varints, wire types 0/1/2/5; the
//! deprecated group types 3/4 are refused).
//!
//! ```
//! use disclose::android::proto_wire::{fields, Wire};
//! // field 2, varint 150; field 3, bytes "hi"
//! let msg = [0x10, 0x96, 0x01, 0x1a, 0x02, b'h', b'i'];
//! let got: Vec<_> = fields(&msg).collect::<Result<_, _>>().unwrap();
//! assert_eq!(got, vec![(2, Wire::Varint(150)), (3, Wire::Bytes(b"hi"))]);
//! ```

use crate::bytes::{array_at, uleb128};

/// Why a message could not be read. `Display` is one line naming the offset.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    #[error("protobuf: truncated field at offset {offset}")]
    Truncated { offset: usize },
    #[error("protobuf: unsupported wire type {wire_type} at offset {offset}")]
    WireType { wire_type: u8, offset: usize },
    #[error("protobuf: field number 0 at offset {offset}")]
    FieldZero { offset: usize },
}

/// One field's value, by wire type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wire<'a> {
    /// Wire type 0: an integer, bool or enum.
    Varint(u64),
    /// Wire type 1: 8 bytes (double, fixed64).
    Fixed64(u64),
    /// Wire type 2: a string, bytes, an embedded message or a packed list.
    Bytes(&'a [u8]),
    /// Wire type 5: 4 bytes (float, fixed32).
    Fixed32(u32),
}

impl<'a> Wire<'a> {
    /// The value as an integer (a varint), else `None`.
    pub fn varint(self) -> Option<u64> {
        match self {
            Wire::Varint(v) => Some(v),
            _ => None,
        }
    }

    /// The value as bytes (length-delimited), else `None`.
    pub fn bytes(self) -> Option<&'a [u8]> {
        match self {
            Wire::Bytes(b) => Some(b),
            _ => None,
        }
    }

    /// The value as a UTF-8 string (invalid bytes replaced), else `None`.
    pub fn string(self) -> Option<String> {
        self.bytes()
            .map(|b| String::from_utf8_lossy(b).into_owned())
    }
}

/// The fields of the message in `data`, in wire order.
pub fn fields(data: &[u8]) -> Fields<'_> {
    Fields { data, pos: 0 }
}

/// An iterator over a message's fields; it ends at the first error.
pub struct Fields<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Fields<'a> {
    fn field(&mut self) -> Result<(u32, Wire<'a>), WireError> {
        let offset = self.pos;
        let truncated = WireError::Truncated { offset };
        let key = uleb128(self.data, &mut self.pos, 10).ok_or(truncated.clone())?;
        let number = u32::try_from(key >> 3).map_err(|_| truncated.clone())?;
        if number == 0 {
            return Err(WireError::FieldZero { offset });
        }
        let value = match (key & 7) as u8 {
            0 => Wire::Varint(uleb128(self.data, &mut self.pos, 10).ok_or(truncated)?),
            1 => Wire::Fixed64(u64::from_le_bytes(self.take::<8>(offset)?)),
            2 => {
                let len = uleb128(self.data, &mut self.pos, 10).ok_or(truncated.clone())?;
                let len = usize::try_from(len).map_err(|_| truncated.clone())?;
                let end = self.pos.checked_add(len).ok_or(truncated.clone())?;
                let bytes = self.data.get(self.pos..end).ok_or(truncated)?;
                self.pos = end;
                Wire::Bytes(bytes)
            }
            5 => Wire::Fixed32(u32::from_le_bytes(self.take::<4>(offset)?)),
            wire_type => return Err(WireError::WireType { wire_type, offset }),
        };
        Ok((number, value))
    }

    fn take<const N: usize>(&mut self, offset: usize) -> Result<[u8; N], WireError> {
        let bytes = array_at::<N>(self.data, self.pos).ok_or(WireError::Truncated { offset })?;
        self.pos += N;
        Ok(bytes)
    }
}

impl<'a> Iterator for Fields<'a> {
    type Item = Result<(u32, Wire<'a>), WireError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.data.len() {
            return None;
        }
        let item = self.field();
        if item.is_err() {
            // Stop: nothing after a bad field can be trusted.
            self.pos = self.data.len();
        }
        Some(item)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(data: &[u8]) -> Result<Vec<(u32, Wire<'_>)>, WireError> {
        fields(data).collect()
    }

    #[test]
    fn every_wire_type_and_every_truncation() {
        let msg = [
            0x08, 0x01, // 1: varint 1
            0x11, 1, 0, 0, 0, 0, 0, 0, 0, // 2: fixed64 1
            0x1d, 2, 0, 0, 0, // 3: fixed32 2
            0x22, 0x00, // 4: empty bytes
        ];
        assert_eq!(
            all(&msg).unwrap(),
            vec![
                (1, Wire::Varint(1)),
                (2, Wire::Fixed64(1)),
                (3, Wire::Fixed32(2)),
                (4, Wire::Bytes(b"")),
            ]
        );
        for cut in 1..msg.len() {
            if [2, 11, 16].contains(&cut) {
                continue; // a field boundary
            }
            assert!(all(&msg[..cut]).is_err(), "cut at {cut}");
        }
    }

    #[test]
    fn groups_field_zero_and_huge_lengths_are_errors() {
        assert_eq!(
            all(&[0x0b]),
            Err(WireError::WireType {
                wire_type: 3,
                offset: 0
            })
        );
        assert_eq!(all(&[0x00, 0x00]), Err(WireError::FieldZero { offset: 0 }));
        let huge = [
            0x0a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
        ];
        assert_eq!(all(&huge), Err(WireError::Truncated { offset: 0 }));
    }
}
