//! Signature loading, strictness, the example runner and the matchers, on the fixtures under
//! `tests/fixtures/signatures/` and on the data files compiled into the binary.

mod support;

use std::path::PathBuf;

use disclose::signatures::{
    normalise_alias, run_examples, validate_sources, SignatureError, SignatureSet, SignatureSources,
};

fn fixtures() -> PathBuf {
    support::repo_file("tests/fixtures/signatures")
}

fn good() -> SignatureSources {
    SignatureSources::read_dir(&fixtures().join("good")).expect("good fixtures readable")
}

/// The good fixture set with one bad fixture file installed at `rel`.
fn with_bad(bad: &str, rel: &str) -> SignatureSources {
    let path = fixtures().join("bad").join(bad);
    let text = std::fs::read_to_string(&path).expect("bad fixture readable");
    let mut sources = good();
    sources.insert(rel, format!("fixtures/{rel}"), text);
    sources
}

fn messages(problems: &[SignatureError]) -> Vec<String> {
    problems.iter().map(ToString::to_string).collect()
}

/// Loading `sources` fails, and some problem is exactly one line equal to `expected`.
fn assert_problem(sources: &SignatureSources, expected: &str) {
    let problems = messages(&validate_sources(sources));
    for p in &problems {
        assert!(!p.contains('\n'), "multi-line error: {p}");
    }
    assert!(
        problems.iter().any(|p| p == expected),
        "expected {expected:?} among {problems:#?}"
    );
    let err = SignatureSet::from_sources(sources)
        .expect_err("load must fail")
        .to_string();
    assert!(!err.contains('\n'), "multi-line error: {err}");
}

#[test]
fn good_fixtures_load_with_taxonomy_tree() {
    let set = SignatureSet::from_sources(&good()).expect("good fixtures load");
    assert_eq!(set.sdks.len(), 3);
    assert_eq!(set.packers.len(), 1);
    assert_eq!(set.android_apis.len(), 2);
    let t = &set.taxonomy;
    assert_eq!(t.parent("device.imei"), Some("device.identifier"));
    assert_eq!(
        t.ancestors("device.imei").collect::<Vec<_>>(),
        ["device.identifier", "device"]
    );
    assert!(t.is_ancestor("device", "device.mac"));
    assert!(!t.is_ancestor("device.mac", "device"));
    assert!(!t.is_ancestor("location", "device.mac"));
    assert_eq!(
        t.children("location").collect::<Vec<_>>(),
        ["location.precise", "location.coarse", "location.cell"]
    );
    assert_eq!(t.names("clipboard"), Some(("Clipboard", "剪切板")));
    assert!(t.get("device.imeii").is_none());
    assert!(validate_sources(&good()).is_empty());
    assert!(run_examples(&set).is_empty(), "{:#?}", run_examples(&set));
}

#[test]
fn unknown_field_names_file_line_and_field() {
    let sources = with_bad("unknown-field.toml", "sdks/amap.toml");
    let err = SignatureSet::from_sources(&sources)
        .expect_err("typo must fail")
        .to_string();
    assert!(
        err.starts_with("fixtures/sdks/amap.toml: line 7: unknown field `pakages`"),
        "{err}"
    );
}

#[test]
fn id_must_equal_file_stem() {
    assert_problem(
        &with_bad("id-mismatch.toml", "sdks/umeng.toml"),
        "fixtures/sdks/umeng.toml: id 'umeng-analytics' differs from the file name 'umeng' (field 'id')",
    );
}

#[test]
fn duplicate_ids_across_sdks_and_packers() {
    let sources = with_bad("duplicate-id.toml", "packers/amap.toml");
    let problems = messages(&validate_sources(&sources));
    let dup = problems
        .iter()
        .find(|p| p.contains("duplicate id"))
        .expect("duplicate reported");
    assert!(
        dup.starts_with("fixtures/packers/amap.toml: sdk 'amap': duplicate id (also in "),
        "{dup}"
    );
}

#[test]
fn unknown_taxonomy_id_is_named_with_its_field() {
    assert_problem(
        &with_bad("unknown-taxonomy-id.toml", "sdks/jpush.toml"),
        "fixtures/sdks/jpush.toml: sdk 'jpush': unknown taxonomy id 'device.imeii' in 'data'",
    );
}

