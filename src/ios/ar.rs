//! `ar` static archives (`.a`, and the binary of a static `.framework`): BSD (`#1/NN` long
//! names, `__.SYMDEF` symbol tables) and GNU/SysV (`//` name table, `/` symbol table) variants,
//! thin or inside a fat Mach-O (what `lipo` makes and vendor SDKs ship). Mach-O members are read
//! with [`parse_image`]; LLVM bitcode members are counted, and keep the names the BSD symbol
//! table (`__.SYMDEF`) says they define — the only names a bitcode-only library shows.
//!
//! ```no_run
//! let bytes = std::fs::read("libWeChatSDK.a")?;
//! for lib in disclose::ios::ar::parse_static_library(&bytes)? {
//!     println!("{}: {} objects, {} bitcode members, {} ObjC classes",
//!              lib.arch, lib.library.macho_count(), lib.library.bitcode_count(),
//!              lib.library.objc_classes().len());
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use super::macho::{is_macho, parse_image, split_fat, MachOError, NameList, Slice};

const MAGIC: &[u8; 8] = b"!<arch>\n";
const HEADER_SIZE: usize = 60;

/// What is wrong with an archive. `Display` is one line naming the member or offset.
#[derive(Debug, thiserror::Error)]
pub enum ArError {
    #[error("not an ar archive (no !<arch> magic)")]
    BadMagic,
    #[error("member header at offset {offset} is truncated or has no terminator")]
    BadHeader { offset: usize },
    #[error("member {name:?} at offset {offset} has a bad size field {field:?}")]
    BadSize {
        name: String,
        offset: usize,
        field: String,
    },
    #[error("member {name:?} at offset {offset} claims {size} bytes but only {available} remain")]
    LyingSize {
        name: String,
        offset: usize,
        size: u64,
        available: usize,
    },
    #[error("member at offset {offset} has a bad name: {problem}")]
    BadName {
        offset: usize,
        problem: &'static str,
    },
    #[error("member {name:?}: {source}")]
    Member {
        name: String,
        #[source]
        source: MachOError,
    },
    #[error("{0}")]
    Fat(#[source] MachOError),
    #[error("fat slice {index} ({arch}) is neither an ar archive nor a Mach-O image")]
    FatSliceNotArchive { index: usize, arch: String },
}

/// What a member holds.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MemberKind {
    /// A Mach-O object (one slice; members are thin). Boxed: a slice is large and most
    /// members of a vendor archive are objects, so the enum stays small for the rest.
    MachO(Box<Slice>),
    /// LLVM bitcode, skipped.
    Bitcode,
    /// Anything else (e.g. a text file), skipped.
    Other,
}

/// One archive member (symbol tables and the GNU name table are not members here).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Member {
    pub name: String,
    pub kind: MemberKind,
    /// For a bitcode member: the symbols the archive's BSD symbol table says it defines
    /// (`_OBJC_CLASS_$_X`, C functions), sorted. Empty for other members (their own symbol
    /// tables are read) and when the archive has no such table.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub table_symbols: Vec<String>,
}

/// The members of one archive.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct StaticLibrary {
    pub members: Vec<Member>,
}

/// One architecture of a (possibly fat) static library.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ArchLibrary {
    /// "arm64", … (from the fat header, or from the first Mach-O member of a thin archive;
    /// "unknown" when a thin archive has none).
    pub arch: String,
    pub library: StaticLibrary,
}

impl StaticLibrary {
    /// The Mach-O members.
    pub fn objects(&self) -> impl Iterator<Item = &Slice> {
        self.members.iter().filter_map(|m| match &m.kind {
            MemberKind::MachO(slice) => Some(slice.as_ref()),
            _ => None,
        })
    }

    pub fn macho_count(&self) -> usize {
        self.objects().count()
    }

