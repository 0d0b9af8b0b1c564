#!/usr/bin/env python3
"""Strict lint of signatures/sdks/*.toml and signatures/packers/*.toml.

Mirrors src/signatures/schema.rs (`SdkFile` and friends, every struct deny_unknown_fields)
and adds the cross-file rules of issue 4: ids are kebab-case, unique and equal to the file
stem; every file has a signature, sources, and must-match / must-not-match examples that
agree with its own fields under the boundary rule; no alias names two files; no two files claim overlapping Android
package / component prefixes, native-library prefixes, meta-data keys, iOS class prefixes,
classes, frameworks or libraries; `data` holds only taxonomy ids; anything derived from the
Exodus tracker list carries license = "ODbL-1.0".

Usage: python3 scripts/check-signature-data.py [SIGNATURES_DIR]   (default: signatures)
Exit status 0 when clean, 1 with one line per problem otherwise.
"""
import re
import sys
import tomllib
from pathlib import Path

# The fixed taxonomy ids (TAXONOMY-IDS.md); ids added in signatures/taxonomy.toml are
# accepted too when that file exists.
FIXED_TAXONOMY = """
device device.identifier device.imei device.android_id device.oaid device.advertising_id
device.idfv device.serial device.imsi device.iccid device.mac device.info
network network.bssid network.ssid network.ip network.carrier network.state
location location.precise location.coarse location.cell
apps apps.installed apps.running
biometric biometric.face biometric.fingerprint
clipboard contacts call_log sms calendar photos storage camera microphone phone_number
accounts sensors bluetooth health
""".split()

STR = "string"
LIST = "list"
SCHEMA = {
    "id": (STR, True), "kind": (STR, False), "name": (STR, True), "vendor": (STR, False),
    "vendor_zh": (LIST, False), "category": (STR, True), "country": (STR, False),
    "aliases": ({"zh": LIST, "en": LIST}, False),
    "android": ({"packages": LIST, "components": LIST, "meta_data": LIST,
                 "native_libs": LIST, "assets": LIST}, False),
    "ios": ({"frameworks": LIST, "libraries": LIST, "class_prefixes": LIST,
             "classes": LIST}, False),
    "data": (LIST, False), "data_undocumented": (STR, False), "privacy_policy": (STR, False), "website": (STR, False),
    "sources": (LIST, True), "license": (STR, False), "notes": (STR, False),
    "examples": ({"match": LIST, "no_match": LIST}, True),
}
KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
DOTTED = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z_$][A-Za-z0-9_$]*)*$")
EXAMPLE_KINDS = {"android", "component", "meta", "native", "asset", "ios", "framework",
                 "library", "alias"}


def boundary_prefix(prefix, name):
    """`com.amap.api` matches `com.amap.api` and `com.amap.api.X`, not `com.amap.apix`."""
    return name == prefix or name.startswith(prefix + ".")


def asset_name(path):
    return path[len("assets/"):] if path.startswith("assets/") else path


def matches(sdk, kind, value):
    a = sdk.get("android", {})
    i = sdk.get("ios", {})
    if kind == "android":
        return any(boundary_prefix(p, value) for p in a.get("packages", []))
    if kind == "component":
        return any(boundary_prefix(p, value) for p in a.get("components", []))
    if kind == "meta":
        return value in a.get("meta_data", [])
    if kind == "native":
        return any(value.startswith(p) for p in a.get("native_libs", []))
    if kind == "asset":
        return any(asset_name(value).startswith(p) for p in a.get("assets", []))
    if kind == "ios":
        return value in i.get("classes", []) or any(
            value.startswith(p) for p in i.get("class_prefixes", []))
    if kind == "framework":
        return value in i.get("frameworks", [])
    if kind == "library":
        return value in i.get("libraries", [])
    if kind == "alias":
        names = [sdk.get("name", "")] + sdk.get("aliases", {}).get("zh", []) + \
            sdk.get("aliases", {}).get("en", [])
        return value.casefold() in {n.casefold() for n in names}
    return False


