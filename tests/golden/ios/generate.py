#!/usr/bin/env python3
"""Regenerates the iOS golden files with tools we did not write: python3's zipfile and plistlib,
and `openssl cms` for the provisioning profiles. tests/ios_bundle.rs compares disclose's readers
with these files. Every output was reviewed by hand against the plist text.

usage: tests/golden/ios/generate.py [SHARED_DIR] [CORPUS_DIR]
  SHARED_DIR defaults to ../shared beside the repository, CORPUS_DIR to ~/.cache/disclose-corpus.
"""
import json
import os
import plistlib
import subprocess
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
SHARED = sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, "..", "shared")
CORPUS = sys.argv[2] if len(sys.argv) > 2 else os.path.expanduser("~/.cache/disclose-corpus")


def write(rel, value):
    path = os.path.join(HERE, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, indent=2, ensure_ascii=False, sort_keys=True)
        f.write("\n")


def text(d, key):
    v = d.get(key)
    if isinstance(v, bool):
        return None
    if isinstance(v, (str, int, float)):
        return str(v)
    return None


def strings(v):
    return [s for s in v if isinstance(s, str)] if isinstance(v, list) else []


def info_summary(d):
    """The Info.plist fields disclose reads, as plistlib sees them."""
    urls = []
    for t in d.get("CFBundleURLTypes", []) if isinstance(d.get("CFBundleURLTypes"), list) else []:
        if isinstance(t, dict):
            urls += strings(t.get("CFBundleURLSchemes"))
    ats = d.get("NSAppTransportSecurity") if isinstance(d.get("NSAppTransportSecurity"), dict) else {}
    return {
        "bundle_id": text(d, "CFBundleIdentifier"),
        "executable": text(d, "CFBundleExecutable"),
        "name": text(d, "CFBundleName"),
        "display_name": text(d, "CFBundleDisplayName"),
        "short_version": text(d, "CFBundleShortVersionString"),
        "version": text(d, "CFBundleVersion"),
        "minimum_os": text(d, "MinimumOSVersion") or text(d, "LSMinimumSystemVersion"),
        "usage_keys": sorted(
            [k, v] for k, v in d.items()
            if k.endswith("UsageDescription") and isinstance(v, str)
        ),
        "queries_schemes": strings(d.get("LSApplicationQueriesSchemes")),
        "url_schemes": urls,
        "background_modes": strings(d.get("UIBackgroundModes")),
        "ats_allows_arbitrary_loads": bool(ats.get("NSAllowsArbitraryLoads", False)),
        "ats_exception_domains": sorted(ats.get("NSExceptionDomains", {}).keys()),
    }


def manifest_summary(d):
    return {
        "tracking": d.get("NSPrivacyTracking"),
        "tracking_domains": strings(d.get("NSPrivacyTrackingDomains")),
        "collected_data_types": [
            {
                "data_type": e.get("NSPrivacyCollectedDataType"),
                "linked": e.get("NSPrivacyCollectedDataTypeLinked"),
                "tracking": e.get("NSPrivacyCollectedDataTypeTracking"),
                "purposes": strings(e.get("NSPrivacyCollectedDataTypePurposes")),
            }
            for e in d.get("NSPrivacyCollectedDataTypes", [])
        ],
        "accessed_api_types": [
            {
                "category": e.get("NSPrivacyAccessedAPIType"),
                "reasons": strings(e.get("NSPrivacyAccessedAPITypeReasons")),
            }
            for e in d.get("NSPrivacyAccessedAPITypes", [])
        ],
    }


def provision_summary(xml):
    d = plistlib.loads(xml)
    ent = d.get("Entitlements", {})
    date = lambda k: d[k].strftime("%Y-%m-%dT%H:%M:%SZ") if k in d else None
    return {
        "name": d.get("Name"),
        "app_id_name": d.get("AppIDName"),
        "uuid": d.get("UUID"),
        "team_ids": strings(d.get("TeamIdentifier")),
        "team_name": d.get("TeamName"),
        "app_id_prefixes": strings(d.get("ApplicationIdentifierPrefix")),
        "creation_date": date("CreationDate"),
        "expiration_date": date("ExpirationDate"),
        "provisions_all_devices": bool(d.get("ProvisionsAllDevices", False)),
        "provisioned_devices": len(d.get("ProvisionedDevices", [])),
        "application_identifier": ent.get("application-identifier"),
        "aps_environment": ent.get("aps-environment"),
        "get_task_allow": ent.get("get-task-allow"),
        "keychain_access_groups": strings(ent.get("keychain-access-groups")),
        "entitlement_keys": sorted(ent.keys()),
    }


