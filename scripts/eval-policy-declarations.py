#!/usr/bin/env python3
"""Measure what `disclose policy` reads as declared and denied on the labelled real policies.

Runs `target/release/disclose policy FILE --format json` on every document of
../shared/corpus/policies-real (labels.json, schema in its README) and prints, per file and in
total:

- data-type recall: labelled `data_declared` types that the tool declares (a data entry that is
  not denied, or a type in an SDK row); and how often the tool's strength (exhaustive /
  enumerated / vague) agrees with the label's `clarity` for the types it found;
- denial accuracy: labelled `data_denied` entries the tool denies (the same type or a more
  specific one; `*` = a no-personal-data statement), with the share whose kind also agrees
  (collect / retain / transmit; access counts as collect), plus the labelled `sdk_negation`
  sentences found as SDK statements;
- the SDK statements found, and statements or collect-denials found where the labels have
  none (to review by hand: they may be label gaps or false readings).

Usage: scripts/eval-policy-declarations.py [CORPUS_DIR] [--bin PATH] [--quiet]
Prints SKIPPED and exits 0 when the corpus folder is absent.
"""

import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SDK_KINDS = {"no-sdks", "no-other-sdks", "no-sdk-category"}
KIND_OF_LABEL = {"collect": "collect", "access": "collect", "retain": "retain",
                 "upload": "transmit", "transmit": "transmit"}


def parse_args(argv):
    corpus = os.path.join(ROOT, "..", "shared", "corpus", "policies-real")
    binary = os.path.join(ROOT, "target", "release", "disclose")
    quiet = False
    rest = list(argv)
    while rest:
        a = rest.pop(0)
        if a == "--bin" and rest:
            binary = rest.pop(0)
        elif a == "--quiet":
            quiet = True
        else:
            corpus = a
    return corpus, binary, quiet


def run_policy(binary, path):
    proc = subprocess.run([binary, "policy", path, "--format", "json"],
                          capture_output=True, timeout=120)
    if proc.returncode != 0:
        return None, proc.stderr.decode("utf-8", "replace").strip()
    return json.loads(proc.stdout.decode("utf-8")), None


def specific_or_same(label_type, tool_type):
    return tool_type == label_type or tool_type.startswith(label_type + ".")


def evaluate_file(label, out):
    declared = {}
    for d in out.get("data", []):
        if not d.get("negated"):
            declared.setdefault(d["type"], set()).add(d["clarity"])
    for row in out.get("sdks", []):
        for t in row.get("data", []):
            declared.setdefault(t, set()).add("exhaustive")
    wanted = {}
    for d in label.get("data_declared", []):
        wanted.setdefault(d["type"], d.get("clarity"))
    found_types = [t for t in wanted if t in declared]
    clarity_ok = [t for t in found_types if wanted[t] in declared[t]]

    denials = [d for d in out.get("data", []) if d.get("denial") or d.get("negated")]
    statements = out.get("statements", [])
    denied_ok, kind_ok, missed = 0, 0, []
    for d in label.get("data_denied", []):
        if d["type"] == "*":
            hit = [s for s in statements if s["kind"] == "no-personal-data"]
            ok = bool(hit)
            kind_match = ok
        else:
            hit = [x for x in denials if specific_or_same(d["type"], x["type"])]
            ok = bool(hit)
            want = KIND_OF_LABEL.get(d.get("kind"), "collect")
            kind_match = any((x.get("denial") or "collect") == want for x in hit)
        denied_ok += ok
        kind_ok += ok and kind_match
        if not ok:
            missed.append(f'{d["type"]} ({d.get("kind")}): {d["quote"][:70]!r}')
    negation = label.get("sdk_negation")
    sdk_statements = [s for s in statements if s["kind"] in SDK_KINDS]
    negation_found = bool(negation) and bool(sdk_statements)
    if negation and not negation_found:
        missed.append(f"sdk_negation: {negation[:70]!r}")
    labelled_denials = {d["type"] for d in label.get("data_denied", [])}
    extra_denials = [x for x in denials if x.get("negated")
                     and not any(specific_or_same(t, x["type"]) for t in labelled_denials)]
    extra_statements = [s for s in statements if s["kind"] in SDK_KINDS and not negation]
    return {
        "declared": (len(found_types), len(wanted)),
        "clarity": (len(clarity_ok), len(found_types)),
        "denied": (denied_ok, len(label.get("data_denied", []))),
        "denied_kind": (kind_ok, len(label.get("data_denied", []))),
        "negation": (int(negation_found), int(bool(negation))),
        "statements": statements,
        "missed": missed,
        "extra_denials": extra_denials,
        "extra_statements": extra_statements,
    }


def ratio(pair):
    a, b = pair
    return f"{a}/{b}" + (f" ({100.0 * a / b:.1f} %)" if b else "")


def main(argv):
    corpus, binary, quiet = parse_args(argv)
    labels_path = os.path.join(corpus, "labels.json")
    if not os.path.isfile(labels_path):
        print(f"SKIPPED: {corpus} (labels.json) is absent")
        return 0
    if not os.access(binary, os.X_OK):
        print(f"{binary} is missing: run cargo build --release first", file=sys.stderr)
        return 2
    with open(labels_path, encoding="utf-8") as f:
        labels = json.load(f)["files"]
    totals = {k: [0, 0] for k in ("declared", "clarity", "denied", "denied_kind", "negation")}
    extra_d = extra_s = 0
    for name in sorted(labels):
        out, err = run_policy(binary, os.path.join(corpus, name))
        if out is None:
            print(f"{name}: ERROR {err}")
            continue
        r = evaluate_file(labels[name], out)
        for k in totals:
            totals[k][0] += r[k][0]
            totals[k][1] += r[k][1]
        extra_d += len(r["extra_denials"])
        extra_s += len(r["extra_statements"])
        print(f"{name}: data {ratio(r['declared'])}, clarity {ratio(r['clarity'])}, "
              f"denials {ratio(r['denied'])}, sdk-negation {ratio(r['negation'])}")
        if quiet:
            continue
        for s in r["statements"]:
            cond = " (conditional)" if s.get("conditional") else ""
            cats = f" [{', '.join(s['categories'])}]" if s.get("categories") else ""
            print(f"    statement {s['kind']}{cats}{cond}: {s['text']['quote'][:90]!r}")
        for m in r["missed"]:
            print(f"    MISSED {m}")
        for x in r["extra_denials"]:
            print(f"    unlabelled denial {x['type']}: line {x['text']['line']}")
        for s in r["extra_statements"]:
            print(f"    unlabelled SDK statement {s['kind']}: {s['text']['quote'][:90]!r}")
    print()
    print(f"TOTAL data-type recall {ratio(totals['declared'])}")
    print(f"TOTAL clarity agreement (types found) {ratio(totals['clarity'])}")
    print(f"TOTAL denial accuracy {ratio(totals['denied'])}, kind agrees {ratio(totals['denied_kind'])}")
    print(f"TOTAL sdk-negation found {ratio(totals['negation'])}")
    both = (totals["denied"][0] + totals["negation"][0], totals["denied"][1] + totals["negation"][1])
    print(f"TOTAL denials (data_denied + sdk_negation) {ratio(both)}")
    print(f"TOTAL to review: {extra_d} unlabelled collect-denials, {extra_s} unlabelled SDK statements")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