#[test]
fn taxonomy_cycles_and_unknown_parents() {
    let sources = with_bad("taxonomy-cycle.toml", "taxonomy.toml");
    assert_problem(
        &sources,
        "fixtures/taxonomy.toml: type 'a': parent cycle a -> b -> a",
    );
    assert_problem(
        &sources,
        "fixtures/taxonomy.toml: type 'c': unknown parent 'nowhere' in 'parent'",
    );
    // Broken links are dropped, so walks still end.
    let (set, _) = SignatureSet::load_lenient(&sources);
    assert!(set.taxonomy.ancestors("a").count() <= 2);
}

/// Some problem is one line, ends with `tail` and names a file ending in `file_suffix`.
fn assert_problem_in(sources: &SignatureSources, file_suffix: &str, tail: &str) {
    let problems = validate_sources(sources);
    let found = problems.iter().any(|p| {
        p.file.ends_with(file_suffix)
            && p.to_string().ends_with(tail)
            && !p.to_string().contains('\n')
    });
    assert!(
        found,
        "expected {file_suffix}: ...{tail} among {:#?}",
        messages(&problems)
    );
}

#[test]
fn overlapping_package_prefixes_use_the_boundary_rule() {
    let sources = with_bad("overlapping-package.toml", "sdks/tencent.toml");
    assert_problem_in(
        &sources,
        "good/sdks/tencent-bugly.toml",
        ": sdk 'tencent-bugly': 'com.tencent.bugly' in 'android.packages' overlaps 'com.tencent' of sdk 'tencent' (fixtures/sdks/tencent.toml)",
    );
    // Only the two real overlaps (bugly, smtt): `com.tencent` does not claim `com.tencentx`.
    let problems = messages(&validate_sources(&sources));
    assert_eq!(
        problems.iter().filter(|p| p.contains("overlaps")).count(),
        2,
        "{problems:#?}"
    );
    assert!(SignatureSet::from_sources(&sources).is_err());
}

#[test]
fn overlapping_ios_prefixes_and_frameworks() {
    let sources = with_bad("overlapping-ios.toml", "sdks/amap-search.toml");
    assert_problem_in(
        &sources,
        "good/sdks/amap.toml",
        ": sdk 'amap': 'AMapLocation' in 'ios.class_prefixes' overlaps 'AMap' of sdk 'amap-search' (fixtures/sdks/amap-search.toml)",
    );
    assert_problem_in(
        &sources,
        "good/sdks/tencent-bugly.toml",
        ": sdk 'tencent-bugly': 'Bugly' in 'ios.frameworks' overlaps 'Bugly' of sdk 'amap-search' (fixtures/sdks/amap-search.toml)",
    );
}

#[test]
fn empty_signature_is_an_error() {
    assert_problem(
        &with_bad("empty-signature.toml", "sdks/nothing.toml"),
        "fixtures/sdks/nothing.toml: sdk 'nothing': empty signature: no android and no ios evidence",
    );
}

#[test]
fn documented_and_undocumented_data_exclude_each_other() {
    assert_problem(
        &with_bad("data-both.toml", "sdks/both.toml"),
        "fixtures/sdks/both.toml: sdk 'both': fields 'data' and 'data_undocumented' exclude each other",
    );
}

#[test]
fn an_sdk_says_what_its_vendor_documents_or_what_was_searched() {
    assert_problem(
        &with_bad("data-missing.toml", "sdks/silent.toml"),
        "fixtures/sdks/silent.toml: sdk 'silent': give the vendor-documented 'data' types, or say in 'data_undocumented' what was searched",
    );
}

#[test]
fn missing_examples_are_an_error() {
    assert_problem(
        &with_bad("missing-examples.toml", "sdks/getui.toml"),
        "fixtures/sdks/getui.toml: sdk 'getui': needs at least one example in 'examples.no_match'",
    );
}

