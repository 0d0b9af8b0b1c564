#!/usr/bin/env bash
# The speed target of huge apps (issue 18): `disclose inspect` of an APK against the floor of
# inflating its DEX code single-threaded, `unzip -p INPUT 'classes*.dex' > /dev/null`.
# Each command runs RUNS times (default 3); the minimum user CPU and the minimum wall time are
# kept (the machine may be shared: the least disturbed run). Prints one markdown table row per
# input plus the load average before and after.
#
#   scripts/measure-unzip-floor.sh [--runs N] [--bin target/release/disclose] INPUT...
set -euo pipefail
runs=3
bin=target/release/disclose
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --bin) bin=$2; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) break ;;
  esac
done
[[ $# -gt 0 ]] || { echo "usage: $0 [--runs N] [--bin BIN] INPUT..." >&2; exit 2; }
command -v unzip >/dev/null || { echo "measure-unzip-floor: unzip is not installed" >&2; exit 2; }
[[ -x "$bin" ]] || { echo "measure-unzip-floor: $bin is not built (cargo build --release)" >&2; exit 2; }

# "user wall" seconds of one run of the command (stdout discarded).
one_run() {
  local log
  log=$(mktemp)
  /usr/bin/time -o "$log" -f '%U %e' "$@" > /dev/null 2>&1 || true
  tail -n 1 "$log"
  rm -f "$log"
}

# "min_user min_wall" over $runs runs.
best_of() {
  local u w best_u="" best_w=""
  for _ in $(seq "$runs"); do
    read -r u w < <(one_run "$@")
    if [[ -z "$best_u" ]] || awk "BEGIN{exit !($u < $best_u)}"; then best_u=$u; fi
    if [[ -z "$best_w" ]] || awk "BEGIN{exit !($w < $best_w)}"; then best_w=$w; fi
  done
  echo "$best_u $best_w"
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "| input | unzip user s | unzip wall s | inspect user s | inspect wall s | wall / unzip wall | user / unzip user |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for input in "$@"; do
  [[ -f "$input" ]] || { echo "measure-unzip-floor: $input: no such file" >&2; exit 2; }
  read -r zu zw < <(best_of unzip -p "$input" 'classes*.dex')
  read -r du dw < <(best_of "$bin" inspect "$input" --format json)
  ratio_w=$(awk "BEGIN{ if ($zw > 0) printf \"%.2f\", $dw / $zw; else print \"n/a\" }")
  ratio_u=$(awk "BEGIN{ if ($zu > 0) printf \"%.2f\", $du / $zu; else print \"n/a\" }")
  echo "| $(basename "$input") | $zu | $zw | $du | $dw | $ratio_w | $ratio_u |"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
