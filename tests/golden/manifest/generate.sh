#!/bin/sh
# Regenerates the manifest golden files with aapt (Debian `aapt`), not with disclose:
#   <app>.aapt-permissions.txt  aapt dump permissions APK
#   <app>.aapt-badging.txt      the package/sdkVersion/targetSdkVersion/maxSdkVersion lines of
#                               aapt dump badging APK
#   <app>.aapt-xmltree.txt      aapt dump xmltree APK AndroidManifest.xml (three apps)
# Inputs: the corpus of scripts/fetch-corpus.sh and ../shared/corpus/apps (developer machines).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
corpus=${DISCLOSE_CORPUS:-$HOME/.cache/disclose-corpus}
shared=${DISCLOSE_SHARED:-$here/../../../../shared}
for apk in "$corpus"/apps/*.apk "$shared"/corpus/apps/*.apk "$here/../../../samples/demo.apk"; do
    app=$(basename "$apk" .apk)
    aapt dump permissions "$apk" > "$here/$app.aapt-permissions.txt"
    aapt dump badging "$apk" | grep -E '^(package|sdkVersion|targetSdkVersion|maxSdkVersion):' \
        > "$here/$app.aapt-badging.txt"
done
for apk in "$corpus/apps/Yosemite.apk" "$corpus/apps/settings_apk-debug.apk" \
           "$shared/corpus/apps/weibo-sdk-demo-3.1.4.apk" "$here/../../../samples/demo.apk"; do
    aapt dump xmltree "$apk" AndroidManifest.xml > "$here/$(basename "$apk" .apk).aapt-xmltree.txt"
done
