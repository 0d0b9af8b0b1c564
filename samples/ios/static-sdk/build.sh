#!/usr/bin/env bash
# Builds samples/ios/static-sdk.ipa: an app whose main executable links two static libraries
# (llvm-ar archives) that define the class names of two SDKs on Apple's list of commonly used
# third-party SDKs, with no framework of their own:
#   - AFNetworking, shipped WITHOUT its resource bundle: no privacy manifest ships for it
#     (`missing-sdk-privacy-manifest` with the classes as evidence);
#   - SDWebImage, shipped with SDWebImage_Privacy.bundle/PrivacyInfo.xcprivacy, as CocoaPods
#     installs a static SDK: nothing to report.
# The app's own manifest declares nothing (its code uses no required-reason API). Same
# toolchain as ../build.sh: Debian's LLVM 14 (clang, llvm-ar, ld64.lld), the .tbd stubs of
# ../required-reason/stubs, and a deterministic zip.
#
# Run from anywhere: samples/ios/static-sdk/build.sh
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
stubs="$here/../required-reason/stubs"
llvm="${LLVM_BIN:-/usr/lib/llvm-14/bin}"
clang="${CLANG:-$llvm/clang}"
ld64="$llvm/ld64.lld"
ar="$llvm/llvm-ar"
out="$repo/samples/ios/static-sdk.ipa"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export ZERO_AR_DATE=1 SOURCE_DATE_EPOCH=1704067200

app="$work/stage/Payload/StaticSdk.app"
mkdir -p "$app/SDWebImage_Privacy.bundle" "$work/obj"

cflags=(-target arm64-apple-ios12.0 -fno-objc-arc -fno-stack-protector -O1 -g0
        -fdebug-prefix-map="$here"=.)
for src in main AFNetworkingLib SDWebImageLib; do
    (cd "$here/src" && "$clang" "${cflags[@]}" -c "$src.m" -o "$work/obj/$src.o")
done
"$ar" rcsD "$work/libAFNetworking.a" "$work/obj/AFNetworkingLib.o"
"$ar" rcsD "$work/libSDWebImage.a" "$work/obj/SDWebImageLib.o"
"$ld64" -arch arm64 -platform_version ios 12.0 14.0 -L "$stubs" -F "$stubs/Frameworks" \
    -lSystem -lobjc -framework Foundation -execute -e _main -ObjC \
    -o "$app/StaticSdk" "$work/obj/main.o" "$work/libAFNetworking.a" "$work/libSDWebImage.a"

cp "$here/resources/Info.plist" "$app/Info.plist"
cp "$here/resources/PrivacyInfo.xcprivacy" "$app/PrivacyInfo.xcprivacy"
cp "$here/resources/SDWebImage-PrivacyInfo.xcprivacy" \
    "$app/SDWebImage_Privacy.bundle/PrivacyInfo.xcprivacy"

python3 - "$work/stage" "$out" <<'PY'
import os, sys, zipfile
staging, out = sys.argv[1], sys.argv[2]
entries = []
for root, dirs, files in os.walk(staging):
    dirs.sort()
    entries += [os.path.relpath(os.path.join(root, f), staging) for f in files]
with zipfile.ZipFile(out, "w") as z:
    for rel in sorted(entries):
        zi = zipfile.ZipInfo(rel, date_time=(2024, 1, 1, 0, 0, 0))
        zi.create_system = 3
        mode = 0o755 if os.path.basename(rel) == "StaticSdk" else 0o644
        zi.external_attr = (0o100000 | mode) << 16
        zi.compress_type = zipfile.ZIP_DEFLATED
        with open(os.path.join(staging, rel), "rb") as f:
            z.writestr(zi, f.read(), compresslevel=9)
PY
sha256sum "$out"
