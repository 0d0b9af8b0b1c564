# Sourced by the APK build scripts (samples/android/build.sh, tests/fixtures/{owners,crumbs}/build.sh):
# package_apk SMALI_DIR MANIFEST OUT KEYSTORE assembles SMALI_DIR with smali, compiles MANIFEST with aapt
# against framework-res.apk, aligns with zipalign and signs OUT with apksigner using KEYSTORE
# (the committed throwaway key samples/android/debug.keystore, password "android"). File times are pinned, so the same
# tools give the same bytes.
package_apk() {
    pkg_keystore=$4
    pkg_framework=/usr/share/android-framework-res/framework-res.apk
    pkg_build=$(mktemp -d)
    smali assemble --api 21 -o "$pkg_build/classes.dex" "$1"
    cp "$2" "$pkg_build/AndroidManifest.xml"
    touch -d '2020-01-01 00:00:00 UTC' "$pkg_build/classes.dex" "$pkg_build/AndroidManifest.xml"
    (
        cd "$pkg_build"
        aapt package -f -M AndroidManifest.xml -I "$pkg_framework" -F unsigned.apk
        aapt add unsigned.apk classes.dex
        zipalign -f -p 4 unsigned.apk aligned.apk
    )
    apksigner sign --ks "$pkg_keystore" --ks-pass pass:android --key-pass pass:android \
        --ks-key-alias androiddebugkey --out "$3" "$pkg_build/aligned.apk"
    rm -f "$3.idsig"
    apksigner verify "$3"
    rm -rf "$pkg_build"
    echo "built $3 ($(sha256sum "$3" | cut -d' ' -f1))"
}
