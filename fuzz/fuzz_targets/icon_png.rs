#![no_main]
//! iOS icon PNG reader: any bytes must convert (crushed `CgBI` → standard PNG), pass through,
//! or give an error, without a panic, hang or an allocation beyond the pixel cap. A converted
//! image must read back as a standard PNG of the same size. Seed `fuzz/corpus/icon_png/` with
//! real crushed PNGs from an iOS bundle and ordinary PNGs.
use disclose::ios::icon_png::{is_crushed, png_size, standard_png};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(png) = standard_png(data) {
        assert!(!is_crushed(&png));
        assert_eq!(png_size(&png).ok(), png_size(data).ok());
    }
});
