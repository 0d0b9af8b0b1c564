# Sourced by scripts/build-obfuscation-bench.sh and scripts/build-fingerprints.sh: fetch an npm
# package pinned by version and sha256 of its archive (the rows of tests/corpus/obfuscation-*.tsv
# whose package scripts/fetch-corpus.sh does not pin), unpack it once and print its directory.
#
#   dir=$(pinned_npm_package PACKAGE VERSION SHA256 CACHE_DIR)
pinned_npm_package() {
  local pkg=$1 version=$2 sha=$3 cache=$4
  local dir="$cache/$pkg-$version" tgz="$cache/$pkg-$version.tgz"
  if [[ ! -f "$dir/.complete" ]]; then
    mkdir -p "$cache"
    [[ -f "$tgz" ]] || (cd "$cache" && timeout 300 npm pack -q "$pkg@$version" >/dev/null 2>&1) ||
      { echo "pinned-npm: could not download $pkg@$version from its registry" >&2; return 1; }
    [[ "$(sha256sum "$tgz" | cut -d' ' -f1)" == "$sha" ]] ||
      { echo "pinned-npm: sha256 of $tgz differs (want $sha)" >&2; rm -f "$tgz"; return 1; }
    rm -rf "$dir"; mkdir -p "$dir"; tar xzf "$tgz" -C "$dir"; touch "$dir/.complete"
  fi
  echo "$dir"
}
