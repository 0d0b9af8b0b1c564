//! The SDK id a name written in a policy resolves to: its alias in the SDK signatures, the
//! name outside its brackets, the name with an SDK word added, or a vendor name completed by
//! a category word of its row ("华为" in a push row → 华为推送), a package name's words, a
//! brand in brackets completed by its row's category, a package name it holds, or a Latin
//! name cut at a line break joined with the next word of its row ("Talking" + "data"); a
//! generic product name whose vendor cell or own sentence names a vendor with one SDK of
//! that kind.
//!
//! ```text
//! 友盟+ U-Share SDK（含微信、QQ）   → the alias of the name outside the brackets
//! 华为  (row: 消息推送)              → huawei-push, by the category word of the row
//! @react-native-firebase/analytics  → google-firebase-analytics ("firebase analytics")
//! Meta (Facebook) SDK (row: advertising) → facebook-ads ("facebook ads")
//! Talking  (row: "Talking\ndata 公司全称…") → talkingdata, the wrapped name joined again
//! 号码认证SDK | 中移互联网有限公司    → cmic-auth, the vendor's one SDK named with 号码认证
//! OCR识别SDK：…我行使用北京市商汤科技开发有限公司的… → sensetime, the vendor's one `auth` SDK
//! ```

use super::sdks::outside_brackets;
use super::vocab::{Hits, PolicyVocabulary};
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
    if let Some(id) = resolve_package_name(vocab, name.trim()) {
        return Some(id);
    }
    outside_brackets(&tidy)
        .and_then(|bare| resolve_one(vocab, &bare, context))
        .or_else(|| resolve_one(vocab, &tidy, context))
        .or_else(|| resolve_bracketed_brand(vocab, &normal, context))
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

/// A package name ("google_sign_in", "@react-native-firebase/analytics"): the words of the
/// package, without the leading words of its framework or scope, that are exactly an alias
/// ("google sign in", "firebase analytics"), the longest first. Only lower-case names joined
/// by `_`, `/` or `-` without blanks or dots are package names (a Java package is read by
/// [`PolicyVocabulary::sdk_id_for_package`]).
fn resolve_package_name(vocab: &PolicyVocabulary, name: &str) -> Option<SdkId> {
    // "`google_sign_in`": code markup around the package name.
    let name = name.trim_matches(|c| c == '`' || c == '*');
    let shaped = !name.is_empty()
        && name.is_ascii()
        && name.contains(['_', '/', '-'])
        && !name.contains('.')
        && !name
            .chars()
            .any(|c| c.is_whitespace() || c.is_ascii_uppercase());
    if !shaped {
        return None;
    }
    let words: Vec<&str> = name
        .trim_start_matches('@')
        .split(['_', '/', '-'])
        .filter(|w| !w.is_empty())
        .collect();
    (0..words.len().saturating_sub(1)).find_map(|from| {
        let joined = words.get(from..)?.join(" ");
        (vocab.sdk_alias_len(&joined) == Some(joined.len()))
            .then(|| vocab.sdk_id_for(&joined).map(SdkId::from))
            .flatten()
    })
}

