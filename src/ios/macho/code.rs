//! What each function of an arm64 image references: the Objective-C selectors it sends, the
//! classes it names and the imported C symbols it calls, found by decoding its instructions.
//!
//! Function boundaries come from the Objective-C method lists (which survive stripping and name
//! the class), the symbol table and `LC_FUNCTION_STARTS`. A linear sweep over `__text` follows
//! the address arithmetic arm64 compilers use for globals — `ADRP` of a page, then `ADD` or
//! `LDR` with the page offset (or `LDR` of a literal) — and records what the address is: a slot
//! of `__objc_selrefs` (a message sent), of `__objc_classrefs` (a class named) or of a
//! symbol-pointer section (`__got`, `__auth_got`, `__la_symbol_ptr`: an imported symbol taken).
//! `BL`/`B` into `__stubs`/`__auth_stubs` is a call of the import the indirect symbol table
//! names for that stub (or, when the table is missing, the one the stub itself loads); into
//! `__objc_stubs` (Xcode 14's `objc_msgSend$sel` stubs) a message whose selector the stub loads.
//!
//! Register values are only trusted between an `ADRP` and its uses in straight-line code:
//! every other write of a register, every call (which clobbers x0–x18 and x30) and every
//! unconditional branch forgets them, so a stale page can never be combined with a later
//! offset. Missing a reference is possible (a page kept in a callee-saved register across a
//! call); inventing one is not.

mod arm64;

use arm64::{is_unconditional_branch, Registers, Step};
use rustc_hash::FxHashMap;

use super::bytes::uleb128;
use super::commands::{Image, Section};
use super::methods::MethodImp;
use super::objc::{Resolver, Target, CLASS_SYMBOL_PREFIX};
use super::symbols::Symbols;
use super::{CodeRef, CodeRefKind, CodeReferences, FunctionRefs};

const CPU_TYPE_ARM64: u32 = 0x0100_000c;
const S_NON_LAZY_SYMBOL_POINTERS: u32 = 0x6;
const S_LAZY_SYMBOL_POINTERS: u32 = 0x7;
const S_SYMBOL_STUBS: u32 = 0x8;

const INDIRECT_SYMBOL_LOCAL: u32 = 0x8000_0000;
const INDIRECT_SYMBOL_ABS: u32 = 0x4000_0000;
/// Instructions decoded from a stub to find what it loads.
const STUB_INSTRUCTIONS: u64 = 8;

/// What an address of the data sections stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Referent<'a> {
    Selector(&'a str),
    Class(&'a str),
    Symbol(&'a str),
}

/// The lookup tables one image needs for its references.
struct Tables<'a> {
    /// Slot address → what loading that slot means.
    slots: FxHashMap<u64, Referent<'a>>,
    /// Stub address → the import it calls (or the selector an `objc_msgSend$sel` stub sends).
    stubs: FxHashMap<u64, Referent<'a>>,
    /// `[lowest, highest]` key of `slots` and of `stubs`: most addresses code forms are
    /// rejected by this check without hashing.
    slot_bounds: (u64, u64),
    stub_bounds: (u64, u64),
}

impl<'a> Tables<'a> {
    fn slot(&self, addr: u64) -> Option<Referent<'a>> {
        if addr < self.slot_bounds.0 || addr > self.slot_bounds.1 {
            return None;
        }
        self.slots.get(&addr).copied()
    }

    fn stub(&self, addr: u64) -> Option<Referent<'a>> {
        if addr < self.stub_bounds.0 || addr > self.stub_bounds.1 {
            return None;
        }
        self.stubs.get(&addr).copied()
    }
}

/// `[min, max]` of the keys (`(1, 0)`, an empty range, when there are none).
fn bounds<V>(map: &FxHashMap<u64, V>) -> (u64, u64) {
    let min = map.keys().copied().min().unwrap_or(1);
    let max = map.keys().copied().max().unwrap_or(0);
    (min, max)
}

