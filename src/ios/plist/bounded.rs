//! The bounded property-list reader behind every plist this tool reads: the input size,
//! nesting depth, number of events and bytes of strings/data are all capped while the
//! `plist` crate's event stream is turned into a [`plist::Value`], without recursion.
//!
//! ```
//! use disclose::ios::plist::{parse_value, PlistError};
//! let deep = format!("<plist>{}{}</plist>", "<array>".repeat(100), "</array>".repeat(100));
//! let err = parse_value(deep.as_bytes(), 1 << 20).unwrap_err();
//! assert_eq!(err, PlistError::LimitExceeded("nesting depth limit (64)"));
//! ```

use std::io::Cursor;

use plist::stream::{Event, Reader};
use plist::{Dictionary, Value};

use super::PlistError;

/// Deepest nesting of arrays and dictionaries accepted.
pub const MAX_PLIST_DEPTH: usize = 64;
/// Most events (values, keys, collection starts and ends) accepted in one plist. A binary plist
/// can reference one object from many places, so this is what bounds its expansion.
pub const MAX_PLIST_EVENTS: usize = 1_000_000;
/// Most bytes of string and data contents accepted in one plist, after expansion.
pub const MAX_PLIST_CONTENT_BYTES: usize = 64 * 1024 * 1024;

/// Parses `bytes` (binary or XML) into a value, enforcing every limit of this module and
/// `max_bytes` on the input size.
pub fn parse_value(bytes: &[u8], max_bytes: usize) -> Result<Value, PlistError> {
    if bytes.len() > max_bytes {
        return Err(PlistError::TooLarge {
            size: bytes.len(),
            max: max_bytes,
        });
    }
    let mut events = BoundedEvents::new(Reader::new(Cursor::new(bytes)));
    let built = build_value(&mut events);
    if let Some(limit) = events.exceeded {
        return Err(PlistError::LimitExceeded(limit));
    }
    if let Some(message) = events.error.take() {
        return Err(PlistError::Malformed(message));
    }
    built
}

/// A collection being filled while the event stream is read.
enum Open {
    Array(Vec<Value>),
    Dict(Dictionary, Option<String>),
}

/// Builds a value from the event stream without recursion.
fn build_value<I: Iterator<Item = Event<'static>>>(events: I) -> Result<Value, PlistError> {
    let malformed = |what: &str| PlistError::Malformed(what.to_owned());
    let mut stack: Vec<Open> = Vec::new();
    let mut root = None;
    for event in events {
        let value = match event {
            Event::StartArray(_) => {
                stack.push(Open::Array(Vec::new()));
                continue;
            }
            Event::StartDictionary(_) => {
                stack.push(Open::Dict(Dictionary::new(), None));
                continue;
            }
            Event::EndCollection => match stack.pop() {
                Some(Open::Array(items)) => Value::Array(items),
                Some(Open::Dict(dict, None)) => Value::Dictionary(dict),
                Some(Open::Dict(_, Some(key))) => {
                    return Err(PlistError::Malformed(format!("key {key} has no value")))
                }
                None => return Err(malformed("unbalanced end of collection")),
            },
            Event::Boolean(b) => Value::Boolean(b),
            Event::Data(d) => Value::Data(d.into_owned()),
            Event::Date(d) => Value::Date(d),
            Event::Integer(i) => Value::Integer(i),
            Event::Real(r) => Value::Real(r),
            Event::String(s) => Value::String(s.into_owned()),
            Event::Uid(u) => Value::Uid(u),
            _ => return Err(malformed("unsupported property list event")),
        };
        match stack.last_mut() {
            None if root.is_none() => root = Some(value),
            None => return Err(malformed("more than one top-level value")),
            Some(Open::Array(items)) => items.push(value),
            Some(Open::Dict(dict, pending)) => match pending.take() {
                Some(key) => {
                    dict.insert(key, value);
                }
                None => match value {
                    Value::String(key) => *pending = Some(key),
                    other => {
                        return Err(PlistError::Malformed(format!(
                            "dictionary key is {}, expected a string",
                            type_name(&other)
                        )))
                    }
                },
            },
        }
    }
    if !stack.is_empty() {
        return Err(malformed("unexpected end of data inside a collection"));
    }
    root.ok_or_else(|| malformed("no value"))
}

