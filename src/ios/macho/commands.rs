//! The Mach-O header and load-command walk: validates every command and section against the
//! image before anything else reads through them.

use super::bytes::{fixed_name, Bytes};
use super::{DylibKind, Encryption, MachOError, MH_MAGIC, MH_MAGIC_64};

const LC_REQ_DYLD: u32 = 0x8000_0000;
const LC_SEGMENT: u32 = 0x1;
const LC_SYMTAB: u32 = 0x2;
const LC_LOAD_DYLIB: u32 = 0xc;
const LC_ID_DYLIB: u32 = 0xd;
const LC_LOAD_WEAK_DYLIB: u32 = 0x18 | LC_REQ_DYLD;
const LC_SEGMENT_64: u32 = 0x19;
const LC_RPATH: u32 = 0x1c | LC_REQ_DYLD;
const LC_CODE_SIGNATURE: u32 = 0x1d;
const LC_REEXPORT_DYLIB: u32 = 0x1f | LC_REQ_DYLD;
const LC_LAZY_LOAD_DYLIB: u32 = 0x20;
const LC_ENCRYPTION_INFO: u32 = 0x21;
const LC_DYLD_INFO: u32 = 0x22;
const LC_DYLD_INFO_ONLY: u32 = 0x22 | LC_REQ_DYLD;
const LC_LOAD_UPWARD_DYLIB: u32 = 0x23 | LC_REQ_DYLD;
const LC_VERSION_MIN_MACOSX: u32 = 0x24;
const LC_VERSION_MIN_IPHONEOS: u32 = 0x25;
const LC_ENCRYPTION_INFO_64: u32 = 0x2c;
const LC_VERSION_MIN_TVOS: u32 = 0x2f;
const LC_VERSION_MIN_WATCHOS: u32 = 0x30;
const LC_BUILD_VERSION: u32 = 0x32;
const LC_DYLD_CHAINED_FIXUPS: u32 = 0x34 | LC_REQ_DYLD;
const LC_DYSYMTAB: u32 = 0xb;
const LC_FUNCTION_STARTS: u32 = 0x26;

/// Section types without file contents.
const S_ZEROFILL: u32 = 0x1;
const S_GB_ZEROFILL: u32 = 0xc;
const S_THREAD_LOCAL_ZEROFILL: u32 = 0x12;

/// One section header, checked to lie inside the image when it has file contents.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Section<'a> {
    pub segment: &'a str,
    pub name: &'a str,
    pub addr: u64,
    pub size: u64,
    pub offset: u64,
    pub reloff: u64,
    pub nreloc: u64,
    /// Section type (low byte) and attributes.
    pub flags: u32,
    /// For stub and symbol-pointer sections: first index into the indirect symbol table.
    pub reserved1: u32,
    /// For stub sections: the size of one stub.
    pub reserved2: u32,
    pub has_contents: bool,
}

/// `LC_SYMTAB`, checked.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SymtabCommand {
    pub symoff: u64,
    pub nsyms: u64,
    pub stroff: u64,
    pub strsize: u64,
}

/// A `(offset, size)` range of the image, checked.
pub(crate) type Range = (u64, u64);

/// Everything the load commands say, with borrowed strings.
pub(crate) struct Image<'a> {
    pub bytes: Bytes<'a>,
    pub is_64: bool,
    pub cputype: u32,
    pub cpusubtype: u32,
    pub filetype: u32,
    pub sections: Vec<Section<'a>>,
    /// vmaddr of the segment mapped from file offset 0 (`__TEXT`), the image base.
    pub base_vmaddr: u64,
    pub symtab: Option<SymtabCommand>,
    /// bind and lazy-bind opcode ranges of `LC_DYLD_INFO(_ONLY)`.
    pub binds: Vec<Range>,
    pub chained_fixups: Option<Range>,
    /// The indirect symbol table of `LC_DYSYMTAB` (`u32` symbol indices), checked.
    pub indirect_symbols: Option<Range>,
    /// `LC_FUNCTION_STARTS` (ULEB128 deltas of function start addresses), checked.
    pub function_starts: Option<Range>,
    pub dylibs: Vec<(&'a str, DylibKind)>,
    pub install_name: Option<&'a str>,
    pub rpaths: Vec<&'a str>,
    pub encryption: Option<Encryption>,
    pub min_os: Option<String>,
    /// `(vmaddr, vmsize)` of each segment in load-command order (dyld bind opcodes name
    /// segments by this index).
    pub segments: Vec<(u64, u64)>,
    /// `LC_CODE_SIGNATURE` `(dataoff, datasize)`, not range-checked: a signature that lies is
    /// noted by the signature reader, not an error of the image.
    pub code_signature: Option<Range>,
    /// `(addr, index)` of the sections with contents, sorted by address, for [`Image::locate`].
    by_addr: Vec<(u64, usize)>,
}

