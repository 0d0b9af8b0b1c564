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

fn tables<'a>(image: &Image<'a>, symbols: &Symbols<'a>, r: &mut Resolver<'_, 'a>) -> Tables<'a> {
    let bound = super::binds::bound_slots(image);
    let mut slots = FxHashMap::default();
    for s in image.sections_named("__objc_selrefs") {
        for i in 0..s.size / 8 {
            let slot = s.addr + i * 8;
            if let Some(Target::Addr(a)) = r.pointer(slot) {
                if let Some(name) = r.string(a) {
                    slots.insert(slot, Referent::Selector(name));
                }
            }
        }
    }
    for s in image.sections_named("__objc_classrefs") {
        for i in 0..s.size / 8 {
            let slot = s.addr + i * 8;
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
        let value = image.bytes.u32(offset + index * 4)?;
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
                for i in 0..s.size / 8 {
                    let slot = s.addr + i * 8;
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
                let stub_size = u64::from(s.reserved2);
                for i in 0..s.size / stub_size {
                    if let Some(name) = indirect(u64::from(s.reserved1) + i) {
                        stubs.insert(s.addr + i * stub_size, Referent::Symbol(name));
                    }
                }
            }
            _ if s.name == "__objc_stubs" => objc_stubs.push((s.addr, s.addr + s.size)),
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
            let stub_size = u64::from(s.reserved2);
            for i in 0..s.size / stub_size {
                let at = s.addr + i * stub_size;
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
            at += 4;
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

/// Register tracking for `ADRP`-based address arithmetic.
#[derive(Default)]
struct Registers {
    /// Value of x0..x30, meaningful where `known` has the register's bit.
    x: [u64; 32],
    /// Bit r: x[r] is known.
    known: u32,
    /// Bit r: x[r] is an address already recorded as a reference.
    recorded: u32,
}

/// What one instruction did, as far as references go.
enum Step {
    /// Formed (`ADD`) or loaded from (`LDR`) this address.
    Address(u64),
    /// `BL`/`B` to this address.
    Branch(u64),
    Nothing,
}

fn sign_extend(value: u32, bits: u32) -> i64 {
    let shift = 64 - bits;
    (i64::from(value) << shift) >> shift
}

fn is_unconditional_branch(insn: u32) -> bool {
    insn & 0x7c00_0000 == 0x1400_0000 // B, BL
        || insn & 0xfe1f_fc1f == 0xd61f_0000 // BR, BLR, RET (and pointer-auth forms below)
        || insn & 0xfe9f_f800 == 0xd61f_0800 // BRAA/BRAB/BLRAA/BLRAB/RETAA/RETAB
}

impl Registers {
    fn forget(&mut self, reg: u32) {
        self.known &= !(1u32 << (reg & 31));
    }

    fn forget_all(&mut self) {
        self.known = 0;
    }

    fn get(&self, reg: u32) -> Option<(u64, bool)> {
        let bit = 1u32 << (reg & 31);
        (self.known & bit != 0).then(|| {
            (
                self.x.get(reg as usize).copied().unwrap_or(0),
                self.recorded & bit != 0,
            )
        })
    }

    fn set(&mut self, reg: u32, value: u64, recorded: bool) {
        // x31 is sp or xzr, never a tracked value.
        if reg < 31 {
            if let Some(slot) = self.x.get_mut(reg as usize) {
                *slot = value;
                let bit = 1u32 << reg;
                self.known |= bit;
                if recorded {
                    self.recorded |= bit;
                } else {
                    self.recorded &= !bit;
                }
            }
        }
    }

    /// Decodes one instruction at `pc`.
    fn step(&mut self, pc: u64, insn: u32) -> Step {
        let rd = insn & 31;
        let rn = (insn >> 5) & 31;
        // ADRP Xd, page
        if insn & 0x9f00_0000 == 0x9000_0000 {
            let imm = (((insn >> 5) & 0x7_ffff) << 2) | ((insn >> 29) & 3);
            let value = (pc & !0xfff).wrapping_add_signed(sign_extend(imm, 21) << 12);
            self.set(rd, value, false);
            return Step::Nothing;
        }
        // ADR Xd, label
        if insn & 0x9f00_0000 == 0x1000_0000 {
            let imm = (((insn >> 5) & 0x7_ffff) << 2) | ((insn >> 29) & 3);
            let value = pc.wrapping_add_signed(sign_extend(imm, 21));
            self.set(rd, value, true);
            return Step::Address(value);
        }
        // ADD Xd, Xn, #imm{, LSL #12}
        if insn & 0xff80_0000 == 0x9100_0000 {
            let mut imm = u64::from((insn >> 10) & 0xfff);
            if insn & (1 << 22) != 0 {
                imm <<= 12;
            }
            return match self.get(rn) {
                Some((base, _)) if rn != 31 => {
                    let value = base.wrapping_add(imm);
                    self.set(rd, value, true);
                    Step::Address(value)
                }
                _ => {
                    self.forget(rd);
                    Step::Nothing
                }
            };
        }
        // LDR Xt, [Xn, #imm] (unsigned offset, 64-bit)
        if insn & 0xffc0_0000 == 0xf940_0000 {
            let imm = u64::from((insn >> 10) & 0xfff) * 8;
            let base = if rn == 31 { None } else { self.get(rn) };
            self.forget(rd);
            return match base {
                // [Xn] right after an ADD that already recorded this address.
                Some((_, true)) if imm == 0 => Step::Nothing,
                Some((base, _)) => Step::Address(base.wrapping_add(imm)),
                None => Step::Nothing,
            };
        }
        // LDR Xt, label (literal, 64-bit)
        if insn & 0xff00_0000 == 0x5800_0000 {
            self.forget(rd);
            let offset = sign_extend((insn >> 5) & 0x7_ffff, 19) * 4;
            return Step::Address(pc.wrapping_add_signed(offset));
        }
        // BL / B
        if insn & 0x7c00_0000 == 0x1400_0000 {
            let target = pc.wrapping_add_signed(sign_extend(insn & 0x03ff_ffff, 26) * 4);
            if insn & 0x8000_0000 != 0 {
                self.forget_call_clobbered();
            } else {
                self.forget_all();
            }
            return Step::Branch(target);
        }
        if is_unconditional_branch(insn) {
            // BR/BLR/RET: after an indirect call the caller-saved registers are gone; after a
            // jump or return the next instruction is reached from elsewhere.
            if insn & 0x0020_0000 != 0 {
                self.forget_call_clobbered();
            } else {
                self.forget_all();
            }
            return Step::Nothing;
        }
        // Other branches (B.cond, CBZ, TBZ) only read; of the system instructions, MRS and SYSL
        // write Xt.
        if insn & 0x1c00_0000 == 0x1400_0000 {
            if insn & 0xffe0_0000 == 0xd520_0000 {
                self.forget(rd);
            }
            return Step::Nothing;
        }
        // Anything else: forget what it may write. Loads and stores name their data register
        // in bits 0-4 and a second one (pairs) in bits 10-14; writeback forms change the base.
        self.forget(rd);
        if insn & 0x0a00_0000 == 0x0800_0000 {
            if insn & 0x3a00_0000 == 0x2800_0000 {
                self.forget((insn >> 10) & 31);
                if (insn >> 23) & 1 == 1 {
                    self.forget(rn);
                }
            } else if insn & 0x3b20_0400 == 0x3800_0400 {
                self.forget(rn);
            }
        }
        Step::Nothing
    }

    fn forget_call_clobbered(&mut self) {
        // x0–x18 and x30.
        self.known &= !(0x0007_ffff | 1 << 30);
    }
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
        let pc = text.addr + i as u64 * 4;
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
    fn adrp_ldr_forms_the_slot_address() {
        let mut regs = Registers::default();
        // adrp x8, 4 ; ldr x1, [x8, #216]   (from the demo IPA, pc 0x100004010)
        assert!(matches!(
            regs.step(0x1_0000_4010, 0x9000_0028),
            Step::Nothing
        ));
        match regs.step(0x1_0000_4014, 0xf940_6d01) {
            Step::Address(a) => assert_eq!(a, 0x1_0000_80d8),
            _ => panic!("no address"),
        }
        // The loaded register holds an unknown value now.
        assert!(regs.get(1).is_none());
    }

    #[test]
    fn bl_decodes_its_target_and_clobbers_argument_registers() {
        let mut regs = Registers::default();
        regs.step(0x1_0000_4008, 0x9000_0028); // adrp x8
        regs.step(0x1_0000_4008, 0x9000_0020); // adrp x0
        match regs.step(0x1_0000_4018, 0x9400_00f4) {
            Step::Branch(t) => assert_eq!(t, 0x1_0000_43e8),
            _ => panic!("no branch"),
        }
        assert!(regs.get(0).is_none() && regs.get(8).is_none());
    }

    #[test]
    fn other_writes_forget_the_page() {
        let mut regs = Registers::default();
        regs.step(0x1000, 0x9000_0028); // adrp x8, ...
        regs.step(0x1004, 0xaa00_03e8); // mov x8, x0
        assert!(matches!(regs.step(0x1008, 0xf940_6d01), Step::Nothing));
    }

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
