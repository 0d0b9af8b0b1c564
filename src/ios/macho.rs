//! Mach-O reader: thin and fat (universal, also 64-bit fat) binaries, one [`Slice`] per
//! architecture, with what the scanner needs from each: linked dylibs, install name, rpaths,
//! encryption (App Store DRM), minimum OS, imported symbols (symbol table, dyld bind opcodes and
//! the chained-fixups imports table), exported symbols, Objective-C classes, categories, class
//! references and selectors, and Swift type names.
//!
//! Every offset and count in the file is checked against the data before it is used; a file
//! that lies is a [`MachOError`] naming the command, section or offset, never a panic.
//! Fat files whose slices are `ar` archives (static libraries) are read by
//! [`crate::ios::ar::parse_static_library`]; [`split_fat`] gives the raw slices.
//!
//! ```no_run
//! let bytes = std::fs::read("Payload/App.app/App")?;
//! let file = disclose::ios::macho::parse_macho(&bytes)?;
//! for slice in &file.slices {
//!     println!("{} {}: {} dylibs, {} ObjC classes", slice.arch, slice.file_type,
//!              slice.dylibs.len(), slice.objc_classes.len());
//!     if slice.encrypted.is_some() { println!("  encrypted: code cannot be analysed"); }
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod binds;
mod bytes;
mod code;
pub mod codesign;
mod commands;
mod fixups;
mod methods;
mod names;
mod objc;
mod swift;
mod symbols;

use crate::bytes::Endian;
use bytes::Bytes;
pub use codesign::CodeSignature;
pub use names::NameList;

const MH_MAGIC: u32 = 0xfeed_face;
const MH_MAGIC_64: u32 = 0xfeed_facf;
const FAT_MAGIC: u32 = 0xcafe_babe;
const FAT_MAGIC_64: u32 = 0xcafe_babf;
/// More fat entries than this is not a universal binary (Java class files share the magic and
/// put their version, at least 45, where the fat header has its slice count).
const MAX_FAT_ARCHES: u32 = 30;

/// What is wrong with a Mach-O file. `Display` is one line naming the place.
#[derive(Debug, thiserror::Error)]
pub enum MachOError {
    #[error("file too short for a Mach-O header ({len} bytes, need {need})")]
    TooShort { len: usize, need: usize },
    #[error("not a Mach-O file (magic {magic:#010x})")]
    BadMagic { magic: u32 },
    #[error("fat header declares {count} architectures (at most {MAX_FAT_ARCHES})")]
    FatTooManyArches { count: u32 },
    #[error("fat slice {index} ({arch}) at offset {offset} size {size} lies outside the {file_len}-byte file")]
    FatSliceOutOfFile {
        index: usize,
        arch: String,
        offset: u64,
        size: u64,
        file_len: usize,
    },
    #[error("fat slices {first} and {second} overlap")]
    FatSlicesOverlap { first: usize, second: usize },
    #[error("fat slice {index} ({arch}) is {found}, not a Mach-O image")]
    SliceNotMachO {
        index: usize,
        arch: String,
        found: &'static str,
    },
    #[error(
        "load commands ({ncmds} commands, {sizeofcmds} bytes) do not fit the {len}-byte image"
    )]
    LoadCommandsOutOfFile {
        ncmds: u32,
        sizeofcmds: u32,
        len: usize,
    },
    #[error("load command {index} (cmd {cmd:#x}) at offset {offset}: {problem}")]
    BadLoadCommand {
        index: u32,
        cmd: u32,
        offset: u64,
        problem: &'static str,
    },
    #[error("section {segment},{section} at offset {offset} size {size} lies outside the image")]
    SectionOutOfFile {
        segment: String,
        section: String,
        offset: u64,
        size: u64,
    },
    #[error("{what} at offset {offset} size {size} lies outside the image")]
    TableOutOfFile {
        what: &'static str,
        offset: u64,
        size: u64,
    },
    #[error("slice {index} ({arch}): {source}")]
    InSlice {
        index: usize,
        arch: String,
        #[source]
        source: Box<MachOError>,
    },
}

/// A parsed Mach-O file: one slice for a thin file, one per architecture for a fat one.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MachOFile {
    pub slices: Vec<Slice>,
}

