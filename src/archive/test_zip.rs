//! Zips for the unit tests of the modules that sniff or open packages: a zip whose entries
//! have the given names, each holding the single byte `x`, so a test states a package's layout
//! in one line.
//!
//! ```text
//! let apk = crate::archive::test_zip::zip_of(&["AndroidManifest.xml", "classes.dex"]);
//! ```

/// A zip whose entries are `names`, in that order, each holding the byte `x`.
pub(crate) fn zip_of(names: &[&str]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for n in names {
        w.start_file(*n, zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut w, b"x").unwrap();
    }
    w.finish().unwrap().into_inner()
}