/// The references of every function of a linked arm64 (or arm64e) image; `None` for other
/// architectures, relocatable objects, encrypted code and images without `__text`.
pub(crate) fn read<'a>(
    image: &Image<'a>,
    symbols: &Symbols<'a>,
    methods: &[MethodImp<'a>],
) -> Option<CodeReferences> {
    if image.cputype != CPU_TYPE_ARM64
        || !image.is_64
        || !image.bytes.little_endian
        || image.filetype == Image::MH_OBJECT
        || image.encryption.is_some_and(|e| e.is_encrypted())
    {
        return None;
    }
    let text = image
        .sections
        .iter()
        .find(|s| s.segment == "__TEXT" && s.name == "__text" && s.has_contents)
        .copied()?;
    let mut resolver = Resolver::new(image, symbols);
    let tables = tables(image, symbols, &mut resolver);
    let functions = functions(image, symbols, methods, &text);
    Some(sweep(image, &text, &tables, &functions))
}

/// One function: where it starts, what it is called, and its class when it is a method.
struct Function<'a> {
    start: u64,
    name: FunctionName<'a>,
}

enum FunctionName<'a> {
    Method(&'a MethodImp<'a>),
    Symbol(&'a str),
    Unnamed,
}

fn functions<'m, 'a>(
    image: &Image<'a>,
    symbols: &Symbols<'a>,
    methods: &'m [MethodImp<'a>],
    text: &Section<'a>,
) -> Vec<Function<'m>>
where
    'a: 'm,
{
    let in_text = |a: u64| a >= text.addr && a - text.addr < text.size;
    let mut out: Vec<Function<'m>> = Vec::new();
    // On equal addresses the best name wins (see `rank`): a method entry names the class,
    // which a symbol may not.
    for m in methods.iter().filter(|m| in_text(m.imp)) {
        out.push(Function {
            start: m.imp,
            name: FunctionName::Method(m),
        });
    }
    if let Some(table) = symbols.table {
        for (start, name) in table.defined_in(text.addr, text.addr.saturating_add(text.size)) {
            out.push(Function {
                start,
                name: FunctionName::Symbol(name),
            });
        }
    }
    if let Some((offset, size)) = image.function_starts {
        let data = image.bytes.slice(offset, size).unwrap_or_default();
        let mut pos = 0usize;
        let mut addr = image.base_vmaddr;
        while let Some(delta) = uleb128(data, &mut pos) {
            if delta == 0 {
                break;
            }
            addr = addr.wrapping_add(delta);
            if in_text(addr) {
                out.push(Function {
                    start: addr,
                    name: FunctionName::Unnamed,
                });
            }
        }
    }
    out.sort_by_key(|f| f.start);
    out.dedup_by(|later, earlier| {
        if later.start != earlier.start {
            return false;
        }
        // Keep the better name: method > symbol > nothing.
        if rank(&later.name) > rank(&earlier.name) {
            std::mem::swap(&mut earlier.name, &mut later.name);
        }
        true
    });
    out
}

fn rank(name: &FunctionName<'_>) -> u8 {
    match name {
        FunctionName::Method(_) => 2,
        FunctionName::Symbol(_) => 1,
        FunctionName::Unnamed => 0,
    }
}

/// The entries of a section of `step`-byte items: (index, address). A hostile section can sit
/// at the very top of the address space: the entries stop where the address would overflow.
fn entries<'s>(s: &'s Section<'_>, step: u64) -> impl Iterator<Item = (u64, u64)> + 's {
    (0..s.size.checked_div(step).unwrap_or(0))
        .map_while(move |i| s.addr.checked_add(i.checked_mul(step)?).map(|a| (i, a)))
}

