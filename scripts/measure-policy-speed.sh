#!/usr/bin/env bash
# Whole-process speed of `disclose policy` on the largest accepted policy: builds a ~20 MB
# Chinese and a ~20 MB English plain-text policy by repeating a real seed policy (the
# mingyuan-yunzhushou.zh.txt and cloud-storage-app.en.txt seeds of ../shared/seeds) up to just
# under the 20 MiB size limit, then runs `disclose policy FILE --format json` on each and
# prints user CPU seconds, wall seconds and peak RSS.
#
#   scripts/measure-policy-speed.sh [BINARY]     (default: target/release/disclose)
#
# SEEDS_DIR overrides the seed folder. Prints SKIPPED and exits 0 when the seeds are absent.
# The inputs are written under ${TMPDIR:-/tmp} and removed afterwards; nothing is committed.
# Run it on a quiet machine for wall figures; on a shared one only user time is meaningful.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${1:-$root/target/release/disclose}"
seeds="${SEEDS_DIR:-$root/../shared/seeds}"
limit=$((20 * 1024 * 1024))
if [[ ! -x "$bin" ]]; then
  echo "measure-policy-speed: no binary at $bin (cargo build --release)" >&2
  exit 2
fi
if [[ ! -x /usr/bin/time ]]; then
  echo "measure-policy-speed: needs GNU time at /usr/bin/time" >&2
  exit 2
fi
work="$(mktemp -d "${TMPDIR:-/tmp}/policy-speed.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# Repeats SEED into OUT until one more copy would pass the size limit.
build_input() {
  local seed="$1" out="$2" size copies
  size=$(stat -c %s "$seed")
  copies=$(((limit - 1) / size))
  : >"$out"
  for ((i = 0; i < copies; i++)); do cat "$seed"; done >>"$out"
}

printf '%-6s %10s %8s %8s %10s\n' input bytes user_s wall_s max_rss_mb
for pair in "zh:mingyuan-yunzhushou.zh.txt" "en:cloud-storage-app.en.txt"; do
  lang="${pair%%:*}"
  seed="$seeds/${pair#*:}"
  if [[ ! -f "$seed" ]]; then
    echo "SKIPPED $lang: no seed $seed"
    continue
  fi
  input="$work/policy-20mb.$lang.txt"
  build_input "$seed" "$input"
  stats="$work/time.$lang"
  /usr/bin/time -f '%U %e %M' -o "$stats" "$bin" policy "$input" --format json >/dev/null
  read -r user wall rss <"$stats"
  printf '%-6s %10s %8s %8s %10s\n' "$lang" "$(stat -c %s "$input")" "$user" "$wall" "$((rss / 1024))"
done
