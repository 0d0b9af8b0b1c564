//! The JSONL results file: one record per line, flushed as each app finishes; reading an
//! existing file back for `--resume` (a truncated last line is cut away); and `disclose merge`.
//!
//! ```
//! let line = br#"{"schema":"disclose.error/1","file":"x.apk","sha256":"ab","error":"x.apk: bad"}"#;
//! let record: serde_json::Value = serde_json::from_slice(line).unwrap();
//! assert_eq!(disclose::batch::output::record_sha256(&record), Some("ab"));
//! ```

use crate::error::ErrorKind;
use crate::Error;
use serde_json::Value;
use std::collections::HashMap;
use std::fs::{self, File, OpenOptions};
use std::io::{BufRead, BufReader, BufWriter, Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::Mutex;

/// Schema id of the record written for an input that could not be processed.
pub const ERROR_SCHEMA: &str = "disclose.error/1";

/// The input's sha256 as a record carries it: `app.sha256` for scan and inspect records,
/// `sha256` for error records.
pub fn record_sha256(record: &Value) -> Option<&str> {
    record
        .get("app")
        .and_then(|a| a.get("sha256"))
        .or_else(|| record.get("sha256"))
        .and_then(Value::as_str)
}

/// An error record: the file, its sha256 when it could be read, the kind of problem
/// (`io`, `not-an-app`, `limit-exceeded`, `malformed`, `internal` …) and the one-line message.
pub fn error_record(file: &Path, sha256: Option<String>, kind: ErrorKind, error: &str) -> Value {
    let mut rec = serde_json::Map::new();
    rec.insert("schema".into(), ERROR_SCHEMA.into());
    rec.insert("file".into(), file.display().to_string().into());
    if let Some(sha) = sha256 {
        rec.insert("sha256".into(), sha.into());
    }
    rec.insert("kind".into(), kind.as_str().into());
    rec.insert("error".into(), error.into());
    Value::Object(rec)
}

/// Appends records to the results file, one line each, written straight to the file.
///
/// After a failed write (full disk, quota, file size limit) the partly written line is cut off
/// (best effort) and every later write fails too, so the file holds whole lines only and
/// `--resume` can finish the batch.
pub struct JsonlWriter {
    state: Mutex<WriterState>,
}

struct WriterState {
    file: File,
    /// Bytes of whole lines in the file.
    good: u64,
    failed: bool,
}

impl JsonlWriter {
    /// Append to `file`, positioned at its end.
    pub fn new(mut file: File) -> Self {
        let good = file.stream_position().unwrap_or(0);
        JsonlWriter {
            state: Mutex::new(WriterState {
                file,
                good,
                failed: false,
            }),
        }
    }

    /// Write one record as a line.
    pub fn write(&self, record: &Value) -> std::io::Result<()> {
        let mut line = serde_json::to_vec(record).map_err(std::io::Error::other)?;
        line.push(b'\n');
        let mut state = self
            .state
            .lock()
            .map_err(|_| std::io::Error::other("results writer poisoned"))?;
        if state.failed {
            return Err(std::io::Error::other("an earlier write failed"));
        }
        match state.file.write_all(&line) {
            Ok(()) => {
                state.good += line.len() as u64;
                Ok(())
            }
            Err(e) => {
                state.failed = true;
                let good = state.good;
                let _ = state.file.set_len(good);
                Err(e)
            }
        }
    }
}

/// Open `path` for a fresh batch: it must not exist or be empty (so results are never
/// overwritten by accident).
pub fn create_fresh(path: &Path) -> Result<File, Error> {
    if fs::metadata(path).is_ok_and(|m| m.len() > 0) {
        return Err(Error::Usage(format!(
            "{}: already holds results; pass --resume to continue it, or remove it",
            path.display()
        )));
    }
    File::create(path).map_err(|e| Error::io(path, e))
}

/// Open `path` for `--resume`: every complete line is handed to `each` (parsed, or `None` when
/// it is not JSON), a truncated last line is cut off, and the file is returned positioned at
/// its end for appending. A missing file is created.
pub fn open_resume(path: &Path, mut each: impl FnMut(Option<Value>)) -> Result<File, Error> {
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map_err(|e| Error::io(path, e))?;
    let mut complete: u64 = 0;
    {
        let mut reader = BufReader::new(&mut file);
        let mut line = Vec::new();
        loop {
            line.clear();
            let n = reader
                .read_until(b'\n', &mut line)
                .map_err(|e| Error::io(path, e))?;
            if n == 0 || line.last() != Some(&b'\n') {
                break;
            }
            complete += n as u64;
            each(serde_json::from_slice(&line).ok());
        }
    }
    file.set_len(complete).map_err(|e| Error::io(path, e))?;
    file.seek(SeekFrom::End(0))
        .map_err(|e| Error::io(path, e))?;
    Ok(file)
}

/// What `merge` did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MergeStats {
    pub kept: usize,
    pub duplicates: usize,
    pub invalid: usize,
}