    /// Members skipped because they are LLVM bitcode.
    pub fn bitcode_count(&self) -> usize {
        self.members
            .iter()
            .filter(|m| m.kind == MemberKind::Bitcode)
            .count()
    }

    /// ObjC classes defined by any member.
    pub fn objc_classes(&self) -> BTreeSet<&str> {
        self.union(|s| &s.objc_classes)
    }

    /// Selectors named by any member.
    pub fn selectors(&self) -> BTreeSet<&str> {
        self.union(|s| &s.selectors)
    }

    /// Symbols some member imports and no member defines.
    pub fn imported_symbols(&self) -> BTreeSet<&str> {
        let exported = self.union(|s| &s.exported_symbols);
        self.union(|s| &s.imported_symbols)
            .into_iter()
            .filter(|s| !exported.contains(s))
            .collect()
    }

    /// ObjC classes referenced by any member.
    pub fn objc_class_refs(&self) -> BTreeSet<&str> {
        self.union(|s| &s.objc_class_refs)
    }

    fn union<'s>(&'s self, field: impl Fn(&'s Slice) -> &'s NameList) -> BTreeSet<&'s str> {
        self.objects().flat_map(|s| field(s).iter()).collect()
    }
}

/// True for a thin ar archive or a fat file whose first slice is one.
pub fn is_static_library(bytes: &[u8]) -> bool {
    bytes.starts_with(MAGIC)
        || matches!(split_fat(bytes), Ok(Some(slices)) if slices.first().is_some_and(|s| s.data.starts_with(MAGIC)))
}

/// True for LLVM bitcode, raw (`BC\xC0\xDE`) or in the bitcode wrapper (`0x0B17C0DE`).
pub fn is_bitcode(bytes: &[u8]) -> bool {
    bytes.starts_with(b"BC\xC0\xDE") || bytes.starts_with(&[0xde, 0xc0, 0x17, 0x0b])
}

/// Reads a thin `ar` archive.
pub fn parse_ar(bytes: &[u8]) -> Result<StaticLibrary, ArError> {
    if !bytes.starts_with(MAGIC) {
        return Err(ArError::BadMagic);
    }
    let mut members = Vec::new();
    let mut symbols: BTreeMap<usize, BTreeSet<&str>> = BTreeMap::new();
    let mut gnu_names: &[u8] = &[];
    let mut offset = MAGIC.len();
    while offset < bytes.len() {
        // Some writers pad with a newline past the last member.
        if bytes
            .get(offset..)
            .is_some_and(|rest| rest.iter().all(|&b| b == b'\n'))
        {
            break;
        }
        let header = bytes
            .get(offset..offset + HEADER_SIZE)
            .ok_or(ArError::BadHeader { offset })?;
        if header.get(58..60) != Some(b"`\n") {
            return Err(ArError::BadHeader { offset });
        }
        let raw_name = trim_field(header.get(..16).unwrap_or_default());
        let display_name = || String::from_utf8_lossy(raw_name).into_owned();
        let size_field = trim_field(header.get(48..58).unwrap_or_default());
        let size = std::str::from_utf8(size_field)
            .ok()
            .and_then(|s| s.parse::<u64>().ok())
            .ok_or_else(|| ArError::BadSize {
                name: display_name(),
                offset,
                field: String::from_utf8_lossy(size_field).into_owned(),
            })?;
        let data_start = offset + HEADER_SIZE;
        let available = bytes.len() - data_start.min(bytes.len());
        let data = usize::try_from(size)
            .ok()
            .and_then(|size| bytes.get(data_start..data_start.checked_add(size)?))
            .ok_or_else(|| ArError::LyingSize {
                name: display_name(),
                offset,
                size,
                available,
            })?;
        let next = data_start + data.len() + data.len() % 2;
        let header_offset = offset;

        let (name, body) = match member_name(raw_name, data, gnu_names, offset)? {
            MemberName::Named(name, body) => (name, body),
            MemberName::GnuNameTable => {
                gnu_names = data;
                offset = next;
                continue;
            }
            MemberName::SymbolTable => {
                offset = next;
                continue;
            }
        };
        offset = next;
        if name.starts_with("__.SYMDEF") {
            for (member, symbol) in bsd_symbol_table(body, name.starts_with("__.SYMDEF_64")) {
                symbols.entry(member).or_default().insert(symbol);
            }
            continue;
        }
        members.push((name, body, header_offset));
    }
    parse_members(members, &symbols)
}

