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
    for variant in sorted(p.name for p in apps_dir.iterdir() if p.is_dir()):
        hits = total = by_fp = false = 0
        notes = []
        for apk in sorted((apps_dir / variant).glob("*.apk")):
            want = truth.get(apk.stem, set())
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
                if sdk not in want:
                    false += 1
                    notes.append(f"{apk.stem}: {sdk} ({how})")
        recall = hits / total if total else 0.0
        print(f"{variant:<18} {hits:>3}/{total:<2} {recall:>7.2f} {by_fp:>15} {false:>13}  {'; '.join(notes)}")
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
