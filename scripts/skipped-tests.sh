#!/usr/bin/env bash
# Print which tests skipped and why, from the skip log the tests write (tests/support:
# `skipped`), one line per reason with how many tests it hit. `cargo test` shows a test's
# "SKIPPED: …" line only with --nocapture; this is the summary to read after a run.
#
#   scripts/skipped-tests.sh [LOG]    default: $DISCLOSE_SKIP_LOG, else <target>/tmp/skipped-tests.log
#
# Clear the log before a run (`rm -f LOG`) so it describes that run only. Exit status 0.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
log="${1:-${DISCLOSE_SKIP_LOG:-${CARGO_TARGET_DIR:-$root/target}/tmp/skipped-tests.log}}"
if [[ ! -s "$log" ]]; then
  echo "skipped tests: none"
  exit 0
fi
tests=$(cut -d: -f1 "$log" | sort -u | wc -l)
echo "skipped tests: $tests (reasons below; install or fetch what they name to run them)"
# "<binary> <test>: <reason>" → one line per reason, with the tests it hit.
sort -u "$log" | awk -F': ' '{ t = $1; sub(/^[^:]*: /, ""); r[$0] = r[$0] (r[$0] ? ", " : "") t; n[$0]++ }
  END { for (k in r) printf "  %3d × %s\n        %s\n", n[k], k, r[k] }' | cut -c1-400