/// The byte order and word size the magic number at the start of `data` says.
fn byte_order_and_width(data: &[u8]) -> Result<(bool, bool), MachOError> {
    let magic_bytes: [u8; 4] = crate::bytes::array_at(data, 0).ok_or(MachOError::TooShort {
        len: data.len(),
        need: 28,
    })?;
    match (
        u32::from_le_bytes(magic_bytes),
        u32::from_be_bytes(magic_bytes),
    ) {
        (MH_MAGIC, _) => Ok((true, false)),
        (MH_MAGIC_64, _) => Ok((true, true)),
        (_, MH_MAGIC) => Ok((false, false)),
        (_, MH_MAGIC_64) => Ok((false, true)),
        (magic, _) => Err(MachOError::BadMagic { magic }),
    }
}

impl<'a> Image<'a> {
    pub const MH_OBJECT: u32 = 1;

    pub fn parse(data: &'a [u8]) -> Result<Self, MachOError> {
        let (little_endian, is_64) = byte_order_and_width(data)?;
        let header_size: u64 = if is_64 { 32 } else { 28 };
        if (data.len() as u64) < header_size {
            return Err(MachOError::TooShort {
                len: data.len(),
                need: header_size as usize,
            });
        }
        let bytes = Bytes {
            data,
            little_endian,
        };
        let field = |at| bytes.u32(at).unwrap_or(0);
        let (cputype, cpusubtype, filetype, ncmds, sizeofcmds) =
            (field(4), field(8), field(12), field(16), field(20));
        // Every load command is at least 8 bytes, so ncmds is bounded by sizeofcmds, which is
        // bounded by the data.
        if header_size + u64::from(sizeofcmds) > data.len() as u64
            || u64::from(ncmds) * 8 > u64::from(sizeofcmds)
        {
            return Err(MachOError::LoadCommandsOutOfFile {
                ncmds,
                sizeofcmds,
                len: data.len(),
            });
        }
        let mut image = Image {
            bytes,
            is_64,
            cputype,
            cpusubtype,
            filetype,
            sections: Vec::new(),
            base_vmaddr: 0,
            symtab: None,
            binds: Vec::new(),
            chained_fixups: None,
            indirect_symbols: None,
            function_starts: None,
            dylibs: Vec::new(),
            install_name: None,
            rpaths: Vec::new(),
            encryption: None,
            min_os: None,
            segments: Vec::new(),
            code_signature: None,
            by_addr: Vec::new(),
        };
        let commands_end = header_size + u64::from(sizeofcmds);
        let mut offset = header_size;
        for index in 0..ncmds {
            let cmd = bytes.u32(offset).unwrap_or(0);
            let bad = |problem| MachOError::BadLoadCommand {
                index,
                cmd,
                offset,
                problem,
            };
            if offset + 8 > commands_end {
                return Err(bad("runs past sizeofcmds"));
            }
            let cmdsize = u64::from(bytes.u32(offset + 4).unwrap_or(0));
            if cmdsize < 8 || offset + cmdsize > commands_end {
                return Err(bad("cmdsize is below 8 or runs past sizeofcmds"));
            }
            let command = Bytes {
                data: bytes
                    .slice(offset, cmdsize)
                    .ok_or(bad("outside the image"))?,
                little_endian,
            };
            image
                .read_command(cmd, command)
                .map_err(|problem| match problem {
                    CommandProblem::Command(p) => bad(p),
                    CommandProblem::Other(e) => e,
                })?;
            offset += cmdsize;
        }
        image.by_addr = image
            .sections
            .iter()
            .enumerate()
            .filter(|(_, s)| s.has_contents)
            .map(|(i, s)| (s.addr, i))
            .collect();
        image.by_addr.sort_unstable();
        Ok(image)
    }