/// How a dylib is linked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DylibKind {
    /// `LC_LOAD_DYLIB`
    Load,
    /// `LC_LOAD_WEAK_DYLIB`
    Weak,
    /// `LC_REEXPORT_DYLIB`
    Reexport,
    /// `LC_LAZY_LOAD_DYLIB`
    Lazy,
    /// `LC_LOAD_UPWARD_DYLIB`
    Upward,
}

/// One linked dylib or framework.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DylibRef {
    pub path: String,
    pub kind: DylibKind,
}

/// `LC_ENCRYPTION_INFO(_64)`; `cryptid != 0` means the code range is encrypted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Encryption {
    pub cryptid: u32,
    pub cryptoff: u32,
    pub cryptsize: u32,
}

impl Encryption {
    /// True when the code is encrypted (App Store FairPlay) and cannot be analysed.
    pub fn is_encrypted(&self) -> bool {
        self.cryptid != 0
    }
}

/// One architecture of a Mach-O file. Name lists are sorted and free of duplicates, each
/// packed into one buffer ([`NameList`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Slice {
    /// "arm64", "arm64e", "armv7", "armv7s", "x86_64", "i386", …
    pub arch: String,
    /// "object", "execute", "dylib", "bundle", …
    pub file_type: String,
    /// Linked dylibs in load-command order.
    pub dylibs: Vec<DylibRef>,
    /// `LC_ID_DYLIB` of a dylib or framework.
    pub install_name: Option<String>,
    pub rpaths: Vec<String>,
    /// Present when the slice has `LC_ENCRYPTION_INFO(_64)`; see [`Encryption::is_encrypted`].
    pub encrypted: Option<Encryption>,
    /// e.g. "ios 12.0", from `LC_BUILD_VERSION` or `LC_VERSION_MIN_*`.
    pub min_os: Option<String>,
    /// Undefined external symbols, dyld binds and chained-fixup imports.
    pub imported_symbols: NameList,
    /// Defined external (not private) symbols.
    pub exported_symbols: NameList,
    /// Objective-C classes defined here (`__objc_classlist`, or `_OBJC_CLASS_$_` symbols).
    pub objc_classes: NameList,
    /// Objective-C categories defined here, as "Class(Category)".
    pub objc_categories: NameList,
    /// Objective-C classes referenced (undefined `_OBJC_CLASS_$_` symbols, `__objc_classrefs`).
    pub objc_class_refs: NameList,
    /// Selector names (`__objc_methname`, `__objc_selrefs`).
    pub selectors: NameList,
    /// Swift nominal types defined here, as "Module.Type".
    pub swift_types: NameList,
    /// The slice has `LC_DYLD_CHAINED_FIXUPS`.
    pub uses_chained_fixups: bool,
    /// The slice carries LLVM bitcode beside its machine code (`__LLVM,__bitcode`, what
    /// `-fembed-bitcode` makes); the machine code and symbol table are still read.
    pub embedded_bitcode: bool,
    /// The embedded signature (`LC_CODE_SIGNATURE`): identifier, team and entitlements;
    /// `None` for unsigned images (object files, simulator builds).
    pub code_signature: Option<CodeSignature>,
    /// What each function of the code references, for linked arm64/arm64e images whose code
    /// is readable (`None` for other architectures, objects and encrypted slices).
    pub code: Option<CodeReferences>,
    /// The static-library member this image is (`AdjustSigSdk-arm64-master.o`), for evidence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub archive_member: Option<String>,
}

/// The references of the functions of one slice (see [`Slice::code`]). Each referenced name is
/// stored once in `names`; [`CodeRef::name`] indexes it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CodeReferences {
    /// Functions that reference at least one selector, class or imported symbol, by address.
    pub functions: Vec<FunctionRefs>,
    /// The distinct referenced names.
    pub names: Vec<String>,
    /// Instructions decoded.
    pub instructions: u64,
}

impl CodeReferences {
    /// The name a reference stands for.
    pub fn name(&self, r: &CodeRef) -> &str {
        self.names.get(r.name as usize).map_or("", String::as_str)
    }
}

/// One function and what its code references.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FunctionRefs {
    pub address: u64,
    /// `-[Class selector]` / `+[Class selector]` for methods, the symbol name for other named
    /// functions, `sub_<address>` for functions known only from `LC_FUNCTION_STARTS`.
    pub name: String,
    /// The Objective-C class the function is a method of.
    pub objc_class: Option<String>,
    /// Sorted by kind, then name index.
    pub refs: Vec<CodeRef>,
}