/// A brand written in brackets after another name of the same maker ("Meta (Facebook) SDK"
/// in an ad row): the bracketed Latin brand completed by a category word of the row
/// ("facebook ads"). The bracket must hold one or two Latin words only, so a list of parts
/// ("某某SDK（含微信、QQ）") never names the row.
fn resolve_bracketed_brand<'c>(
    vocab: &PolicyVocabulary,
    normal: &str,
    context: &dyn Fn() -> &'c str,
) -> Option<SdkId> {
    let open = normal.find('(')?;
    let inner = normal.get(open + 1..)?;
    let inner = inner.get(..inner.find(')')?)?.trim();
    let words = inner.split(' ').filter(|w| !w.is_empty()).count();
    if !(1..=2).contains(&words) || !inner.chars().all(|c| c.is_ascii_alphabetic() || c == ' ') {
        return None;
    }
    vocab
        .structure
        .categories_in(context())
        .flat_map(|word| [format!("{inner}{word}"), format!("{inner} {word}")])
        .find(|t| vocab.sdk_alias_len(t) == Some(t.len()))
        .and_then(|t| vocab.sdk_id_for(&t).map(SdkId::from))
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
/// ("号码认证SDK" | "中移互联网有限公司" → `cmic-auth`, "HTTPDNS-android" | "阿里云计算有限公司"
/// → `aliyun-httpdns`): an SDK whose `vendor_zh` is the vendor and whose name or an alias
/// holds a kind word of the row's name: a two-character Chinese word or a Latin word (its SDK
/// and platform words left out) that other vendors' SDKs are named with too ("认证", "推送",
/// "httpdns": a word of the SDK's kind, not the vendor's brand, so a store row "九游" stays as
/// it is; a word of the vendor cell is its brand). When several of the vendor's SDKs qualify,
/// the one sharing the most kind words of the name, then category words of the row's purpose,
/// wins; when none does, the vendor's one SDK of the category that other vendors' SDKs named
/// with those words have; a tie or no SDK gives `None`, and so does a vendor cell too short
/// to name one company.
pub(super) fn resolve_by_vendor(
    vocab: &PolicyVocabulary,
    name: &str,
    vendor: &str,
    purpose: Option<&str>,
) -> Option<SdkId> {
    let vendor = super::normal::normalise_word(vendor);
    let name = super::normal::normalise_word(name);
    let core = vocab
        .structure
        .bare_sdk_words()
        .iter()
        .find_map(|w| name.strip_suffix(w.as_str()))
        .map_or(name.as_str(), str::trim_end);
    let of_vendor =
        |sdk: &super::vocab::SdkInfo| sdk.vendors.iter().any(|v| same_company(v, &vendor));
    // A word of a kind of SDK (推送, 认证), not the vendor's brand (九游, 哔哩): other
    // vendors' SDKs are named with it too.
    let kind_words = |text: &str| -> Vec<String> {
        let mut words = candidate_words(vocab, text);
        words.retain(|w| vocab.sdks.iter().any(|s| !of_vendor(s) && named_with(s, w)));
        words
    };
    // "阿里云对象存储SDK" | "阿里云计算有限公司": the vendor's own name is its brand.
    let mut words = kind_words(core);
    words.retain(|w| !vendor.contains(w.as_str()));
    if words.is_empty() || !kind_words_cover(core, &words, &vendor) {
        return None;
    }
    // The purpose picks only by its category words ("推送", "广告"), not by any word.
    let purpose_words: Vec<String> = purpose
        .map(|p| {
            let p = super::normal::normalise_word(p);
            vocab
                .structure
                .categories_in(&p)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let shared = |sdk: &super::vocab::SdkInfo, ws: &[String]| {
        ws.iter().filter(|w| named_with(sdk, w)).count()
    };
    let mut scored: Vec<(&SdkId, (usize, usize))> = vocab
        .sdks
        .iter()
        .filter(|sdk| of_vendor(sdk))
        .map(|sdk| (&sdk.id, (shared(sdk, &words), shared(sdk, &purpose_words))))
        .filter(|(_, (by_name, _))| *by_name > 0)
        .collect();
    if scored.is_empty() {
        // "OCR识别SDK" | 商汤: no SDK of the vendor is named with the words, but one is of
        // the category that other vendors' SDKs named with them have.
        let categories: Vec<&str> = vocab
            .sdks
            .iter()
            .filter(|s| !of_vendor(s) && words.iter().any(|w| named_with(s, w)))
            .map(|s| s.category.as_str())
            .collect();
        scored = vocab
            .sdks
            .iter()
            .filter(|sdk| of_vendor(sdk) && categories.contains(&sdk.category.as_str()))
            .map(|sdk| (&sdk.id, (0, shared(sdk, &purpose_words))))
            .collect();
    }
    let best = scored.iter().map(|(_, score)| *score).max()?;
    let mut top = scored.iter().filter(|(_, score)| *score == best);
    let (id, _) = top.next()?;
    top.all(|(other, _)| other == id).then(|| (*id).clone())
}

/// Whether every Chinese character of the name's core outside the vendor's own name is part
/// of one of its kind words: "风险识别" holds the kind word 识别, but 风险 names a kind no SDK
/// file has, so the name is not the vendor's 识别 SDK.
fn kind_words_cover(core: &str, words: &[String], vendor: &str) -> bool {
    let chars: Vec<char> = core.chars().collect();
    let mut covered = vec![false; chars.len()];
    for (i, pair) in chars.windows(2).enumerate() {
        let word: String = pair.iter().collect();
        if words.contains(&word) {
            covered.iter_mut().skip(i).take(2).for_each(|c| *c = true);
        }
    }
    chars
        .iter()
        .zip(&covered)
        .all(|(c, done)| *done || !is_cjk(*c) || vendor.contains(*c))
}

/// The words of a normalised name or purpose that may name a kind of SDK: its
/// two-character Chinese words and its Latin words of three letters or more that are not a
/// platform ("android") or an SDK word.
fn candidate_words(vocab: &PolicyVocabulary, text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut words: Vec<String> = chars
        .windows(2)
        .filter(|w| w.iter().all(|c| is_cjk(*c)))
        .map(|w| w.iter().collect())
        .collect();
    let st = &vocab.structure;
    words.extend(
        text.split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| w.len() >= 3 && w.chars().any(|c| c.is_ascii_alphabetic()))
            .filter(|w| st.platform_of(w).is_none() && !st.sdk_words().iter().any(|s| s == w))
            .map(str::to_string),
    );
    words.sort_unstable();
    words.dedup();
    words
}

/// Whether one of the SDK's names holds the word: a Chinese word anywhere, a Latin word as
/// a whole word ("oss" in "阿里云oss", not in "boss").
fn named_with(sdk: &super::vocab::SdkInfo, word: &str) -> bool {
    if word.is_ascii() {
        sdk.names
            .iter()
            .any(|a| crate::policy::lang::structure::contains_word(a, word))
    } else {
        sdk.names.iter().any(|a| a.contains(word))
    }
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

/// Gives each row without an id the SDK its vendor and generic name resolve to
/// ([`resolve_by_vendor`]): the vendor of its vendor cell, or else the one company that the
/// SDKs named in its own text share ("8）OCR识别SDK：…我行使用北京市商汤科技开发有限公司的
/// OCR识别SDK…" names 商汤, an alias of SenseTime's SDK).
pub(super) fn ids_from_vendor_cells(
    doc: &super::PolicyDocument,
    vocab: &PolicyVocabulary,
    hits: &Hits,
    rows: &mut [super::DeclaredSdk],
) {
    for row in rows.iter_mut().filter(|r| r.id.is_none()) {
        let vendor = match row.vendor.as_deref() {
            Some(v) => Some(v.to_string()),
            None => vendor_in_text(doc, vocab, hits, row),
        };
        if let Some(vendor) = vendor {
            row.id = resolve_by_vendor(vocab, &row.name, &vendor, row.purpose.as_deref());
        }
    }
}

/// Whether the normalised text right after a name continues it into a company's name within
/// its clause (at most 16 characters, up to a company word such as "有限公司" or "公司").
fn company_follows(vocab: &PolicyVocabulary, after: &str) -> bool {
    let clause: String = after
        .chars()
        .take_while(|c| {
            !matches!(
                c,
                '，' | '。' | '；' | '：' | '、' | ',' | ';' | ':' | '(' | ')' | '\n'
            )
        })
        .take(16)
        .collect();
    clause
        .char_indices()
        .map(|(i, c)| i + c.len_utf8())
        .any(|end| {
            clause
                .get(..end)
                .is_some_and(|p| vocab.structure.is_company(p))
        })
}

/// The company every SDK named in the row's text is made by (the first `vendor_zh` of the
/// first one, which the others share), or `None` when the text names no SDK, an SDK
/// without a Chinese vendor name, or SDKs of several companies.
fn vendor_in_text(
    doc: &super::PolicyDocument,
    vocab: &PolicyVocabulary,
    hits: &Hits,
    row: &super::DeclaredSdk,
) -> Option<String> {
    let first = hits
        .sdks
        .partition_point(|h| h.original.start < row.text.start);
    let text = doc.normal.text.as_str();
    let mut company: Option<&str> = None;
    for h in hits.sdks.get(first..)? {
        if h.original.start >= row.text.end {
            break;
        }
        // Only a name inside a company's name ("北京市商汤科技开发有限公司的", "科大讯飞公司的")
        // names the maker; other SDKs of the sentence are its siblings ("腾讯P2P、七牛PCDN").
        let after = text.get(h.normal.end..).unwrap_or("");
        if !company_follows(vocab, after) {
            continue;
        }
        let vendors = &vocab.sdks.get(h.index)?.vendors;
        match company {
            None => company = Some(vendors.first()?.as_str()),
            Some(c) if !vendors.iter().any(|v| same_company(v, c)) => return None,
            Some(_) => {}
        }
    }
    company.map(str::to_string)
}