/// The (member header offset, symbol name) pairs of a BSD symbol table (`ranlib` entries, then
/// the string table; 32- or 64-bit fields, little-endian as Apple's tools write them). A
/// malformed table yields what could be read: it is a hint, never a reason to reject a file.
fn bsd_symbol_table(body: &[u8], wide: bool) -> Vec<(usize, &str)> {
    let width = if wide { 8 } else { 4 };
    let field = |at: usize| -> Option<usize> {
        let bytes = body.get(at..at.checked_add(width)?)?;
        let mut word = [0u8; 8];
        word.get_mut(..width)?.copy_from_slice(bytes);
        usize::try_from(u64::from_le_bytes(word)).ok()
    };
    let Some(table_len) = field(0) else {
        return Vec::new();
    };
    let strings_at = width.saturating_add(table_len);
    let strings = field(strings_at)
        .and_then(|len| body.get(strings_at + width..(strings_at + width).checked_add(len)?))
        .unwrap_or_default();
    let mut out = Vec::new();
    let mut at = width;
    // A table length larger than the body must not make the loop walk past the data it has.
    let entries_end = strings_at.min(body.len());
    while at.saturating_add(2 * width) <= entries_end {
        if let (Some(strx), Some(member)) = (field(at), field(at + width)) {
            let name = strings.get(strx..).unwrap_or_default();
            let name = name.split(|&b| b == 0).next().unwrap_or_default();
            if let Ok(name) = std::str::from_utf8(name) {
                if !name.is_empty() {
                    out.push((member, name));
                }
            }
        }
        at += 2 * width;
    }
    out
}

/// What a member header's name field says.
enum MemberName<'a> {
    /// A member with its name and its body (a BSD long name is cut off the body).
    Named(String, &'a [u8]),
    /// The GNU long-name table (`//`).
    GnuNameTable,
    /// A symbol table (`/`, `/SYM64/`).
    SymbolTable,
}

/// The name of the member at `offset` whose name field is `raw_name` and data `data`:
/// BSD `#1/len`, GNU `/index` into `gnu_names`, or a plain name.
fn member_name<'a>(
    raw_name: &[u8],
    data: &'a [u8],
    gnu_names: &[u8],
    offset: usize,
) -> Result<MemberName<'a>, ArError> {
    Ok(if let Some(len) = raw_name.strip_prefix(b"#1/") {
        let len: usize = std::str::from_utf8(len)
            .ok()
            .and_then(|s| s.parse().ok())
            .ok_or(ArError::BadName {
                offset,
                problem: "BSD long-name length is not a number",
            })?;
        let name = data.get(..len).ok_or(ArError::BadName {
            offset,
            problem: "BSD long name is longer than the member",
        })?;
        let name = name.split(|&b| b == 0).next().unwrap_or_default();
        MemberName::Named(
            String::from_utf8_lossy(name).into_owned(),
            data.get(len..).unwrap_or_default(),
        )
    } else if raw_name == b"//" {
        MemberName::GnuNameTable
    } else if raw_name == b"/" || raw_name == b"/SYM64/" {
        MemberName::SymbolTable
    } else if let Some(index) = raw_name.strip_prefix(b"/") {
        let index: usize = std::str::from_utf8(index)
            .ok()
            .and_then(|s| s.parse().ok())
            .ok_or(ArError::BadName {
                offset,
                problem: "GNU long-name index is not a number",
            })?;
        let rest = gnu_names.get(index..).ok_or(ArError::BadName {
            offset,
            problem: "GNU long-name index outside the name table",
        })?;
        let end = rest
            .iter()
            .position(|&b| b == b'\n' || b == 0)
            .unwrap_or(rest.len());
        let name = rest.get(..end).unwrap_or_default();
        MemberName::Named(
            String::from_utf8_lossy(name.strip_suffix(b"/").unwrap_or(name)).into_owned(),
            data,
        )
    } else {
        MemberName::Named(
            String::from_utf8_lossy(raw_name.strip_suffix(b"/").unwrap_or(raw_name)).into_owned(),
            data,
        )
    })
}