    fn read_command(&mut self, cmd: u32, c: Bytes<'a>) -> Result<(), CommandProblem> {
        let u32_at = |at| {
            c.u32(at)
                .ok_or(CommandProblem::Command("command too short"))
        };
        match cmd {
            LC_SEGMENT | LC_SEGMENT_64 => self.read_segment(cmd == LC_SEGMENT_64, c)?,
            LC_SYMTAB => {
                let st = SymtabCommand {
                    symoff: u64::from(u32_at(8)?),
                    nsyms: u64::from(u32_at(12)?),
                    stroff: u64::from(u32_at(16)?),
                    strsize: u64::from(u32_at(20)?),
                };
                let nlist_size = if self.is_64 { 16 } else { 12 };
                self.check_range("symbol table", st.symoff, st.nsyms * nlist_size)?;
                self.check_range("string table", st.stroff, st.strsize)?;
                self.symtab = Some(st);
            }
            LC_LOAD_DYLIB | LC_LOAD_WEAK_DYLIB | LC_REEXPORT_DYLIB | LC_LAZY_LOAD_DYLIB
            | LC_LOAD_UPWARD_DYLIB => {
                let kind = match cmd {
                    LC_LOAD_DYLIB => DylibKind::Load,
                    LC_LOAD_WEAK_DYLIB => DylibKind::Weak,
                    LC_REEXPORT_DYLIB => DylibKind::Reexport,
                    LC_LAZY_LOAD_DYLIB => DylibKind::Lazy,
                    _ => DylibKind::Upward,
                };
                self.dylibs.push((command_string(c, 8)?, kind));
            }
            LC_ID_DYLIB => self.install_name = Some(command_string(c, 8)?),
            LC_RPATH => self.rpaths.push(command_string(c, 8)?),
            LC_ENCRYPTION_INFO | LC_ENCRYPTION_INFO_64 => {
                self.encryption = Some(Encryption {
                    cryptoff: u32_at(8)?,
                    cryptsize: u32_at(12)?,
                    cryptid: u32_at(16)?,
                });
            }
            LC_DYLD_INFO | LC_DYLD_INFO_ONLY => {
                for at in [16, 32] {
                    let (off, size) = (u64::from(u32_at(at)?), u64::from(u32_at(at + 4)?));
                    self.check_range("dyld bind opcodes", off, size)?;
                    if size > 0 {
                        self.binds.push((off, size));
                    }
                }
            }
            LC_CODE_SIGNATURE => {
                self.code_signature = Some((u64::from(u32_at(8)?), u64::from(u32_at(12)?)));
            }
            LC_DYLD_CHAINED_FIXUPS => {
                let (off, size) = (u64::from(u32_at(8)?), u64::from(u32_at(12)?));
                self.check_range("chained fixups", off, size)?;
                self.chained_fixups = Some((off, size));
            }
            LC_DYSYMTAB => {
                let (off, count) = (u64::from(u32_at(56)?), u64::from(u32_at(60)?));
                self.check_range("indirect symbol table", off, count * 4)?;
                self.indirect_symbols = Some((off, count * 4));
            }
            LC_FUNCTION_STARTS => {
                let (off, size) = (u64::from(u32_at(8)?), u64::from(u32_at(12)?));
                self.check_range("function starts", off, size)?;
                self.function_starts = Some((off, size));
            }
            LC_VERSION_MIN_MACOSX
            | LC_VERSION_MIN_IPHONEOS
            | LC_VERSION_MIN_TVOS
            | LC_VERSION_MIN_WATCHOS => {
                let platform = match cmd {
                    LC_VERSION_MIN_MACOSX => "macos",
                    LC_VERSION_MIN_IPHONEOS => "ios",
                    LC_VERSION_MIN_TVOS => "tvos",
                    _ => "watchos",
                };
                self.min_os.get_or_insert_with(|| {
                    format!("{platform} {}", version(c.u32(8).unwrap_or(0)))
                });
            }
            LC_BUILD_VERSION => {
                let platform = match u32_at(8)? {
                    1 => "macos",
                    2 => "ios",
                    3 => "tvos",
                    4 => "watchos",
                    5 => "bridgeos",
                    6 => "maccatalyst",
                    7 => "ios-simulator",
                    8 => "tvos-simulator",
                    9 => "watchos-simulator",
                    10 => "driverkit",
                    _ => "unknown",
                };
                self.min_os = Some(format!("{platform} {}", version(u32_at(12)?)));
            }
            _ => {}
        }
        Ok(())
    }

