//! The SDK id a name written in a policy resolves to: its alias in the SDK signatures, the
//! name outside its brackets, the name with an SDK word added, or a vendor name completed by
//! a category word of its row ("华为" in a push row → 华为推送), a package name it holds, or a
//! Latin name cut at a line break joined with the next word of its row ("Talking" + "data");
//! a generic product name whose vendor cell names a vendor with one SDK of that kind.
//!
//! ```text
//! 友盟+ U-Share SDK（含微信、QQ）   → the alias of the name outside the brackets
//! 华为  (row: 消息推送)              → huawei-push, by the category word of the row
//! Talking  (row: "Talking\ndata 公司全称…") → talkingdata, the wrapped name joined again
//! 号码认证SDK | 中移互联网有限公司    → cmic-auth, the vendor's one SDK named with 号码认证
//! ```

use super::sdks::outside_brackets;
use super::vocab::PolicyVocabulary;
use crate::id::SdkId;

/// The SDK id a row name resolves to; the row's context adds a category word when the name
/// alone is a vendor (`华为` in a push row → `华为推送`). Brackets often list the parts of an
/// SDK or a note, so the name outside them is tried first.
pub(super) fn resolve(vocab: &PolicyVocabulary, name: &str, context: &str) -> Option<SdkId> {
    resolve_lazy(vocab, name, &|| context)
}

/// [`resolve`] with the context made only when a vendor name needs it (most names resolve
/// on their own; a table row's normalised text is costly to make for every row).
pub(super) fn resolve_lazy<'c>(
    vocab: &PolicyVocabulary,
    name: &str,
    context: &dyn Fn() -> &'c str,
) -> Option<SdkId> {
    let tidy = super::prose::tidy_name(vocab, name);
    // "北京火山引擎科技有限公司 流式语音识别SDK": the company's alias names another product.
    let normal = super::normal::normalise_word(&tidy);
    if let Some(product) = vocab.structure.product_after_company(&normal) {
        return resolve_one(vocab, product, context);
    }
    outside_brackets(&tidy)
        .and_then(|bare| resolve_one(vocab, &bare, context))
        .or_else(|| resolve_one(vocab, &tidy, context))
        .or_else(|| vocab.sdk_id_for_package(name).map(SdkId::from))
        .or_else(|| resolve_wrapped(vocab, &normal, context()))
}

/// A Latin name cut at a line break of the source ("Talking" of "Talking\ndata", whose row
/// reads "talking data"): the name and the Latin word after it in the row's text, written
/// together or apart, when that is exactly an alias ("talkingdata").
fn resolve_wrapped(vocab: &PolicyVocabulary, name: &str, row: &str) -> Option<SdkId> {
    let latin = |c: char| c.is_ascii_alphanumeric();
    if name.is_empty() || !name.chars().all(latin) {
        return None;
    }
    row.match_indices(name).find_map(|(at, _)| {
        let before = row.get(..at).and_then(|t| t.chars().next_back());
        let rest = row.get(at + name.len()..)?;
        let next_start = rest.trim_start();
        if before.is_some_and(latin) || next_start.len() == rest.len() {
            return None;
        }
        let next: String = next_start.chars().take_while(|&c| latin(c)).collect();
        if next.is_empty() {
            return None;
        }
        [format!("{name}{next}"), format!("{name} {next}")]
            .into_iter()
            .find(|joined| vocab.sdk_alias_len(joined) == Some(joined.len()))
            .and_then(|joined| vocab.sdk_id_for(&joined).map(SdkId::from))
    })
}

fn resolve_one<'c>(
    vocab: &PolicyVocabulary,
    name: &str,
    context: &dyn Fn() -> &'c str,
) -> Option<SdkId> {
    let n = super::normal::normalise_word(name);
    if let Some(id) = vocab.sdk_id_for(&n) {
        return Some(SdkId::from(id));
    }
    let mut tries = vec![format!("{n}sdk"), format!("{n} sdk")];
    // "华为SDK" in a login row: the brand is the name without its SDK word.
    let bare = vocab
        .structure
        .bare_sdk_words()
        .iter()
        .find_map(|w| n.strip_suffix(w.as_str()))
        .map_or(n.as_str(), str::trim_end);
    let brand = vocab.structure.without_device_word(bare);
    if !brand.is_empty() {
        for word in vocab.structure.categories_in(context()) {
            tries.extend([format!("{brand}{word}"), format!("{brand} {word}")]);
        }
    }
    tries
        .iter()
        .find_map(|t| vocab.sdk_id_for(t).map(SdkId::from))
}

/// The SDK a generic product name stands for when its row's vendor cell names the vendor
/// ("号码认证SDK" | "中移互联网有限公司" → `cmic-auth`): the one SDK whose `vendor_zh` is the
/// vendor and whose name or an alias shares a two-character Chinese word with the row's name
/// (its SDK word left out) that other vendors' SDKs are named with too (a word of the SDK's
/// kind, not the vendor's brand: a store row "九游" stays as it is). `None` when no SDK or several of the vendor's SDKs qualify, or
/// when the vendor cell is too short to name one company.
pub(super) fn resolve_by_vendor(
    vocab: &PolicyVocabulary,
    name: &str,
    vendor: &str,
) -> Option<SdkId> {
    let vendor = super::normal::normalise_word(vendor);
    let name = super::normal::normalise_word(name);
    let core = vocab
        .structure
        .bare_sdk_words()
        .iter()
        .find_map(|w| name.strip_suffix(w.as_str()))
        .map_or(name.as_str(), str::trim_end);
    let chars: Vec<char> = core.chars().collect();
    let mut words: Vec<String> = chars
        .windows(2)
        .filter(|w| w.iter().all(|c| is_cjk(*c)))
        .map(|w| w.iter().collect())
        .collect();
    if words.is_empty() {
        return None;
    }
    let of_vendor =
        |sdk: &super::vocab::SdkInfo| sdk.vendors.iter().any(|v| same_company(v, &vendor));
    let named_with = |sdk: &super::vocab::SdkInfo, w: &str| sdk.names.iter().any(|a| a.contains(w));
    // A word of a kind of SDK (推送, 认证), not the vendor's brand (九游, 哔哩): other
    // vendors' SDKs are named with it too.
    words.retain(|w| vocab.sdks.iter().any(|s| !of_vendor(s) && named_with(s, w)));
    let mut found: Option<&SdkId> = None;
    for sdk in &vocab.sdks {
        let same_vendor = of_vendor(sdk);
        let shares_word = || words.iter().any(|w| named_with(sdk, w));
        if same_vendor && shares_word() {
            if found.is_some_and(|f| f != &sdk.id) {
                return None;
            }
            found = Some(&sdk.id);
        }
    }
    found.cloned()
}

/// Whether two normalised company names name one company: the shorter (at least four
/// characters) is written inside the longer ("每日互动" in "每日互动股份有限公司").
fn same_company(a: &str, b: &str) -> bool {
    let (short, long) = if a.chars().count() <= b.chars().count() {
        (a, b)
    } else {
        (b, a)
    };
    short.chars().count() >= 4 && long.contains(short)
}

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// Gives each row without an id the SDK its vendor cell and generic name resolve to
/// ([`resolve_by_vendor`]).
pub(super) fn ids_from_vendor_cells(vocab: &PolicyVocabulary, rows: &mut [super::DeclaredSdk]) {
    for row in rows.iter_mut().filter(|r| r.id.is_none()) {
        if let Some(vendor) = row.vendor.as_deref() {
            row.id = resolve_by_vendor(vocab, &row.name, vendor);
        }
    }
}
