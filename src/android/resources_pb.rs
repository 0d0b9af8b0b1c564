//! aapt2's protobuf resource table: `base/resources.pb` of an Android App Bundle (and
//! `resources.pb` of `aapt2 link --proto-format` output), the form of `resources.arsc` before
//! bundletool builds APKs. Only what the app's name and icon need is read: the values of one
//! resource id in every configuration (locale, density, platform version), as the binary
//! table reader ([`super::arsc`]) gives them, so one piece of code picks the name and icon.
//!
//! Schema: `frameworks/base/tools/aapt2/Resources.proto` and `Configuration.proto` of the
//! Android Open Source Project (package `aapt.pb`): `ResourceTable` (2 package), `Package`
//! (1 package_id, 2 package_name, 3 type), `Type` (1 type_id, 2 name, 3 entry), `Entry`
//! (1 entry_id, 2 name, 6 config_value), `PackageId`/`TypeId`/`EntryId` (1 id), `ConfigValue`
//! (1 config, 2 value), `Value` (4 item), `Configuration` (3 locale, 18 density,
//! 24 sdk_version); `Item` as in [`super::proto_xml`]. Field numbers checked against
//! `aapt2 dump resources` of tests/fixtures/aab-identity (aapt2 2.19). A resource id is
//! `package_id << 24 | type_id << 16 | entry_id`; an absent id message means 0.
//!
//! The table is not decoded as a whole: [`values`] walks the wire format to the one entry
//! asked for, skipping every other type and entry without decoding it.
//!
//! ```
//! use disclose::android::resources_pb::values;
//! // An empty table has no values for any id.
//! assert!(values(&[], 0x7f02_0000).unwrap().is_empty());
//! ```

use super::arsc::{ConfiguredValue, ResourceConfig};
use super::proto_wire::{fields, Wire, WireError};
use super::proto_xml::item_value;

/// The values of resource `id` in every configuration the table holds, in table order.
pub fn values(table: &[u8], id: u32) -> Result<Vec<ConfiguredValue>, WireError> {
    let (package_id, type_id, entry_id) = (id >> 24, (id >> 16) & 0xff, id & 0xffff);
    let mut out = Vec::new();
    for field in fields(table) {
        let (number, wire) = field?;
        let (2, Wire::Bytes(package)) = (number, wire) else {
            continue;
        };
        if message_id(package)? != package_id {
            continue;
        }
        for field in fields(package) {
            let (3, Wire::Bytes(ty)) = field? else {
                continue;
            };
            if message_id(ty)? != type_id {
                continue;
            }
            for field in fields(ty) {
                let (3, Wire::Bytes(entry)) = field? else {
                    continue;
                };
                if message_id(entry)? == entry_id {
                    config_values(entry, &mut out)?;
                }
            }
        }
    }
    Ok(out)
}

/// The `id` inside field 1 (`PackageId`, `TypeId`, `EntryId`) of a message; 0 when absent.
fn message_id(message: &[u8]) -> Result<u32, WireError> {
    for field in fields(message) {
        if let (1, Wire::Bytes(id_message)) = field? {
            for inner in fields(id_message) {
                if let (1, Wire::Varint(v)) = inner? {
                    return Ok(v as u32);
                }
            }
            return Ok(0);
        }
    }
    Ok(0)
}

fn config_values(entry: &[u8], out: &mut Vec<ConfiguredValue>) -> Result<(), WireError> {
    for field in fields(entry) {
        let (6, Wire::Bytes(config_value)) = field? else {
            continue;
        };
        let mut config = ResourceConfig {
            locale: String::new(),
            density: 0,
            sdk_version: 0,
        };
        let mut value = None;
        for field in fields(config_value) {
            match field? {
                (1, Wire::Bytes(c)) => config = configuration(c)?,
                (2, Wire::Bytes(v)) => value = item(v)?,
                _ => {}
            }
        }
        if let Some(value) = value {
            out.push(ConfiguredValue { config, value });
        }
    }
    Ok(())
}

fn configuration(data: &[u8]) -> Result<ResourceConfig, WireError> {
    let clamp = |v: u64| u16::try_from(v).unwrap_or(u16::MAX);
    let mut config = ResourceConfig {
        locale: String::new(),
        density: 0,
        sdk_version: 0,
    };
    for field in fields(data) {
        match field? {
            (3, Wire::Bytes(locale)) => config.locale = String::from_utf8_lossy(locale).into(),
            (18, Wire::Varint(d)) => config.density = clamp(d),
            (24, Wire::Varint(v)) => config.sdk_version = clamp(v),
            _ => {}
        }
    }
    Ok(config)
}

/// The `Item` of a `Value` (a compound value such as a style is not an item: `None`).
fn item(value: &[u8]) -> Result<Option<super::axml::Value>, WireError> {
    for field in fields(value) {
        if let (4, Wire::Bytes(item)) = field? {
            return Ok(item_value(item).ok());
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::android::axml::Value;

    /// A length-delimited field.
    fn msg(number: u8, body: &[u8]) -> Vec<u8> {
        let mut out = vec![number << 3 | 2, body.len() as u8];
        out.extend_from_slice(body);
        out
    }

    fn id(v: u8) -> Vec<u8> {
        msg(1, &[0x08, v])
    }

    #[test]
    fn finds_one_entry_and_its_configurations() {
        let string = msg(4, &msg(2, &msg(1, b"Demo")));
        let zh = [
            msg(1, &msg(3, b"zh-CN")),
            msg(2, &msg(4, &msg(2, &msg(1, b"Zh")))),
        ]
        .concat();
        let entry0 = [
            msg(2, b"app_name"),
            msg(6, &[msg(1, &[]), msg(2, &string)].concat()),
            msg(6, &zh),
        ]
        .concat();
        let entry1 = [
            id(1),
            msg(2, b"other"),
            msg(6, &msg(2, &msg(4, &msg(2, &msg(1, b"X"))))),
        ]
        .concat();
        let ty = [id(2), msg(2, b"string"), msg(3, &entry0), msg(3, &entry1)].concat();
        let table = msg(2, &[id(0x7f), msg(3, &ty)].concat());
        let got = values(&table, 0x7f02_0000).unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].value, Value::String("Demo".into()));
        assert_eq!(got[1].config.locale, "zh-CN");
        assert_eq!(values(&table, 0x7f02_0001).unwrap().len(), 1);
        assert!(values(&table, 0x7f03_0000).unwrap().is_empty());
        assert!(values(&table[..table.len() - 1], 0x7f02_0000).is_err());
    }
}
