#!/usr/bin/env python3
"""Measure SDK detection against a hand-made ground truth: recall and false claims per app.

    python3 scripts/measure-sdk-recall.py TRUTH.tsv [--disclose target/release/disclose] [--signatures DIR]

(`--signatures DIR` passes the data directory to disclose, to measure data edits with an older
binary.)

TRUTH.tsv (kept locally, never committed: it names local copies of third-party apps) has one
app per line, tab-separated:

    path-to-app    where-it-came-from (repo@commit:path)    sdk-id,sdk-id,...    how the truth was established

The SDK ids are the ids of signatures/sdks/*.toml that are really inside the app, established
WITHOUT disclose (dexdump class lists, unzip -l native libraries, build files, framework names;
`scripts/class-lists.py OUT_DIR APP...` writes those lists, per package, for a reviewer to read).
An SDK that is inside but has no signature is written as `?name` (counts as a miss). Lines
starting with `#` are comments.

For each app the script runs `disclose inspect --format json` and prints one Markdown row:
app, source, SDKs inside, reported, missed, false (reported but not inside, with the first
evidence location), then the totals: recall = found / inside, and the number of false claims.
Exit status 0 always; this is a measurement, not a test.
"""
import json
import subprocess
import sys
from pathlib import Path


def run_inspect(disclose, app, signatures=None):
    extra = ["--signatures", signatures] if signatures else []
    out = subprocess.run([disclose, *extra, "inspect", "--format", "json", app],
                         capture_output=True, text=True, timeout=600)
    if out.returncode != 0:
        return None, out.stderr.strip().splitlines()[-1:] or ["exit %d" % out.returncode]
    doc = json.loads(out.stdout)
    found = {}
    for sdk in doc.get("sdks", []):
        # Only SDKs whose code is really there count as claimed; "referenced" ones (crumbs
        # shipped by another library) are listed by disclose but never compared with a policy.
        if sdk.get("grade", "present") != "present":
            continue
        ev = sdk.get("evidence") or [{}]
        found[sdk["id"]] = ev[0].get("location", "")
    return found, None


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    disclose = "target/release/disclose"
    if "--disclose" in args:
        i = args.index("--disclose")
        disclose = args[i + 1]
        del args[i:i + 2]
    signatures = None
    if "--signatures" in args:
        i = args.index("--signatures")
        signatures = args[i + 1]
        del args[i:i + 2]
    rows = []
    inside_total = found_total = false_total = 0
    for line in Path(args[0]).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        app, source, truth = cols[0], cols[1], cols[2]
        inside = {t for t in truth.split(",") if t}
        if not Path(app).exists():
            continue
        reported, err = run_inspect(disclose, app, signatures)
        if reported is None:
            rows.append(f"| {Path(app).name} | {source} | error: {err} | | | |")
            continue
        missed = sorted(inside - set(reported))
        false = sorted(set(reported) - inside)
        inside_total += len(inside)
        found_total += len(inside) - len(missed)
        false_total += len(false)
        rows.append("| {} | {} | {} | {} | {} | {} |".format(
            Path(app).name, source, ", ".join(sorted(inside)) or "none",
            ", ".join(sorted(reported)) or "none", ", ".join(missed) or "-",
            ", ".join(f"{f} ({reported[f]})" for f in false) or "-"))
    print("| app | source | SDKs inside | reported | missed | false |")
    print("|---|---|---|---|---|---|")
    print("\n".join(rows))
    recall = found_total / inside_total if inside_total else 1.0
    print(f"\napps: {len(rows)}  SDKs inside: {inside_total}  found: {found_total}  "
          f"recall: {recall:.3f}  false claims: {false_total}")


if __name__ == "__main__":
    main()