    fn read_segment(&mut self, is_64: bool, c: Bytes<'a>) -> Result<(), CommandProblem> {
        const SHORT: &str = "segment command too short";
        let (vmaddr, vmsize, fileoff, filesize, nsects, header, section_size) = if is_64 {
            (
                c.u64(24),
                c.u64(32),
                c.u64(40),
                c.u64(48),
                c.u32(64),
                72u64,
                80u64,
            )
        } else {
            (
                c.u32(24).map(u64::from),
                c.u32(28).map(u64::from),
                c.u32(32).map(u64::from),
                c.u32(36).map(u64::from),
                c.u32(48),
                56,
                68,
            )
        };
        let (vmaddr, vmsize, fileoff, filesize, nsects) = (
            vmaddr.ok_or(SHORT)?,
            vmsize.ok_or(SHORT)?,
            fileoff.ok_or(SHORT)?,
            filesize.ok_or(SHORT)?,
            u64::from(nsects.ok_or(SHORT)?),
        );
        if header + nsects * section_size > c.data.len() as u64 {
            return Err(CommandProblem::Command("nsects does not fit cmdsize"));
        }
        let segname = fixed_name(c.slice(8, 16).unwrap_or_default());
        self.check_range("segment", fileoff, filesize)
            .map_err(|_| {
                CommandProblem::Other(MachOError::SectionOutOfFile {
                    segment: segname.to_string(),
                    section: String::new(),
                    offset: fileoff,
                    size: filesize,
                })
            })?;
        if fileoff == 0 && filesize > 0 {
            self.base_vmaddr = vmaddr;
        }
        self.segments.push((vmaddr, vmsize));
        // nsects is bounded by cmdsize (checked above).
        self.sections.reserve(nsects as usize);
        for i in 0..nsects {
            let s = header + i * section_size;
            let word = |at: u64| {
                if is_64 {
                    c.u64(s + at)
                } else {
                    c.u32(s + at).map(u64::from)
                }
            };
            let addr = word(32).ok_or(SHORT)?;
            let size = word(if is_64 { 40 } else { 36 }).ok_or(SHORT)?;
            let tail = s + if is_64 { 48 } else { 40 };
            let offset = u64::from(c.u32(tail).ok_or(SHORT)?);
            let reloff = u64::from(c.u32(tail + 8).ok_or(SHORT)?);
            let nreloc = u64::from(c.u32(tail + 12).ok_or(SHORT)?);
            let flags = c.u32(tail + 16).ok_or(SHORT)?;
            let reserved1 = c.u32(tail + 20).ok_or(SHORT)?;
            let reserved2 = c.u32(tail + 24).ok_or(SHORT)?;
            let kind = flags & 0xff;
            let has_contents =
                !matches!(kind, S_ZEROFILL | S_GB_ZEROFILL | S_THREAD_LOCAL_ZEROFILL)
                    && offset != 0
                    && size != 0;
            let section = Section {
                segment: fixed_name(c.slice(s + 16, 16).unwrap_or_default()),
                name: fixed_name(c.slice(s, 16).unwrap_or_default()),
                addr,
                size,
                offset,
                reloff,
                nreloc,
                flags,
                reserved1,
                reserved2,
                has_contents,
            };
            if has_contents && self.bytes.slice(offset, size).is_none() {
                return Err(CommandProblem::Other(MachOError::SectionOutOfFile {
                    segment: section.segment.to_string(),
                    section: section.name.to_string(),
                    offset,
                    size,
                }));
            }
            if nreloc > 0 {
                self.check_range("relocations", reloff, nreloc * 8)?;
            }
            self.sections.push(section);
        }
        Ok(())
    }