#[test]
fn bad_rules_are_each_reported() {
    let sources = with_bad("bad-rules.toml", "android-apis.toml");
    let f = "fixtures/android-apis.toml";
    assert_problem(
        &sources,
        &format!("{f}: rule 'unknown-data': unknown taxonomy id 'device.imeii' in 'data'"),
    );
    assert_problem(&sources, &format!("{f}: rule 'bad-descriptor': field 'descriptor' is not a DEX descriptor: '()java.lang.String'"));
    assert_problem(
        &sources,
        &format!("{f}: rule 'unknown-permission': permission 'android.permission.READ_PHONE_STAT' in 'permission' is not in android-permissions.toml"),
    );
    assert_problem(&sources, &format!("{f}: rule 'unknown-data': duplicate id"));
}

#[test]
fn unknown_top_level_file_is_rejected() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("taxonomies.toml"), "").expect("write");
    let err = SignatureSources::read_dir(dir.path())
        .expect_err("misspelt file")
        .to_string();
    assert!(
        err.contains("taxonomies.toml: unknown signature file"),
        "{err}"
    );
}

#[test]
fn example_runner_reports_a_wrong_example() {
    let sources = with_bad("wrong-example.toml", "sdks/weibo.toml");
    let set =
        SignatureSet::from_sources(&sources).expect("loads: the example is wrong, not the schema");
    let failures = messages(&run_examples(&set));
    assert_eq!(
        failures,
        ["fixtures/sdks/weibo.toml: sdk 'weibo': example 'android:com.sina.weibo.sdk.auth.AuthInfo' in 'examples.no_match' matches"]
    );
}

/// The data files of this repository: the built-in set, with the fixture taxonomy standing in
/// when the built-in set has none yet.
fn builtin_with_taxonomy() -> SignatureSources {
    let mut sources = SignatureSources::builtin();
    if sources.get("taxonomy.toml").is_none() {
        let taxonomy = fixtures().join("good/taxonomy.toml");
        let text = std::fs::read_to_string(&taxonomy).expect("fixture taxonomy");
        sources.insert("taxonomy.toml", taxonomy.display().to_string(), text);
    }
    sources
}

#[test]
fn rule_data_files_validate_and_their_examples_pass() {
    let sources = builtin_with_taxonomy();
    let (set, problems) = SignatureSet::load_lenient(&sources);
    let own = [
        "android-apis.toml",
        "android-permissions.toml",
        "ios-apis.toml",
        "ios-plist-keys.toml",
    ];
    let mine = |e: &SignatureError| own.iter().any(|f| e.file.ends_with(f));
    let problems: Vec<_> = problems
        .iter()
        .filter(|e| mine(e))
        .map(ToString::to_string)
        .collect();
    assert!(problems.is_empty(), "{problems:#?}");
    let failures: Vec<_> = run_examples(&set)
        .iter()
        .filter(|e| mine(e))
        .map(ToString::to_string)
        .collect();
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(
        set.android_apis.len() >= 80,
        "{} Android rules",
        set.android_apis.len()
    );
    assert!(set.ios_apis.len() >= 40, "{} iOS rules", set.ios_apis.len());
    for rule in &set.android_apis {
        assert!(
            rule.source.starts_with("https://") || rule.source.starts_with("http://"),
            "{}",
            rule.id
        );
    }
}

#[test]
fn builtin_set_loads_or_only_lacks_the_taxonomy() {
    let embedded = SignatureSources::builtin();
    for rel in [
        "android-apis.toml",
        "android-permissions.toml",
        "ios-apis.toml",
        "ios-plist-keys.toml",
    ] {
        assert!(embedded.get(rel).is_some(), "{rel} not embedded");
    }
    match SignatureSet::builtin() {
        Ok(set) => {
            assert!(set.android_apis.len() >= 80);
            assert!(
                run_examples(&set).is_empty(),
                "{:#?}",
                messages(&run_examples(&set))
            );
        }
        Err(e) => {
            assert!(
                embedded.get("taxonomy.toml").is_none(),
                "builtin set fails: {e}"
            );
            assert!(
                e.to_string()
                    .starts_with("signatures/taxonomy.toml: missing"),
                "{e}"
            );
        }
    }
}

