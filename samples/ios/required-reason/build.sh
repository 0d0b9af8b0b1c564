#!/usr/bin/env bash
# Builds samples/ios/required-reason.ipa: an app whose own code uses every required-reason API
# category, with a privacy manifest that declares only file timestamps and user defaults (plus
# one reason code that is not valid for user defaults); an embedded FMDB.framework (an SDK on
# Apple's list) without a manifest; and an embedded RRTiming.framework whose own manifest
# declares what it uses. Same toolchain as ../build.sh: Debian's LLVM 14 (clang, ld64.lld),
# the hand-written .tbd stubs in stubs/, and a deterministic zip.
#
# Run from anywhere: samples/ios/required-reason/build.sh
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
llvm="${LLVM_BIN:-/usr/lib/llvm-14/bin}"
clang="${CLANG:-$llvm/clang}"
ld64="$llvm/ld64.lld"
out="$repo/samples/ios/required-reason.ipa"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export ZERO_AR_DATE=1 SOURCE_DATE_EPOCH=1704067200

app="$work/stage/Payload/RequiredReason.app"
mkdir -p "$app/Frameworks/FMDB.framework" "$app/Frameworks/RRTiming.framework" "$work/obj"

cflags=(-target arm64-apple-ios12.0 -fno-objc-arc -fno-stack-protector -O1 -g0
        -fdebug-prefix-map="$here"=.)
for src in main FMDatabase RRTiming; do
    (cd "$here/src" && "$clang" "${cflags[@]}" -c "$src.m" -o "$work/obj/$src.o")
done
common=(-arch arm64 -platform_version ios 12.0 14.0
        -L "$here/stubs" -F "$here/stubs/Frameworks" -lSystem -lobjc -framework Foundation)
for fw in FMDB:FMDatabase RRTiming:RRTiming; do
    name="${fw%%:*}"; obj="${fw##*:}"
    "$ld64" "${common[@]}" -dylib -install_name "@rpath/$name.framework/$name" \
        -current_version 1.0 -compatibility_version 1.0 \
        -o "$app/Frameworks/$name.framework/$name" "$work/obj/$obj.o"
done
"$ld64" "${common[@]}" -execute -e _main -rpath @executable_path/Frameworks \
    -framework UIKit -o "$app/RequiredReason" "$work/obj/main.o"

cp "$here/resources/Info.plist" "$app/Info.plist"
cp "$here/resources/PrivacyInfo.xcprivacy" "$app/PrivacyInfo.xcprivacy"
cp "$here/resources/FMDB-Info.plist" "$app/Frameworks/FMDB.framework/Info.plist"
cp "$here/resources/RRTiming-Info.plist" "$app/Frameworks/RRTiming.framework/Info.plist"
cp "$here/resources/RRTiming-PrivacyInfo.xcprivacy" \
    "$app/Frameworks/RRTiming.framework/PrivacyInfo.xcprivacy"

python3 - "$work/stage" "$out" <<'PY'
import os, sys, zipfile
staging, out = sys.argv[1], sys.argv[2]
executables = {"RequiredReason", "FMDB", "RRTiming"}
entries = []
for root, dirs, files in os.walk(staging):
    dirs.sort()
    entries += [os.path.relpath(os.path.join(root, f), staging) for f in files]
with zipfile.ZipFile(out, "w") as z:
    for rel in sorted(entries):
        zi = zipfile.ZipInfo(rel, date_time=(2024, 1, 1, 0, 0, 0))
        zi.create_system = 3
        mode = 0o755 if os.path.basename(rel) in executables else 0o644
        zi.external_attr = (0o100000 | mode) << 16
        zi.compress_type = zipfile.ZIP_DEFLATED
        with open(os.path.join(staging, rel), "rb") as f:
            z.writestr(zi, f.read(), compresslevel=9)
PY
sha256sum "$out"
