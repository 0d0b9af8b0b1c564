#!/usr/bin/env python3
"""Measure how well the SDK alias vocabulary resolves the SDK names real policies use.

Usage:
  scripts/eval-sdk-aliases.py --labels ../shared/corpus/policies-real/labels.json \
      [--binary target/release/disclose] [--signatures DIR] [--ca4p DIR] [--unmapped N] [-v]

Three figures, all computed by running the `disclose` binary (nothing is re-implemented here):

1. names: every gold SDK row name of labels.json (policies-real schema) is put into a small
   `SDK名称：` block document and read with `disclose policy`; the id it resolves to is compared
   with the row's `expected_id` / `alt_ids`. This isolates the alias vocabulary from row
   extraction. Rows whose gold id is null count as "kept null" when no id is given.
2. rows: `disclose policy` on each labelled document; extracted rows are paired with gold rows
   as BASELINE.md describes (equal normalised name, then equal id, then containment) and the
   id of each paired row with a gold id is checked.
3. ca4p (with --ca4p DIR): share of extracted SDK rows that have an id over a folder of
   policies, and the most frequent unmapped names (--unmapped N).

Skips (exit 0 with a message) when the labels file or the folder is absent.
"""

import argparse
import collections
import json
import os
import re
import subprocess
import sys
import tempfile
import unicodedata


def norm(name):
    s = unicodedata.normalize("NFKC", name or "").lower()
    s = s.replace("sdk", "")
    return re.sub(r"[\s\W_]+", "", s)


def policy_json(binary, signatures, path):
    cmd = [binary]
    if signatures:
        cmd += ["--signatures", signatures]
    cmd += ["policy", path, "--format", "json"]
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        return None, out.stderr.strip()
    try:
        return json.loads(out.stdout), None
    except json.JSONDecodeError as e:
        return None, str(e)


def block_doc(names):
    parts = []
    for n in names:
        flat = " ".join(n.split())
        parts.append(f"SDK名称：{flat}\n使用目的：第三方服务\n收集个人信息类型：设备信息\n")
    return "\n".join(parts)


def resolve_names(binary, signatures, names):
    """Name -> id (or None) as `disclose policy` resolves it inside an SDK-name block."""
    result = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "names.txt")
        with open(path, "w", encoding="utf-8") as f:
            f.write(block_doc(names))
        doc, _ = policy_json(binary, signatures, path)
        got = {}
        for row in (doc or {}).get("sdks", []):
            if row.get("form") == "block":
                got.setdefault(" ".join(row["name"].split()), row.get("id"))
        missing = []
        for n in names:
            flat = " ".join(n.split())
            if flat in got:
                result[n] = got[flat]
            else:
                missing.append(n)
        for n in missing:  # one document per name when the shared one did not give it back
            with open(path, "w", encoding="utf-8") as f:
                f.write(block_doc([n]))
            doc, _ = policy_json(binary, signatures, path)
            rows = [r for r in (doc or {}).get("sdks", []) if r.get("form") == "block"]
            result[n] = rows[0].get("id") if rows else "<no row>"
    return result


def ok_ids(row):
    ids = [row.get("expected_id")] + list(row.get("alt_ids") or [])
    return {i for i in ids if i}


def eval_names(args, files):
    rows = [(f, r) for f, v in files.items() for r in v.get("sdk_rows", [])]
    names = sorted({r["name"] for _, r in rows})
    ids = resolve_names(args.binary, args.signatures, names)
    known = right = wrong = none = 0
    null_rows = null_kept = 0
    misses = []
    for f, r in rows:
        got = ids.get(r["name"])
        if r.get("expected_id"):
            known += 1
            if got in ok_ids(r):
                right += 1
            else:
                if got in (None, "<no row>"):
                    none += 1
                else:
                    wrong += 1
                misses.append((f, r["name"], r["expected_id"], got))
        else:
            null_rows += 1
            if got in (None, "<no row>"):
                null_kept += 1
            else:
                misses.append((f, r["name"], None, got))
    print(f"names: rows with a gold id {known}: right {right} ({right / max(known, 1):.3f}), "
          f"wrong id {wrong}, no id {none}")
    print(f"names: rows with gold id null {null_rows}: kept null {null_kept}, "
          f"given an id {null_rows - null_kept}")
    if args.verbose:
        for f, n, want, got in misses:
            print(f"  {f}\t{n}\twant={want}\tgot={got}")


