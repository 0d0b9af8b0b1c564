//! The ids that cross module boundaries: [`SdkId`] (an SDK's file name under
//! `signatures/sdks/`, `umeng-analytics`) and [`TaxonomyId`] (a data type of
//! `signatures/taxonomy.toml`, `device.imei`). Each is its own type, so an SDK id can never be
//! passed where a data type is meant; both serialize as the bare string, so JSON output does
//! not change, and both read like a `&str` (`Deref`, `Borrow<str>` for map lookups, comparison
//! with string literals).
//!
//! ```
//! use disclose::{SdkId, TaxonomyId};
//! use std::collections::HashMap;
//! let sdk = SdkId::from("umeng-analytics");
//! assert_eq!(sdk, "umeng-analytics");
//! assert!(sdk.starts_with("umeng"));
//! let mut seen: HashMap<TaxonomyId, usize> = HashMap::new();
//! seen.insert(TaxonomyId::from("device.imei"), 2);
//! assert_eq!(seen.get("device.imei"), Some(&2));
//! assert_eq!(serde_json::to_string(&sdk).unwrap(), "\"umeng-analytics\"");
//! ```

use serde::{Deserialize, Serialize};
use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;

/// Defines a string newtype that reads like a `&str`.
macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// The id as a string slice.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The id as an owned string.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                $name(id.to_owned())
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                $name(id)
            }
        }

        impl From<&String> for $name {
            fn from(id: &String) -> Self {
                $name(id.clone())
            }
        }

        impl From<&$name> for $name {
            fn from(id: &$name) -> Self {
                id.clone()
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                &self.0 == other
            }
        }

        impl PartialEq<$name> for str {
            fn eq(&self, other: &$name) -> bool {
                self == other.0
            }
        }

        impl PartialEq<$name> for &str {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }

        impl PartialEq<$name> for String {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }
    };
}

string_id!(
    /// An SDK's id: the file name of its signature under `signatures/sdks/` (`jpush`).
    SdkId
);

string_id!(
    /// A data type's id in `signatures/taxonomy.toml` (`device.imei`, `location.precise`).
    TaxonomyId
);

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn ids_compare_and_order_like_their_strings() {
        let a = TaxonomyId::from("device.imei");
        let b = TaxonomyId::from(String::from("device"));
        assert!(b < a);
        assert_eq!(a, "device.imei");
        assert_eq!("device.imei", a);
        assert_eq!(String::from("device"), b);
        assert_ne!(a, b);
        let set: BTreeSet<TaxonomyId> = [a.clone(), b.clone()].into_iter().collect();
        assert!(set.contains("device"));
        assert_eq!(a.to_string(), "device.imei");
        assert_eq!(String::from(a), "device.imei");
    }

    #[test]
    fn ids_read_and_write_as_bare_strings() {
        let sdk: SdkId = serde_json::from_str("\"jpush\"").unwrap();
        assert_eq!(sdk.as_str(), "jpush");
        assert_eq!(serde_json::to_string(&vec![sdk]).unwrap(), "[\"jpush\"]");
    }
}