def check_types(sdk, where, errors):
    for key, value in sdk.items():
        if key not in SCHEMA:
            errors.append(f"{where}: unknown field `{key}`")
            continue
        typ, _ = SCHEMA[key]
        if isinstance(typ, dict):
            if not isinstance(value, dict):
                errors.append(f"{where}: `{key}` must be a table")
                continue
            for sub, subval in value.items():
                if sub not in typ:
                    errors.append(f"{where}: unknown field `{key}.{sub}`")
                elif not (isinstance(subval, list) and all(isinstance(x, str) for x in subval)):
                    errors.append(f"{where}: `{key}.{sub}` must be a list of strings")
        elif typ == STR and not isinstance(value, str):
            errors.append(f"{where}: `{key}` must be a string")
        elif typ == LIST and not (isinstance(value, list) and all(isinstance(x, str) for x in value)):
            errors.append(f"{where}: `{key}` must be a list of strings")
    for key, (typ, required) in SCHEMA.items():
        if required and key not in sdk:
            errors.append(f"{where}: missing required field `{key}`")
        if isinstance(typ, dict) and required and key in sdk:
            for sub in typ:
                if sub not in sdk[key]:
                    errors.append(f"{where}: missing required field `{key}.{sub}`")


def check_file(path, expected_kind, taxonomy, errors):
    where = str(path)
    try:
        sdk = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        errors.append(f"{where}: not valid TOML: {err}")
        return None
    before = len(errors)
    check_types(sdk, where, errors)
    if len(errors) > before:
        return None
    sid = sdk["id"]
    if not KEBAB.match(sid):
        errors.append(f"{where}: id `{sid}` is not kebab-case")
    if sid != path.stem:
        errors.append(f"{where}: id `{sid}` differs from the file stem `{path.stem}`")
    kind = sdk.get("kind", "sdk")
    if kind not in ("sdk", "packer"):
        errors.append(f"{where}: kind `{kind}` is neither sdk nor packer")
    if kind != expected_kind:
        errors.append(f"{where}: kind `{kind}` in a directory of `{expected_kind}` files")
    if (kind == "packer") != (sdk["category"] == "packer"):
        errors.append(f"{where}: category `packer` goes with kind = \"packer\" and only with it")
    for key in ("name", "category"):
        if not sdk[key].strip():
            errors.append(f"{where}: `{key}` is empty")
    country = sdk.get("country")
    if country is not None and not re.fullmatch(r"[A-Z]{2}", country):
        errors.append(f"{where}: country `{country}` is not an ISO 3166 alpha-2 code")
    for key in ("privacy_policy", "website"):
        url = sdk.get(key)
        if url is not None and not re.match(r"https?://\S+$", url):
            errors.append(f"{where}: `{key}` is not an http(s) URL: {url}")
    if not sdk["sources"]:
        errors.append(f"{where}: `sources` is empty")
    if any(s.startswith("exodus:") for s in sdk["sources"]) and sdk.get("license") != "ODbL-1.0":
        errors.append(f"{where}: derived from the Exodus list but license is not ODbL-1.0")
    for d in sdk.get("data", []):
        if d not in taxonomy:
            errors.append(f"{where}: data `{d}` is not a taxonomy id")
    if len(set(sdk.get("data", []))) != len(sdk.get("data", [])):
        errors.append(f"{where}: duplicate entries in `data`")
    if "data" in sdk and "data_undocumented" in sdk:
        errors.append(f"{where}: `data` and `data_undocumented` exclude each other")
    if "data_undocumented" in sdk and not sdk["data_undocumented"].strip():
        errors.append(f"{where}: `data_undocumented` is empty")
    if sdk.get("kind", "sdk") == "sdk" and "data" not in sdk and "data_undocumented" not in sdk:
        errors.append(f"{where}: neither vendor-documented `data` nor `data_undocumented` (what was searched)")
    a = sdk.get("android", {})
    i = sdk.get("ios", {})
    evidence = sum(len(v) for v in a.values()) + sum(len(v) for v in i.values())
    if evidence == 0:
        errors.append(f"{where}: empty signature (no android or ios evidence)")
    for key in ("packages", "components"):
        for p in a.get(key, []):
            if not DOTTED.match(p):
                errors.append(f"{where}: android.{key} `{p}` is not a dotted Java name")
    for section, table in (("android", a), ("ios", i), ("aliases", sdk.get("aliases", {}))):
        for key, values in table.items():
            if len(set(values)) != len(values):
                errors.append(f"{where}: duplicate entries in `{section}.{key}`")
            if any(not v.strip() for v in values):
                errors.append(f"{where}: empty string in `{section}.{key}`")
    # Within one file, a prefix covered by another prefix of the same list is dead weight.
    for key in ("packages", "components"):
        ps = a.get(key, [])
        for p in ps:
            for q in ps:
                if p != q and boundary_prefix(q, p):
                    errors.append(f"{where}: android.{key} `{p}` is already covered by `{q}`")
    ex = sdk["examples"]
    for label, want in (("match", True), ("no_match", False)):
        if len(set(ex[label])) != len(ex[label]):
            errors.append(f"{where}: duplicate entries in examples.{label}")
        if not ex[label]:
            errors.append(f"{where}: examples.{label} is empty")
        for e in ex[label]:
            kind_, sep, value = e.partition(":")
            if not sep or kind_ not in EXAMPLE_KINDS or not value:
                errors.append(f"{where}: example `{e}` is not KIND:VALUE with a known KIND")
                continue
            if matches(sdk, kind_, value) != want:
                verb = "is not matched" if want else "is matched"
                errors.append(f"{where}: examples.{label} `{e}` {verb} by the signature")
    return sdk


