#!/usr/bin/env python3
"""Recall and false claims of SDK detection on the obfuscation benchmark.

Runs `disclose inspect --format json` on every app that scripts/build-obfuscation-bench.sh built
($OBF_BENCH/apps/<variant>/<app>.apk, default ~/.cache/disclose-obfbench) and, optionally, on
extra apps that contain none of the benchmark's SDKs (--negatives DIR: every .apk in it).

The truth for each app is what its `control` variant (no ProGuard, every package name intact)
shows present by name: the app named after an SDK id holds that SDK, and sometimes SDKs it
bundles (WeChat's libammsdk carries MTA's `com.tencent.wxop.stat`). In the other variants each
of those SDKs must be found (recall); any other SDK found is a false claim, and so is every SDK
that a fingerprint claims in a negative app (--negatives DIR). SDKs found only by fingerprint
are counted apart.

Code the shrink itself removed is not a miss: for a ProGuard variant the bench script keeps
ProGuard's mapping (<app>.mapping.txt next to the APK; the mapping lists only the classes the
shrink kept, by their names before renaming). A truth SDK none of whose Android packages
(signatures/sdks/<id>.toml, boundary rule) has a kept class is left out of that app's truth in
that variant and listed as "removed by the shrink" (BaiduLBS_Android with the map SDK: the map
code is unreachable from a location-only app). Without a mapping (an APK built before the bench
script kept them) the SDK counts as before, and the script says how many apps had none.

With --heldout the apps are those of `scripts/build-obfuscation-bench.sh --heldout`
($OBF_BENCH/heldout/<variant>/): other versions of the fingerprinted SDKs
(tests/corpus/obfuscation-heldout.tsv), which no fingerprint was built from; --heldout N measures
a further held-out set, tests/corpus/obfuscation-heldout-N.tsv (apps in $OBF_BENCH/heldout-N/).

    scripts/measure-obfuscation-bench.py [--disclose target/release/disclose] [--heldout [N]]
                                         [--negatives DIR] [--signatures DIR]
"""
import argparse
import json
import os
import pathlib
import subprocess
import sys
import tomllib

HERE = pathlib.Path(__file__).resolve().parent.parent


def heldout_name(heldout):
    """The held-out set's name: "heldout", or "heldout-N" for a further set (None: the build set)."""
    return "heldout" if heldout == "" else f"heldout-{heldout}"


def bench_sdks(heldout):
    """App name -> the SDK id the app is built around."""
    table = f"obfuscation-{heldout_name(heldout)}.tsv" if heldout is not None else "obfuscation-bench.tsv"
    apps = {}
    rows_of = {}
    for line in (HERE / "tests/corpus" / table).read_text().splitlines():
        if line and not line.startswith("#"):
            cols = line.split("\t")
            if heldout is not None:
                apps[cols[0]] = cols[1]
                continue
            # An SDK's second, third … version: apps <sdk>-2, <sdk>-3 (as the bench script names them).
            sdk = cols[0]
            rows_of[sdk] = rows_of.get(sdk, 0) + 1
            apps[sdk if rows_of[sdk] == 1 else f"{sdk}-{rows_of[sdk]}"] = sdk
    return apps


SIGNATURES = []


def sdk_packages(sdk):
    """The Android packages of an SDK's name signature (signatures/sdks/<id>.toml)."""
    path = HERE / "signatures/sdks" / f"{sdk}.toml"
    if not path.is_file():
        return []
    return tomllib.loads(path.read_text()).get("android", {}).get("packages", [])


def kept_classes(apps_dir, bench, variant, app):
    """Class names (before renaming) the shrink kept in this variant, from ProGuard's mapping, or
    None when there is no mapping (control, or an APK built before the bench script kept it)."""
    for mapping in (apps_dir / variant / f"{app}.mapping.txt", bench / "work" / app / variant / "mapping.txt"):
        if mapping.is_file():
            # "original.Name -> obfuscated:" starts a class block; member lines are indented.
            return {line.split(" -> ")[0] for line in mapping.read_text(errors="replace").splitlines()
                    if line and not line[0].isspace() and " -> " in line}
    return None


