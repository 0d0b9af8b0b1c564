//! Labelled SDK blocks: `SDK名称：… 个人信息种类：… SDK主体：… 使用目的：…`, `第三方名称：…`,
//! `运营方：…` and the English `SDK name: … Type of personal information: …` — on separate
//! lines or all on one line — and headed lists (a short SDK line followed by such fields).

use regex::Regex;
use std::ops::Range;
use std::sync::OnceLock;

/// What a field label introduces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Field {
    Name,
    Data,
    Vendor,
    Purpose,
    Other,
}

const NAME: &[&str] = &[
    "第三方sdk名称",
    "sdk名称",
    "第三方名称",
    "插件名称",
    "合作方名称",
    "第三方服务名称",
    "第三方服务商名称",
    "sdk name",
    "name of sdk",
    "third party name",
    "third-party name",
    "name of third party",
    "sdk名字",
];
const DATA: &[&str] = &[
    "个人信息种类",
    "个人信息类型",
    "个人信息字段",
    "收集个人信息类型",
    "收集个人信息的类型",
    "收集的个人信息类型",
    "收集的个人信息种类",
    "收集的个人信息范围",
    "收集的个人信息",
    "收集个人信息",
    "收集信息类型",
    "收集信息范围",
    "收集信息",
    "收集的信息",
    "涉及个人信息",
    "涉及的个人信息",
    "使用的个人信息",
    "处理的个人信息",
    "处理个人信息类型",
    "共享的个人信息",
    "共享个人信息",
    "共享信息",
    "收集数据类型",
    "收集的数据",
    "数据类型",
    "信息类型",
    "获取的信息",
    "personal information types",
    "personal information type",
    "personal information categories",
    "personal information category",
    "personal information collected",
    "types of personal information",
    "type of personal information",
    "categories of personal information",
    "information collected",
    "data collected",
    "collected personal information",
    "collected information",
    "types of data",
    "type of data",
];
const VENDOR: &[&str] = &[
    "sdk主体",
    "sdk提供方",
    "sdk开发者",
    "sdk运营方",
    "sdk公司名称",
    "sdk提供商",
    "第三方主体",
    "第三方公司名称",
    "运营方",
    "运营主体",
    "开发者",
    "提供方",
    "公司名称",
    "所属公司",
    "第三方公司",
    "服务提供商",
    "sdk provider",
    "sdk entity",
    "sdk developer",
    "sdk operator",
    "provider",
    "operator",
    "company name",
    "developer",
];
const PURPOSE: &[&str] = &[
    "使用目的",
    "收集目的",
    "使用用途",
    "sdk用途",
    "用途",
    "目的",
    "功能描述",
    "sdk功能",
    "功能",
    "purpose of use",
    "purposes of use",
    "purpose of collection",
    "purpose of processing",
    "purpose",
    "purposes",
];
const OTHER: &[&str] = &[
    "使用场景",
    "收集方式",
    "共享方式",
    "sdk隐私政策",
    "隐私政策链接",
    "隐私政策地址",
    "隐私政策",
    "sdk官网",
    "官网链接",
    "官网地址",
    "官网",
    "网址",
    "链接",
    "申请权限",
    "涉及权限",
    "使用权限",
    "调用权限",
    "所需权限",
    "权限",
    "usage scenarios",
    "usage scenario",
    "collection method",
    "sdk privacy policy",
    "privacy policy link",
    "privacy policy",
    "sdk official website",
    "official website",
    "website",
    "permissions",
    "permission",
];

fn label_regex() -> &'static (Regex, Vec<(String, Field)>) {
    static RE: OnceLock<(Regex, Vec<(String, Field)>)> = OnceLock::new();
    RE.get_or_init(|| {
        let mut labels: Vec<(String, Field)> = Vec::new();
        for (list, field) in [
            (NAME, Field::Name),
            (DATA, Field::Data),
            (VENDOR, Field::Vendor),
            (PURPOSE, Field::Purpose),
            (OTHER, Field::Other),
        ] {
            labels.extend(list.iter().map(|l| (l.to_string(), field)));
        }
        labels.sort_by_key(|l| std::cmp::Reverse(l.0.len()));
        let alternation: Vec<String> = labels.iter().map(|(l, _)| regex::escape(l)).collect();
        let pattern = format!(r"(?:{}) ?:", alternation.join("|"));
        let re = Regex::new(&pattern).expect("constant regex compiles");
        (re, labels)
    })
}

/// Classifies a label word (normalised, colon stripped).
pub(super) fn classify_label(label: &str) -> Option<Field> {
    let label = label.trim().trim_end_matches(':').trim();
    label_regex()
        .1
        .iter()
        .find(|(l, _)| l == label)
        .map(|(_, f)| *f)
}

/// One labelled field: its kind and the value range (normalised text).
#[derive(Debug, Clone)]
pub(super) struct LabelledField {
    pub field: Field,
    pub value: Range<usize>,
}

/// One block: a name field (or a heading line) and the fields after it.
#[derive(Debug, Clone)]
pub(super) struct Record {
    /// Normalised range of the name.
    pub name: Range<usize>,
    pub fields: Vec<LabelledField>,
}

impl Record {
    pub fn value(&self, field: Field) -> Option<Range<usize>> {
        self.fields
            .iter()
            .find(|f| f.field == field)
            .map(|f| f.value.clone())
    }

    /// Start of the block to the end of its data field (or of its last field).
    pub fn extent(&self) -> Range<usize> {
        let end = self
            .value(Field::Data)
            .or_else(|| self.fields.last().map(|f| f.value.clone()))
            .map(|r| r.end)
            .unwrap_or(self.name.end);
        self.name.start..end.max(self.name.end)
    }
}

