//! Swift type names from the symbols of nominal type descriptors (`$s<module><type>…<kind>Mn`),
//! demangled only as far as plain identifiers go ("Module.Outer.Inner"). Names that use
//! substitutions, generics or private discriminators are skipped rather than guessed.

/// "Module.Type" for every nominal type descriptor symbol, sorted and de-duplicated.
pub(crate) fn type_names<'a>(symbols: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut names: Vec<String> = symbols.filter_map(descriptor_type_name).collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// Demangles `_$s5MyKit6PlayerC8SettingsVMn` to "MyKit.Player.Settings".
fn descriptor_type_name(symbol: &str) -> Option<String> {
    let mangled = symbol.strip_prefix('_').unwrap_or(symbol);
    let body = mangled
        .strip_prefix("$s")
        .or_else(|| mangled.strip_prefix("$S"))?
        .strip_suffix("Mn")?;
    let bytes = body.as_bytes();
    let mut pos = 0;
    let mut parts: Vec<&str> = Vec::new();
    while pos < bytes.len() {
        let digits = bytes
            .get(pos..)?
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if digits == 0 || bytes.get(pos) == Some(&b'0') {
            return None;
        }
        let len: usize = body.get(pos..pos + digits)?.parse().ok()?;
        pos += digits;
        let ident = body.get(pos..pos.checked_add(len)?)?;
        pos += len;
        parts.push(ident);
        // After the module, every identifier is followed by its kind: class, struct, enum
        // or protocol.
        if parts.len() > 1 {
            match bytes.get(pos) {
                Some(b'C' | b'V' | b'O' | b'P') => pos += 1,
                _ => return None,
            }
        }
    }
    (parts.len() >= 2).then(|| parts.join("."))
}

#[cfg(test)]
mod tests {
    use super::descriptor_type_name;

    #[test]
    fn demangles_plain_nominal_types_only() {
        assert_eq!(
            descriptor_type_name("_$s5MyKit6PlayerCMn").as_deref(),
            Some("MyKit.Player")
        );
        assert_eq!(
            descriptor_type_name("_$s5MyKit6PlayerC8SettingsVMn").as_deref(),
            Some("MyKit.Player.Settings")
        );
        assert_eq!(descriptor_type_name("_$s5MyKit6PlayerCN"), None);
        assert_eq!(
            descriptor_type_name("_$s5MyKit6Player33_0123456789abcdef0123456789abcdefLLCMn"),
            None
        );
        assert_eq!(descriptor_type_name("_$s99xMn"), None);
        assert_eq!(descriptor_type_name("_objc_msgSend"), None);
    }
}