fn tables<'a>(image: &Image<'a>, symbols: &Symbols<'a>, r: &mut Resolver<'_, 'a>) -> Tables<'a> {
    let bound = super::binds::bound_slots(image);
    let mut slots = FxHashMap::default();
    for s in image.sections_named("__objc_selrefs") {
        for (_, slot) in entries(s, 8) {
            if let Some(Target::Addr(a)) = r.pointer(slot) {
                if let Some(name) = r.string(a) {
                    slots.insert(slot, Referent::Selector(name));
                }
            }
        }
    }
    for s in image.sections_named("__objc_classrefs") {
        for (_, slot) in entries(s, 8) {
            let name = match r.pointer(slot) {
                Some(Target::Symbol(s)) => s.strip_prefix(CLASS_SYMBOL_PREFIX),
                Some(Target::Addr(0)) | None => bound
                    .get(&slot)
                    .and_then(|s| s.strip_prefix(CLASS_SYMBOL_PREFIX)),
                Some(Target::Addr(a)) => r.class_name(a),
            };
            if let Some(name) = name {
                slots.insert(slot, Referent::Class(name));
            }
        }
    }
    let indirect = |index: u64| -> Option<&'a str> {
        let (offset, size) = image.indirect_symbols?;
        if index.checked_mul(4)? >= size {
            return None;
        }
        let value = image.bytes.u32(offset.checked_add(index * 4)?)?;
        if value & (INDIRECT_SYMBOL_LOCAL | INDIRECT_SYMBOL_ABS) != 0 {
            return None;
        }
        let sym = symbols.table?.get(u64::from(value))?;
        (!sym.name.is_empty()).then_some(sym.name)
    };
    let mut stubs = FxHashMap::default();
    let mut objc_stubs = Vec::new();
    for s in image.sections.iter().filter(|s| s.has_contents) {
        match s.flags & 0xff {
            S_NON_LAZY_SYMBOL_POINTERS | S_LAZY_SYMBOL_POINTERS => {
                for (i, slot) in entries(s, 8) {
                    let name = indirect(u64::from(s.reserved1) + i)
                        .or_else(|| match r.pointer(slot) {
                            Some(Target::Symbol(name)) => Some(name),
                            _ => None,
                        })
                        .or_else(|| bound.get(&slot).copied());
                    if let Some(name) = name {
                        slots.insert(slot, Referent::Symbol(name));
                    }
                }
            }
            S_SYMBOL_STUBS if s.reserved2 > 0 => {
                for (i, stub) in entries(s, u64::from(s.reserved2)) {
                    if let Some(name) = indirect(u64::from(s.reserved1) + i) {
                        stubs.insert(stub, Referent::Symbol(name));
                    }
                }
            }
            _ if s.name == "__objc_stubs" => {
                objc_stubs.push((s.addr, s.addr.saturating_add(s.size)))
            }
            _ => {}
        }
    }
    let mut tables = Tables {
        slot_bounds: bounds(&slots),
        stub_bounds: (1, 0),
        slots,
        stubs,
    };
    // Stubs the indirect table did not name (it is absent from some stripped images): decode
    // what each stub loads.
    for s in image.sections.iter().filter(|s| s.has_contents) {
        if s.flags & 0xff == S_SYMBOL_STUBS && s.reserved2 > 0 {
            for (_, at) in entries(s, u64::from(s.reserved2)) {
                if !tables.stubs.contains_key(&at) {
                    if let Some(found) = decode_stub(image, &tables, at) {
                        tables.stubs.insert(at, found);
                    }
                }
            }
        }
    }
    tables.stub_bounds = bounds(&tables.stubs);
    for &(start, end) in &objc_stubs {
        // Xcode's fast objc_msgSend stubs are 32 bytes, the small ones 12: try every word
        // boundary; a stub start is where a selector load begins.
        let mut at = start;
        while at < end {
            if let Some(Referent::Selector(sel)) = decode_stub(image, &tables, at) {
                tables.stubs.insert(at, Referent::Selector(sel));
            }
            let Some(next) = at.checked_add(4) else {
                break;
            };
            at = next;
        }
    }
    tables.stub_bounds = bounds(&tables.stubs);
    tables
}

/// The first selector or symbol slot that the few instructions at `addr` load.
fn decode_stub<'a>(image: &Image<'a>, tables: &Tables<'a>, addr: u64) -> Option<Referent<'a>> {
    let mut regs = Registers::default();
    for k in 0..STUB_INSTRUCTIONS {
        let pc = addr + k * 4;
        let (_, offset) = image.locate(pc, 4)?;
        let insn = image.bytes.u32(offset)?;
        if let Step::Address(a) = regs.step(pc, insn) {
            if let Some(found) = tables.slot(a) {
                return Some(found);
            }
        }
        if is_unconditional_branch(insn) {
            return None;
        }
    }
    None
}

/// What the sweep has gathered so far.
struct Collector<'a> {
    /// References of the current function.
    current: FxHashMap<Referent<'a>, u32>,
    names: Vec<String>,
    /// Names by where they lie in the image (each selector, class and symbol name is one
    /// string of the image, so its address identifies it without comparing bytes).
    index: FxHashMap<(usize, usize), u32>,
    functions: Vec<FunctionRefs>,
}

