//! Objective-C metadata: classes (`__objc_classlist` → `class_t` → `class_ro_t` → name),
//! categories (`__objc_catlist`), class references (`__objc_classrefs` and undefined
//! `_OBJC_CLASS_$_` symbols) and selectors (`__objc_methname`, `__objc_selrefs`).
//!
//! Pointers are read the way the loader would see them: plain addresses in classic images,
//! decoded chain entries in chained-fixup images (arm64e and iOS 14+), and in relocatable
//! objects (`.a` members, whose pointers are zero until linked) through the section's
//! relocation entries. Layouts follow Apple's objc4 runtime headers (`objc-runtime-new.h`).

use super::commands::Image;
use super::fixups::Fixup;
use super::symbols::Symbols;
use super::{MachOError, NameList};

/// The symbol prefix of an Objective-C class (`_OBJC_CLASS_$_NSObject`).
pub(crate) const CLASS_SYMBOL_PREFIX: &str = "_OBJC_CLASS_$_";

/// What a stored pointer refers to.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Target<'a> {
    Addr(u64),
    Symbol(&'a str),
}

/// The Objective-C names of one image, sorted and de-duplicated.
pub(crate) struct ObjcNames {
    pub classes: NameList,
    pub categories: NameList,
    pub class_refs: NameList,
    pub selectors: NameList,
}

/// Reads pointers and Objective-C structures the way the loader would see them.
pub(crate) struct Resolver<'s, 'a> {
    image: &'s Image<'a>,
    symbols: &'s Symbols<'a>,
    /// Per section index: `(r_address, r_info)` of its non-scattered relocations, sorted;
    /// read on first use.
    relocations: Vec<Option<Vec<(u32, u32)>>>,
}

impl<'s, 'a> Resolver<'s, 'a> {
    pub fn new(image: &'s Image<'a>, symbols: &'s Symbols<'a>) -> Self {
        Resolver {
            image,
            symbols,
            relocations: vec![None; image.sections.len()],
        }
    }

    pub fn is_64(&self) -> bool {
        self.image.is_64
    }

    /// The `u32` at virtual address `addr`.
    pub fn u32_at(&self, addr: u64) -> Option<u32> {
        let (_, offset) = self.image.locate(addr, 4)?;
        self.image.bytes.u32(offset)
    }

    /// The `i32` at virtual address `addr`.
    pub fn i32_at(&self, addr: u64) -> Option<i32> {
        self.u32_at(addr).map(|v| v as i32)
    }

    /// True when the `len` bytes at `addr` lie inside one section with file contents.
    pub fn is_mapped(&self, addr: u64, len: u64) -> bool {
        self.image.locate(addr, len).is_some()
    }

    fn is_object(&self) -> bool {
        self.image.filetype == Image::MH_OBJECT
    }

    /// The pointer stored at virtual address `addr`.
    pub fn pointer(&mut self, addr: u64) -> Option<Target<'a>> {
        let ps = self.image.ptr_size();
        let (section, file_offset) = self.image.locate(addr, ps)?;
        let raw = self.image.bytes.word(file_offset, self.image.is_64)?;
        if self.is_object() {
            let rel = u32::try_from(addr - self.image.sections.get(section)?.addr).ok()?;
            if let Some(info) = self.relocation(section, rel) {
                let is_extern = info >> 27 & 1 == 1;
                if is_extern {
                    let sym = self.symbols.table?.get(u64::from(info & 0x00ff_ffff))?;
                    return Some(if sym.is_undefined() {
                        Target::Symbol(sym.name)
                    } else {
                        Target::Addr(sym.value.wrapping_add(raw))
                    });
                }
            }
            return Some(Target::Addr(raw));
        }
        if self.image.arch_is_arm64e() || self.symbols.chained.is_some() {
            let fixup = match &self.symbols.chained {
                Some(chained) => chained.decode(raw, self.image),
                None => super::fixups::decode(1, raw),
            };
            return match fixup {
                Fixup::Rebase(target) if target < self.image.base_vmaddr => {
                    self.image.base_vmaddr.checked_add(target).map(Target::Addr)
                }
                Fixup::Rebase(target) => Some(Target::Addr(target)),
                Fixup::Bind(ordinal) => {
                    let chained = self.symbols.chained.as_ref()?;
                    let import = chained.imports.get(usize::try_from(ordinal).ok()?)?;
                    Some(Target::Symbol(import.name))
                }
            };
        }
        Some(Target::Addr(raw))
    }

    fn relocation(&mut self, section: usize, r_address: u32) -> Option<u32> {
        let image = self.image;
        let table = self.relocations.get_mut(section)?.get_or_insert_with(|| {
            let mut v = Vec::new();
            if let Some(s) = image.sections.get(section) {
                v.reserve(s.nreloc as usize);
                if image.bytes.little_endian {
                    for i in 0..s.nreloc {
                        let at = s.reloff + i * 8;
                        if let (Some(a), Some(info)) =
                            (image.bytes.u32(at), image.bytes.u32(at + 4))
                        {
                            if a & 0x8000_0000 == 0 {
                                v.push((a, info));
                            }
                        }
                    }
                }
            }
            v.sort_unstable();
            v
        });
        let i = table.binary_search_by_key(&r_address, |&(a, _)| a).ok()?;
        table.get(i).map(|&(_, info)| info)
    }

    /// The C string at virtual address `addr`, within its section.
    pub fn string(&self, addr: u64) -> Option<&'a str> {
        let (section, file_offset) = self.image.locate(addr, 1)?;
        let s = self.image.sections.get(section)?;
        self.image.bytes.cstr(file_offset, s.offset + s.size)
    }

    /// The name in the `class_ro_t` of the `class_t` at `class_addr`.
    pub fn class_name(&mut self, class_addr: u64) -> Option<&'a str> {
        let ps = self.image.ptr_size();
        let Target::Addr(data) = self.pointer(class_addr.checked_add(4 * ps)?)? else {
            return None;
        };
        // The low bits of class_t.data are flags (FAST_IS_SWIFT_*).
        let ro = data & if self.image.is_64 { !7 } else { !3 };
        let name_field = if self.image.is_64 { 24 } else { 16 };
        let Target::Addr(name) = self.pointer(ro.checked_add(name_field)?)? else {
            return None;
        };
        self.string(name)
    }

    /// The name of the class a `category_t` at `category` extends (`category_t.cls`: a bound
    /// `_OBJC_CLASS_$_` symbol or a class in this image).
    pub fn category_class(&mut self, category: u64) -> Option<&'a str> {
        match self.pointer(category.checked_add(self.image.ptr_size())?)? {
            Target::Symbol(s) => s.strip_prefix(CLASS_SYMBOL_PREFIX),
            Target::Addr(a) => self.class_name(a),
        }
    }

    /// Every pointer slot of the sections called `name`, resolved.
    pub fn slots(&mut self, name: &str) -> Vec<Target<'a>> {
        let ps = self.image.ptr_size();
        let sections: Vec<(u64, u64)> = self
            .image
            .sections_named(name)
            .map(|s| (s.addr, s.size))
            .collect();
        let mut out = Vec::new();
        for (addr, size) in sections {
            for i in 0..size / ps {
                if let Some(t) = addr.checked_add(i * ps).and_then(|a| self.pointer(a)) {
                    out.push(t);
                }
            }
        }
        out
    }
}