/// What kind of name a [`CodeRef`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CodeRefKind {
    /// A message sent (a selector reference loaded).
    Selector,
    /// A class named (a class reference loaded).
    Class,
    /// An imported symbol called or its address taken.
    Symbol,
}

/// One referenced name and how many instructions reference it in the function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct CodeRef {
    pub kind: CodeRefKind,
    /// Index into [`CodeReferences::names`]; see [`CodeReferences::name`].
    pub name: u32,
    pub sites: u32,
}

/// One slice of a fat file, not yet parsed.
#[derive(Debug, Clone, Copy)]
pub struct FatSlice<'a> {
    pub arch: &'static str,
    pub cputype: u32,
    pub cpusubtype: u32,
    /// Offset of the slice in the fat file.
    pub offset: u64,
    pub data: &'a [u8],
}

/// True when `bytes` start like a thin or fat Mach-O (either byte order).
pub fn is_macho(bytes: &[u8]) -> bool {
    let (Some(le), Some(be)) = (
        Endian::Little.u32_at(bytes, 0),
        Endian::Big.u32_at(bytes, 0),
    ) else {
        return false;
    };
    matches!(le, MH_MAGIC | MH_MAGIC_64)
        || matches!(be, MH_MAGIC | MH_MAGIC_64)
        || (matches!(be, FAT_MAGIC | FAT_MAGIC_64)
            && Endian::Big
                .u32_at(bytes, 4)
                .is_some_and(|count| (1..=MAX_FAT_ARCHES).contains(&count)))
}

/// True when `bytes` start with a fat (universal) header.
pub fn is_fat(bytes: &[u8]) -> bool {
    matches!(Endian::Big.u32_at(bytes, 0), Some(FAT_MAGIC | FAT_MAGIC_64)) && is_macho(bytes)
}

/// The slices of a fat file (`Ok(None)` when `bytes` are not fat). Slices that lie outside the
/// file or overlap each other are errors.
pub fn split_fat(bytes: &[u8]) -> Result<Option<Vec<FatSlice<'_>>>, MachOError> {
    let Some(entries) = fat_entries(bytes, bytes.len() as u64)? else {
        return Ok(None);
    };
    let mut slices = Vec::with_capacity(entries.len());
    for (index, e) in entries.into_iter().enumerate() {
        let data = usize::try_from(e.offset)
            .ok()
            .zip(usize::try_from(e.size).ok())
            .and_then(|(start, len)| bytes.get(start..start.checked_add(len)?))
            .ok_or_else(|| MachOError::FatSliceOutOfFile {
                index,
                arch: e.arch.to_string(),
                offset: e.offset,
                size: e.size,
                file_len: bytes.len(),
            })?;
        slices.push(FatSlice {
            arch: e.arch,
            cputype: e.cputype,
            cpusubtype: e.cpusubtype,
            offset: e.offset,
            data,
        });
    }
    Ok(Some(slices))
}

/// Where one architecture's slice lies in a fat file (see [`fat_entries`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FatEntry {
    pub arch: &'static str,
    pub cputype: u32,
    pub cpusubtype: u32,
    pub offset: u64,
    pub size: u64,
}

/// The length of the fat header that starts with `first` (at least its first 8 bytes), so a
/// reader knows how much to read before [`fat_entries`]; `None` when `first` is not fat.
pub fn fat_header_len(first: &[u8]) -> Option<u64> {
    if !is_fat(first) {
        return None;
    }
    let b = Bytes {
        data: first,
        little_endian: false,
    };
    let entry_size: u64 = if b.u32(0) == Some(FAT_MAGIC_64) {
        32
    } else {
        20
    };
    Some(8 + u64::from(b.u32(4)?.min(MAX_FAT_ARCHES)) * entry_size)
}

