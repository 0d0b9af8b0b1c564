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
. "$here/package-apk.sh"

if [ ! -f "$here/debug.keystore" ]; then
    keytool -genkeypair -keystore "$here/debug.keystore" -storepass android -keypass android \
        -alias androiddebugkey -keyalg RSA -keysize 2048 -validity 36500 \
        -dname "CN=Disclose Demo Debug,O=disclose,C=US"
fi

package_apk "$here/smali" "$here/AndroidManifest.xml" "$out" "$here/debug.keystore"