def openssl_cms(der):
    out = subprocess.run(
        ["openssl", "cms", "-verify", "-noverify", "-inform", "DER"],
        input=der, capture_output=True, check=True,
    )
    return out.stdout


def certificate_common_names(xml):
    names = []
    for cert in plistlib.loads(xml).get("DeveloperCertificates", []):
        out = subprocess.run(
            ["openssl", "x509", "-inform", "DER", "-noout", "-subject", "-nameopt", "multiline"],
            input=cert, capture_output=True, check=True, text=False,
        ).stdout.decode()
        for line in out.splitlines():
            if line.strip().startswith("commonName"):
                names.append(line.split("=", 1)[1].strip())
    return names


def ipa(name, path):
    with zipfile.ZipFile(path) as z:
        names = [n for n in z.namelist() if not n.endswith("/")]
        apps = sorted({n.split("/")[1] for n in names if n.startswith("Payload/") and n.count("/") >= 2 and n.split("/")[1].endswith(".app")})
        app = "Payload/" + apps[0]
        info = plistlib.loads(z.read(app + "/Info.plist"))
        write(f"info/{name}.json", info_summary(info))
        frameworks = sorted({
            "/".join(n.split("/")[:4]) for n in names
            if n.startswith(app + "/Frameworks/") and n.split("/")[3].endswith(".framework")
        })
        framework_executables = []
        for fw in frameworks:
            fw_info = plistlib.loads(z.read(fw + "/Info.plist"))
            write(f"info/{name}--{fw.rsplit('/', 1)[1]}.json", info_summary(fw_info))
            framework_executables.append(fw + "/" + fw_info["CFBundleExecutable"])
        manifests = sorted(n for n in names if n.endswith(".xcprivacy"))
        for m in manifests:
            label = m[len(app) + 1:].replace("/", "--")
            write(f"xcprivacy/{name}--{label}.json", manifest_summary(plistlib.loads(z.read(m))))
        provision = app + "/embedded.mobileprovision"
        if provision in names:
            xml = openssl_cms(z.read(provision))
            summary = provision_summary(xml)
            summary["developer_certificates"] = certificate_common_names(xml)
            write(f"provision/{name}.json", summary)
        write(f"layout/{name}.json", {
            "app_dir": app,
            "info_plist": app + "/Info.plist",
            "main_executable": app + "/" + info["CFBundleExecutable"],
            "framework_executables": framework_executables,
            "privacy_manifests": manifests,
            "provision": provision if provision in names else None,
            "code_signature": app + "/_CodeSignature/CodeResources"
            if app + "/_CodeSignature/CodeResources" in names else None,
        })


def main():
    ipa("demo", os.path.join(REPO, "samples", "demo.ipa"))
    apps = os.path.join(SHARED, "corpus", "apps")
    for name in ["mobsf-helloworld", "weibo-sdk-demo-2013"]:
        ipa(name, os.path.join(apps, name + ".ipa"))
    xcprivacy = os.path.join(SHARED, "corpus", "xcprivacy")
    for f in sorted(os.listdir(xcprivacy)):
        with open(os.path.join(xcprivacy, f), "rb") as fh:
            write(f"xcprivacy/{f[:-len('.xcprivacy')]}.json", manifest_summary(plistlib.load(fh)))
    # Vendor frameworks from npm: executable named by Info.plist (when there is one).
    npm = os.path.join(CORPUS, "npm")
    frameworks = {}
    for package, rel in [
        ("cordova-plugin-bugly-sdk", "package/src/ios/Bugly.framework"),
        ("cordova-plugin-facebook4", "package/src/ios/FBSDKCoreKit.framework"),
        ("react-native-umeng-analytics", "package/ios/common_ios_1.4.2/normal/UMCommon.framework"),
        ("cordova-plugin-alipay-v2", "package/src/ios/lib/AlipaySDK.framework"),
        ("cordova-plugin-qqsdk", "package/src/ios/TencentOpenAPI.framework"),
    ]:
        fw = os.path.join(npm, package, rel)
        base = os.path.basename(fw)
        info_path = os.path.join(fw, "Info.plist")
        info = None
        if os.path.exists(info_path):
            with open(info_path, "rb") as fh:
                info = info_summary(plistlib.load(fh))
        exe = info["executable"] if info and info["executable"] else base[:-len(".framework")]
        frameworks[f"{package}/{rel}"] = {
            "path": base,
            "info_plist": base + "/Info.plist" if info else None,
            "executable": f"{base}/{exe}",
            "bundle_id": info["bundle_id"] if info else None,
        }
    write("layout/npm-frameworks.json", frameworks)


main()
