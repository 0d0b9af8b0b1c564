#!/usr/bin/env python3
"""SDK-row recall, precision and id accuracy of `disclose policy` on a labelled set.

Runs `target/release/disclose policy FILE --format json` on every file that
`labels.json` lists (default folder: ../shared/corpus/policies-real relative to the
repository root) and prints per file and in total:
  recall    = paired gold rows / gold rows
  precision = paired / (paired + false positives)
  id ok     = paired rows whose id is the gold id (or an alt id), over paired rows
              whose gold id is known
Rows are paired as the set's BASELINE.md describes: (A) equal normalised name,
(B) same SDK id, (C) one normalised name contains the other (>= 2 chars); an
extracted row that only matches an already-paired gold row is a duplicate. A row
with `part_of` (an SDK named only inside another row's text) that pairs with no
gold row is counted as a link (`part_of-links`), not as a false row.

    scripts/eval-policy-rows.py [--dir DIR] [--bin PATH] [--signatures DIR] [--quiet]
    scripts/eval-policy-rows.py --ca4p [--ca4p-dir DIR]   # CA4P-483 mapped share

Prints SKIPPED and exits 0 when the folder is absent. Standard library only.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def norm(name):
    s = unicodedata.normalize("NFKC", name or "").lower()
    s = s.replace("sdk", "")
    return "".join(c for c in s if c.isalnum())


def run_policy(binary, path, signatures):
    cmd = [binary, "policy", path, "--format", "json"]
    if signatures:
        cmd += ["--signatures", signatures]
    p = subprocess.run(cmd, capture_output=True, timeout=120)
    if p.returncode not in (0, 1):
        return None, p.stderr.decode("utf-8", "replace").strip()
    try:
        return json.loads(p.stdout.decode("utf-8")), None
    except ValueError as e:
        return None, f"bad JSON: {e}"


def pair(gold, got):
    """Returns (pairs: list of (gold index, got index)), duplicates, false positives."""
    gold_ids = [set(filter(None, [g.get("expected_id")] + list(g.get("alt_ids") or []))) for g in gold]
    gold_n = [norm(g["name"]) for g in gold]
    got_n = [norm(s.get("name")) for s in got]

    def match(rule, gi, si):
        if rule == "A":
            return gold_n[gi] != "" and gold_n[gi] == got_n[si]
        if rule == "B":
            return got[si].get("id") is not None and got[si].get("id") in gold_ids[gi]
        a, b = gold_n[gi], got_n[si]
        return len(a) >= 2 and len(b) >= 2 and (a in b or b in a)

    gold_used, got_used, pairs = set(), set(), []
    for rule in ("A", "B", "C"):
        for si in range(len(got)):
            if si in got_used:
                continue
            for gi in range(len(gold)):
                if gi not in gold_used and match(rule, gi, si):
                    gold_used.add(gi)
                    got_used.add(si)
                    pairs.append((gi, si))
                    break
    dup, fp = [], []
    for si in range(len(got)):
        if si in got_used:
            continue
        if any(match(r, gi, si) for r in "ABC" for gi in range(len(gold))):
            dup.append(si)
        else:
            fp.append(si)
    return pairs, dup, fp


def pair_with_parts(gold, got):
    """`pair`, except that a row with `part_of` (an SDK named only inside another row's text)
    that pairs with no gold row is a link to that row, not a false row.
    Returns (pairs, duplicates, false positives, links)."""
    pairs, dup, fp = pair(gold, got)
    links = [i for i in fp if got[i].get("part_of")]
    return pairs, dup, [i for i in fp if not got[i].get("part_of")], links


def ratio(a, b):
    return f"{a / b:.3f}" if b else "—"


def eval_rows(args):
    folder = args.dir
    labels_path = os.path.join(folder, "labels.json")
    if not os.path.isfile(labels_path):
        print(f"SKIPPED: {labels_path} not found")
        return 0
    with open(labels_path, encoding="utf-8") as f:
        labels = json.load(f)["files"]
    tot = dict(gold=0, got=0, paired=0, fp=0, dup=0, id_ok=0, id_known=0, errors=0, links=0)
    # Per shape: how the gold row is written (labels' `form`: block, table, flattened row,
    # numbered prose, prose, bullet …): rows, rows found, rows found with the right id.
    by_form = {}
    print(f"{'file':44} {'gold':>4} {'got':>4} {'pair':>4} {'fp':>3} {'recall':>6} {'prec':>6} {'id ok':>7}")
    for rel in sorted(labels):
        gold = labels[rel].get("sdk_rows") or []
        report, err = run_policy(args.bin, os.path.join(folder, rel), args.signatures)
        if report is None:
            tot["errors"] += 1
            print(f"{rel:44} ERROR {err}")
            got = []
        else:
            got = report.get("sdks") or []
        pairs, dup, fp, links = pair_with_parts(gold, got)
        tot["links"] += len(links)
        id_known = [(g, s) for g, s in pairs if gold[g].get("expected_id")]
        ok = 0
        wrong = []
        for g, s in id_known:
            ids = {gold[g]["expected_id"], *(gold[g].get("alt_ids") or [])}
            if got[s].get("id") in ids:
                ok += 1
            else:
                wrong.append(f"{got[s].get('name')}: {got[s].get('id')} vs {gold[g]['expected_id']}")
        paired_ok = {g for g, s in id_known
                     if got[s].get("id") in {gold[g]["expected_id"], *(gold[g].get("alt_ids") or [])}}
        paired_gold_all = {g for g, _ in pairs}
        for i, row in enumerate(gold):
            f = by_form.setdefault(row.get("form") or "?", [0, 0, 0])
            f[0] += 1
            f[1] += i in paired_gold_all
            f[2] += i in paired_ok
        for k, v in dict(gold=len(gold), got=len(got), paired=len(pairs), fp=len(fp), dup=len(dup),
                         id_ok=ok, id_known=len(id_known)).items():
            tot[k] += v
        print(f"{rel:44} {len(gold):4} {len(got):4} {len(pairs):4} {len(fp):3} "
              f"{ratio(len(pairs), len(gold)):>6} {ratio(len(pairs), len(pairs) + len(fp)):>6} "
              f"{ok:3}/{len(id_known):<3}")
        if not args.quiet:
            paired_gold = {g for g, _ in pairs}
            missed = [gold[i]["name"] for i in range(len(gold)) if i not in paired_gold]
            if missed:
                print("    missed: " + " ; ".join(missed))
            if fp:
                print("    false:  " + " ; ".join(f"{got[i].get('name')} [{got[i].get('form')}, line {got[i].get('text', {}).get('line')}]" for i in fp))
            if wrong:
                print("    id:     " + " ; ".join(wrong))
            if links:
                print("    part_of: " + " ; ".join(f"{got[i].get('name')} (in {got[i].get('part_of')})" for i in links))
    print()
    print(f"TOTAL files={len(labels)} gold={tot['gold']} extracted={tot['got']} paired={tot['paired']} "
          f"fp={tot['fp']} dup={tot['dup']} errors={tot['errors']} part_of-links={tot['links']}")
    print(f"row recall {ratio(tot['paired'], tot['gold'])}  precision "
          f"{ratio(tot['paired'], tot['paired'] + tot['fp'])}  id accuracy "
          f"{ratio(tot['id_ok'], tot['id_known'])} ({tot['id_ok']}/{tot['id_known']})")
    print()
    print(f"{'shape (gold form)':24} {'rows':>5} {'found':>6} {'recall':>7} {'right id':>9}")
    for form, (n, found, right) in sorted(by_form.items(), key=lambda kv: -kv[1][0]):
        print(f"{form:24} {n:5} {found:6} {ratio(found, n):>7} {right:9}")
    return 0


def library_words():
    """Normalised names and ids (4+ characters) of the open-source libraries of
    signatures/libraries.toml: rows naming one are counted apart, never as mapped."""
    import tomllib
    path = os.path.join(ROOT, "signatures", "libraries.toml")
    if not os.path.isfile(path):
        return []
    with open(path, "rb") as f:
        libs = tomllib.load(f).get("library") or []
    words = set()
    for lib in libs:
        if lib.get("kind") not in (None, "open-source"):
            continue
        for w in (lib.get("id"), lib.get("name")):
            w = norm(w)
            if len(w) >= 4:
                words.add(w)
    return sorted(words)


def eval_ca4p(args):
    folder = args.ca4p_dir
    if not os.path.isdir(folder):
        print(f"SKIPPED: {folder} not found")
        return 0
    files = sorted(f for f in os.listdir(folder) if f.endswith((".html", ".htm", ".txt", ".md")))
    rows = mapped = errors = perm_rows = library_rows = 0
    libraries = library_words()
    perm = re.compile(r"权限|permission", re.I)
    for name in files:
        report, err = run_policy(args.bin, os.path.join(folder, name), args.signatures)
        if report is None:
            errors += 1
            print(f"{name}: ERROR {err}")
            continue
        for s in report.get("sdks") or []:
            rows += 1
            mapped += s.get("id") is not None
            if s.get("id") is None and any(w in norm(s.get("name")) for w in libraries):
                library_rows += 1
            if perm.search(s.get("name") or ""):
                perm_rows += 1
                if not args.quiet:
                    print(f"{name}: permission-like row: {s.get('name')}")
    print(f"CA4P files={len(files)} errors={errors} sdk rows={rows} with id={mapped} "
          f"share={ratio(mapped, rows)} rows named like a permission={perm_rows}")
    # Open-source libraries named in a policy are disclosed third parties but no SDK: their
    # rows keep `id: null` and are not in the share; this line says how many there are.
    print(f"rows without an id that name an open-source library of libraries.toml={library_rows} "
          f"(share if they counted: {ratio(mapped + library_rows, rows)})")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dir", default=os.path.join(ROOT, "..", "shared", "corpus", "policies-real"))
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "disclose"))
    ap.add_argument("--signatures", default=None)
    ap.add_argument("--quiet", action="store_true")
    ap.add_argument("--ca4p", action="store_true", help="measure CA4P-483 instead")
    ap.add_argument("--ca4p-dir", default=os.path.join(ROOT, "..", "shared", "corpus", "policies", "ca4p-483"))
    args = ap.parse_args()
    if not os.path.isfile(args.bin):
        print(f"{args.bin}: not built (cargo build --release)", file=sys.stderr)
        return 2
    return eval_ca4p(args) if args.ca4p else eval_rows(args)


if __name__ == "__main__":
    sys.exit(main())