fn trim(text: &str, r: Range<usize>) -> Range<usize> {
    let s = text.get(r.clone()).unwrap_or("");
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    let start = r.start + lead;
    start..r.end.saturating_sub(trail).max(start)
}

fn first_line(text: &str, r: Range<usize>) -> Range<usize> {
    let s = text.get(r.clone()).unwrap_or("");
    let lead = s.len() - s.trim_start().len();
    let body = s.get(lead..).unwrap_or("");
    let cut = body.find('\n').unwrap_or(body.len());
    trim(text, r.start..r.start + lead + cut)
}

/// Values longer than this without a following label end at their first line break.
const MAX_FIELD: usize = 600;

/// Finds the labelled blocks of a normalised text; `is_sdk_line` says whether a short line
/// names an SDK (for headed lists without a name label).
pub(super) fn find_records(text: &str, is_sdk_line: &dyn Fn(&str) -> bool) -> Vec<Record> {
    let (re, _) = label_regex();
    let mut found: Vec<(Field, Range<usize>, usize)> = Vec::new(); // (field, label range, value start)
    for m in re.find_iter(text) {
        let Some(field) = classify_label(m.as_str()) else {
            continue;
        };
        found.push((field, m.start()..m.end(), m.end()));
    }
    let mut records: Vec<Record> = Vec::new();
    let mut current: Option<Record> = None;
    for (i, (field, label, value_start)) in found.iter().enumerate() {
        let next_start = found.get(i + 1).map(|n| n.1.start).unwrap_or(text.len());
        let mut value = trim(text, *value_start..next_start);
        let next_is_new = found.get(i + 1).is_none_or(|n| n.0 == Field::Name);
        if *field == Field::Name || value.len() > MAX_FIELD || next_is_new {
            value = first_line(text, value);
        }
        let lf = LabelledField {
            field: *field,
            value: value.clone(),
        };
        if *field == Field::Name {
            if let Some(r) = current.take() {
                records.push(r);
            }
            current = Some(Record {
                name: value,
                fields: Vec::new(),
            });
            continue;
        }
        let repeats = current.as_ref().is_some_and(|r| {
            r.fields
                .iter()
                .any(|f| f.field == *field && *field != Field::Other)
        });
        let far = current
            .as_ref()
            .is_some_and(|r| label.start.saturating_sub(r.extent().end) > MAX_FIELD);
        if current.is_none() || repeats || far {
            if let Some(r) = current.take() {
                records.push(r);
            }
            if *field != Field::Other {
                if let Some(name) = heading_before(text, label.start, is_sdk_line) {
                    current = Some(Record {
                        name,
                        fields: Vec::new(),
                    });
                }
            }
        }
        if let Some(r) = current.as_mut() {
            r.fields.push(lf);
        }
    }
    if let Some(r) = current.take() {
        records.push(r);
    }
    records.retain(|r| {
        let name = text.get(r.name.clone()).unwrap_or("");
        !name.is_empty()
            && name.len() <= 160
            && (r.fields.iter().any(|f| f.field != Field::Other) || is_sdk_line(name))
    });
    records
}

/// A headed list item: the short line just before a label at the start of its line.
fn heading_before(
    text: &str,
    label_start: usize,
    is_sdk_line: &dyn Fn(&str) -> bool,
) -> Option<Range<usize>> {
    let head = text.get(..label_start)?;
    let line_start = head.rfind('\n').map(|p| p + 1).unwrap_or(0);
    let same_line = head.get(line_start..)?.trim();
    if !same_line.is_empty() {
        let cleaned = strip_numbering(same_line);
        if cleaned.len() <= 80 && is_sdk_line(cleaned) {
            let r = trim(text, line_start..label_start);
            let off = r.len() - cleaned.len();
            return Some(r.start + off..r.end);
        }
        return None;
    }
    let prev_end = line_start.checked_sub(1)?;
    let prev_start = text
        .get(..prev_end)?
        .rfind('\n')
        .map(|p| p + 1)
        .unwrap_or(0);
    let line = text.get(prev_start..prev_end)?.trim();
    let cleaned = strip_numbering(line);
    if cleaned.is_empty() || cleaned.len() > 80 || cleaned.contains(':') || !is_sdk_line(cleaned) {
        return None;
    }
    let r = trim(text, prev_start..prev_end);
    let off = r.len() - cleaned.len();
    Some(r.start + off..r.end)
}

/// `1.` `1、` `(1)` `(一)` `一、` `•` `-` `a)` prefixes removed.
pub(super) fn strip_numbering(s: &str) -> &str {
    let mut rest = s.trim_start();
    for _ in 0..2 {
        let before = rest;
        rest = rest
            .trim_start_matches(['•', '·', '-', '*', '●', '▪', '◆', '■', '○'])
            .trim_start();
        if let Some(r) = rest.strip_prefix('(') {
            if let Some(close) = r.find(')') {
                if close <= 6 {
                    rest = r.get(close + 1..).unwrap_or("").trim_start();
                }
            }
        }
        let digits = rest
            .char_indices()
            .take_while(|(_, c)| c.is_ascii_digit() || "一二三四五六七八九十".contains(*c))
            .last();
        if let Some((i, c)) = digits {
            let after = rest.get(i + c.len_utf8()..).unwrap_or("");
            if let Some(r) = after.strip_prefix(['.', '、', ')', ':']) {
                rest = r.trim_start();
            }
        } else if let Some(first) = rest.chars().next() {
            if first.is_ascii_lowercase() {
                if let Some(r) = rest.get(1..).and_then(|r| r.strip_prefix(')')) {
                    rest = r.trim_start();
                }
            }
        }
        if rest == before {
            break;
        }
    }
    rest
}
