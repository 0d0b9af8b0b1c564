#!/usr/bin/env python3
"""Add native-library and manifest-component facts from LibChecker-Rules to our SDK files.

LibChecker-Rules (https://github.com/LibChecker/LibChecker-Rules, Apache-2.0, see
signatures/sdks/LIBCHECKER-LICENSE.md) keeps one JSON file per native library
(`native-libs/libfoo.so.json`) and per manifest component (`services-libs/<class>.json`,
`activities-libs/`, `receivers-libs/`, `providers-libs/`), each with the SDK's `label` and
`team`. Read a checkout (or `git archive` of one) and run:

    python3 scripts/import-libchecker.py /path/to/LibChecker-Rules [signatures/sdks]

(packer files in the sibling `packers/` directory are matched too)

What it does, so the import can be repeated when the rules change:
- a component rule belongs to the SDK file whose Android package prefix covers the component
  class (boundary rule); otherwise to the file whose name or alias equals the rule's label;
- a native-library rule belongs to the file whose name or alias (or LABEL_TO_ID entry) equals the label (after
  lower-casing and dropping spaces, punctuation and the word "sdk"); labels that match no file or
  more than one are reported and skipped: nothing is guessed;
- a fact is added only when no file claims it yet (a library already matched by some file's
  `native_libs` prefix, a component already covered by some file's `components` prefix is
  skipped), as `native_libs` prefix (the file name without `.so`) or `components` entry, plus a
  `native:` / `component:` must-match example and a `libchecker-rules:<path>` source;
- native libraries in SKIP_NATIVE (generic names, libraries another SDK owns) are skipped;
- `regex/` rules are skipped (their patterns live in LibChecker's app, not in the files), and
  so are rules whose JSON does not parse;
- DEX (package-prefix) rules live only in the app's rule database `cloud/rules/v3/rules.db`
  (SQLite, `rules_table` rows of type 5) with a label but no team: they are not imported, they
  are listed when no SDK file or `signatures/libraries.toml` entry covers the prefix, to be
  added by hand with a cited source (labels do not say which of our files they mean).
Files are edited line by line (only the [android] table, `sources` and `[examples]`), so other
fields and their formatting stay as they are. Prints one line per skipped rule and a summary.
"""
import json
import re
import sqlite3
import sys
import tomllib
from pathlib import Path

COMPONENT_DIRS = ["activities-libs", "services-libs", "receivers-libs", "providers-libs"]
# Native libraries not imported, with the reason: names generic enough that unrelated apps ship a
# library of the same name (a prefix match would claim the SDK), or libraries another SDK owns
# that LibChecker files under the SDK bundling them.
SKIP_NATIVE = {
    "libutility": "generic name", "libwind": "generic name", "libed25519": "generic name",
    "libmp3decoder": "generic name", "libvideo_dec": "generic name", "libvideo_enc": "generic name",
    "libcipherdb": "generic name", "libnms": "generic name", "libsecsdk": "generic name",
    "libsigner": "generic name", "libhigh-available": "generic name",
    "libCtaApiLib": "China Telecom's auth library (ctcc-auth), bundled by JVerification",
    "libgtcore": "carrier auth library bundled by JVerification, owner unclear",
    "libexec": "generic name", "libX86Bridge": "generic name", "libhs": "generic name",
    "libwtcrypto": "Tencent login crypto library shipped by several Tencent SDKs, owner unclear",
    "libindoor": "generic name",
    "libadmob": "generic name: the Wannuosili ads SDK ships a libadmob.so of its own (lebox app/libs/wannuosili_ad_1.0.2.aar)",
    "libtobEmbedEncrypt": "ByteDance AppLog library shipped by the China edition 穿山甲 as well as by Pangle",
    "libbuffer_pg": "shipped by the China edition 穿山甲 as well as by Pangle",
    "libfile_lock_pg": "shipped by the China edition 穿山甲 as well as by Pangle",
}
# Component class prefixes not imported, with the reason.
SKIP_COMPONENT = {
    "cn.jpush.android.service.": "JPush 2.x shipped these itself and JCore ships them since the split, "
                                 "so neither jpush.toml nor jcore.toml claims them (see jpush.toml)",
    "com.bytedance.embedapplog.": "ByteDance AppLog, shipped by the China edition 穿山甲 as well as by Pangle",
    "com.bytedance.tea.crash.": "ByteDance crash module, shipped by the China edition 穿山甲 as well as by Pangle",
}
# Labels that name one of our files differently from its name and aliases (reviewed by hand).
LABEL_TO_ID = {
    "腾讯云通信 SDK": "tencent-im", "梆梆安全": "bangcle", "爱加密": "ijiami",
    "360 加固": "qihoo-jiagu", "百度应用加固": "baidu-protect",
}


