#!/bin/sh
# Rebuilds samples/demo.apk from the smali sources and AndroidManifest.xml in this folder with
# the real Android toolchain as packaged by Debian (apt-get install -y smali aapt zipalign
# apksigner android-framework-res; keytool comes with the JDK):
#   smali 2.5.2     assembles smali/ into classes.dex
#   aapt 0.2        compiles AndroidManifest.xml to binary XML against framework-res.apk
#   zipalign        aligns the entries (-p 4)
#   apksigner 0.9   signs with debug.keystore (a throwaway key, committed on purpose;
#                   store and key password "android")
# Determinism: file times are pinned (SOURCE_DATE_EPOCH-style) before packaging, so the same
# tools produce the same bytes; `sha256sum samples/demo.apk` shows whether a rebuild changed it.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../demo.apk"
framework=/usr/share/android-framework-res/framework-res.apk
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT

if [ ! -f "$here/debug.keystore" ]; then
    keytool -genkeypair -keystore "$here/debug.keystore" -storepass android -keypass android \
        -alias androiddebugkey -keyalg RSA -keysize 2048 -validity 36500 \
        -dname "CN=Disclose Demo Debug,O=disclose,C=US"
fi

smali assemble --api 21 -o "$build/classes.dex" "$here/smali"
cp "$here/AndroidManifest.xml" "$build/"
touch -d '2020-01-01 00:00:00 UTC' "$build/classes.dex" "$build/AndroidManifest.xml"
(
    cd "$build"
    aapt package -f -M AndroidManifest.xml -I "$framework" -F unsigned.apk
    aapt add unsigned.apk classes.dex
    zipalign -f -p 4 unsigned.apk aligned.apk
)
apksigner sign --ks "$here/debug.keystore" --ks-pass pass:android --key-pass pass:android \
    --ks-key-alias androiddebugkey --out "$out" "$build/aligned.apk"
rm -f "$out.idsig"
apksigner verify "$out"
echo "built $out ($(sha256sum "$out" | cut -d' ' -f1))"
