#!/usr/bin/env bash
# Builds samples/demo.ipa from the Objective-C sources in samples/ios/src with the real LLVM
# toolchain (Debian packages clang, lld, llvm; LLVM 14) and the hand-written .tbd link stubs in
# samples/ios/stubs. No Apple SDK is needed: the sources declare the system classes they use.
#
#   clang -target arm64-apple-ios12.0 / x86_64-apple-ios12.0-simulator   compile
#   ld64.lld                                                              link (dylib + executable)
#   llvm-lipo -create                                                     fat binaries
#   python3 package.py                                                    deterministic zip
#
# The result is not code-signed (there is no signing identity here); everything else is laid out
# as Xcode lays out an IPA. Run from anywhere: samples/ios/build.sh
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
llvm="${LLVM_BIN:-/usr/lib/llvm-14/bin}"
clang="${CLANG:-$llvm/clang}"
ld64="$llvm/ld64.lld"
lipo="$llvm/llvm-lipo"
out="$repo/samples/demo.ipa"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export ZERO_AR_DATE=1 SOURCE_DATE_EPOCH=1704067200

app="$work/stage/Payload/DiscloseDemo.app"
fw="$app/Frameworks/AMapFoundationKit.framework"
mkdir -p "$fw"

cflags=(-fno-objc-arc -fno-stack-protector -O1 -g0 -fdebug-prefix-map="$here"=.)
archs=(arm64 x86_64)
declare -A target=([arm64]=arm64-apple-ios12.0 [x86_64]=x86_64-apple-ios12.0-simulator)
declare -A platform=([arm64]=ios [x86_64]=ios-simulator)

for arch in "${archs[@]}"; do
    obj="$work/obj/$arch"
    mkdir -p "$obj" "$work/fw/$arch/AMapFoundationKit.framework"
    for src in app/main.m sdk/JPUSHService.m sdk/UMConfigure.m sdk/AMapLocationManager.m \
               sdk/Bugly.m AMapFoundationKit/AMapServices.m; do
        (cd "$here/src" && "$clang" -target "${target[$arch]}" "${cflags[@]}" -c "$src" \
            -o "$obj/$(basename "$src" .m).o")
    done
    common=(-arch "$arch" -platform_version "${platform[$arch]}" 12.0 14.0
            -L "$here/stubs" -F "$here/stubs/Frameworks" -lSystem -lobjc)
    # The embedded dynamic framework.
    "$ld64" "${common[@]}" -dylib \
        -install_name @rpath/AMapFoundationKit.framework/AMapFoundationKit \
        -current_version 1.8.2 -compatibility_version 1.0 \
        -framework Foundation -framework UIKit \
        -o "$work/fw/$arch/AMapFoundationKit.framework/AMapFoundationKit" "$obj/AMapServices.o"
    # The main executable: first-party code plus the statically linked SDK imitations.
    "$ld64" "${common[@]}" -execute -e _main -rpath @executable_path/Frameworks \
        -F "$work/fw/$arch" -framework AMapFoundationKit \
        -framework Foundation -framework CoreFoundation -framework UIKit \
        -framework AdSupport -framework AppTrackingTransparency -framework CoreLocation \
        -framework CoreTelephony -framework SystemConfiguration \
        -o "$work/DiscloseDemo-$arch" \
        "$obj/main.o" "$obj/JPUSHService.o" "$obj/UMConfigure.o" \
        "$obj/AMapLocationManager.o" "$obj/Bugly.o"
done

"$lipo" -create "$work/DiscloseDemo-arm64" "$work/DiscloseDemo-x86_64" -output "$app/DiscloseDemo"
"$lipo" -create "$work/fw/arm64/AMapFoundationKit.framework/AMapFoundationKit" \
    "$work/fw/x86_64/AMapFoundationKit.framework/AMapFoundationKit" -output "$fw/AMapFoundationKit"

cp "$here/resources/Info.plist" "$app/Info.plist"
cp "$here/resources/PrivacyInfo.xcprivacy" "$app/PrivacyInfo.xcprivacy"
printf 'APPL????' > "$app/PkgInfo"
cp "$here/resources/AMapFoundationKit-Info.plist" "$fw/Info.plist"
cp "$here/resources/AMapFoundationKit-PrivacyInfo.xcprivacy" "$fw/PrivacyInfo.xcprivacy"

rm -f "$out"
python3 "$here/package.py" "$work/stage" "$out"
sha256sum "$out"