def removed_by_shrink(sdk, kept):
    """Whether none of the SDK's packages has a class the shrink kept."""
    packages = sdk_packages(sdk)
    if kept is None or not packages:
        return False
    return not any(c == p or c.startswith(p + ".") or c.startswith(p + "$") for c in kept for p in packages)


def present(disclose, apk):
    out = subprocess.run([disclose, "inspect", str(apk), "--format", "json", *SIGNATURES],
                         capture_output=True, text=True)
    if out.returncode not in (0, 1):
        sys.exit(f"{apk}: disclose exited {out.returncode}: {out.stderr.strip()}")
    report = json.loads(out.stdout)
    found = {}
    for s in report.get("sdks", []):
        if s.get("grade") != "present":
            continue
        by_fp = s.get("grade_reason", "").startswith("present (fingerprint)")
        found[s["id"]] = "fingerprint" if by_fp else "name"
    return found


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--disclose", default=str(HERE / "target/release/disclose"))
    ap.add_argument("--negatives", action="append", default=[])
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--heldout", nargs="?", const="", metavar="N",
                    help="the held-out set (tests/corpus/obfuscation-heldout.tsv), or the further set N")
    ap.add_argument("--signatures", help="signature directory (e.g. signatures/ of a branch) instead of the built-in data")
    args = ap.parse_args()
    if args.signatures:
        SIGNATURES.extend(["--signatures", args.signatures])
    bench = pathlib.Path(os.environ.get("OBF_BENCH", pathlib.Path.home() / ".cache/disclose-obfbench"))
    sdks = bench_sdks(args.heldout)
    apps_dir = bench / (heldout_name(args.heldout) if args.heldout is not None else "apps")
    if not apps_dir.is_dir():
        sys.exit(f"{apps_dir}: missing; run scripts/build-obfuscation-bench.sh")
    truth = {}
    for apk in sorted((apps_dir / "control").glob("*.apk")):
        truth[apk.stem] = {s for s, how in present(args.disclose, apk).items() if how == "name"}
        if apk.stem in sdks and sdks[apk.stem] not in truth[apk.stem]:
            sys.exit(f"{apk}: the control build does not show {sdks[apk.stem]} by name")
    print(f"{'variant':<18} {'found':>6} {'recall':>7} {'by fingerprint':>15} {'false claims':>13}  missed / false")
    no_mapping = 0
    for variant in sorted(p.name for p in apps_dir.iterdir() if p.is_dir()):
        hits = total = by_fp = false = 0
        notes = []
        for apk in sorted((apps_dir / variant).glob("*.apk")):
            want = truth.get(apk.stem, set())
            gone = set()
            if variant != "control":
                kept = kept_classes(apps_dir, bench, variant, apk.stem)
                no_mapping += kept is None
                gone = {sdk for sdk in want if removed_by_shrink(sdk, kept)}
                for sdk in sorted(gone):
                    notes.append(f"{apk.stem}: {sdk} removed by the shrink (not counted)")
                want = want - gone
            found = present(args.disclose, apk)
            if args.verbose:
                print(f"  {variant}/{apk.name}: {found}")
            for sdk in sorted(want):
                total += 1
                if sdk in found:
                    hits += 1
                    by_fp += found[sdk] == "fingerprint"
                else:
                    notes.append(f"{apk.stem}: missed {sdk}")
            for sdk, how in found.items():
                if sdk not in want and sdk not in gone:
                    false += 1
                    notes.append(f"{apk.stem}: {sdk} ({how})")
        recall = hits / total if total else 0.0
        print(f"{variant:<18} {hits:>3}/{total:<2} {recall:>7.2f} {by_fp:>15} {false:>13}  {'; '.join(notes)}")
    if no_mapping:
        print(f"({no_mapping} obfuscated APKs have no ProGuard mapping: their truth is the control build's, shrunk-away SDKs included)")
    for d in args.negatives:
        false = 0
        notes = []
        apks = sorted(pathlib.Path(d).glob("*.apk"))
        for apk in apks:
            found = present(args.disclose, apk)
            for sdk, how in found.items():
                if how == "fingerprint":
                    false += 1
                    notes.append(f"{apk.name}: {sdk}")
        print(f"negatives {d}: {len(apks)} apps, {false} SDKs claimed by fingerprint  {'; '.join(notes)}")


if __name__ == "__main__":
    main()
