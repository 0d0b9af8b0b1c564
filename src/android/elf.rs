//! Native libraries (`lib/<abi>/*.so`): ABI, soname, needed libraries, exported dynamic
//! symbols, and the Java packages named by JNI exports (`Java_com_sina_deviceidjnisdk_…`
//! names `com.sina.deviceidjnisdk`). Parsing is done by goblin after the header's table
//! offsets and counts have been checked against the data, so a hostile header is an
//! [`ElfError`] rather than a large allocation.
//!
//! ```
//! use disclose::android::elf::{jni_class, parse_native_lib};
//! assert_eq!(
//!     jni_class("Java_com_sina_weibo_1sdk_Net_calc__Ljava_lang_String_2").as_deref(),
//!     Some("com.sina.weibo_sdk.Net")
//! );
//! assert!(parse_native_lib("lib/x86/libjunk.so", b"not an ELF file").is_err());
//! ```

use std::collections::BTreeSet;

use goblin::elf::header::{self, Header};
use goblin::elf::sym::{STT_FILE, STT_SECTION};
use goblin::elf::Elf;
use serde::Serialize;

/// Why a native library could not be read. `Display` is one line naming the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ElfError {
    #[error("{path}: not an ELF file")]
    NotElf { path: String },
    #[error("{path}: {what} (offset {offset}, {size} bytes) lies outside the {len}-byte file")]
    OutOfBounds {
        path: String,
        what: &'static str,
        offset: u64,
        size: u64,
        len: usize,
    },
    #[error("{path}: malformed ELF: {message}")]
    Malformed { path: String, message: String },
}

/// What a native library tells about the app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NativeLib {
    /// Path inside the archive (`lib/arm64-v8a/libfoo.so`).
    pub path: String,
    /// Android ABI: from the `lib/<abi>/` directory, else derived from the ELF machine.
    pub abi: String,
    /// ELF machine name as goblin spells it (`AARCH64`, `ARM`, `X86_64` …).
    pub machine: String,
    pub soname: Option<String>,
    /// `DT_NEEDED` libraries, in order.
    pub needed: Vec<String>,
    /// Defined dynamic symbols (what `llvm-nm -D --defined-only` lists), sorted, unique.
    pub exports: Vec<String>,
    /// Java classes named by `Java_…` exports, sorted, unique.
    pub jni_classes: Vec<String>,
    /// Java packages of those classes, sorted, unique.
    pub jni_packages: Vec<String>,
}

/// Reads a native library. `path` is only used for the ABI and in messages.
pub fn parse_native_lib(path: &str, bytes: &[u8]) -> Result<NativeLib, ElfError> {
    let malformed = |e: goblin::error::Error| ElfError::Malformed {
        path: path.to_string(),
        message: e.to_string().replace('\n', " "),
    };
    if bytes.get(..4) != Some(b"\x7fELF".as_slice()) {
        return Err(ElfError::NotElf {
            path: path.to_string(),
        });
    }
    let head = Elf::parse_header(bytes).map_err(malformed)?;
    check_tables(path, &head, bytes.len())?;
    let elf = Elf::parse(bytes).map_err(malformed)?;

    let mut exports = BTreeSet::new();
    for sym in elf.dynsyms.iter() {
        let kind = sym.st_type();
        if sym.st_shndx == 0 || kind == STT_SECTION || kind == STT_FILE {
            continue;
        }
        if let Some(name) = elf.dynstrtab.get_at(sym.st_name).filter(|n| !n.is_empty()) {
            exports.insert(name);
        }
    }
    let jni_classes: BTreeSet<String> = exports.iter().filter_map(|s| jni_class(s)).collect();
    let jni_packages: BTreeSet<String> = jni_classes
        .iter()
        .filter_map(|c| c.rsplit_once('.').map(|(pkg, _)| pkg.to_string()))
        .collect();
    Ok(NativeLib {
        path: path.to_string(),
        abi: abi_from_path(path)
            .map(str::to_string)
            .unwrap_or_else(|| abi_from_machine(head.e_machine, elf.is_64).to_string()),
        machine: header::machine_to_str(head.e_machine).to_string(),
        soname: elf.soname.map(str::to_string),
        needed: elf.libraries.iter().map(|s| s.to_string()).collect(),
        exports: exports.into_iter().map(str::to_string).collect(),
        jni_classes: jni_classes.into_iter().collect(),
        jni_packages: jni_packages.into_iter().collect(),
    })
}

