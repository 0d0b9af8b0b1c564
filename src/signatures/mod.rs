//! Signatures: the data under `signatures/` (taxonomy, SDKs, packers, API and permission rules),
//! compiled into the binary and overridable with `--signatures DIR`; strict loading and
//! validation; the example runner; and the compiled matchers the scanner uses.
//!
//! - [`sources`]: where files come from (built-in, a directory, the override rule).
//! - [`load`]: [`SignatureSet`]; [`validate`]: every problem of a set;
//!   [`examples`]: `signatures test`.
//! - [`matcher`] ([`SdkMatcher`]) and [`api_matcher`] ([`AndroidApiMatcher`],
//!   [`IosApiMatcher`], [`PermissionTable`], [`PlistKeyTable`]), bundled by
//!   [`SignatureSet::compile`] into [`Matchers`].
//!
//! ```
//! use disclose::signatures::SignatureSet;
//! let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/signatures/good");
//! let set = SignatureSet::from_dir_only(&dir)?;
//! let m = set.compile()?;
//! let bugly = m.sdks.match_descriptor("Lcom/tencent/bugly/crashreport/CrashReport;").unwrap();
//! assert_eq!(set.sdks[bugly.index()].id, "tencent-bugly");
//! # Ok::<(), disclose::signatures::SignatureError>(())
//! ```

pub mod api_matcher;
pub mod error;
pub mod examples;
pub mod fixes;
pub mod load;
pub mod matcher;
pub mod owners;
pub mod required_reason;
pub mod schema;
pub mod sources;
pub mod tables;
pub mod taxonomy;
pub mod validate;
pub mod validate_ios;
pub mod validate_owners;

pub use api_matcher::{
    class_descriptor, AndroidApiMatcher, IosApiMatcher, PermissionTable, PlistKeyTable, RuleIdx,
};
pub use error::SignatureError;
pub use examples::run_examples;
pub use load::{Origins, Sdk, SignatureSet};
pub use matcher::{normalise_alias, AliasHit, SdkIdx, SdkMatcher};
pub use sources::SignatureSources;
pub use taxonomy::Taxonomy;
pub use validate::validate_sources;

/// Every compiled matcher of a [`SignatureSet`]; `Send + Sync`, built once per run.
#[derive(Debug, Clone)]
pub struct Matchers {
    pub sdks: SdkMatcher,
    pub packers: SdkMatcher,
    pub android_apis: AndroidApiMatcher,
    pub ios_apis: IosApiMatcher,
    pub permissions: PermissionTable,
    pub plist_keys: PlistKeyTable,
    /// Open-source and platform libraries (`libraries.toml`).
    pub libraries: owners::LibraryMatcher,
    /// Vendor namespace roots of the SDKs (fallback owners).
    pub vendor_roots: owners::VendorRoots,
}

impl SignatureSet {
    /// Compiles the matchers. Indices they return ([`SdkIdx`], [`RuleIdx`]) index `self.sdks`
    /// / `self.packers` / `self.android_apis` / `self.ios_apis`.
    pub fn compile(&self) -> Result<Matchers, SignatureError> {
        // The SDK tables are the largest part; the rest is built beside them.
        let (sdks, (packers, (android_apis, ios_apis))) = rayon::join(
            || SdkMatcher::new(&self.sdks),
            || {
                rayon::join(
                    || SdkMatcher::new(&self.packers),
                    || {
                        rayon::join(
                            || AndroidApiMatcher::new(&self.android_apis),
                            || IosApiMatcher::new(&self.ios_apis),
                        )
                    },
                )
            },
        );
        Ok(Matchers {
            sdks: sdks?,
            packers: packers?,
            android_apis,
            ios_apis,
            permissions: PermissionTable::new(&self.android_permissions),
            plist_keys: PlistKeyTable::new(&self.ios_plist_keys),
            libraries: owners::LibraryMatcher::new(&self.libraries),
            vendor_roots: owners::VendorRoots::new(&self.sdks),
        })
    }

    /// Every semantic problem of this set (a set returned by a successful load has none).
    pub fn validate(&self) -> Vec<SignatureError> {
        validate::check_set(self)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn matchers_are_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<super::Matchers>();
        assert_send_sync::<super::SignatureSet>();
    }
}