def overlap_checks(sdks, errors):
    def pairs(key_fn, related, what):
        owners = []
        for sid, sdk in sdks:
            for v in key_fn(sdk):
                owners.append((v, sid))
        owners.sort()
        # Sorting puts every boundary-prefix right before the names it covers; compare
        # each entry with the following ones while they still share its text as a prefix.
        for idx, (v, sid) in enumerate(owners):
            for w, other in owners[idx + 1:]:
                if not w.startswith(v):
                    break
                if other != sid and related(v, w):
                    errors.append(f"overlap: {what} `{v}` ({sid}) and `{w}` ({other})")

    def android(key):
        return lambda s: s.get("android", {}).get(key, [])

    def ios(key):
        return lambda s: s.get("ios", {}).get(key, [])

    pairs(android("packages"), boundary_prefix, "android package")
    pairs(android("components"), boundary_prefix, "manifest component")
    pairs(android("meta_data"), lambda v, w: v == w, "meta-data key")
    pairs(android("native_libs"), lambda v, w: w.startswith(v), "native library prefix")
    pairs(android("assets"), lambda v, w: w.startswith(v), "asset")
    pairs(lambda s: s.get("ios", {}).get("class_prefixes", []) + s.get("ios", {}).get("classes", []),
          lambda v, w: w.startswith(v), "iOS class prefix/class")
    pairs(ios("frameworks"), lambda v, w: v == w, "iOS framework")
    pairs(ios("libraries"), lambda v, w: v == w, "iOS library")


def alias_checks(sdks, errors):
    """A name a policy writes must resolve to one file, or the declaration is ambiguous."""
    owners = {}
    for sid, sdk in sdks:
        names = [sdk["name"]] + sdk.get("aliases", {}).get("zh", []) + sdk.get("aliases", {}).get("en", [])
        for n in {n.casefold() for n in names}:
            if n in owners and owners[n] != sid:
                errors.append(f"ambiguous alias: `{n}` names both {owners[n]} and {sid}")
            owners.setdefault(n, sid)


def main():
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "signatures")
    taxonomy = set(FIXED_TAXONOMY)
    tax_file = root / "taxonomy.toml"
    if tax_file.exists():
        try:
            taxonomy |= {t["id"] for t in tomllib.loads(tax_file.read_text("utf-8")).get("type", [])}
        except (tomllib.TOMLDecodeError, KeyError, TypeError):
            pass
    errors = []
    loaded = []
    ids = {}
    for sub, kind in (("sdks", "sdk"), ("packers", "packer")):
        for path in sorted((root / sub).glob("*.toml")):
            sdk = check_file(path, kind, taxonomy, errors)
            if sdk is None:
                continue
            if sdk["id"] in ids:
                errors.append(f"{path}: duplicate id `{sdk['id']}` (also {ids[sdk['id']]})")
            ids[sdk["id"]] = path
            loaded.append((sdk["id"], sdk))
    overlap_checks(loaded, errors)
    alias_checks(loaded, errors)
    sdk_count = sum(1 for _, s in loaded if s.get("kind", "sdk") == "sdk")
    cn = sum(1 for _, s in loaded if s.get("kind", "sdk") == "sdk" and s.get("country") == "CN")
    packers = len(loaded) - sdk_count
    for e in errors:
        print(e)
    print(f"{sdk_count} SDK files ({cn} CN), {packers} packer files, {len(errors)} problems",
          file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
