//! What a policy declares and denies, and what it states about SDKs and tracking, end to end
//! through `compare`: each test reads a small document written for it (in the shapes real
//! policies use, `tests/fixtures/policy/meaning/`) and checks the declaration and the finding.

use disclose::compare::engine::compare;
use disclose::compare::finding::{Finding, FindingKind, Severity};
use disclose::model::{
    AppInfo, DataObservation, Evidence, InspectReport, Platform, INSPECT_SCHEMA, OWNER_APP,
};
use disclose::pipeline::{read_policies, read_policy};
use disclose::policy::{Clarity, DenialKind, PolicyDeclarations, StatementKind, WarningKind};
use disclose::Analyzer;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn analyzer() -> &'static Analyzer {
    static A: OnceLock<Analyzer> = OnceLock::new();
    A.get_or_init(|| Analyzer::builtin().expect("built-in signatures"))
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/policy/meaning")
        .join(name)
}

fn read(name: &str) -> PolicyDeclarations {
    read_policy(analyzer(), &fixture(name))
        .expect("fixture policy reads")
        .0
}

/// An app holding `sdks` whose own code reads `data`.
fn app(sdks: &[&str], data: &[&str]) -> InspectReport {
    let sdks = sdks
        .iter()
        .map(|id| {
            let spec = &analyzer().set.find(id).expect("sdk id exists").spec;
            disclose::scan::observations::presence(
                spec,
                3,
                vec![Evidence::in_file("classes.dex").at(*id)],
            )
        })
        .collect();
    let data = data
        .iter()
        .map(|t| DataObservation {
            data_type: t.to_string().into(),
            by: OWNER_APP.to_string(),
            sites: 1,
            evidence: vec![Evidence::in_file("classes.dex").at("Lcom/example/Main;->run()V")],
            owner: disclose::model::OwnerKind::App,
            owner_reason: String::new(),
        })
        .collect();
    InspectReport {
        schema: INSPECT_SCHEMA.to_string(),
        tool: None,
        app: AppInfo {
            platform: Platform::Android,
            id: Some("com.example.app".into()),
            version: None,
            file: "app.apk".into(),
            sha256: String::new(),
            name: None,
            icon: None,
        },
        permissions: Vec::new(),
        sdks,
        data,
        libraries: Default::default(),
        limits: Vec::new(),
        details: None,
    }
}

fn findings(sdks: &[&str], data: &[&str], policy: &PolicyDeclarations) -> Vec<Finding> {
    compare(&app(sdks, data), policy, &analyzer().set)
}

fn kind_for_data(found: &[Finding], ty: &str) -> Option<FindingKind> {
    found
        .iter()
        .find(|f| f.data.as_deref() == Some(ty))
        .map(|f| f.kind)
}

#[test]
fn a_closed_list_declares_exactly_its_items() {
    let p = read("closed-list.zh.txt");
    let device = p
        .data
        .iter()
        .find(|d| d.data_type == "device")
        .expect("device");
    assert_eq!(device.clarity, Clarity::Exhaustive);
    let network = p
        .data
        .iter()
        .find(|d| d.data_type == "network")
        .expect("network");
    assert_eq!(network.clarity, Clarity::Enumerated);
    let found = findings(
        &[],
        &["device.android_id", "network.ssid", "device.imei"],
        &p,
    );
    // Not named by "设备信息，包括设备型号、IMEI": undisclosed, quoting the list.
    let android_id = found
        .iter()
        .find(|f| f.data.as_deref() == Some("device.android_id"))
        .expect("android id finding");
    assert_eq!(android_id.kind, FindingKind::UndisclosedData);
    assert_eq!(android_id.severity, Severity::High);
    assert_eq!(
        android_id.policy_text.as_ref().map(|q| q.quote.as_str()),
        Some("为保障账号安全，我们会收集您的设备信息，包括设备型号、IMEI。")
    );
    // "网络信息（如IP地址等）" is open: another network type is only vague.
    assert_eq!(
        kind_for_data(&found, "network.ssid"),
        Some(FindingKind::VagueData)
    );
    assert_eq!(kind_for_data(&found, "device.imei"), None);
}

