//! The final filter on SDK rows: names that are only a company, data items, generic
//! mentions, APIs and apps, bare definitions of the word SDK or the policy's own scope are
//! not third-party SDKs.
//!
//! ```text
//! "北京某某科技有限公司"               → a company, no row of its own
//! "网卡（MAC)地址"                    → a data item read as a name, no row
//! "软件开发工具包（缩写：SDK）"         → a definition of the word, no row
//! "快递物流服务提供商"                 → a kind of party, no row
//! ```

use super::text::outside_brackets;
use crate::policy::vocab::PolicyVocabulary;
use crate::policy::{DeclaredSdk, SdkForm};

/// Whether a row without an id is a data item, a generic mention, an API or app, a kind of
/// party ("第三方支付机构"), a bare definition of the word SDK ("软件开发工具包（缩写：SDK）")
/// or the service's own SDK named in a sentence about what the policy covers, not a
/// third-party SDK.
pub(in crate::policy) fn not_an_sdk(vocab: &PolicyVocabulary, sdk: &DeclaredSdk) -> bool {
    let st = &vocab.structure;
    let n = crate::policy::normal::normalise_word(&sdk.name);
    let bare = outside_brackets(&n).unwrap_or_else(|| n.clone());
    let only_sdk_word = st.sdk_words().iter().any(|w| bare.trim() == w.trim());
    let scope = sdk.form == SdkForm::Inline
        && st.is_scope(&crate::policy::normal::normalise_word(&sdk.text.quote));
    names_data_item(vocab, &sdk.name)
        || generic_mention(vocab, sdk)
        || st.is_other_kind(&n)
        || st.is_party(&n)
        || only_sdk_word
        || scope
}

/// Whether a name is only a company: "北京某某科技有限公司", not "高德（高德软件有限公司）" (an
/// SDK with its company in brackets) nor a line that goes on with a field ("某某 公司全称：…").
pub(in crate::policy) fn is_company_name(vocab: &PolicyVocabulary, name: &str) -> bool {
    let bare = outside_brackets(name).unwrap_or_else(|| name.to_string());
    !name.contains([':', '：']) && vocab.structure.is_company(&bare)
}

/// Whether a cell names an SDK: short, with an SDK word or mostly a known alias.
pub(in crate::policy) fn names_an_sdk(vocab: &PolicyVocabulary, cell: &str) -> bool {
    let n = crate::policy::normal::normalise_word(cell);
    n.chars().count() <= 40
        && (vocab.structure.has_sdk_word(&n) || crate::policy::prose::alias_covers(vocab, &n))
}

/// Whether a name without an SDK word is mostly data-type words ("网卡（MAC)地址", "sim卡信息"):
/// an item of a data list read as a name, not an SDK.
fn names_data_item(vocab: &PolicyVocabulary, name: &str) -> bool {
    let n = crate::policy::normal::normalise_word(name);
    if n.is_empty() || vocab.structure.has_sdk_word(&n) {
        return false;
    }
    if vocab.structure.is_data_item(&n) {
        return true;
    }
    let mut seen = vec![false; n.len()];
    for (_, r) in vocab.type_hits_in(&n) {
        if let Some(s) = seen.get_mut(r) {
            s.iter_mut().for_each(|b| *b = true);
        }
    }
    let (mut letters, mut typed) = (0usize, 0usize);
    for (i, _) in n.char_indices().filter(|(_, c)| c.is_alphanumeric()) {
        letters += 1;
        typed += usize::from(seen.get(i).copied().unwrap_or(false));
    }
    letters > 0 && typed * 2 >= letters
}

/// Whether a mention in running text is only category and determiner words outside its
/// brackets ("软件工具开发包（点击查看SDK详情）"): no SDK of its own. (A name without brackets
/// was already judged where it was read: generic words in running text give no row, a
/// generic list head such as "（3）推送SDK：" is kept.)
fn generic_mention(vocab: &PolicyVocabulary, sdk: &DeclaredSdk) -> bool {
    if sdk.form != SdkForm::Inline {
        return false;
    }
    let st = &vocab.structure;
    let Some(bare) = outside_brackets(&sdk.name) else {
        return false;
    };
    let n = crate::policy::normal::normalise_word(&bare);
    let core = st
        .sdk_words()
        .iter()
        .find_map(|w| n.strip_suffix(w.trim()))
        .unwrap_or(&n);
    st.is_generic(core)
}