/// Members are independent objects: parse them in parallel, then report the first bad one in
/// archive order so the error does not depend on scheduling.
fn parse_members(
    members: Vec<(String, &[u8], usize)>,
    symbols: &BTreeMap<usize, BTreeSet<&str>>,
) -> Result<StaticLibrary, ArError> {
    let parsed: Vec<Result<Member, ArError>> = members
        .into_par_iter()
        .map(|(name, body, header_offset)| {
            let mut table_symbols = Vec::new();
            let kind = if is_bitcode(body) {
                // Grouped by member offset once, so many members and a big table stay linear.
                table_symbols = symbols
                    .get(&header_offset)
                    .map(|names| names.iter().map(|s| (*s).to_string()).collect())
                    .unwrap_or_default();
                MemberKind::Bitcode
            } else if is_macho(body) {
                match parse_image(body) {
                    Ok(slice) => MemberKind::MachO(Box::new(slice)),
                    Err(source) => return Err(ArError::Member { name, source }),
                }
            } else {
                MemberKind::Other
            };
            Ok(Member {
                name,
                kind,
                table_symbols,
            })
        })
        .collect();
    Ok(StaticLibrary {
        members: parsed.into_iter().collect::<Result<_, _>>()?,
    })
}

/// Reads a thin archive or a fat file of archives, one library per architecture. A fat slice
/// that is a single Mach-O object becomes a one-member library.
pub fn parse_static_library(bytes: &[u8]) -> Result<Vec<ArchLibrary>, ArError> {
    let Some(slices) = split_fat(bytes).map_err(ArError::Fat)? else {
        let library = parse_ar(bytes)?;
        let arch = library
            .objects()
            .next()
            .map_or_else(|| "unknown".to_string(), |s| s.arch.clone());
        return Ok(vec![ArchLibrary { arch, library }]);
    };
    // Slices in parallel (and their members, in parse_ar); the first error in slice order wins.
    let parsed: Vec<Result<ArchLibrary, ArError>> = slices
        .par_iter()
        .enumerate()
        .map(|(index, slice)| parse_fat_slice(index, slice.arch, slice.data))
        .collect();
    parsed.into_iter().collect()
}

/// One slice of a fat static library: an `ar` archive, or a single Mach-O object (which
/// becomes a one-member library).
pub(crate) fn parse_fat_slice(
    index: usize,
    arch: &str,
    data: &[u8],
) -> Result<ArchLibrary, ArError> {
    let library = if data.starts_with(MAGIC) {
        parse_ar(data)?
    } else if is_macho(data) && !super::macho::is_fat(data) {
        let object = parse_image(data).map_err(|source| ArError::Member {
            name: format!("fat slice {index}"),
            source,
        })?;
        StaticLibrary {
            members: vec![Member {
                name: arch.to_string(),
                kind: MemberKind::MachO(Box::new(object)),
                table_symbols: Vec::new(),
            }],
        }
    } else {
        return Err(ArError::FatSliceNotArchive {
            index,
            arch: arch.to_string(),
        });
    };
    Ok(ArchLibrary {
        arch: arch.to_string(),
        library,
    })
}

