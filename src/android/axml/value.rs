//! Typed attribute values (`Res_value`) of binary XML, and their string form.

use std::fmt;
use std::sync::Arc;

/// A typed attribute value as stored in a `Res_value`.
///
/// References to resources (`@0x7f…`) cannot be resolved without `resources.arsc`; they are
/// kept as the id.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `TYPE_NULL`: no value (`empty` when the data says "defined but empty").
    Null { empty: bool },
    /// `TYPE_STRING`: a string from the pool.
    String(Arc<str>),
    /// `TYPE_INT_DEC`.
    IntDec(i32),
    /// `TYPE_INT_HEX`.
    IntHex(u32),
    /// `TYPE_INT_BOOLEAN` (any non-zero data is true).
    Bool(bool),
    /// `TYPE_REFERENCE` / `TYPE_DYNAMIC_REFERENCE`: `@0x7f…`.
    Reference(u32),
    /// `TYPE_ATTRIBUTE` / `TYPE_DYNAMIC_ATTRIBUTE`: `?0x01…`.
    Attribute(u32),
    /// `TYPE_FLOAT`.
    Float(f32),
    /// `TYPE_DIMENSION`: a number and its unit (`px`, `dp`, `sp`, `pt`, `in`, `mm`).
    Dimension { value: f32, unit: &'static str },
    /// `TYPE_FRACTION`: a number and `%` or `%p`.
    Fraction { value: f32, unit: &'static str },
    /// `TYPE_INT_COLOR_*`: an ARGB colour.
    Color(u32),
    /// Any other type: its type byte and raw data.
    Other { data_type: u8, data: u32 },
}

const TYPE_NULL: u8 = 0x00;
const TYPE_REFERENCE: u8 = 0x01;
const TYPE_ATTRIBUTE: u8 = 0x02;
const TYPE_STRING: u8 = 0x03;
const TYPE_FLOAT: u8 = 0x04;
const TYPE_DIMENSION: u8 = 0x05;
const TYPE_FRACTION: u8 = 0x06;
const TYPE_DYNAMIC_REFERENCE: u8 = 0x07;
const TYPE_DYNAMIC_ATTRIBUTE: u8 = 0x08;
const TYPE_INT_DEC: u8 = 0x10;
const TYPE_INT_HEX: u8 = 0x11;
const TYPE_INT_BOOLEAN: u8 = 0x12;
const TYPE_FIRST_COLOR: u8 = 0x1c;
const TYPE_LAST_COLOR: u8 = 0x1f;

impl Value {
    /// Builds the value from a `Res_value` type byte and data word; `string` looks a pool index
    /// up (only called for `TYPE_STRING`).
    pub(crate) fn decode<E>(
        data_type: u8,
        data: u32,
        string: impl FnOnce(u32) -> Result<Option<Arc<str>>, E>,
    ) -> Result<Value, E> {
        Ok(match data_type {
            TYPE_NULL => Value::Null { empty: data == 1 },
            TYPE_REFERENCE | TYPE_DYNAMIC_REFERENCE => Value::Reference(data),
            TYPE_ATTRIBUTE | TYPE_DYNAMIC_ATTRIBUTE => Value::Attribute(data),
            TYPE_STRING => match string(data)? {
                Some(s) => Value::String(s),
                None => Value::Null { empty: false },
            },
            TYPE_FLOAT => Value::Float(f32::from_bits(data)),
            TYPE_DIMENSION => Value::Dimension {
                value: complex_to_float(data),
                unit: match data & 0xf {
                    0 => "px",
                    1 => "dp",
                    2 => "sp",
                    3 => "pt",
                    4 => "in",
                    5 => "mm",
                    _ => "",
                },
            },
            TYPE_FRACTION => Value::Fraction {
                value: complex_to_float(data) * 100.0,
                unit: if data & 0xf == 1 { "%p" } else { "%" },
            },
            TYPE_INT_DEC => Value::IntDec(data as i32),
            TYPE_INT_HEX => Value::IntHex(data),
            TYPE_INT_BOOLEAN => Value::Bool(data != 0),
            TYPE_FIRST_COLOR..=TYPE_LAST_COLOR => Value::Color(data),
            _ => Value::Other { data_type, data },
        })
    }

    /// The value as a boolean, when it is one (`true`/`false` strings count too).
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            Value::IntDec(n) => Some(*n != 0),
            Value::String(s) => match s.trim() {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }

    /// The value as an unsigned integer, when it is one (decimal strings count too).
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Value::IntDec(n) => u64::try_from(*n).ok(),
            Value::IntHex(n) => Some(u64::from(*n)),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// The value as a string, only when it is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
}

/// Decodes a "complex" (dimension/fraction) word: a 24-bit signed mantissa with a radix.
fn complex_to_float(data: u32) -> f32 {
    const RADIX_MULTS: [f32; 4] = [
        1.0 / (1u32 << 8) as f32,
        1.0 / (1u32 << 15) as f32,
        1.0 / (1u32 << 23) as f32,
        1.0 / (1u32 << 31) as f32,
    ];
    let mantissa = (data & 0xffff_ff00) as i32 as f32;
    mantissa * RADIX_MULTS[((data >> 4) & 0x3) as usize]
}

/// The string form: strings as they are, integers in decimal (`0x…` for hex), booleans as
/// `true`/`false`, references as `@0x7f010001`, attributes as `?0x01010000`.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null { .. } => Ok(()),
            Value::String(s) => f.write_str(s),
            Value::IntDec(n) => write!(f, "{n}"),
            Value::IntHex(n) => write!(f, "0x{n:x}"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Reference(id) => write!(f, "@0x{id:08x}"),
            Value::Attribute(id) => write!(f, "?0x{id:08x}"),
            Value::Float(v) => write!(f, "{v}"),
            Value::Dimension { value, unit } | Value::Fraction { value, unit } => {
                write!(f, "{value}{unit}")
            }
            Value::Color(c) => write!(f, "#{c:08x}"),
            Value::Other { data_type, data } => write!(f, "(type 0x{data_type:02x})0x{data:x}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(t: u8, d: u32) -> Value {
        Value::decode::<()>(t, d, |_| Ok(None)).unwrap_or(Value::Null { empty: false })
    }

    #[test]
    fn string_forms() {
        assert_eq!(plain(TYPE_REFERENCE, 0x7f0b0001).to_string(), "@0x7f0b0001");
        assert_eq!(plain(TYPE_INT_DEC, (-3i32) as u32).to_string(), "-3");
        assert_eq!(plain(TYPE_INT_HEX, 0x30).to_string(), "0x30");
        assert_eq!(plain(TYPE_INT_BOOLEAN, 0xffff_ffff).to_string(), "true");
        assert_eq!(plain(TYPE_FLOAT, 1.5f32.to_bits()).to_string(), "1.5");
        // 16dp: mantissa 16 << 8, radix 0 (23p0), unit dip
        assert_eq!(plain(TYPE_DIMENSION, (16 << 8) | 1).to_string(), "16dp");
        assert_eq!(
            plain(TYPE_INT_COLOR_ARGB8, 0xff00ff00).to_string(),
            "#ff00ff00"
        );
    }

    const TYPE_INT_COLOR_ARGB8: u8 = 0x1c;

    #[test]
    fn numbers_from_strings() {
        let v = Value::String(Arc::from("42"));
        assert_eq!(v.as_u64(), Some(42));
        assert_eq!(Value::String(Arc::from("true")).as_bool(), Some(true));
    }
}