def norm(s):
    s = s.lower()
    s = re.sub(r"[\s\-_.·()（）:：/]+", "", s)
    return s.replace("sdk", "")


def covered(prefix, name):
    return name == prefix or name.startswith(prefix + ".")


def load_rules(root):
    rules, bad = [], []
    for d in ["native-libs"] + COMPONENT_DIRS:
        for f in sorted((root / d).glob("*.json")):
            try:
                j = json.loads(f.read_text(encoding="utf-8-sig"))
            except (json.JSONDecodeError, UnicodeDecodeError):
                bad.append(f"{d}/{f.name}")
                continue
            if not j.get("label"):
                bad.append(f"{d}/{f.name}")
                continue
            rules.append((d, f.name[: -len(".json")], j["label"], f"{d}/{f.name}"))
    return rules, bad


def toml_list(values):
    return "[" + ", ".join(json.dumps(v, ensure_ascii=False) for v in values) + "]"


def set_list(text, table, key, values):
    """Replace `key = [...]` inside [table] (adding the line, or the table, if absent)."""
    line = f"{key} = {toml_list(values)}"
    m = re.search(rf"^\[{table}\]\n(.*?)(?=^\[|\Z)", text, re.M | re.S)
    if not m:
        block = f"[{table}]\n{line}\n\n"
        ex = re.search(r"^\[examples\]", text, re.M)
        return text[: ex.start()] + block + text[ex.start():]
    body = m.group(1)
    km = re.search(rf"^{key} = \[.*\]$", body, re.M)
    if km:
        body = body[: km.start()] + line + body[km.end():]
    else:
        body = body.rstrip("\n") + "\n" + line + "\n\n" if body.strip() else line + "\n\n"
    return text[: m.start(1)] + body + text[m.end(1):]


