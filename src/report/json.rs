//! JSON reporter: the `disclose.scan/1` document (schema in `docs/disclose.scan.schema.json`).
//!
//! ```no_run
//! # fn f(r: &disclose::compare::scan_report::ScanReport) -> std::io::Result<()> {
//! disclose::report::json::write(r, &mut std::io::stdout())
//! # }
//! ```

use crate::compare::scan_report::ScanReport;
use std::io::{self, Write};

pub fn write(report: &ScanReport, out: &mut dyn Write) -> io::Result<()> {
    write_value(report, out)
}

/// Any serialisable document as pretty JSON and a final newline.
pub fn write_value(value: &impl serde::Serialize, out: &mut dyn Write) -> io::Result<()> {
    // `io::Error::from` gives back a failed write's own error (a closed pipe stays
    // `BrokenPipe`, which the command line ends quietly on).
    serde_json::to_writer_pretty(&mut *out, value).map_err(io::Error::from)?;
    writeln!(out)
}
