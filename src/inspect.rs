//! `disclose inspect`: read one app or SDK package and report what it holds that matters for
//! privacy (assembled from the readers; being written on the integration branch).
//!
//! ```no_run
//! let r = disclose::inspect::inspect_path(std::path::Path::new("app.apk"), &Default::default())?;
//! # Ok::<(), disclose::Error>(())
//! ```

use crate::model::InspectReport;
use crate::Error;
use std::path::Path;

/// Options for [`inspect_path`].
#[derive(Debug, Clone, Default)]
pub struct InspectOptions {}

/// Read the package at `path`.
pub fn inspect_path(path: &Path, _options: &InspectOptions) -> Result<InspectReport, Error> {
    Err(Error::input(path, "inspect is not assembled yet"))
}