/// The entries of the fat header at the start of `header`, checked against the length of the
/// whole file (`file_len`): slices must lie after the header, inside the file, and must not
/// overlap. `header` needs only the header itself ([`fat_header_len`] bytes), so a reader can
/// check a file's layout before reading its slices. `Ok(None)` when `header` is not fat.
pub fn fat_entries(header: &[u8], file_len: u64) -> Result<Option<Vec<FatEntry>>, MachOError> {
    if !is_fat(header) {
        return Ok(None);
    }
    let b = Bytes {
        data: header,
        little_endian: false,
    };
    let is_64 = b.u32(0) == Some(FAT_MAGIC_64);
    let count = b.u32(4).unwrap_or(0);
    if count > MAX_FAT_ARCHES {
        return Err(MachOError::FatTooManyArches { count });
    }
    let entry_size: u64 = if is_64 { 32 } else { 20 };
    let header_end = 8 + u64::from(count) * entry_size;
    if header_end > header.len() as u64 || header_end > file_len {
        return Err(MachOError::TooShort {
            len: usize::try_from(file_len.min(header.len() as u64)).unwrap_or(usize::MAX),
            need: header_end as usize,
        });
    }
    let mut entries: Vec<FatEntry> = Vec::with_capacity(count as usize);
    for index in 0..count as usize {
        let at = 8 + index as u64 * entry_size;
        let cputype = b.u32(at).unwrap_or(0);
        let cpusubtype = b.u32(at + 4).unwrap_or(0);
        let (offset, size) = if is_64 {
            (
                b.u64(at + 8).unwrap_or(u64::MAX),
                b.u64(at + 16).unwrap_or(u64::MAX),
            )
        } else {
            (
                u64::from(b.u32(at + 8).unwrap_or(u32::MAX)),
                u64::from(b.u32(at + 12).unwrap_or(u32::MAX)),
            )
        };
        let arch = arch_name(cputype, cpusubtype);
        let inside = offset
            .checked_add(size)
            .is_some_and(|end| offset >= header_end && end <= file_len);
        if !inside {
            return Err(MachOError::FatSliceOutOfFile {
                index,
                arch: arch.to_string(),
                offset,
                size,
                file_len: usize::try_from(file_len).unwrap_or(usize::MAX),
            });
        }
        for (other_index, other) in entries.iter().enumerate() {
            if offset < other.offset + other.size && other.offset < offset + size {
                return Err(MachOError::FatSlicesOverlap {
                    first: other_index,
                    second: index,
                });
            }
        }
        entries.push(FatEntry {
            arch,
            cputype,
            cpusubtype,
            offset,
            size,
        });
    }
    Ok(Some(entries))
}

/// Parses a thin or fat Mach-O file; every slice must be a Mach-O image.
pub fn parse_macho(bytes: &[u8]) -> Result<MachOFile, MachOError> {
    match split_fat(bytes)? {
        None => Ok(MachOFile {
            slices: vec![parse_image(bytes)?],
        }),
        Some(fat) => {
            let mut slices = Vec::with_capacity(fat.len());
            for (index, slice) in fat.iter().enumerate() {
                slices.push(parse_fat_image(index, slice.arch, slice.data)?);
            }
            Ok(MachOFile { slices })
        }
    }
}

/// Slice `index` of a fat Mach-O file: a thin image (not an archive, not fat again).
pub fn parse_fat_image(index: usize, arch: &str, data: &[u8]) -> Result<Slice, MachOError> {
    let in_slice = |source| MachOError::InSlice {
        index,
        arch: arch.to_string(),
        source: Box::new(source),
    };
    if data.starts_with(b"!<arch>\n") {
        return Err(MachOError::SliceNotMachO {
            index,
            arch: arch.to_string(),
            found: "an ar archive (static library)",
        });
    }
    if is_fat(data) {
        return Err(in_slice(MachOError::BadMagic { magic: FAT_MAGIC }));
    }
    parse_image(data).map_err(in_slice)
}