impl std::fmt::Display for MergeStats {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::report::counted;
        write!(
            f,
            "{} written, {} and {} dropped",
            counted(self.kept, "record"),
            counted(self.duplicates, "duplicate"),
            counted(self.invalid, "invalid line")
        )
    }
}

/// `disclose merge OUT IN...`: every valid line (a JSON object; a truncated last line is not
/// valid) of every input, once per sha256; an app record wins over an error record for the
/// same input. Two passes, so memory holds one small entry per record, not the records.
///
/// An existing non-empty `out` is refused unless `force` (a forgotten output path would
/// otherwise replace the first input), and so is an input whose lines are all invalid.
pub fn merge(out: &Path, inputs: &[&Path], force: bool) -> Result<MergeStats, Error> {
    if !force && fs::metadata(out).is_ok_and(|m| m.len() > 0) {
        return Err(Error::Usage(format!(
            "{}: already exists and is not empty; pass --force to replace it (usage: disclose merge OUT INPUT...)",
            out.display()
        )));
    }
    let mut stats = MergeStats::default();
    // sha256 (or the whole line, for records without one) -> (input, line number, is error).
    let mut winners: HashMap<String, (usize, usize, bool)> = HashMap::new();
    for (i, input) in inputs.iter().enumerate() {
        let (mut valid, mut invalid) = (0usize, 0usize);
        for_each_line(input, |n, line| {
            let Some(rec) = serde_json::from_slice::<Value>(line)
                .ok()
                .filter(Value::is_object)
            else {
                stats.invalid += 1;
                invalid += 1;
                return;
            };
            valid += 1;
            let is_error = rec.get("schema").and_then(Value::as_str) == Some(ERROR_SCHEMA);
            let key = match record_sha256(&rec) {
                Some(sha) => sha.to_string(),
                None => String::from_utf8_lossy(line).into_owned(),
            };
            match winners.get_mut(&key) {
                Some(slot) => {
                    stats.duplicates += 1;
                    if slot.2 && !is_error {
                        *slot = (i, n, false);
                    }
                }
                None => {
                    winners.insert(key, (i, n, is_error));
                }
            }
        })?;
        if valid == 0 && invalid > 0 {
            return Err(Error::input(
                input,
                format!(
                    "no valid record ({invalid} invalid line{}): not a disclose batch results file",
                    if invalid == 1 { "" } else { "s" }
                ),
            ));
        }
    }
    let mut chosen: Vec<Vec<usize>> = vec![Vec::new(); inputs.len()];
    for (i, n, _) in winners.values() {
        if let Some(lines) = chosen.get_mut(*i) {
            lines.push(*n);
        }
    }
    for lines in &mut chosen {
        lines.sort_unstable();
    }
    let tmp = out.with_extension("merge-tmp");
    let mut w = BufWriter::new(File::create(&tmp).map_err(|e| Error::io(&tmp, e))?);
    let mut write_err = None;
    for (i, input) in inputs.iter().enumerate() {
        let wanted = chosen.get(i).map(Vec::as_slice).unwrap_or(&[]);
        let mut next = 0;
        for_each_line(input, |n, line| {
            if wanted.get(next) == Some(&n) {
                next += 1;
                if write_err.is_none() {
                    if let Err(e) = w.write_all(line).and_then(|_| w.write_all(b"\n")) {
                        write_err = Some(e);
                    } else {
                        stats.kept += 1;
                    }
                }
            }
        })?;
    }
    if let Some(e) = write_err {
        return Err(Error::io(&tmp, e));
    }
    w.flush().map_err(|e| Error::io(&tmp, e))?;
    drop(w);
    fs::rename(&tmp, out).map_err(|e| Error::io(out, e))?;
    Ok(stats)
}

/// Every complete line (newline stripped) of `path` with its 0-based number.
fn for_each_line(path: &Path, mut each: impl FnMut(usize, &[u8])) -> Result<(), Error> {
    let mut reader = BufReader::new(File::open(path).map_err(|e| Error::io(path, e))?);
    let mut line = Vec::new();
    let mut n = 0;
    loop {
        line.clear();
        let read = reader
            .read_until(b'\n', &mut line)
            .map_err(|e| Error::io(path, e))?;
        if read == 0 {
            return Ok(());
        }
        if line.last() == Some(&b'\n') {
            line.pop();
            each(n, &line);
        } else {
            // A truncated last line: the process writing it was killed.
            each(n, b"");
        }
        n += 1;
    }
}
