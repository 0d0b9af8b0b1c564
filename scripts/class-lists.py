#!/usr/bin/env python3
"""List what an app or SDK package really contains, WITHOUT disclose, to build the ground truth
that `scripts/measure-sdk-recall.py` compares disclose with.

    python3 scripts/class-lists.py OUT_DIR APP [APP ...]

APP is an APK, AAR, JAR, IPA, static library (.a) or Mach-O / ELF binary. For each APP the
script writes OUT_DIR/<file name>/ with

    classes.txt     every class the package defines (dotted Java names from `dexdump` for DEX,
                    from the `.class` entries of jars for JAR/AAR; Objective-C class names from
                    `llvm-nm` symbols `_OBJC_CLASS_$_X` for Mach-O / static libraries)
    packages.txt    the class count per package, up to four name segments, biggest first
                    (what a reviewer reads to decide which SDKs are inside)
    natives.txt     native libraries (`lib/<abi>/*.so`, `jni/<abi>/*.so`) and frameworks
    components.txt  manifest components, meta-data names and permissions (`aapt dump xmltree`
                    for a binary manifest, the text manifest of an AAR)

Tools used, all from outside this project: unzip (Python zipfile), dexdump, aapt, llvm-nm.
Nothing is decided here: the reviewer reads the lists and writes the truth file by hand.
"""
import collections
import io
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

DEX_CLASS = re.compile(r"Class descriptor\s*:\s*'L([^;]+);'")
OBJC_CLASS = re.compile(r"_OBJC_CLASS_\$_([A-Za-z_][A-Za-z0-9_]*)")
XML_NAME = re.compile(r'A: android:name\([^)]*\)="([^"]+)"')
TEXT_NAME = re.compile(r'android:name\s*=\s*"([^"]+)"')
XML_ELEMENT = re.compile(r"^\s*E: ([a-z-]+)")


def dex_classes(data):
    with tempfile.NamedTemporaryFile(suffix=".dex") as f:
        f.write(data)
        f.flush()
        out = subprocess.run(["dexdump", f.name], capture_output=True, text=True,
                             errors="replace").stdout
    return [m.group(1).replace("/", ".") for m in DEX_CLASS.finditer(out)]


def jar_classes(data):
    names = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for n in z.namelist():
            if n.endswith(".class") and not n.startswith("META-INF/"):
                names.append(n[:-len(".class")].replace("/", "."))
    return names


def macho_classes(path):
    out = subprocess.run(["llvm-nm", "-g", "--defined-only", str(path)],
                         capture_output=True, text=True, errors="replace").stdout
    return sorted({m.group(1) for m in OBJC_CLASS.finditer(out)})


def binary_manifest(path):
    out = subprocess.run(["aapt", "dump", "xmltree", str(path), "AndroidManifest.xml"],
                         capture_output=True, text=True, errors="replace").stdout
    found, element = [], None
    for line in out.splitlines():
        e = XML_ELEMENT.match(line)
        if e:
            element = e.group(1)
            continue
        m = XML_NAME.search(line)
        if m and element:
            found.append(f"{element}\t{m.group(1)}")
    return found


def text_manifest(text):
    found = []
    for m in re.finditer(r"<([a-z-]+)\b[^>]*?" + TEXT_NAME.pattern, text, re.S):
        found.append(f"{m.group(1)}\t{m.group(2)}")
    return found


def zip_contents(path):
    classes, natives, components = [], [], []
    with zipfile.ZipFile(path) as z:
        for n in z.namelist():
            base = n.rsplit("/", 1)[-1]
            if re.fullmatch(r"classes\d*\.dex", base) or n.endswith(".dex"):
                classes += dex_classes(z.read(n))
            elif n.endswith(".jar"):
                try:
                    classes += jar_classes(z.read(n))
                except zipfile.BadZipFile:
                    pass
            elif n.endswith(".class"):
                classes.append(n[:-len(".class")].replace("/", "."))
            elif n.endswith(".so"):
                natives.append(n)
            elif ".framework/" in n and n.count("/") >= 1:
                fw = re.search(r"([^/]+\.framework)/", n)
                if fw:
                    natives.append(fw.group(1))
            elif n == "AndroidManifest.xml":
                raw = z.read(n)
                if raw[:4] == b"\x03\x00\x08\x00":
                    components += binary_manifest(path)
                else:
                    components += text_manifest(raw.decode("utf-8", "replace"))
        if path.suffix == ".ipa":
            with tempfile.TemporaryDirectory() as tmp:
                for n in z.namelist():
                    parts = n.split("/")
                    # Payload/X.app/X and Payload/X.app/Frameworks/Y.framework/Y
                    if len(parts) >= 3 and parts[-1] and "." not in parts[-1]:
                        target = Path(tmp) / parts[-1]
                        target.write_bytes(z.read(n))
                        classes += macho_classes(target)
    return classes, sorted(set(natives)), components


def package_counts(classes):
    counts = collections.Counter()
    for c in classes:
        parts = c.split("$", 1)[0].split(".")[:-1]
        counts[".".join(parts[:4]) or "(default package)"] += 1
    return counts


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    out_root = Path(sys.argv[1])
    for arg in sys.argv[2:]:
        path = Path(arg)
        if zipfile.is_zipfile(path):
            classes, natives, components = zip_contents(path)
        else:
            classes, natives, components = macho_classes(path), [], []
        out = out_root / path.name
        out.mkdir(parents=True, exist_ok=True)
        (out / "classes.txt").write_text("\n".join(sorted(set(classes))) + "\n")
        (out / "packages.txt").write_text("".join(
            f"{n}\t{p}\n" for p, n in package_counts(classes).most_common()))
        (out / "natives.txt").write_text("\n".join(natives) + "\n")
        (out / "components.txt").write_text("\n".join(components) + "\n")
        print(f"{path.name}: {len(classes)} classes, {len(natives)} native files, "
              f"{len(components)} manifest names")


if __name__ == "__main__":
    main()