#[test]
fn a_feature_name_declares_nothing_and_keeping_is_not_collecting() {
    let p = read("closed-list.zh.txt");
    assert!(
        !p.data.iter().any(|d| d.data_type == "contacts"),
        "a 通讯录 menu is not a declaration: {:?}",
        p.data
    );
    let location = p
        .data
        .iter()
        .find(|d| d.data_type == "location")
        .expect("location");
    assert_eq!(location.denial, Some(DenialKind::Retain));
    assert!(!location.negated);
    let found = findings(&[], &["location.precise"], &p);
    assert_ne!(
        kind_for_data(&found, "location.precise"),
        Some(FindingKind::Contradiction)
    );
}

#[test]
fn negation_survives_markup_and_a_bold_lead_in_declares_data() {
    let p = read("markup.en.md");
    let calendar = p
        .data
        .iter()
        .find(|d| d.data_type == "calendar")
        .expect("calendar");
    assert!(calendar.negated, "{calendar:?}");
    let camera = p
        .data
        .iter()
        .find(|d| d.data_type == "camera")
        .expect("camera");
    assert!(!camera.negated, "{camera:?}");
    assert!(
        !p.data.iter().any(|d| d.data_type == "contacts"),
        "{:?}",
        p.data
    );
    // A determiner denies the word after it; the verb says what: keeping, not collecting.
    let pii = p
        .data
        .iter()
        .find(|d| d.data_type == "identity")
        .expect("pii");
    assert_eq!(pii.denial, Some(DenialKind::Retain));
    let found = findings(&[], &["calendar", "camera"], &p);
    assert_eq!(
        kind_for_data(&found, "calendar"),
        Some(FindingKind::Contradiction)
    );
    assert_eq!(kind_for_data(&found, "camera"), None);
}

#[test]
fn category_and_tracking_denials_contradict_the_app() {
    let p = read("statements.en.md");
    let kinds: Vec<StatementKind> = p.statements.iter().map(|s| s.kind).collect();
    assert_eq!(
        kinds,
        [StatementKind::NoSdkCategory, StatementKind::NoTracking]
    );
    let found = findings(
        &["pangle-csj", "getui-push"],
        &["device.advertising_id"],
        &p,
    );
    let ads = found
        .iter()
        .find(|f| f.kind == FindingKind::Contradiction && f.sdk.as_deref() == Some("pangle-csj"))
        .expect("ads SDK against 'no ad SDKs'");
    assert_eq!(ads.severity, Severity::Critical);
    assert_eq!(
        ads.policy_text.as_ref().map(|q| q.quote.as_str()),
        Some("We use no ad or analytics SDKs")
    );
    assert!(!ads.evidence.is_empty());
    // A push SDK is no ad or analytics SDK.
    assert!(!found
        .iter()
        .any(|f| f.kind == FindingKind::Contradiction && f.sdk.as_deref() == Some("getui-push")));
    let tracking = found
        .iter()
        .find(|f| {
            f.kind == FindingKind::Contradiction
                && f.data.as_deref() == Some("device.advertising_id")
        })
        .expect("advertising id against 'we don't track you'");
    assert_eq!(
        tracking.policy_text.as_ref().map(|q| q.quote.as_str()),
        Some("We don't track you across apps")
    );
}

#[test]
fn no_sdks_and_no_other_sdks() {
    let none = read("no-sdks.zh.txt");
    assert_eq!(none.statements.len(), 1);
    assert_eq!(none.statements[0].kind, StatementKind::NoSdks);
    let found = findings(&["getui-push"], &[], &none);
    assert!(found
        .iter()
        .any(|f| f.kind == FindingKind::Contradiction && f.sdk.as_deref() == Some("getui-push")));

    let but = read("no-other-sdks.zh.txt");
    let s = but.statements.first().expect("statement");
    assert_eq!(s.kind, StatementKind::NoOtherSdks);
    assert_eq!(s.except_ids, ["wechat-opensdk"]);
    let found = findings(&["wechat-opensdk", "getui-push"], &[], &but);
    let contradicted: Vec<_> = found
        .iter()
        .filter(|f| f.kind == FindingKind::Contradiction)
        .filter_map(|f| f.sdk.as_deref())
        .collect();
    assert_eq!(contradicted, ["getui-push"]);
}

