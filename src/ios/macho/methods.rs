//! Objective-C method implementations: for every class of `__objc_classlist` (instance methods
//! from its `class_ro_t`, class methods from its metaclass's) and every category of
//! `__objc_catlist`, the address of each method's code with its class and selector. These
//! addresses are where the code of a class begins and ends, which is what lets a call site in a
//! binary that mixes the app with statically linked SDKs be attributed to one class.
//!
//! Both method-list encodings are read: pointer entries (`{name, types, imp}`) and the
//! relative entries newer linkers emit (`{int32 name, types, imp}` offsets; the name offset
//! points at a selector reference). Layouts follow Apple's objc4 `objc-runtime-new.h`.

use super::commands::Image;
use super::objc::{Resolver, Target};
use super::symbols::Symbols;

/// `method_list_t` flag: entries are 32-bit relative offsets.
const RELATIVE_METHODS: u32 = 0x8000_0000;
/// More methods than this in one list is not a real list.
const MAX_METHODS_PER_LIST: u64 = 1 << 16;

/// One method implementation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct MethodImp<'a> {
    /// Address of the first instruction.
    pub imp: u64,
    pub class: &'a str,
    pub selector: &'a str,
    /// `+` (class method) rather than `-`.
    pub class_method: bool,
}

/// Every method implementation of the image's classes and categories (linked images only; in
/// a relocatable object the method lists are not yet laid out at their final addresses).
pub(crate) fn read<'a>(image: &Image<'a>, symbols: &Symbols<'a>) -> Vec<MethodImp<'a>> {
    let mut r = Resolver::new(image, symbols);
    let ps = image.ptr_size();
    let mut out = Vec::new();
    for slot in r.slots("__objc_classlist") {
        let Target::Addr(class) = slot else { continue };
        let Some(name) = r.class_name(class) else {
            continue;
        };
        if let Some(methods) = ro_methods(&mut r, class) {
            method_list(&mut r, methods, name, false, &mut out);
        }
        // The metaclass (class_t.isa) holds the class methods.
        if let Some(Target::Addr(meta)) = r.pointer(class) {
            if let Some(methods) = ro_methods(&mut r, meta) {
                method_list(&mut r, methods, name, true, &mut out);
            }
        }
    }
    for slot in r.slots("__objc_catlist") {
        let Target::Addr(category) = slot else {
            continue;
        };
        let Some(class) = r.category_class(category) else {
            continue;
        };
        for (field, class_method) in [(2, false), (3, true)] {
            let Some(slot) = category.checked_add(field * ps) else {
                continue;
            };
            if let Some(Target::Addr(methods)) = r.pointer(slot) {
                if methods != 0 {
                    method_list(&mut r, methods, class, class_method, &mut out);
                }
            }
        }
    }
    out.sort_unstable_by_key(|m| m.imp);
    out.dedup_by_key(|m| m.imp);
    out
}

/// `class_ro_t.baseMethods` of the `class_t` at `class`.
fn ro_methods(r: &mut Resolver<'_, '_>, class: u64) -> Option<u64> {
    let image_is_64 = r.is_64();
    let ps = if image_is_64 { 8 } else { 4 };
    let Target::Addr(data) = r.pointer(class.checked_add(4 * ps)?)? else {
        return None;
    };
    let ro = data & if image_is_64 { !7 } else { !3 };
    let field = if image_is_64 { 32 } else { 20 };
    match r.pointer(ro.checked_add(field)?)? {
        Target::Addr(0) => None,
        Target::Addr(list) => Some(list),
        Target::Symbol(_) => None,
    }
}

fn method_list<'a>(
    r: &mut Resolver<'_, 'a>,
    list: u64,
    class: &'a str,
    class_method: bool,
    out: &mut Vec<MethodImp<'a>>,
) {
    // Addresses come from the file: arithmetic on them is checked (a list at the top of the
    // address space is not a list).
    let Some(first) = list.checked_add(8) else {
        return;
    };
    let (Some(flags), Some(count)) = (r.u32_at(list), r.u32_at(list + 4)) else {
        return;
    };
    let count = u64::from(count);
    let relative = flags & RELATIVE_METHODS != 0;
    let entsize = u64::from(flags & 0xfffc);
    let ps = if r.is_64() { 8 } else { 4 };
    let min_entsize = if relative { 12 } else { 3 * ps };
    if count > MAX_METHODS_PER_LIST
        || entsize < min_entsize
        || first.checked_add(count * entsize).is_none()
        || !r.is_mapped(first, count * entsize)
    {
        return;
    }
    for i in 0..count {
        let entry = first + i * entsize;
        let (selector, imp) = if relative {
            let (Some(name_off), Some(imp_off)) = (r.i32_at(entry), r.i32_at(entry + 8)) else {
                continue;
            };
            // The name offset leads to a selector reference, which points at the name.
            let selref = entry.wrapping_add_signed(i64::from(name_off));
            let selector = match r.pointer(selref) {
                Some(Target::Addr(a)) => r.string(a),
                _ => None,
            };
            (
                selector,
                (entry + 8).wrapping_add_signed(i64::from(imp_off)),
            )
        } else {
            let selector = match r.pointer(entry) {
                Some(Target::Addr(a)) => r.string(a),
                _ => None,
            };
            let imp = match r.pointer(entry + 2 * ps) {
                Some(Target::Addr(a)) => a,
                _ => 0,
            };
            (selector, imp)
        };
        if let (Some(selector), true) = (selector, imp != 0) {
            out.push(MethodImp {
                imp,
                class,
                selector,
                class_method,
            });
        }
    }
}
