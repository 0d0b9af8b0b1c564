#!/usr/bin/env bash
# Build the synthetic huge-app input: one ~300 MB APK with 60 DEX files, made only of real
# files from the fetched corpus (scripts/fetch-corpus.sh), for memory and speed measurements
# (docs/performance.md, `cargo bench --bench large_input`).
#
#   - AndroidManifest.xml and resources.arsc of Yosemite.apk (a real store app);
#   - 60 DEX entries classes.dex … classes60.dex: the corpus apps' classes*.dex files of at least
#     100 KB, largest first, taken round-robin until there are 60 (so a real class is defined in
#     several DEX files, as in apps that bundle the same library twice);
#   - then real native libraries (lib/<abi>/*.so, renamed lib<name>_<n>.so so each is a separate
#     library) and real assets (Yosemite's assets/, ICU data of the appium server, renamed under
#     assets/large-input/<n>/) until the file reaches 300 MB.
#
# Entries are deflated by Python's zipfile (zlib level 6) except those the source stored, with
# a fixed timestamp, so the same corpus always gives the same bytes. The output is never
# committed: $DISCLOSE_LARGE_INPUT, default ~/.cache/disclose-large/large-60dex.apk.
#
#   scripts/build-large-input.sh            build it if missing
#   scripts/build-large-input.sh --force    rebuild
set -euo pipefail
corpus=${DISCLOSE_CORPUS:-$HOME/.cache/disclose-corpus}
out=${DISCLOSE_LARGE_INPUT:-$HOME/.cache/disclose-large/large-60dex.apk}
force=0
[[ "${1:-}" == "--force" ]] && force=1
if [[ -f "$out" && $force == 0 ]]; then
  echo "build-large-input: $out exists (--force rebuilds)"
  exit 0
fi
apps="$corpus/apps"
for app in Yosemite.apk appium-uiautomator2-server-v10.6.6.apk settings_apk-debug.apk \
  ApiDemos-debug.apk app-uiautomator.apk; do
  [[ -f "$apps/$app" ]] || { echo "build-large-input: $apps/$app missing: run scripts/fetch-corpus.sh" >&2; exit 2; }
done
mkdir -p "$(dirname "$out")"
tmp="$out.part"
python3 - "$apps" "$tmp" <<'PY'
import re, sys, zipfile, pathlib

apps, out = pathlib.Path(sys.argv[1]), sys.argv[2]
DEX_COUNT, TARGET = 60, 300 * 1000 * 1000
STAMP = (2020, 1, 1, 0, 0, 0)
sources = sorted(apps.glob("*.apk"))
zips = {p.name: zipfile.ZipFile(p) for p in sources}
base = zips["Yosemite.apk"]

def copy(dst, src, info, name):
    zi = zipfile.ZipInfo(name, STAMP)
    zi.compress_type = info.compress_type if info.compress_type == zipfile.ZIP_STORED else zipfile.ZIP_DEFLATED
    zi.external_attr = 0o644 << 16
    dst.writestr(zi, src.read(info.filename), compresslevel=6)

dex = [(z, i) for z in zips.values() for i in z.infolist()
       if re.fullmatch(r"classes\d*\.dex", i.filename) and i.file_size >= 100_000]
dex.sort(key=lambda zi: (-zi[1].file_size, zi[0].filename, zi[1].filename))
fill = [(z, i) for z in zips.values() for i in z.infolist()
        if i.file_size >= 200_000 and not i.filename.endswith(".dex")
        and (i.filename.startswith(("lib/", "assets/")) or i.filename.startswith("com/ibm/icu/"))]
fill.sort(key=lambda zi: (-zi[1].file_size, zi[0].filename, zi[1].filename))
if not dex or not fill:
    sys.exit("build-large-input: no dex or no fill entries in the corpus")

with zipfile.ZipFile(out, "w") as dst:
    for name in ("AndroidManifest.xml", "resources.arsc"):
        copy(dst, base, base.getinfo(name), name)
    for n in range(DEX_COUNT):
        z, info = dex[n % len(dex)]
        copy(dst, z, info, "classes.dex" if n == 0 else f"classes{n + 1}.dex")
    n = 0
    while dst.fp.tell() < TARGET:
        z, info = fill[n % len(fill)]
        name = info.filename
        if name.startswith("lib/") and name.endswith(".so") and name.count("/") == 2:
            head, so = name.rsplit("/", 1)
            name = f"{head}/{so[:-3]}_{n}.so"
        else:
            name = f"assets/large-input/{n}/{name.rsplit('/', 1)[-1]}"
        copy(dst, z, info, name)
        n += 1
    print(f"{DEX_COUNT} dex (largest {dex[0][1].file_size} bytes, {dex[0][0].filename}!{dex[0][1].filename}), {n} fill entries")
PY
mv "$tmp" "$out"
ls -l "$out"