/// Checks that the program and section header tables lie inside the data and that every
/// section's contents do too, before goblin sizes anything from them.
fn check_tables(path: &str, h: &Header, len: usize) -> Result<(), ElfError> {
    let table = |what, offset: u64, count: u16, entsize: u16| {
        let size = u64::from(count) * u64::from(entsize);
        if count > 0 && offset.checked_add(size).is_none_or(|end| end > len as u64) {
            Err(ElfError::OutOfBounds {
                path: path.to_string(),
                what,
                offset,
                size,
                len,
            })
        } else {
            Ok(())
        }
    };
    table("program header table", h.e_phoff, h.e_phnum, h.e_phentsize)?;
    table("section header table", h.e_shoff, h.e_shnum, h.e_shentsize)
}

/// The ABI directory of `lib/<abi>/name.so`.
fn abi_from_path(path: &str) -> Option<&str> {
    let mut parts = path.rsplit('/');
    parts.next()?;
    let abi = parts.next()?;
    // `lib`, or `split.apk!lib` for an entry of a split APK.
    let lib = parts.next()?;
    (lib == "lib" || lib.ends_with("!lib")).then_some(abi)
}

/// The Android ABI name for an ELF machine.
fn abi_from_machine(machine: u16, is_64: bool) -> &'static str {
    match machine {
        header::EM_AARCH64 => "arm64-v8a",
        header::EM_ARM => "armeabi-v7a",
        header::EM_386 => "x86",
        header::EM_X86_64 => "x86_64",
        header::EM_MIPS if is_64 => "mips64",
        header::EM_MIPS => "mips",
        header::EM_RISCV => "riscv64",
        _ => "unknown",
    }
}

/// The Java class named by a JNI export, demangled per the JNI specification ("Resolving
/// Native Method Names"): `_1` is `_`, `_2` is `;`, `_3` is `[`, `_0xxxx` is a UTF-16 unit,
/// a lone `_` separates names, and `__` starts the argument signature of an overloaded method.
/// `None` when the symbol is not a `Java_` export or names no class.
pub fn jni_class(symbol: &str) -> Option<String> {
    let mangled = symbol.strip_prefix("Java_")?;
    let mut parts: Vec<String> = vec![String::new()];
    let mut units = Vec::new();
    let mut chars = mangled.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '_' {
            parts.last_mut()?.push(c);
            continue;
        }
        match chars.peek().copied() {
            Some('1') => {
                chars.next();
                parts.last_mut()?.push('_');
            }
            Some('2') => {
                chars.next();
                parts.last_mut()?.push(';');
            }
            Some('3') => {
                chars.next();
                parts.last_mut()?.push('[');
            }
            Some('0') => {
                chars.next();
                let hex: String = (0..4).filter_map(|_| chars.next()).collect();
                units.clear();
                units.push(u16::from_str_radix(&hex, 16).ok()?);
                // A surrogate pair arrives as two `_0xxxx` escapes.
                if (0xd800..0xdc00).contains(&units[0]) {
                    let rest: String = chars.clone().take(6).collect();
                    if let Some(low) = rest
                        .strip_prefix("_0")
                        .and_then(|h| u16::from_str_radix(h, 16).ok())
                    {
                        units.push(low);
                        for _ in 0..6 {
                            chars.next();
                        }
                    }
                }
                for decoded in char::decode_utf16(units.iter().copied()) {
                    parts.last_mut()?.push(decoded.unwrap_or('\u{fffd}'));
                }
            }
            // `__`: the rest is the overload signature.
            Some('_') => break,
            _ => parts.push(String::new()),
        }
    }
    // parts = package components…, class, method
    parts.pop()?;
    if parts.is_empty() || parts.iter().any(String::is_empty) {
        return None;
    }
    Some(parts.join("."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jni_names_demangle() {
        assert_eq!(
            jni_class("Java_com_sina_deviceidjnisdk_DeviceId_getDeviceIdNative").as_deref(),
            Some("com.sina.deviceidjnisdk.DeviceId")
        );
        assert_eq!(
            jni_class("Java_p_Cl_000e9s_m").as_deref(),
            Some("p.Cl\u{e9}s")
        );
        assert_eq!(jni_class("Java_Main_run").as_deref(), Some("Main"));
        assert_eq!(jni_class("Java_run"), None);
        assert_eq!(jni_class("JNI_OnLoad"), None);
        assert_eq!(jni_class("Java_a__b"), None);
    }

    #[test]
    fn abi_comes_from_the_lib_directory() {
        assert_eq!(abi_from_path("lib/arm64-v8a/libx.so"), Some("arm64-v8a"));
        assert_eq!(abi_from_path("assets/libx.so"), None);
        assert_eq!(abi_from_machine(header::EM_MIPS, true), "mips64");
    }
}
