#!/usr/bin/env bash
# Regenerates tests/golden/app-identity.tsv: for every real APK the tests know (the fetched
# corpus apps and the ../shared/corpus/apps files), the application label and highest-density
# launcher icon as `aapt dump badging` (Debian's aapt, a reader we did not write) reports them.
# Apps without a label get empty columns. Needs: aapt, scripts/fetch-corpus.sh run first.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${DISCLOSE_CORPUS:-$HOME/.cache/disclose-corpus}
out=tests/golden/app-identity.tsv
{
  printf '# file\tlabel\ticon (highest density)\n'
  for apk in "$corpus"/apps/*.apk ../shared/corpus/apps/*.apk; do
    [[ -f $apk ]] || continue
    badging=$(aapt dump badging "$apk" 2>/dev/null || true)
    label=$(sed -n "s/^application-label:'\(.*\)'$/\1/p" <<<"$badging")
    icon=$( (grep -E "^application-icon-[0-9]+:" <<<"$badging" || true) \
      | (grep -vE "^application-icon-6553[45]:" || true) \
      | sed -E "s/^application-icon-([0-9]+):'(.*)'$/\1\t\2/" \
      | sort -n | tail -1 | cut -f2 || true)
    case $apk in
      ../shared/*) where="shared:${apk#../shared/}" ;;
      *) where="corpus:apps/$(basename "$apk")" ;;
    esac
    printf '%s\t%s\t%s\n' "$where" "$label" "$icon"
  done
} >"$out"
cat "$out"