#[test]
fn a_blanket_denial_without_condition_contradicts_collection() {
    let p = read("blanket.en.md");
    let live: Vec<_> = p.statements.iter().filter(|s| !s.conditional).collect();
    assert_eq!(live.len(), 1, "{:?}", p.statements);
    assert_eq!(live[0].kind, StatementKind::NoPersonalData);
    assert!(p.statements.iter().any(|s| s.conditional));
    let found = findings(&[], &["location.precise"], &p);
    assert_eq!(
        kind_for_data(&found, "location.precise"),
        Some(FindingKind::Contradiction)
    );
}

#[test]
fn a_missing_sdk_list_is_a_finding_until_it_is_given() {
    // Regression: the `missing-sdk-list` warning used to be a string the engine never mapped.
    let alone = read("policy-with-sdk-page.zh.txt");
    assert!(alone
        .warnings
        .iter()
        .any(|w| w.kind == WarningKind::MissingSdkList));
    let found = findings(&[], &[], &alone);
    let incomplete = found
        .iter()
        .find(|f| f.kind == FindingKind::PolicyIncomplete)
        .expect("policy-incomplete finding");
    assert_eq!(incomplete.severity, Severity::High);
    assert!(
        incomplete.message.contains("第三方SDK清单"),
        "{}",
        incomplete.message
    );

    let both = read_policies(
        analyzer(),
        &[
            fixture("policy-with-sdk-page.zh.txt"),
            fixture("sdk-page.zh.txt"),
        ],
    )
    .expect("both documents read")
    .0;
    assert!(both.warnings.is_empty(), "{:?}", both.warnings);
    let getui = both
        .sdks
        .iter()
        .find(|s| s.id.as_deref() == Some("getui-push"))
        .expect("the SDK page's row");
    assert!(getui
        .text
        .file
        .as_deref()
        .is_some_and(|f| f.ends_with("sdk-page.zh.txt")));
    let found = findings(&["getui-push"], &[], &both);
    assert!(!found.iter().any(|f| matches!(
        f.kind,
        FindingKind::PolicyIncomplete | FindingKind::UndisclosedSdk
    )));
}

#[test]
fn every_warning_kind_becomes_a_finding() {
    for kind in WarningKind::ALL {
        let (finding, _) = disclose::compare::policy_warnings::finding_for(kind);
        assert!(matches!(
            finding,
            FindingKind::PolicyIncomplete | FindingKind::AnalysisLimit
        ));
    }
}

#[test]
fn batch_takes_a_policy_folder_per_app() {
    let dir = std::env::temp_dir().join(format!("disclose-policy-folder-{}", std::process::id()));
    let app_dir = dir.join("com.example.app");
    std::fs::create_dir_all(&app_dir).expect("temp dir");
    for name in ["policy-with-sdk-page.zh.txt", "sdk-page.zh.txt"] {
        std::fs::copy(fixture(name), app_dir.join(name)).expect("copy fixture");
    }
    let found = disclose::batch::find_policy(&dir, "com.example.app").expect("the app's folder");
    assert_eq!(found, app_dir);
    let (declared, info) = read_policies(analyzer(), &[found]).expect("folder reads");
    assert_eq!(info.more_files.len(), 1, "{info:?}");
    assert!(declared.warnings.is_empty(), "{:?}", declared.warnings);
    assert!(declared
        .sdks
        .iter()
        .any(|s| s.id.as_deref() == Some("getui-push")));
    let _ = std::fs::remove_dir_all(&dir);
}

/// The entries of one data type in what a policy declares.
fn entries<'a>(p: &'a PolicyDeclarations, ty: &str) -> Vec<&'a disclose::policy::DeclaredData> {
    p.data.iter().filter(|d| d.data_type == ty).collect()
}

