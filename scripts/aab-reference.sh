#!/bin/sh
# The reference facts of an Android App Bundle, from tools we did not write, in the format of
# tests/fixtures/aab/expected.txt (`<module> <key>=<value>` lines): for every module,
# `aapt2 dump xmltree` of its protobuf manifest (package, versionCode, versionName, SDK levels,
# permissions) and `dexdump -f` of each of its dex files (class_defs_size).
#
#   scripts/aab-reference.sh app.aab > app.expected.txt
#
# tests/aab.rs (`real_bundles_match_their_reference_facts`) compares `disclose inspect` with
# these files for every X.aab + X.expected.txt in $DISCLOSE_AAB_DIR (real bundles stay local).
# aapt2 dump reads resource containers, not bundles, so each module's manifest is dumped from a
# one-entry zip holding it as AndroidManifest.xml (with the module's resources.pb if present).
set -eu
aab=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
echo "# Written by scripts/aab-reference.sh from aapt2 dump xmltree and dexdump -f output."
for manifest in $(unzip -Z1 "$aab" | grep -E '^[^/]+/manifest/AndroidManifest\.xml$' | sort); do
    module=${manifest%%/*}
    rm -rf m && mkdir m
    unzip -p "$aab" "$manifest" > m/AndroidManifest.xml
    if unzip -Z1 "$aab" | grep -qx "$module/resources.pb"; then
        unzip -p "$aab" "$module/resources.pb" > m/resources.pb
    else
        : > m/resources.pb
    fi
    rm -f m.zip && (cd m && zip -q -X ../m.zip AndroidManifest.xml resources.pb)
    aapt2 dump xmltree --file AndroidManifest.xml m.zip | awk -v m="$module" '
        /^ *E: / { el = $2; depth = index($0, "E:") }
        /^ *A: / {
            if (match($0, /:([A-Za-z]+)\(0x[0-9a-f]+\)=/)) {
                attr = substr($0, RSTART + 1, index(substr($0, RSTART), "(") - 2)
            } else if (match($0, /A: [a-z]+=/)) {
                attr = substr($0, RSTART + 3, RLENGTH - 4)
            } else next
            value = $0; sub(/^[^=]*=/, "", value); sub(/ \(Raw.*$/, "", value); gsub(/"/, "", value)
            if (el == "manifest" && (attr == "package" || attr == "versionCode" || attr == "versionName"))
                print m, attr "=" value
            if (el == "uses-sdk" && (attr == "minSdkVersion" || attr == "targetSdkVersion"))
                print m, attr "=" value
            if ((el == "uses-permission" || el == "uses-permission-sdk-23") && attr == "name")
                print m, "permission=" value
        }'
    for dex in $(unzip -Z1 "$aab" | grep -E "^$module/dex/classes[0-9]*\.dex$" | sort); do
        unzip -p "$aab" "$dex" > classes.dex
        dexdump -f classes.dex 2>/dev/null | awk -v d="$dex" '/class_defs_size/ { print "dex", d "=" $3 }'
    done
done