#[test]
fn a_directory_overrides_single_files_and_keeps_the_rest() {
    let overlay = fixtures().join("overlay");
    let sources = SignatureSources::builtin_with_dir(&overlay).expect("overlay readable");
    let apis = sources.get("android-apis.toml").expect("overridden file");
    assert!(apis.origin.contains("overlay"), "{}", apis.origin);
    assert_eq!(
        sources.get("ios-apis.toml").map(|f| f.origin.as_str()),
        Some("signatures/ios-apis.toml")
    );
    match SignatureSet::from_dir(&overlay) {
        Ok(set) => assert_eq!(set.android_apis.len(), 1),
        Err(e) => assert!(
            e.to_string()
                .starts_with("signatures/taxonomy.toml: missing"),
            "{e}"
        ),
    }
}

#[test]
fn java_class_matching_boundary_longest_prefix_and_descriptors() {
    // The overlapping fixture loads leniently: `tencent` claims com.tencent, bugly and tbs
    // claim longer prefixes; the longest wins.
    let (set, _) =
        SignatureSet::load_lenient(&with_bad("overlapping-package.toml", "sdks/tencent.toml"));
    let m = set.compile().expect("compiles");
    let id =
        |idx: Option<disclose::signatures::SdkIdx>| idx.map(|i| set.sdks[i.index()].id.as_str());
    assert_eq!(
        id(m.sdks
            .match_java_class("com.tencent.bugly.crashreport.CrashReport")),
        Some("tencent-bugly")
    );
    assert_eq!(
        id(m.sdks.match_java_class("com.tencent.mm.opensdk.Api")),
        Some("tencent")
    );
    assert_eq!(
        id(m.sdks.match_java_class("com.tencent.buglyx.A")),
        Some("tencent")
    );
    assert_eq!(id(m.sdks.match_java_class("com.tencentx.A")), None);
    assert_eq!(id(m.sdks.match_java_class("com.tencent")), Some("tencent"));
    assert_eq!(
        id(m.sdks
            .match_java_class("com.amap.api.location.AMapLocationClient$1")),
        Some("amap")
    );
    assert_eq!(
        id(m.sdks.match_descriptor("Lcom/tencent/smtt/sdk/QbSdk;")),
        Some("tencent-tbs")
    );
    assert_eq!(
        id(m.sdks.match_descriptor("[Lcom/tencent/smtt/sdk/QbSdk;")),
        Some("tencent-tbs")
    );
    assert_eq!(
        id(m.sdks.match_descriptor("com/tencent/smtt/sdk/QbSdk")),
        Some("tencent-tbs")
    );
    assert_eq!(
        id(m.sdks.match_descriptor("Lcom/tencent/smttx/A;")),
        Some("tencent")
    );
    assert_eq!(id(m.sdks.match_descriptor("Lcom/amap/apix/A;")), None);
    assert_eq!(
        id(m.sdks.match_component("com.amap.api.location.APSService")),
        Some("amap")
    );
    assert_eq!(
        id(m.sdks.match_meta_data("com.amap.api.v2.apikey")),
        Some("amap")
    );
    assert_eq!(
        id(m.sdks.match_native_lib("lib/arm64-v8a/libBugly.so")),
        Some("tencent-bugly")
    );
    assert_eq!(
        id(m.sdks
            .match_framework("@rpath/AMapLocationKit.framework/AMapLocationKit")),
        Some("amap")
    );
    assert_eq!(
        id(m.sdks.match_objc_class("AMapLocationManager")),
        Some("amap")
    );
    assert_eq!(id(m.sdks.match_objc_class("MAMapView")), None);
    let packer = m
        .packers
        .match_asset("assets/libjiagu_a64.so")
        .map(|i| set.packers[i.index()].id.as_str());
    assert_eq!(packer, Some("jiagu-360"));
}

