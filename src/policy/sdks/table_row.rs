//! One table row as an SDK row: its name, vendor, purpose, data and the id its name (or its
//! kind or package cell) resolves to.
//!
//! ```text
//! 功能类型 | 第三方名称 | …           a company in the name column: the SDK is the cell
//! 北京某某科技有限公司 | 某某推送SDK   that names one, the company its vendor
//! ```

use super::filters::{is_company_name, names_an_sdk};
use super::inline::data_in;
use super::platform_at;
use super::text::{clean, without_labels};
use crate::id::SdkId;
use crate::policy::resolve::resolve_lazy;
use crate::policy::tables::Row;
use crate::policy::vocab::{Hits, PolicyVocabulary};
use crate::policy::{DeclaredSdk, PolicyDocument, SdkForm};

/// The SDK row of one table row, or `None` when the row names no SDK (an empty name, a
/// company in the name column with no cell naming an SDK).
pub(in crate::policy) fn table_row(
    doc: &PolicyDocument,
    vocab: &PolicyVocabulary,
    hits: &Hits,
    markers: &[(usize, String)],
    row: &Row,
) -> Option<DeclaredSdk> {
    let raw_name = clean(doc, &row.name).unwrap_or_default();
    let mut name_text = without_labels(vocab, &raw_name);
    if name_text.is_empty() {
        return None;
    }
    let (mut vendor, mut purpose) = (row.vendor.clone(), row.purpose.clone());
    let generic = vocab
        .structure
        .is_generic(&crate::policy::normal::normalise_word(&name_text));
    if generic || is_company_name(vocab, &name_text) {
        // "功能类型 | 第三方名称": the name column holds companies (or "开源框架"); the SDK
        // is the describing cell that names one. A company alone is no SDK row; a generic
        // name stays (a package column may still name its SDK).
        let sdk = row
            .purpose
            .as_ref()
            .and_then(|r| clean(doc, r))
            .filter(|p| names_an_sdk(vocab, p));
        match sdk {
            Some(sdk) => {
                vendor = Some(row.name.clone());
                purpose = None;
                name_text = sdk;
            }
            None if generic => {}
            None => return None,
        }
    }
    let context_text = std::cell::OnceCell::new();
    let context = || {
        context_text
            .get_or_init(|| {
                crate::policy::normal::normalise_word(
                    doc.text.get(row.context.clone()).unwrap_or(""),
                )
            })
            .as_str()
    };
    let kind_id = || {
        let kind = row.kind.as_ref().and_then(|r| clean(doc, r))?;
        // A company cell names the vendor, not which of its products a row naming one is
        // ("北京火山引擎科技有限公司 | 流式语音识别SDK" is no 火山引擎 analytics row).
        let names_product = || {
            vocab
                .structure
                .has_sdk_word(&crate::policy::normal::normalise_word(&name_text))
        };
        if is_company_name(vocab, &kind) && names_product() {
            return None;
        }
        resolve_lazy(vocab, &kind, &context)
    };
    Some(DeclaredSdk {
        // A package column ("包名: com.amap.api") names the SDK of its own row.
        id: resolve_lazy(vocab, &name_text, &context)
            .or_else(|| resolve_lazy(vocab, &raw_name, &context))
            .or_else(kind_id)
            .or_else(|| vocab.sdk_id_for_package(context()).map(SdkId::from)),
        name: name_text,
        vendor: vendor.as_ref().and_then(|r| clean(doc, r)),
        platform: row
            .platform
            .clone()
            .or_else(|| platform_at(markers, row.name.start)),
        data: data_in(vocab, hits, &row.data),
        purpose: purpose.as_ref().and_then(|r| clean(doc, r)),
        form: SdkForm::Table,
        text: doc.span(row.extent.clone()),
        part_of: None,
    })
}