    fn check_range(
        &self,
        what: &'static str,
        offset: u64,
        size: u64,
    ) -> Result<(), CommandProblem> {
        match offset.checked_add(size) {
            Some(end) if end <= self.bytes.data.len() as u64 => Ok(()),
            _ => Err(CommandProblem::Other(MachOError::TableOutOfFile {
                what,
                offset,
                size,
            })),
        }
    }

    /// Sections called `name` in any segment (`__objc_classlist` lives in `__DATA` or
    /// `__DATA_CONST`).
    pub fn sections_named<'s>(
        &'s self,
        name: &'s str,
    ) -> impl Iterator<Item = &'s Section<'a>> + 's {
        self.sections
            .iter()
            .filter(move |s| s.name == name && s.has_contents)
    }

    /// The contents of a section with file data.
    pub fn contents(&self, section: &Section<'a>) -> &'a [u8] {
        if section.has_contents {
            self.bytes
                .slice(section.offset, section.size)
                .unwrap_or_default()
        } else {
            &[]
        }
    }

    /// The section holding the `len` bytes at virtual address `addr`, and the file offset.
    /// Binary search over the sections sorted by address (sections of a well-formed image do
    /// not overlap; in one that lies, an overlapped address may go unresolved).
    pub fn locate(&self, addr: u64, len: u64) -> Option<(usize, u64)> {
        let after = self.by_addr.partition_point(|&(start, _)| start <= addr);
        let &(_, i) = self.by_addr.get(after.checked_sub(1)?)?;
        let s = self.sections.get(i)?;
        let rel = addr.checked_sub(s.addr)?;
        (rel.checked_add(len)? <= s.size).then(|| (i, s.offset + rel))
    }

    pub fn arch_is_arm64e(&self) -> bool {
        self.cputype == 0x0100_000c && self.cpusubtype & 0x00ff_ffff == 2
    }

    pub fn ptr_size(&self) -> u64 {
        if self.is_64 {
            8
        } else {
            4
        }
    }
}

pub(crate) enum CommandProblem {
    Command(&'static str),
    Other(MachOError),
}

impl From<&'static str> for CommandProblem {
    fn from(p: &'static str) -> Self {
        CommandProblem::Command(p)
    }
}

/// The `lc_str` at `name_field` of a command: an offset from the command start to a
/// NUL-terminated string inside the command.
fn command_string<'a>(c: Bytes<'a>, name_field: u64) -> Result<&'a str, CommandProblem> {
    let offset = u64::from(
        c.u32(name_field)
            .ok_or(CommandProblem::Command("command too short"))?,
    );
    if offset < name_field + 4 {
        return Err(CommandProblem::Command(
            "string offset points into the command header",
        ));
    }
    c.cstr(offset, c.data.len() as u64)
        .ok_or(CommandProblem::Command(
            "string is outside the command, unterminated or not UTF-8",
        ))
}

/// A packed `xxxx.yy.zz` version as "x.y" or "x.y.z".
fn version(v: u32) -> String {
    let (major, minor, patch) = (v >> 16, (v >> 8) & 0xff, v & 0xff);
    if patch == 0 {
        format!("{major}.{minor}")
    } else {
        format!("{major}.{minor}.{patch}")
    }
}

#[cfg(test)]
mod tests {
    use super::version;

    #[test]
    fn versions_are_dotted() {
        assert_eq!(version(0x000f_0000), "15.0");
        assert_eq!(version(0x000c_0401), "12.4.1");
    }
}