/// Parses `bytes` and returns the root dictionary.
pub fn parse_dictionary(bytes: &[u8], max_bytes: usize) -> Result<Dictionary, PlistError> {
    match parse_value(bytes, max_bytes)? {
        Value::Dictionary(dict) => Ok(dict),
        other => Err(PlistError::RootNotDictionary {
            found: type_name(&other),
        }),
    }
}

/// An article and a name for the type of `value`, for messages.
pub fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Array(_) => "an array",
        Value::Dictionary(_) => "a dictionary",
        Value::Boolean(_) => "a boolean",
        Value::Data(_) => "data",
        Value::Date(_) => "a date",
        Value::Real(_) => "a real number",
        Value::Integer(_) => "an integer",
        Value::String(_) => "a string",
        Value::Uid(_) => "a UID",
        _ => "an unknown value",
    }
}

fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Wraps the `plist` event stream, counting depth, events and content bytes; it stops the
/// stream (and remembers why) as soon as a limit is passed, so the value is never built.
struct BoundedEvents<R: std::io::Read + std::io::Seek> {
    inner: Reader<R>,
    depth: usize,
    events: usize,
    content_bytes: usize,
    exceeded: Option<&'static str>,
    error: Option<String>,
}

impl<R: std::io::Read + std::io::Seek> BoundedEvents<R> {
    fn new(inner: Reader<R>) -> Self {
        BoundedEvents {
            inner,
            depth: 0,
            events: 0,
            content_bytes: 0,
            exceeded: None,
            error: None,
        }
    }
}

impl<R: std::io::Read + std::io::Seek> Iterator for BoundedEvents<R> {
    type Item = Event<'static>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.exceeded.is_some() || self.error.is_some() {
            return None;
        }
        let event = match self.inner.next()? {
            Ok(event) => event,
            Err(e) => {
                self.error = Some(one_line(&e.to_string()));
                return None;
            }
        };
        self.events += 1;
        match &event {
            Event::StartArray(_) | Event::StartDictionary(_) => self.depth += 1,
            Event::EndCollection => self.depth = self.depth.saturating_sub(1),
            Event::String(s) => self.content_bytes += s.len(),
            Event::Data(d) => self.content_bytes += d.len(),
            _ => {}
        }
        if self.depth > MAX_PLIST_DEPTH {
            self.exceeded = Some("nesting depth limit (64)");
        } else if self.events > MAX_PLIST_EVENTS {
            self.exceeded = Some("limit of 1,000,000 values");
        } else if self.content_bytes > MAX_PLIST_CONTENT_BYTES {
            self.exceeded = Some("limit of 64 MiB of strings and data");
        }
        if self.exceeded.is_some() {
            return None;
        }
        Some(event)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ios::plist::MAX_PLIST_BYTES;

    #[test]
    fn binary_reference_fan_out_is_bounded() {
        // Each level is an array holding 200 references to the next level: 200^4 leaves if it
        // were expanded. The bplist is a few KB.
        let mut objects: Vec<Vec<u8>> = vec![vec![0x51, b'x']]; // leaf: ASCII string "x"
        for _ in 0..4 {
            let child = (objects.len() - 1) as u16;
            let mut array = vec![0xaf, 0x11, 0x00, 0xc8]; // array, length 200 as a 2-byte int
            for _ in 0..200 {
                array.extend_from_slice(&child.to_be_bytes());
            }
            objects.push(array);
        }
        let root = (objects.len() - 1) as u64;
        let mut file = b"bplist00".to_vec();
        let mut offsets = Vec::new();
        for object in &objects {
            offsets.push(file.len() as u16);
            file.extend_from_slice(object);
        }
        let table = file.len() as u64;
        for offset in &offsets {
            file.extend_from_slice(&offset.to_be_bytes());
        }
        file.extend_from_slice(&[0, 0, 0, 0, 0, 0, 2, 2]);
        file.extend_from_slice(&(objects.len() as u64).to_be_bytes());
        file.extend_from_slice(&root.to_be_bytes());
        file.extend_from_slice(&table.to_be_bytes());
        let err = parse_value(&file, MAX_PLIST_BYTES).unwrap_err();
        assert_eq!(err, PlistError::LimitExceeded("limit of 1,000,000 values"));
    }
}
