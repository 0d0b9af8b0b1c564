//! One row naming several SDKs joined by a `[sdk_words] joiners` mark ("微信/QQ/微博分享",
//! "微信支付SDK/阿里支付SDK") becomes one row per SDK, when every part resolves to an SDK of
//! its own: alone, or with the tail the last part shares ("微信" + "分享"). Otherwise the
//! row stays as written.
//!
//! ```text
//! 微信/QQ/微博分享      → 微信分享 (wechat-opensdk), QQ分享 (qq-connect), 微博分享 (weibo-sdk)
//! 微信支付SDK/阿里支付SDK → 微信支付SDK, 阿里支付SDK
//! 个推/某某推送          → unchanged (某某推送 resolves to nothing)
//! ```

use super::super::vocab::PolicyVocabulary;
use super::super::DeclaredSdk;
use crate::id::SdkId;
use std::collections::HashSet;

/// Most parts one joined name is split into.
const MAX_PARTS: usize = 6;
/// Most characters one part has.
const MAX_PART_CHARS: usize = 24;

/// Replaces every row whose name joins several SDKs by one row per SDK.
pub(in crate::policy) fn split_joined_rows(vocab: &PolicyVocabulary, rows: &mut Vec<DeclaredSdk>) {
    let joiners = vocab.structure.name_joiners();
    if joiners.is_empty()
        || !rows
            .iter()
            .any(|r| r.name.chars().any(|c| is_joiner(joiners, c)))
    {
        return;
    }
    let mut out = Vec::with_capacity(rows.len());
    for row in rows.drain(..) {
        match split_name(vocab, joiners, &row.name) {
            Some(parts) => out.extend(parts.into_iter().map(|(name, id)| DeclaredSdk {
                name,
                id: Some(id),
                ..row.clone()
            })),
            None => out.push(row),
        }
    }
    *rows = out;
}

fn is_joiner(joiners: &[char], c: char) -> bool {
    joiners.contains(&c)
        || crate::policy::normal::normalise_word(c.encode_utf8(&mut [0; 4]))
            .chars()
            .next()
            .is_some_and(|n| joiners.contains(&n))
}

/// The (name, id) of each SDK a joined name names, or `None` when it names fewer than two
/// or some part resolves to nothing or to the id of another part.
fn split_name(
    vocab: &PolicyVocabulary,
    joiners: &[char],
    name: &str,
) -> Option<Vec<(String, SdkId)>> {
    if name.contains("://") {
        return None;
    }
    let parts: Vec<&str> = name
        .split(|c| is_joiner(joiners, c))
        .map(str::trim)
        .collect();
    let fits = |p: &&str| !p.is_empty() && p.chars().count() <= MAX_PART_CHARS;
    if parts.len() < 2 || parts.len() > MAX_PARTS || !parts.iter().all(fits) {
        return None;
    }
    let (last, heads) = parts.split_last()?;
    let resolve = |tail: &str| -> Option<Vec<(String, SdkId)>> {
        let mut named: Vec<(String, SdkId)> = Vec::with_capacity(parts.len());
        let mut ids: HashSet<SdkId> = HashSet::new();
        for head in heads {
            let n = format!("{head}{tail}");
            let id = SdkId::from(vocab.sdk_id_for(&n)?);
            ids.insert(id.clone()).then_some(())?;
            named.push((n, id));
        }
        let id = SdkId::from(vocab.sdk_id_for(last)?);
        ids.insert(id.clone()).then_some(())?;
        named.push(((*last).to_string(), id));
        Some(named)
    };
    if let Some(named) = resolve("") {
        return Some(named);
    }
    // The tail the last part shares: after a head of it that resolves on its own ("微博" of
    // "微博分享"), shortest head first.
    let cuts = last.char_indices().skip(1).map(|(i, _)| i);
    cuts.filter(|&i| last.get(..i).and_then(|h| vocab.sdk_id_for(h)).is_some())
        .find_map(|i| resolve(last.get(i..)?))
}
