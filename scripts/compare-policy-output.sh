#!/usr/bin/env bash
# Compares the full `disclose policy FILE --format json` output of two binaries on every real
# policy we have locally (../shared/corpus/policies-real, the CA4P-483 set in
# ../shared/corpus/policies/ca4p-483, the seeds in ../shared/seeds) and on the checked-in
# policy fixtures. Prints one line per differing file (and its first differing lines) and a
# total; exit 1 when any output differs, 0 when all are identical.
#
#   scripts/compare-policy-output.sh OLD_BINARY NEW_BINARY
#
# Used to show that a speed change leaves the reading unchanged. Folders that are absent are
# skipped (SHARED_DIR overrides ../shared). Exit status and the stderr line count as output.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if (($# != 2)); then
  echo "usage: scripts/compare-policy-output.sh OLD_BINARY NEW_BINARY" >&2
  exit 2
fi
old="$1" new="$2"
shared="${SHARED_DIR:-$root/../shared}"
work="$(mktemp -d "${TMPDIR:-/tmp}/policy-compare.XXXXXX")"
trap 'rm -rf "$work"' EXIT

files=()
for dir in "$shared/corpus/policies-real" "$shared/corpus/policies/ca4p-483" "$shared/seeds" \
  "$root/tests/fixtures/policy"; do
  [[ -d "$dir" ]] || { echo "skipped (absent): $dir"; continue; }
  while IFS= read -r -d '' f; do files+=("$f"); done < <(
    find "$dir" -type f \( -name '*.txt' -o -name '*.md' -o -name '*.html' -o -name '*.htm' \) \
      ! -name README.md ! -name BASELINE.md -print0 | sort -z)
done

# Output of BINARY on FILE: stdout, then the exit status and stderr.
run() {
  local bin="$1" file="$2" rc=0
  "$bin" policy "$file" --format json 2>"$work/err" || rc=$?
  echo "exit $rc"
  cat "$work/err"
}

differ=0
for f in "${files[@]}"; do
  run "$old" "$f" >"$work/old.json"
  run "$new" "$f" >"$work/new.json"
  if ! cmp -s "$work/old.json" "$work/new.json"; then
    differ=$((differ + 1))
    echo "DIFFERS: $f"
    diff "$work/old.json" "$work/new.json" | head -8 || true
  fi
done
echo "compared ${#files[@]} policies: $differ differ"
((differ == 0))