/// A header field without its space padding.
fn trim_field(field: &[u8]) -> &[u8] {
    let end = field.iter().rposition(|&b| b != b' ').map_or(0, |i| i + 1);
    field.get(..end).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(name: &str, size: usize) -> Vec<u8> {
        format!("{name:<16}{:<12}{:<6}{:<6}{:<8}{size:<10}`\n", 0, 0, 0, 644).into_bytes()
    }

    #[test]
    fn reads_bsd_and_gnu_names_and_skips_symbol_tables() {
        let mut a = MAGIC.to_vec();
        a.extend(header("__.SYMDEF", 4));
        a.extend(b"\0\0\0\0");
        a.extend(header("#1/12", 16));
        a.extend(b"long_name.o\0BC\xC0\xDE");
        a.extend(header("//", 8));
        a.extend(b"gnu.txt/");
        a.extend(header("/0", 3));
        a.extend(b"hi\n\n");
        a.extend(header("short.o/", 0));
        let lib = parse_ar(&a).unwrap();
        let names: Vec<_> = lib
            .members
            .iter()
            .map(|m| (m.name.as_str(), &m.kind))
            .collect();
        assert_eq!(
            names,
            [
                ("long_name.o", &MemberKind::Bitcode),
                ("gnu.txt", &MemberKind::Other),
                ("short.o", &MemberKind::Other)
            ]
        );
        assert_eq!(lib.bitcode_count(), 1);
    }

    #[test]
    fn a_bitcode_member_keeps_the_symbols_the_bsd_table_gives_it() {
        // ranlib entries (string index, member header offset), then the string table.
        let strings = b"_OBJC_CLASS_$_ADJSigner\0_ADJSign\0\0";
        let member_at = MAGIC.len() + HEADER_SIZE + 32 + strings.len();
        let mut table = Vec::new();
        for (strx, member) in [(0u32, member_at), (24, member_at), (0, 9999)] {
            table.extend(strx.to_le_bytes());
            table.extend(u32::try_from(member).unwrap().to_le_bytes());
        }
        let mut body = u32::try_from(table.len()).unwrap().to_le_bytes().to_vec();
        body.extend(table);
        body.extend(u32::try_from(strings.len()).unwrap().to_le_bytes());
        body.extend(strings);
        let mut a = MAGIC.to_vec();
        a.extend(header("__.SYMDEF", body.len()));
        a.extend(&body);
        assert_eq!(a.len() % 2, 0);
        assert_eq!(a.len(), member_at);
        a.extend(header("sig.o/", 4));
        a.extend(b"BC\xC0\xDE");
        let lib = parse_ar(&a).unwrap();
        let member = lib.members.first().unwrap();
        assert_eq!(member.kind, MemberKind::Bitcode);
        assert_eq!(
            member.table_symbols,
            ["_ADJSign", "_OBJC_CLASS_$_ADJSigner"]
        );
    }

    #[test]
    fn a_symbol_table_longer_than_its_body_ends_at_the_body() {
        // A 64-bit `__.SYMDEF_64` whose entry-table length says 2^63 bytes: reading must stop at
        // the 24 bytes there are (before the fix the loop walked to 2^63 and never ended).
        let mut body = (1u64 << 63).to_le_bytes().to_vec();
        body.extend([0u8; 16]);
        assert!(bsd_symbol_table(&body, true).is_empty());
        let mut narrow = u32::MAX.to_le_bytes().to_vec();
        narrow.extend([0u8; 8]);
        assert!(bsd_symbol_table(&narrow, false).is_empty());
    }

    #[test]
    fn a_lying_size_names_the_member() {
        let mut a = MAGIC.to_vec();
        a.extend(header("liar.o/", 1000));
        a.extend(b"short");
        let e = parse_ar(&a).unwrap_err().to_string();
        assert_eq!(
            e,
            "member \"liar.o/\" at offset 8 claims 1000 bytes but only 5 remain"
        );
    }
}