impl<'a> Collector<'a> {
    fn intern(&mut self, name: &'a str) -> u32 {
        let key = (name.as_ptr() as usize, name.len());
        let next = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        let i = *self.index.entry(key).or_insert(next);
        if i == next {
            self.names.push(name.to_string());
        }
        i
    }

    /// Ends the current function (`function`, or the code before the first known start).
    fn flush(&mut self, function: Option<&Function<'_>>, text_start: u64) {
        if self.current.is_empty() {
            return;
        }
        let address = function.map_or(text_start, |f| f.start);
        let (name, objc_class) = match function.map(|f| &f.name) {
            Some(FunctionName::Method(m)) => (
                format!(
                    "{}[{} {}]",
                    if m.class_method { '+' } else { '-' },
                    m.class,
                    m.selector
                ),
                Some(m.class.to_string()),
            ),
            Some(FunctionName::Symbol(s)) => (s.to_string(), objc_class_of_symbol(s)),
            Some(FunctionName::Unnamed) | None => (format!("sub_{address:x}"), None),
        };
        let mut current = std::mem::take(&mut self.current);
        let mut refs: Vec<CodeRef> = current
            .drain()
            .map(|(referent, sites)| {
                let (kind, name) = match referent {
                    Referent::Selector(n) => (CodeRefKind::Selector, n),
                    Referent::Class(n) => (CodeRefKind::Class, n),
                    Referent::Symbol(n) => (CodeRefKind::Symbol, n),
                };
                CodeRef {
                    kind,
                    name: self.intern(name),
                    sites,
                }
            })
            .collect();
        self.current = current;
        refs.sort_unstable();
        self.functions.push(FunctionRefs {
            address,
            name,
            objc_class,
            refs,
        });
    }
}

fn sweep<'a>(
    image: &Image<'a>,
    text: &Section<'a>,
    tables: &Tables<'a>,
    functions: &[Function<'_>],
) -> CodeReferences {
    let code = image.contents(text);
    let mut regs = Registers::default();
    let mut next = 0usize;
    let mut current: Option<usize> = None;
    let mut collector = Collector {
        current: FxHashMap::default(),
        names: Vec::new(),
        index: FxHashMap::default(),
        functions: Vec::new(),
    };
    let mut instructions = 0u64;
    for (i, word) in code.chunks_exact(4).enumerate() {
        // A section whose addresses run past the end of the address space is malformed: its
        // code stops there (found by fuzzing the static-library reader).
        let Some(pc) = (i as u64)
            .checked_mul(4)
            .and_then(|off| text.addr.checked_add(off))
        else {
            break;
        };
        if functions.get(next).is_some_and(|f| f.start <= pc) {
            collector.flush(current.and_then(|c| functions.get(c)), text.addr);
            while functions.get(next).is_some_and(|f| f.start <= pc) {
                next += 1;
            }
            current = Some(next - 1);
            regs.forget_all();
        }
        let insn = u32::from_le_bytes([word[0], word[1], word[2], word[3]]);
        instructions += 1;
        let referent = match regs.step(pc, insn) {
            Step::Address(a) => tables.slot(a),
            Step::Branch(target) => tables.stub(target),
            Step::Nothing => None,
        };
        if let Some(referent) = referent {
            *collector.current.entry(referent).or_default() += 1;
        }
    }
    collector.flush(current.and_then(|c| functions.get(c)), text.addr);
    CodeReferences {
        functions: collector.functions,
        names: collector.names,
        instructions,
    }
}

/// The class of an Objective-C method symbol: `-[AMapLocationManager start]` and
/// `+[Foo(Bar) baz]` → `AMapLocationManager`, `Foo`.
fn objc_class_of_symbol(symbol: &str) -> Option<String> {
    let rest = symbol
        .strip_prefix("-[")
        .or_else(|| symbol.strip_prefix("+["))?;
    let class = rest.split([' ', '(']).next()?;
    (!class.is_empty()).then(|| class.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_symbols_name_their_class() {
        assert_eq!(
            objc_class_of_symbol("-[AMapLocationManager start]").as_deref(),
            Some("AMapLocationManager")
        );
        assert_eq!(
            objc_class_of_symbol("+[Foo(Bar) baz]").as_deref(),
            Some("Foo")
        );
        assert_eq!(objc_class_of_symbol("_main"), None);
    }
}