pub(crate) fn read<'a>(image: &Image<'a>, symbols: &Symbols<'a>) -> Result<ObjcNames, MachOError> {
    let mut r = Resolver::new(image, symbols);

    let mut classes: Vec<&str> = Vec::new();
    for slot in r.slots("__objc_classlist") {
        if let Target::Addr(class) = slot {
            if let Some(name) = r.class_name(class) {
                classes.push(name);
            }
        }
    }
    let defined = symbols
        .defined_external
        .iter()
        .chain(&symbols.defined_local);
    classes.extend(defined.filter_map(|s| s.strip_prefix(CLASS_SYMBOL_PREFIX)));

    let mut categories: Vec<String> = Vec::new();
    for slot in r.slots("__objc_catlist") {
        let Target::Addr(category) = slot else {
            continue;
        };
        let name = match r.pointer(category) {
            Some(Target::Addr(a)) => r.string(a),
            _ => None,
        };
        let class = r.category_class(category);
        if let Some(name) = name {
            categories.push(format!("{}({name})", class.unwrap_or("?")));
        }
    }

    let mut class_refs: Vec<&str> = symbols
        .imported
        .iter()
        .filter_map(|s| s.strip_prefix(CLASS_SYMBOL_PREFIX))
        .collect();
    for slot in r.slots("__objc_classrefs") {
        match slot {
            Target::Symbol(s) => class_refs.extend(s.strip_prefix(CLASS_SYMBOL_PREFIX)),
            Target::Addr(0) => {}
            Target::Addr(a) => class_refs.extend(r.class_name(a)),
        }
    }

    let mut selectors: Vec<&str> = Vec::new();
    for section in image.sections_named("__objc_methname") {
        let contents = image.contents(section);
        // One UTF-8 check for the whole section when it passes (NUL is valid UTF-8).
        match std::str::from_utf8(contents) {
            Ok(names) => {
                let mut start = 0;
                for nul in memchr::memchr_iter(0, contents).chain([contents.len()]) {
                    // NUL is ASCII, so both ends are char boundaries.
                    selectors.extend(names.get(start..nul).filter(|s| !s.is_empty()));
                    start = nul + 1;
                }
            }
            Err(_) => selectors.extend(
                contents
                    .split(|&b| b == 0)
                    .filter_map(|s| std::str::from_utf8(s).ok())
                    .filter(|s| !s.is_empty()),
            ),
        }
    }
    if selectors.is_empty() {
        for slot in r.slots("__objc_selrefs") {
            if let Target::Addr(a) = slot {
                selectors.extend(r.string(a));
            }
        }
    }

    Ok(ObjcNames {
        classes: super::owned_sorted(classes.into_iter()),
        categories: super::owned_sorted(categories.iter().map(String::as_str)),
        class_refs: super::owned_sorted(class_refs.into_iter()),
        selectors: super::owned_sorted(selectors.into_iter()),
    })
}
