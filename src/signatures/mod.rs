//! Signatures: the data under `signatures/` (taxonomy, SDKs, packers, API and permission rules),
//! compiled into the binary and overridable with `--signatures DIR`.
//!
//! ```
//! let schema_is_public = std::any::type_name::<disclose::signatures::schema::SdkFile>();
//! assert!(schema_is_public.ends_with("SdkFile"));
//! ```

pub mod schema;