#[test]
fn denials_read_over_wrapped_lines_and_from_a_list_lead_in() {
    let p = read("wrapped.en.md");
    // "never stores nor transmits, but does read the following …:" then a list: the items
    // are read (declared) but denied keeping and sending.
    let contacts = entries(&p, "contacts");
    assert!(
        contacts
            .iter()
            .any(|d| d.denial == Some(DenialKind::Transmit)),
        "{contacts:?}"
    );
    assert!(contacts.iter().all(|d| !d.negated), "{contacts:?}");
    // A sentence wrapped over two lines still denies its data word.
    let pii = entries(&p, "identity");
    assert!(pii.iter().any(|d| d.negated), "{pii:?}");
    // "We do not sell it" denies sending what the sentence before names.
    let location = entries(&p, "location.precise");
    assert!(
        location
            .iter()
            .any(|d| d.denial == Some(DenialKind::Transmit)
                && d.text.quote.starts_with("We do not sell it")),
        "{location:?}"
    );
    assert!(location.iter().all(|d| !d.negated), "{location:?}");
    // "We do not collect:" denies every item of its list.
    for ty in ["sms", "call_log"] {
        assert!(
            entries(&p, ty).iter().any(|d| d.negated),
            "{ty}: {:?}",
            p.data
        );
    }
    let found = findings(&[], &["contacts", "sms", "location.precise"], &p);
    assert_eq!(kind_for_data(&found, "contacts"), None);
    assert_eq!(kind_for_data(&found, "location.precise"), None);
    assert_eq!(
        kind_for_data(&found, "sms"),
        Some(FindingKind::Contradiction)
    );
}

#[test]
fn a_denial_without_its_own_data_word_refers_back() {
    let p = read("referred.zh.md");
    // "- 存储方式：…不会上传" after "- 收集方式：…GPS定位": the list's earlier items.
    let gps = entries(&p, "location.precise");
    assert!(
        gps.iter().any(|d| d.denial == Some(DenialKind::Transmit)),
        "{gps:?}"
    );
    // "这些文件仅存储在您的设备本地，不会上传" after the sentence naming the storage.
    let storage = entries(&p, "storage");
    assert!(
        storage
            .iter()
            .any(|d| d.denial == Some(DenialKind::Transmit)),
        "{storage:?}"
    );
    // "不包括对…IMEI的读取" denies reading it; the OAID before it is declared.
    assert!(entries(&p, "device.imei").iter().any(|d| d.negated));
    assert!(entries(&p, "device.oaid").iter().any(|d| !d.negated));
    // A condition ("未经您同意") keeps the sentence from denying anything.
    let contacts = entries(&p, "contacts");
    assert!(contacts.iter().all(|d| d.denial.is_none()), "{contacts:?}");
    // Nothing here denies collecting what the app does.
    let found = findings(&[], &["location.precise", "storage", "device.oaid"], &p);
    assert!(
        !found.iter().any(|f| f.kind == FindingKind::Contradiction),
        "{found:?}"
    );
}

#[test]
fn an_sms_verification_code_is_not_sms_content() {
    let p = read("sms-code.zh.txt");
    let code = p
        .data
        .iter()
        .find(|d| d.data_type == "sms.verification_code" && d.denial.is_some())
        .unwrap_or_else(|| panic!("denied verification code: {:?}", p.data));
    // "客户端不会存储该类信息": the code is not kept; it is still collected.
    assert_eq!(code.denial, Some(DenialKind::Retain));
    assert!(!code.negated);
    assert!(
        !p.data.iter().any(|d| d.data_type == "sms"),
        "sending a code declares no SMS content: {:?}",
        p.data
    );
    // An app that reads the SMS inbox is not covered by a policy that only names codes.
    let found = findings(&[], &["sms"], &p);
    assert_eq!(
        kind_for_data(&found, "sms"),
        Some(FindingKind::UndisclosedData)
    );
}
