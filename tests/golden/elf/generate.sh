#!/bin/sh
# Regenerates the ELF golden files with LLVM's tools (Debian `llvm`), not with disclose:
#   <app>/<abi>/<lib>.nm.txt         llvm-nm -D --defined-only -j, sorted (LC_ALL=C), unique
#   <app>/<abi>/<lib>.nm-digest.txt  the same list's line count and sha256, for libraries whose
#                                    list is too large to check in (> 400 names)
#   <app>/<abi>/<lib>.dynamic.txt    the NEEDED and SONAME lines of llvm-readelf -d
# Inputs: the corpus of scripts/fetch-corpus.sh and ../shared/corpus/apps (developer machines).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
corpus=${DISCLOSE_CORPUS:-$HOME/.cache/disclose-corpus}
shared=${DISCLOSE_SHARED:-$here/../../../../shared}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C

golden() { # app dir-with-lib-tree
    app=$1; root=$2
    (cd "$root" && find lib -name '*.so') | sort | while read -r rel; do
        abi=$(basename "$(dirname "$rel")"); lib=$(basename "$rel")
        out="$here/$app/$abi"; mkdir -p "$out"
        llvm-nm -D --defined-only -j "$root/$rel" | sort -u > "$tmp/names"
        if [ "$(wc -l < "$tmp/names")" -gt 400 ]; then
            printf 'count %s\nsha256 %s\n' "$(wc -l < "$tmp/names")" \
                "$(sha256sum < "$tmp/names" | cut -d' ' -f1)" > "$out/$lib.nm-digest.txt"
        else
            cp "$tmp/names" "$out/$lib.nm.txt"
        fi
        llvm-readelf -d "$root/$rel" | grep -E '\((NEEDED|SONAME)\)' > "$out/$lib.dynamic.txt" || true
    done
}

for apk in "$corpus/apps/Yosemite.apk" "$shared/corpus/apps/weibo-sdk-demo-3.1.4.apk" \
           "$shared/corpus/apps/mobsf-diva.apk"; do
    app=$(basename "$apk" .apk)
    mkdir -p "$tmp/$app" && (cd "$tmp/$app" && unzip -q "$apk" 'lib/*')
    golden "$app" "$tmp/$app"
done
# The npm package keeps its libraries under libs/so/<abi>/: present them as lib/<abi>/.
mkdir -p "$tmp/npm/lib"
cp -r "$corpus/npm/cordova-plugin-weibosdk/package/src/android/libs/so/." "$tmp/npm/lib/"
golden npm-cordova-plugin-weibosdk "$tmp/npm"