def get_list(text, key):
    m = re.search(rf"^{key} = (\[.*\])$", text, re.M)
    return json.loads(m.group(1)) if m else []


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    root = Path(sys.argv[1])
    sdk_dir = Path(sys.argv[2] if len(sys.argv) > 2 else "signatures/sdks")
    sdks, paths = {}, {}
    for d in (sdk_dir, sdk_dir.parent / "packers"):
        for p in sorted(d.glob("*.toml")):
            sdks[p.stem] = tomllib.loads(p.read_text(encoding="utf-8"))
            paths[p.stem] = p
    names = {}
    for label, sid in LABEL_TO_ID.items():
        names.setdefault(norm(label), set()).add(sid)
    for sid, s in sdks.items():
        keys = {s["name"], sid} | set(s.get("aliases", {}).get("en", [])) | set(s.get("aliases", {}).get("zh", []))
        for k in keys:
            if norm(k):
                names.setdefault(norm(k), set()).add(sid)
    native_owner = [(p, sid) for sid, s in sdks.items() for p in s.get("android", {}).get("native_libs", [])]
    comp_owner = [(p, sid) for sid, s in sdks.items() for p in s.get("android", {}).get("components", [])]
    pkg_owner = [(p, sid) for sid, s in sdks.items() for p in s.get("android", {}).get("packages", [])]
    rules, bad = load_rules(root)
    adds = {}  # sid -> {"native": [...], "component": [...], "sources": [...]}
    report = [f"skipped (JSON does not parse or has no label): {b}" for b in bad]
    for kind, key, label, path in rules:
        if kind == "native-libs":
            lib = key[:-3] if key.endswith(".so") else key
            if any(key.startswith(p) for p, _ in native_owner):
                continue
            if lib in SKIP_NATIVE:
                report.append(f"{path}: not imported ({SKIP_NATIVE[lib]})")
                continue
            cands = names.get(norm(label), set())
        else:
            if any(covered(p, key) for p, _ in comp_owner):
                continue
            skip = next((why for p, why in SKIP_COMPONENT.items() if key.startswith(p)), None)
            if skip:
                report.append(f"{path}: not imported ({skip})")
                continue
            cands = {sid for p, sid in pkg_owner if covered(p, key)} or names.get(norm(label), set())
        if len(cands) != 1:
            report.append(f"{path}: label '{label}' matches {len(cands)} files"
                          + (f" ({', '.join(sorted(cands))})" if cands else ""))
            continue
        sid = next(iter(cands))
        a = adds.setdefault(sid, {"native": [], "component": [], "sources": []})
        if kind == "native-libs":
            a["native"].append(lib)
            native_owner.append((lib, sid))
        else:
            a["component"].append(key)
            comp_owner.append((key, sid))
        a["sources"].append(f"libchecker-rules:{path}")
    for sid, a in sorted(adds.items()):
        p = paths[sid]
        text = p.read_text(encoding="utf-8")
        if a["native"]:
            text = set_list(text, "android", "native_libs", get_list_in(text, "native_libs") + a["native"])
        if a["component"]:
            text = set_list(text, "android", "components", get_list_in(text, "components") + a["component"])
        src = get_list(text, "sources")
        text = re.sub(r"^sources = \[.*\]$", lambda _: "sources = " + toml_list(src + [s for s in a["sources"] if s not in src]), text, count=1, flags=re.M)
        ex = [f"native:{n}.so" for n in a["native"]] + [f"component:{c}" for c in a["component"]]
        match = get_list(text, "match")
        text = re.sub(r"^match = \[.*\]$", lambda _: "match = " + toml_list(match + [e for e in ex if e not in match]), text, count=1, flags=re.M)
        p.write_text(text, encoding="utf-8")
        print(f"{sid}: +{len(a['native'])} native libs, +{len(a['component'])} components")
    report += uncovered_dex_rules(root, pkg_owner, sdk_dir)
    for line in report:
        print(line)
    print(f"{sum(len(a['sources']) for a in adds.values())} LibChecker rules added to {len(adds)} files; "
          f"{len(report)} skipped; {len(rules)} rules read", file=sys.stderr)


DEX_RULE_TYPE = 5  # LibChecker's rule type for a DEX package prefix


def uncovered_dex_rules(root, pkg_owner, sdk_dir):
    """The DEX rules of `cloud/rules/v3/rules.db` whose prefix no SDK file or library covers."""
    db = root / "cloud" / "rules" / "v3" / "rules.db"
    if not db.exists():
        return []
    libs = tomllib.loads((sdk_dir.parent / "libraries.toml").read_text(encoding="utf-8"))
    owned = [p for p, _ in pkg_owner] + [p for l in libs.get("library", []) for p in l.get("packages", [])]
    with sqlite3.connect(db) as con:
        rows = con.execute("SELECT name, label FROM rules_table WHERE type = ? AND isRegexRule = 0",
                           (DEX_RULE_TYPE,)).fetchall()
    return [f"cloud/rules/v3/rules.db DEX rule {name} ('{label}'): no SDK file or library covers it"
            for name, label in rows
            if not any(covered(p, name) or covered(name, p) for p in owned)]


def get_list_in(text, key):
    m = re.search(r"^\[android\]\n(.*?)(?=^\[|\Z)", text, re.M | re.S)
    if not m:
        return []
    km = re.search(rf"^{key} = (\[.*\])$", m.group(1), re.M)
    return json.loads(km.group(1)) if km else []


if __name__ == "__main__":
    main()