#[test]
fn alias_search_is_leftmost_longest_with_ascii_word_boundaries() {
    let set = SignatureSet::from_sources(&good()).expect("loads");
    let m = set.compile().expect("compiles");
    let text = normalise_alias(
        "我们使用了高德地图SDK（AMap）、腾讯Bugly，但不是 amapx 或 TBSX；Ｘ５内核。",
    );
    let found: Vec<(&str, &str)> = m
        .sdks
        .match_alias(&text)
        .iter()
        .map(|hit| {
            (
                &text[hit.start..hit.end],
                set.sdks[hit.sdks[0].index()].id.as_str(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("高德地图sdk", "amap"),
            ("amap", "amap"),
            ("腾讯bugly", "tencent-bugly"),
            ("x5内核", "tencent-tbs")
        ]
    );
}

#[test]
fn api_matchers_on_the_real_rules() {
    let (set, _) = SignatureSet::load_lenient(&builtin_with_taxonomy());
    let m = set.compile().expect("compiles");
    let ids = |hits: &[disclose::signatures::RuleIdx]| -> Vec<String> {
        hits.iter()
            .map(|r| set.android_apis[r.index()].id.clone())
            .collect()
    };
    let tm = "Landroid/telephony/TelephonyManager;";
    assert_eq!(
        ids(m
            .android_apis
            .match_method(tm, "getDeviceId", "()Ljava/lang/String;")),
        ["telephony-get-device-id"]
    );
    assert_eq!(
        ids(m
            .android_apis
            .match_method(tm, "getDeviceId", "(I)Ljava/lang/String;")),
        ["telephony-get-device-id-slot"]
    );
    assert_eq!(
        ids(m
            .android_apis
            .match_method(tm, "getImei", "(I)Ljava/lang/String;")),
        ["telephony-get-imei"]
    );
    assert!(m
        .android_apis
        .match_method("Lcom/example/Tm;", "getImei", "()Ljava/lang/String;")
        .is_empty());
    let secure = m.android_apis.match_method(
        "Landroid/provider/Settings$Secure;",
        "getString",
        "(Landroid/content/ContentResolver;Ljava/lang/String;)Ljava/lang/String;",
    );
    assert_eq!(
        secure.len(),
        2,
        "android_id and bluetooth_address rules share the method"
    );
    let fired: Vec<_> = secure
        .iter()
        .filter(|&&r| {
            m.android_apis
                .strings_satisfied(r, ["android_id"].into_iter())
        })
        .collect();
    assert_eq!(
        ids(&fired.into_iter().copied().collect::<Vec<_>>()),
        ["settings-secure-get-string-android-id"]
    );
    assert!(!m.android_apis.rules_needing_string("android_id").is_empty());
    assert_eq!(
        ids(m.android_apis.match_string("android_id")),
        ["string-android-id"]
    );
    assert_eq!(
        ids(m
            .android_apis
            .match_field("Landroid/os/Build;", "SERIAL", "Ljava/lang/String;")),
        ["build-serial"]
    );
    let ios = |hits: &[disclose::signatures::RuleIdx]| -> Vec<String> {
        hits.iter()
            .map(|r| set.ios_apis[r.index()].id.clone())
            .collect()
    };
    assert_eq!(ios(m.ios_apis.match_symbol("_getifaddrs")), ["getifaddrs"]);
    assert_eq!(ios(m.ios_apis.match_symbol("getifaddrs")), ["getifaddrs"]);
    assert_eq!(
        ios(m
            .ios_apis
            .match_framework("/System/Library/Frameworks/AdSupport.framework/AdSupport")),
        ["framework-adsupport"]
    );
    let adid = m.ios_apis.match_selector("advertisingIdentifier");
    assert_eq!(
        m.ios_apis.required_classes(adid[0]),
        ["ASIdentifierManager"]
    );
    let perm = m
        .permissions
        .get("android.permission.READ_PHONE_STATE")
        .expect("READ_PHONE_STATE");
    assert_eq!(perm.protection, "dangerous");
    assert!(perm.data.iter().any(|d| d == "device.imei"));
    assert_eq!(
        m.plist_keys
            .get("NSCameraUsageDescription")
            .map(|k| k.data.clone()),
        Some(vec!["camera".into()])
    );
    assert!(m
        .plist_keys
        .get("NSLocationAlwaysUsageDescription")
        .is_some_and(|k| k.deprecated));
}

#[test]
fn a_given_privacy_manifest_file_with_an_empty_tracking_table_is_an_error() {
    // Without the file nothing is checked (the good fixtures have none) ...
    assert!(
        messages(&validate_sources(&good()))
            .iter()
            .all(|p| !p.contains("tracking")),
        "no ios-privacy-manifest.toml, no tracking problem"
    );
    // ... but a file that is given has every table checked, an empty `[tracking]` too.
    let mut sources = good();
    sources.insert(
        "ios-privacy-manifest.toml",
        "fixtures/ios-privacy-manifest.toml".to_string(),
        "sdk_list_source = \"https://developer.apple.com/support/third-party-SDK-requirements/\"\n\
         collected_types_source = \"https://developer.apple.com/documentation/bundleresources/privacy_manifest_files\"\n\
         retrieved = \"2026-01-01\"\n\
         sdk = []\n\
         collected_type = []\n\
         [tracking]\n\
         source = \"\"\n\
         categories = []\n\
         sdks = []\n\
         examples = { match = [], no_match = [] }\n"
            .to_string(),
    );
    assert_problem(
        &sources,
        "fixtures/ios-privacy-manifest.toml: tracking: field 'source' must be an https URL",
    );
    assert_problem(
        &sources,
        "fixtures/ios-privacy-manifest.toml: tracking: needs 'examples.match' and 'examples.no_match'",
    );
}

#[test]
fn ios_classes_need_a_source_and_symbol_and_member_prefixes_are_strict() {
    let sources = with_bad("ios-static-evidence.toml", "sdks/sigsdk.toml");
    let file = "fixtures/sdks/sigsdk.toml: sdk 'sigsdk': ";
    assert_problem(
        &sources,
        &format!("{file}'SigSigner' in 'ios.classes' is not named in any 'sources' entry: cite the real binary that defines it, or move it to 'ios.documented_classes'"),
    );
    let problems = messages(&validate_sources(&sources));
    let count = |what: &str| problems.iter().filter(|p| p.contains(what)).count();
    // The cited class passes; both bad symbol prefixes and the short member prefix fail.
    assert_eq!(count("'SigSDKManager'"), 0, "{problems:#?}");
    assert_eq!(count("in 'ios.symbols'"), 2, "{problems:#?}");
    assert_eq!(count("in 'ios.objects'"), 1, "{problems:#?}");
}

#[test]
fn an_adapter_may_sit_in_another_vendors_namespace_but_not_on_its_prefix() {
    let sources = with_bad("adapter-packages.toml", "sdks/adnet.toml");
    let problems = messages(&validate_sources(&sources));
    assert!(problems.is_empty(), "{problems:#?}");
    // The nested adapter's classes are the ad network's, the rest of the namespace stays Bugly's.
    let (set, _) = SignatureSet::load_lenient(&sources);
    let m = set.compile().expect("compiles");
    let id =
        |idx: Option<disclose::signatures::SdkIdx>| idx.map(|i| set.sdks[i.index()].id.as_str());
    assert_eq!(
        id(m.sdks
            .match_java_class("com.tencent.bugly.mediation.adnet.AdnetAdapter")),
        Some("adnet")
    );
    assert_eq!(
        id(m.sdks
            .match_java_class("com.tencent.bugly.crashreport.CrashReport")),
        Some("tencent-bugly")
    );
    // Claiming the other vendor's own prefix as an adapter is a conflict.
    let path = fixtures().join("bad").join("adapter-packages.toml");
    let text = std::fs::read_to_string(path)
        .expect("fixture readable")
        .replace(
            r#"adapters = ["com.tencent.bugly.mediation.adnet"]"#,
            r#"adapters = ["com.tencent.bugly.mediation.adnet", "com.tencent.bugly"]"#,
        );
    let mut sources = good();
    sources.insert("sdks/adnet.toml", "fixtures/sdks/adnet.toml", text);
    let problems = messages(&validate_sources(&sources));
    let overlaps: Vec<&String> = problems.iter().filter(|p| p.contains("overlaps")).collect();
    assert_eq!(overlaps.len(), 1, "{problems:#?}");
    assert!(
        overlaps[0].contains("'com.tencent.bugly'") && overlaps[0].contains("adnet"),
        "{overlaps:?}"
    );
}
