//! Embeds the signature data: walks `signatures/` (top-level `*.toml`, `sdks/*.toml`,
//! `packers/*.toml`, `language/<lang>/*.toml`) and writes `$OUT_DIR/builtin_signatures.rs`, a table of
//! `(relative path, include_str!(absolute path))` that `src/signatures/sources.rs` includes, and
//! the same table of `fingerprints/*.toml` as `$OUT_DIR/builtin_fingerprints.rs`, which
//! `src/fingerprint/mod.rs` includes.
//! Missing directories give an empty table, so the build works before any SDK file exists.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn toml_files(dir: &Path, rel_dir: &str, out: &mut Vec<(String, PathBuf)>) -> std::io::Result<()> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let entry = entry?;
        let path = entry.path();
        let is_toml = path.extension().is_some_and(|ext| ext == "toml");
        if !is_toml || !entry.file_type()?.is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = if rel_dir.is_empty() {
            name
        } else {
            format!("{rel_dir}/{name}")
        };
        out.push((rel, path));
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo:rerun-if-changed=signatures");
    println!("cargo:rerun-if-changed=build.rs");
    let manifest_dir =
        PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").ok_or("no CARGO_MANIFEST_DIR")?);
    let root = manifest_dir.join("signatures");
    let mut files = Vec::new();
    toml_files(&root, "", &mut files)?;
    toml_files(&root.join("sdks"), "sdks", &mut files)?;
    toml_files(&root.join("packers"), "packers", &mut files)?;
    // Language knowledge: `language/<lang>/*.toml`.
    if let Ok(langs) = std::fs::read_dir(root.join("language")) {
        for lang in langs {
            let lang = lang?;
            if lang.file_type()?.is_dir() {
                let name = lang.file_name().to_string_lossy().into_owned();
                toml_files(&lang.path(), &format!("language/{name}"), &mut files)?;
            }
        }
    }
    files.sort();

    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("no OUT_DIR")?);
    write_table(
        &out_dir.join("builtin_signatures.rs"),
        "BUILTIN_FILES",
        "Every data file under `signatures/` at build time",
        &files,
    )?;
    let mut fingerprints = Vec::new();
    toml_files(
        &root.join("fingerprints"),
        "fingerprints",
        &mut fingerprints,
    )?;
    fingerprints.sort();
    write_table(
        &out_dir.join("builtin_fingerprints.rs"),
        "BUILTIN_FINGERPRINTS",
        "Every fingerprint file under `signatures/fingerprints/` at build time",
        &fingerprints,
    )
}

/// Writes `pub static NAME: &[(&str, &str)]`: (path relative to `signatures/`, text) per file.
fn write_table(
    out: &Path,
    name: &str,
    doc: &str,
    files: &[(String, PathBuf)],
) -> Result<(), Box<dyn std::error::Error>> {
    let mut code = format!(
        "/// {doc}: (path relative to `signatures/`, text).\npub static {name}: &[(&str, &str)] = &[\n"
    );
    for (rel, path) in files {
        writeln!(
            code,
            "    ({rel:?}, include_str!({:?})),",
            path.display().to_string()
        )?;
    }
    code.push_str("];\n");
    std::fs::write(out, code)?;
    Ok(())
}
