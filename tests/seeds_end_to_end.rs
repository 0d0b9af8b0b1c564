//! End to end on the seed policies: for each seed, an app report holding exactly the SDKs the
//! policy lists (for the app's platform) plus two it does not must give exactly two
//! `undisclosed-sdk` findings — so every alias the policy uses, in Chinese or English, resolves.
//!
//! The app side is an inspect report built from the SDK ids (not an APK per seed): what is
//! under test here is policy reading + alias resolution + comparison on real policy text.

mod support;

use disclose::compare::finding::FindingKind;
use disclose::model::{AppInfo, Evidence, InspectReport, Platform, INSPECT_SCHEMA};
use disclose::pipeline::read_policy;
use disclose::Analyzer;
use std::collections::BTreeSet;

const EXTRA: [&str; 2] = ["getui-push", "pangle-csj"];

fn app_with(analyzer: &Analyzer, ids: &BTreeSet<String>, platform: Platform) -> InspectReport {
    let sdks = ids
        .iter()
        .map(|id| {
            let spec = &analyzer
                .set
                .find(id)
                .expect("id from the signature set")
                .spec;
            disclose::scan::observations::presence(
                spec,
                1,
                vec![Evidence::in_file("classes.dex").at(id.as_str())],
            )
        })
        .collect();
    InspectReport {
        schema: INSPECT_SCHEMA.to_string(),
        tool: None,
        app: AppInfo {
            platform,
            id: Some("com.example.seed".into()),
            version: None,
            file: "seed.apk".into(),
            sha256: String::new(),
            name: None,
            icon: None,
        },
        permissions: Vec::new(),
        sdks,
        libraries: Vec::new(),
        data: Vec::new(),
        limits: Vec::new(),
        details: None,
    }
}

#[test]
fn every_seed_policy_leaves_exactly_the_two_extra_sdks_undisclosed() {
    let analyzer = Analyzer::builtin().unwrap();
    let seeds = [
        ("seeds/yunzhijia.zh.txt", Platform::Android, 18),
        ("seeds/yunzhijia.zh.txt", Platform::Ios, 11),
        ("seeds/yunzhijia.en.txt", Platform::Android, 17),
        ("seeds/mingyuan-yunzhushou.zh.txt", Platform::Android, 16),
        ("seeds/yonyou-cloud.zh-en.txt", Platform::Android, 1),
        ("seeds/cloud-storage-app.en.txt", Platform::Android, 0),
    ];
    for (rel, platform, min_listed) in seeds {
        let Some(path) = support::shared_file(rel) else {
            continue;
        };
        let (declared, info) = read_policy(&analyzer, &path).unwrap();
        let want = match platform {
            Platform::Ios => "ios",
            _ => "android",
        };
        let listed: BTreeSet<String> = declared
            .sdks
            .iter()
            .filter(|s| s.platform.as_deref().is_none_or(|p| p == want))
            .filter_map(|s| s.id.as_deref().map(str::to_string))
            .collect();
        assert!(
            listed.len() >= min_listed,
            "{rel} ({want}): only {} SDK ids resolved: {listed:?}",
            listed.len()
        );
        for extra in EXTRA {
            assert!(
                !listed.contains(extra),
                "{rel} lists {extra}; pick other extras"
            );
        }
        let mut ids = listed.clone();
        ids.extend(EXTRA.iter().map(|s| s.to_string()));
        let app = app_with(&analyzer, &ids, platform);
        let outcome = disclose::pipeline::scan_inspected(
            &analyzer,
            app,
            &declared,
            info,
            &Default::default(),
        );
        let undisclosed = undisclosed_sdks(&outcome.report);
        assert_eq!(
            undisclosed,
            BTreeSet::from(EXTRA),
            "{rel} ({want}): listed {listed:?}"
        );
    }
}

/// The same on real APKs: `samples/seeds/<seed>.apk` (built by samples/seeds/build.py with
/// smali/aapt/apksigner) holds one class under each SDK's package for every SDK the seed's
/// Android list names, plus the two extras.
#[test]
fn every_seed_demo_apk_scans_to_exactly_two_undisclosed_sdks() {
    let analyzer = Analyzer::builtin().unwrap();
    for seed in [
        "yunzhijia.zh",
        "yunzhijia.en",
        "mingyuan-yunzhushou.zh",
        "yonyou-cloud.zh-en",
        "cloud-storage-app.en",
    ] {
        let Some(policy) = support::shared_file(&format!("seeds/{seed}.txt")) else {
            continue;
        };
        let apk = support::repo_file(&format!("samples/seeds/{seed}.apk"));
        let put_in: BTreeSet<String> =
            std::fs::read_to_string(support::repo_file(&format!("samples/seeds/{seed}.sdks")))
                .unwrap()
                .lines()
                .map(str::to_string)
                .collect();
        let outcome =
            disclose::pipeline::scan_app(&analyzer, &apk, &policy, &Default::default()).unwrap();
        let found: BTreeSet<String> = outcome
            .report
            .sdks
            .iter()
            .map(|s| s.id.to_string())
            .collect();
        assert_eq!(found, put_in, "{seed}: SDKs seen in the APK");
        let undisclosed = undisclosed_sdks(&outcome.report);
        assert_eq!(undisclosed, BTreeSet::from(EXTRA), "{seed}");
    }
}

/// The SDK ids of a scan report's `undisclosed-sdk` findings.
fn undisclosed_sdks(report: &disclose::ScanReport) -> BTreeSet<&str> {
    report
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::UndisclosedSdk)
        .map(|f| f.owner.as_str())
        .collect()
}