/// Parses one thin Mach-O image (a fat slice or a whole thin file).
pub fn parse_image(bytes: &[u8]) -> Result<Slice, MachOError> {
    let image = commands::Image::parse(bytes)?;
    let symbols = symbols::read(&image)?;
    let objc = objc::read(&image, &symbols)?;
    let code = if image.filetype == commands::Image::MH_OBJECT {
        None
    } else {
        code::read(&image, &symbols, &methods::read(&image, &symbols))
    };
    let swift_types = swift::type_names(
        symbols
            .defined_external
            .iter()
            .chain(&symbols.defined_local)
            .copied(),
    );
    Ok(Slice {
        arch: arch_name(image.cputype, image.cpusubtype).to_string(),
        file_type: file_type_name(image.filetype).to_string(),
        dylibs: image
            .dylibs
            .iter()
            .map(|(path, kind)| DylibRef {
                path: (*path).to_string(),
                kind: *kind,
            })
            .collect(),
        install_name: image.install_name.map(str::to_string),
        rpaths: image.rpaths.iter().map(|p| (*p).to_string()).collect(),
        encrypted: image.encryption,
        min_os: image.min_os.clone(),
        imported_symbols: owned_sorted(symbols.imported.iter().copied()),
        exported_symbols: owned_sorted(symbols.defined_external.iter().copied()),
        objc_classes: objc.classes,
        objc_categories: objc.categories,
        objc_class_refs: objc.class_refs,
        selectors: objc.selectors,
        swift_types: swift_types.iter().map(String::as_str).collect(),
        uses_chained_fixups: image.chained_fixups.is_some(),
        embedded_bitcode: image
            .sections
            .iter()
            .any(|s| s.segment == "__LLVM" && s.name == "__bitcode"),
        code,
        code_signature: image
            .code_signature
            .map(|range| codesign::read(image.bytes.data, range)),
        archive_member: None,
    })
}

/// Sorted, de-duplicated copies of borrowed names, in one buffer.
fn owned_sorted<'a>(names: impl Iterator<Item = &'a str>) -> NameList {
    NameList::from_unsorted(names)
}

const CPU_ARCH_ABI64: u32 = 0x0100_0000;
const CPU_ARCH_ABI64_32: u32 = 0x0200_0000;
const CPU_TYPE_X86: u32 = 7;
const CPU_TYPE_ARM: u32 = 12;
const CPU_TYPE_POWERPC: u32 = 18;

/// The conventional architecture name for a CPU type and subtype.
pub fn arch_name(cputype: u32, cpusubtype: u32) -> &'static str {
    let sub = cpusubtype & 0x00ff_ffff;
    match cputype {
        CPU_TYPE_X86 => "i386",
        t if t == CPU_TYPE_X86 | CPU_ARCH_ABI64 => {
            if sub == 8 {
                "x86_64h"
            } else {
                "x86_64"
            }
        }
        CPU_TYPE_ARM => match sub {
            5 => "armv4t",
            6 => "armv6",
            7 => "armv5",
            9 => "armv7",
            10 => "armv7f",
            11 => "armv7s",
            12 => "armv7k",
            13 => "armv8",
            14 => "armv6m",
            15 => "armv7m",
            16 => "armv7em",
            _ => "arm",
        },
        t if t == CPU_TYPE_ARM | CPU_ARCH_ABI64 => {
            if sub == 2 {
                "arm64e"
            } else {
                "arm64"
            }
        }
        t if t == CPU_TYPE_ARM | CPU_ARCH_ABI64_32 => "arm64_32",
        CPU_TYPE_POWERPC => "ppc",
        t if t == CPU_TYPE_POWERPC | CPU_ARCH_ABI64 => "ppc64",
        _ => "unknown",
    }
}

/// The name of a Mach-O `filetype`.
pub fn file_type_name(filetype: u32) -> &'static str {
    match filetype {
        1 => "object",
        2 => "execute",
        3 => "fvmlib",
        4 => "core",
        5 => "preload",
        6 => "dylib",
        7 => "dylinker",
        8 => "bundle",
        9 => "dylib-stub",
        10 => "dsym",
        11 => "kext-bundle",
        12 => "fileset",
        _ => "unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_thin_and_fat_and_rejects_java_classes() {
        assert!(is_macho(&[0xcf, 0xfa, 0xed, 0xfe]));
        assert!(is_macho(&[0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 2]));
        assert!(!is_macho(&[0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 52]));
        assert!(!is_macho(b"!<arch>\n"));
        assert!(!is_macho(&[0xcf]));
    }

    #[test]
    fn names_architectures() {
        assert_eq!(arch_name(0x0100_000c, 0), "arm64");
        assert_eq!(arch_name(0x0100_000c, 0x8000_0002), "arm64e");
        assert_eq!(arch_name(12, 11), "armv7s");
        assert_eq!(arch_name(7, 3), "i386");
        assert_eq!(arch_name(0x0100_0007, 3), "x86_64");
    }
}
