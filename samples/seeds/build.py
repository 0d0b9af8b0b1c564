#!/usr/bin/env python3
"""Build one demo APK per seed policy: exactly the SDKs the policy's Android list resolves to,
plus two it does not name (getui-push, pangle-csj), each SDK present as one real class under
its first Android package prefix, assembled with the real toolchain (smali, aapt, zipalign,
apksigner as in samples/android/build.sh).

Usage: samples/seeds/build.py DISCLOSE_BINARY SEEDS_DIR
Writes samples/seeds/<seed>.apk and samples/seeds/<seed>.sdks (the SDK ids put in, one per
line). The seeds themselves stay in ../shared/seeds (not ours to commit).
"""
import json, os, subprocess, sys, tempfile, tomllib, pathlib

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
EXTRA = ["getui-push", "pangle-csj"]
SEEDS = ["yunzhijia.zh", "yunzhijia.en", "mingyuan-yunzhushou.zh", "yonyou-cloud.zh-en",
         "cloud-storage-app.en"]
FRAMEWORK = "/usr/share/android-framework-res/framework-res.apk"
KEYSTORE = ROOT / "samples/android/debug.keystore"


def android_prefix(sdk_id):
    data = tomllib.loads((ROOT / "signatures/sdks" / f"{sdk_id}.toml").read_text())
    packages = data.get("android", {}).get("packages", [])
    return packages[0] if packages else None


def build(binary, seeds_dir, seed):
    policy = pathlib.Path(seeds_dir) / f"{seed}.txt"
    out = subprocess.run([binary, "policy", str(policy), "--format", "json"], check=True,
                         capture_output=True, text=True).stdout
    ids = sorted({s["id"] for s in json.loads(out)["sdks"]
                  if s["id"] and s.get("platform") in (None, "android")})
    chosen = [i for i in ids if android_prefix(i)] + EXTRA
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        smali = tmp / "smali"
        for n, sdk in enumerate(chosen):
            pkg = android_prefix(sdk)
            cls = f"L{pkg.replace('.', '/')}/DiscloseSeedStub{n};"
            path = smali / f"stub{n}.smali"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f".class public {cls}\n.super Ljava/lang/Object;\n"
                            f".source \"{sdk}\"\n")
        app = f"com.example.seed.{seed.replace('-', '_').replace('.', '_')}"
        (tmp / "AndroidManifest.xml").write_text(
            '<?xml version="1.0" encoding="utf-8"?>\n'
            '<manifest xmlns:android="http://schemas.android.com/apk/res/android"\n'
            f'    package="{app}" android:versionCode="1" android:versionName="1.0">\n'
            '    <uses-sdk android:minSdkVersion="21" android:targetSdkVersion="29" />\n'
            '    <application android:label="seed" />\n'
            '</manifest>\n')
        subprocess.run(["smali", "assemble", "--api", "21", "-o", tmp / "classes.dex", smali],
                       check=True)
        for f in ("classes.dex", "AndroidManifest.xml"):
            os.utime(tmp / f, (1577836800, 1577836800))
        subprocess.run(["aapt", "package", "-f", "-M", "AndroidManifest.xml", "-I", FRAMEWORK,
                        "-F", "unsigned.apk"], check=True, cwd=tmp)
        subprocess.run(["aapt", "add", "unsigned.apk", "classes.dex"], check=True, cwd=tmp,
                       capture_output=True)
        subprocess.run(["zipalign", "-f", "-p", "4", "unsigned.apk", "aligned.apk"], check=True,
                       cwd=tmp)
        apk = HERE / f"{seed}.apk"
        subprocess.run(["apksigner", "sign", "--ks", KEYSTORE, "--ks-pass", "pass:android",
                        "--key-pass", "pass:android", "--ks-key-alias", "androiddebugkey",
                        "--out", apk, tmp / "aligned.apk"], check=True)
        idsig = pathlib.Path(str(apk) + ".idsig")
        if idsig.exists():
            idsig.unlink()
    (HERE / f"{seed}.sdks").write_text("".join(f"{i}\n" for i in chosen))
    print(f"{apk.name}: {len(chosen)} SDKs ({len(chosen) - len(EXTRA)} listed + 2 extra)")


if __name__ == "__main__":
    for seed in SEEDS:
        build(sys.argv[1], sys.argv[2], seed)
