//! Shapes of issue 12 read on small documents written for each (tests/fixtures/policy/shapes/):
//! package names that name an SDK (in prose brackets and in a package column), and evidence
//! quotes that are the declaring sentence or table row, never the bare word.

mod support;

use disclose::policy::{extract, read_policy_file, PolicyDeclarations, PolicyVocabulary};
use disclose::signatures::SignatureSet;
use std::sync::OnceLock;

fn vocab() -> &'static PolicyVocabulary {
    static V: OnceLock<PolicyVocabulary> = OnceLock::new();
    V.get_or_init(|| {
        let set = SignatureSet::builtin().expect("built-in signatures");
        let specs: Vec<_> = set.sdks.iter().map(|s| s.spec.clone()).collect();
        PolicyVocabulary::with_structure(set.taxonomy.types(), &specs, &set.structure)
            .expect("vocabulary")
    })
}

fn shape(name: &str) -> PolicyDeclarations {
    let path = support::repo_file(&format!("tests/fixtures/policy/shapes/{name}"));
    let doc = read_policy_file(&path).unwrap_or_else(|e| panic!("{e}"));
    extract(&doc, vocab())
}

fn id_of<'a>(found: &'a PolicyDeclarations, name_part: &str) -> Option<&'a str> {
    found
        .sdks
        .iter()
        .find(|s| s.name.contains(name_part))
        .unwrap_or_else(|| panic!("no row with {name_part}: {:?}", found.sdks))
        .id
        .as_deref()
}

#[test]
fn a_package_name_in_brackets_names_the_sdk() {
    let found = shape("packages.zh.txt");
    assert_eq!(id_of(&found, "某某分享组件"), Some("wechat-opensdk"));
    assert_eq!(id_of(&found, "甲乙定位"), Some("amap-location"));
    // A version number is not a package name: the row stays without an id.
    assert_eq!(id_of(&found, "丙丁统计"), None);
}

#[test]
fn a_package_column_names_the_sdk_of_its_row() {
    let found = shape("package-column.zh.md");
    assert_eq!(id_of(&found, "消息推送"), Some("jpush"));
    assert_eq!(id_of(&found, "崩溃上报"), Some("sentry"));
}

#[test]
fn declarations_quote_their_sentence_or_table_row() {
    let found = shape("quotes.en.md");
    let quote = |ty: &str| {
        found
            .data
            .iter()
            .find(|d| d.data_type == ty)
            .map(|d| d.text.quote.as_str())
            .unwrap_or_else(|| panic!("no {ty}: {:?}", found.data))
    };
    let sentence = "We collect your IMEI and your precise location to show nearby stores.";
    assert_eq!(quote("device.imei"), sentence);
    assert_eq!(quote("location.precise"), sentence);
    assert!(
        quote("network.ip").contains("IP address") && quote("network.ip").contains("fraud"),
        "the table row: {}",
        quote("network.ip")
    );
    let camera = found
        .permissions
        .iter()
        .find(|p| p.group == "camera")
        .unwrap_or_else(|| panic!("camera permission: {:?}", found.permissions));
    assert_eq!(camera.name, "camera");
    assert_eq!(
        camera.text.quote,
        "The app asks for the camera permission to scan receipts."
    );
}
