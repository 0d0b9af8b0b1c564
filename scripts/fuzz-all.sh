#!/usr/bin/env bash
# Re-run the fuzzing campaign: every cargo-fuzz target in fuzz/ for SECONDS each (default 60),
# seeded from real files, then one line per target with executions, corpus size and crashes.
#
#   scripts/fuzz-all.sh [SECONDS] [TARGET...]      e.g. scripts/fuzz-all.sh 1800   (30 min each)
#   FUZZ_RUNS=10000000 scripts/fuzz-all.sh 1800      stop each target at 10 M executions or 30 min
#
# Needs a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`). Seeds come from
# samples/, tests/fixtures/ and the corpus scripts/fetch-corpus.sh fetched (real apps and vendor
# SDKs): whole packages for `archive`, and the manifests, dex files, class files, ELF and Mach-O
# binaries, static libraries, plists and policies inside them for the other targets. The
# working corpora (fuzz/corpus/) and crash inputs (fuzz/artifacts/) stay out of git: turn each
# crash into a regression test instead. Exit status: 1 when any target crashed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root/fuzz"
secs="${1:-60}"
shift || true
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  echo "fuzz-all: needs a nightly toolchain and cargo-fuzz (cargo install cargo-fuzz)" >&2
  exit 2
fi
if (($#)); then targets=("$@"); else mapfile -t targets < <(cargo +nightly fuzz list); fi
real="${DISCLOSE_CORPUS_DIR:-$HOME/.cache/disclose-corpus}"
max_seed=$((4 << 20))

# Files under the sample and corpus directories whose name matches one of the globs.
seed_files() {
  find "$root/samples" "$root/tests/fixtures" "$real" -type f \( "$@" \) -size -"$max_seed"c 2>/dev/null | head -200
}

# Copy entries matching an unzip pattern out of every zip package into DIR.
seed_from_zips() {
  local dir="$1" pattern="$2" n=0 zip
  while IFS= read -r zip; do
    n=$((n + 1))
    unzip -qq -o -j "$zip" "$pattern" -d "$dir/z$n" 2>/dev/null || true
  done < <(seed_files -name '*.apk' -o -name '*.ipa' -o -name '*.aar' -o -name '*.jar')
  find "$dir" -mindepth 2 -type f -size -"$max_seed"c -exec sh -c 'for f; do cp "$f" "$0/seed-$(sha256sum "$f" | cut -c1-16)"; done' "$dir" {} + 2>/dev/null || true
  find "$dir" -mindepth 1 -type d -exec rm -rf {} + 2>/dev/null || true
}

seed() {
  local target="$1" dir="$root/fuzz/corpus/$1"
  mkdir -p "$dir"
  [[ -n "$(ls -A "$dir")" ]] && return 0
  case "$target" in
    archive) seed_files -name '*.apk' -o -name '*.ipa' -o -name '*.aar' -o -name '*.jar' -o -name '*.zip' | xargs -r cp -t "$dir" ;;
    axml) seed_from_zips "$dir" 'AndroidManifest.xml' ;;
    arsc) seed_from_zips "$dir" 'resources.arsc' ;;
    proto_xml)
      find "$root/tests/fixtures" "$real" -type f -name '*.aab' 2>/dev/null | head -50 | while IFS= read -r aab; do
        for m in $(unzip -Z1 "$aab" 2>/dev/null | grep -E '^[^/]+/manifest/AndroidManifest\.xml$'); do
          unzip -p "$aab" "$m" > "$dir/seed-$(printf '%s' "$aab$m" | sha256sum | cut -c1-16)"
        done
      done ;;
    resources_pb)
      find "$root/tests/fixtures" "$real" -type f -name '*.aab' 2>/dev/null | head -50 | while IFS= read -r aab; do
        unzip -p "$aab" base/resources.pb > "$dir/seed-$(printf '%s' "$aab" | sha256sum | cut -c1-16)" 2>/dev/null || true
      done ;;
    icon_png)
      seed_files -name '*.png' | xargs -r cp -t "$dir"; seed_from_zips "$dir" '*.png'
      find "$real/downloads" -name '*.tgz' 2>/dev/null | while IFS= read -r tgz; do
        tar -xzf "$tgz" -C "$dir" --wildcards --no-anchored '*.png' 2>/dev/null || true
      done
      find "$dir" -mindepth 2 -type f -name '*.png' -size -"$max_seed"c -exec sh -c 'for f; do cp "$f" "$0/seed-$(sha256sum "$f" | cut -c1-16)"; done' "$dir" {} + 2>/dev/null || true
      find "$dir" -mindepth 1 -type d -exec rm -rf {} + 2>/dev/null || true ;;
    dex) seed_from_zips "$dir" '*.dex' ;;
    classfile) seed_from_zips "$dir" '*.class' ;;
    elf) seed_files -name '*.so' | xargs -r cp -t "$dir"; seed_from_zips "$dir" '*.so' ;;
    macho | fat_reader) seed_files -name '*.dylib' -o -path '*.framework/*' ! -name '*.*' | xargs -r cp -t "$dir" ;;
    ar) seed_files -name '*.a' | xargs -r cp -t "$dir" ;;
    plist) seed_files -name '*.plist'  | xargs -r cp -t "$dir"; seed_from_zips "$dir" '*Info.plist' ;;
    data_safety) find "$root/tests/fixtures" -type f -name '*.csv' -size -"$max_seed"c | head -50 | xargs -r cp -t "$dir" ;;
    fingerprint) cp "$root"/signatures/fingerprints/*.toml "$dir" ;;
    policy)
      seed_files -name '*.txt' -o -name '*.html' -o -name '*.md' | xargs -r cp -t "$dir"
      # The target picks the reader by the first byte (mod 3: HTML, Markdown, text): each seed
      # once more behind '0' and '1', so every shape also reaches the HTML and Markdown readers.
      for f in "$dir"/*; do
        for p in 0 1; do { printf '%s' "$p"; cat "$f"; } >"$f.$p"; done
      done ;;
  esac 2>/dev/null || true
}

printf '%-12s %14s %8s %10s %8s  %s\n' target executions seconds corpus crashes note
status=0
for t in "${targets[@]}"; do
  seed "$t"
  mkdir -p "$root/fuzz/artifacts/$t"
  before=$(find "$root/fuzz/artifacts/$t" -type f | wc -l)
  log="$root/fuzz/artifacts/$t.log"
  rc=0
  start=$SECONDS
  cargo +nightly fuzz run "$t" "$root/fuzz/corpus/$t" -- \
    -max_total_time="$secs" -runs="${FUZZ_RUNS:--1}" -print_final_stats=1 -rss_limit_mb=2048 -timeout=10 >"$log" 2>&1 || rc=$?
  execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || true)
  after=$(find "$root/fuzz/artifacts/$t" -type f | wc -l)
  corpus=$(find "$root/fuzz/corpus/$t" -type f | wc -l)
  note=""
  if ((rc != 0)) && ((after == before)); then note="failed to run (rc $rc): see $log"; status=1; fi
  if ((after > before)); then note="new inputs in fuzz/artifacts/$t"; status=1; fi
  printf '%-12s %14s %8s %10s %8s  %s\n' "$t" "${execs:-?}" "$((SECONDS - start))" "$corpus" "$((after - before))" "$note"
done
exit "$status"
