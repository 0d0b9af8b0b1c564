#!/usr/bin/env bash
# Build signatures/fingerprints/<sdk>.toml from the real vendor SDK binaries listed in
# tests/corpus/obfuscation-bench.tsv: the npm packages that scripts/fetch-corpus.sh pins (version
# and sha256 in tests/corpus/packages.tsv), unpacked under $DISCLOSE_CORPUS/npm/. Binaries from
# any other source must not be turned into committed fingerprints.
#
# A row's SDK gets the classes of its binary that no other SDK's package names claim; an SDK in
# a row's last column (bundled in that binary) gets the classes named for it there too.
#
#   scripts/build-fingerprints.sh [path/to/disclose]     (default: target/release/disclose)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
corpus=${DISCLOSE_CORPUS:-$HOME/.cache/disclose-corpus}
disclose=${1:-$here/target/release/disclose}
out="$here/signatures/fingerprints"
mkdir -p "$out"

declare -A own_file=() own_version=() own_source=() host_files=() host_sources=()
declare -a order=()
add_sdk() { [[ " ${order[*]} " == *" $1 "* ]] || order+=("$1"); }
while IFS=$'\t' read -r sdk version pkg path _stmt bundled; do
  [[ -z "$sdk" || "$sdk" == \#* ]] && continue
  src="$corpus/npm/$pkg/$path"
  [[ -f "$src" ]] || { echo "build-fingerprints: $src missing: run scripts/fetch-corpus.sh" >&2; exit 2; }
  pkg_version=$(awk -F'\t' -v p="$pkg" '$1 == "npm" && $2 == p { print $3 }' "$here/tests/corpus/packages.tsv")
  [[ -n "$pkg_version" ]] || { echo "build-fingerprints: $pkg is not pinned in tests/corpus/packages.tsv" >&2; exit 2; }
  add_sdk "$sdk"
  own_file[$sdk]=$src
  own_version[$sdk]=$version
  own_source[$sdk]="npm $pkg@$pkg_version: $path"
  for inner in ${bundled//,/ }; do
    add_sdk "$inner"
    host_files[$inner]="${host_files[$inner]:-}${host_files[$inner]:+$'\n'}$src"
    host_sources[$inner]="${host_sources[$inner]:-}${host_sources[$inner]:+; }bundled in $sdk ${version} (npm $pkg@$pkg_version: $path)"
  done
done <"$here/tests/corpus/obfuscation-bench.tsv"

for sdk in "${order[@]}"; do
  args=()
  [[ -n "${own_file[$sdk]:-}" ]] && args+=("${own_file[$sdk]}")
  while IFS= read -r f; do
    [[ -n "$f" ]] && args+=(--bundled-in "$f")
  done <<<"${host_files[$sdk]:-}"
  version=${own_version[$sdk]:-as bundled}
  source="${own_source[$sdk]:-}"
  [[ -n "${host_sources[$sdk]:-}" ]] && source="${source}${source:+; }${host_sources[$sdk]}"
  "$disclose" signatures fingerprint "${args[@]}" --sdk "$sdk" --version "$version" \
    --source "$source" --out "$out/$sdk.toml"
done