def pair_rows(gold, extracted):
    """BASELINE.md pairing: (A) equal name, (B) equal id, (C) containment."""
    paired = {}
    used = set()
    for stage in "ABC":
        for ei, e in enumerate(extracted):
            if ei in used:
                continue
            en = norm(e.get("name"))
            for gi, g in enumerate(gold):
                if gi in paired:
                    continue
                gn = norm(g["name"])
                if stage == "A":
                    hit = en and en == gn
                elif stage == "B":
                    hit = e.get("id") and e.get("id") in ok_ids(g)
                else:
                    hit = len(en) >= 2 and len(gn) >= 2 and (en in gn or gn in en)
                if hit:
                    paired[gi] = ei
                    used.add(ei)
                    break
    return paired, used


def eval_rows(args, base, files):
    tot = collections.Counter()
    wrong = []
    for rel, v in sorted(files.items()):
        gold = v.get("sdk_rows", [])
        doc, err = policy_json(args.binary, args.signatures, os.path.join(base, rel))
        if doc is None:
            print(f"rows: {rel}: error {err}")
            tot["errors"] += 1
            continue
        extracted = doc.get("sdks", [])
        paired, used = pair_rows(gold, extracted)
        tot["gold"] += len(gold)
        tot["extracted"] += len(extracted)
        tot["paired"] += len(paired)
        for gi, ei in paired.items():
            g, e = gold[gi], extracted[ei]
            if g.get("expected_id"):
                tot["known"] += 1
                if e.get("id") in ok_ids(g):
                    tot["id_ok"] += 1
                else:
                    wrong.append((rel, g["name"], e.get("name"), g["expected_id"], e.get("id")))
            elif e.get("id"):
                tot["null_given_id"] += 1
                wrong.append((rel, g["name"], e.get("name"), None, e.get("id")))
    print(f"rows: gold {tot['gold']}, extracted {tot['extracted']}, paired {tot['paired']} "
          f"(recall {tot['paired'] / max(tot['gold'], 1):.3f}); id ok {tot['id_ok']}/{tot['known']} "
          f"({tot['id_ok'] / max(tot['known'], 1):.3f}); gold-null rows given an id "
          f"{tot['null_given_id']}; errors {tot['errors']}")
    if args.verbose:
        for rel, gname, ename, want, got in wrong:
            print(f"  {rel}\t{gname}\t[{ename}]\twant={want}\tgot={got}")


def eval_ca4p(args):
    names = collections.Counter()
    rows = with_id = errors = 0
    for fn in sorted(os.listdir(args.ca4p)):
        doc, _ = policy_json(args.binary, args.signatures, os.path.join(args.ca4p, fn))
        if doc is None:
            errors += 1
            continue
        for r in doc.get("sdks", []):
            rows += 1
            if r.get("id"):
                with_id += 1
            else:
                names[" ".join((r.get("name") or "").split())] += 1
    print(f"ca4p: files {len(os.listdir(args.ca4p))}, errors {errors}, SDK rows {rows}, "
          f"with id {with_id} ({with_id / max(rows, 1):.3f})")
    for name, count in names.most_common(args.unmapped):
        print(f"  {count}\t{name}")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--labels", required=True)
    p.add_argument("--binary", default="target/release/disclose")
    p.add_argument("--signatures")
    p.add_argument("--ca4p")
    p.add_argument("--unmapped", type=int, default=0)
    p.add_argument("--skip-rows", action="store_true")
    p.add_argument("-v", "--verbose", action="store_true")
    args = p.parse_args()
    if not os.path.exists(args.labels):
        print(f"skipped: {args.labels} is absent")
        return 0
    with open(args.labels, encoding="utf-8") as f:
        files = json.load(f)["files"]
    eval_names(args, files)
    if not args.skip_rows:
        eval_rows(args, os.path.dirname(args.labels), files)
    if args.ca4p:
        if os.path.isdir(args.ca4p):
            eval_ca4p(args)
        else:
            print(f"ca4p: skipped, {args.ca4p} is absent")
    return 0


if __name__ == "__main__":
    sys.exit(main())
