#!/usr/bin/env bash
# Regenerates tests/golden/macho/code/*.txt: what each function of an arm64 image references,
# as LLVM 14's disassembler annotates it (a tool we did not write):
#   llvm-objdump --macho -d   "name:" function labels (from the symbol table), and per
#                             instruction "Objc selector ref: S", "Objc class ref: C",
#                             "symbol stub for: F" and "Objc message: …" (a call of the
#                             _objc_msgSend stub).
# One line per (function, kind, name): "<function>\t<kind>\t<name>\t<count>", sorted.
# tests/macho.rs compares the references disclose finds (src/ios/macho/code.rs) with them.
# Input: the arm64 slice of samples/demo.ipa's main executable (unstripped, classic dyld info).
# Usage: tests/golden/macho/regen-code.sh   (needs the Debian packages llvm, python3, unzip)
set -euo pipefail
export PATH=/usr/lib/llvm-14/bin:$PATH
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unzip -q -d "$tmp" "$repo/samples/demo.ipa" Payload/DiscloseDemo.app/DiscloseDemo
llvm-objdump --macho --arch=arm64 -d "$tmp/Payload/DiscloseDemo.app/DiscloseDemo" \
  | python3 -c '
import re, sys, collections
counts, function = collections.Counter(), None
for line in sys.stdin:
    m = re.match(r"^([-+]\[.*\]|_\w+):$", line.rstrip())
    if m:
        function = m.group(1)
        continue
    if function is None:
        continue
    m = re.search(r"; (Objc selector ref|Objc class ref|symbol stub for|Objc message): (.*)$", line)
    if not m:
        continue
    kind, name = m.group(1), m.group(2).strip()
    if kind == "Objc selector ref":
        counts[(function, "selector", name)] += 1
    elif kind == "Objc class ref":
        counts[(function, "class", name.removeprefix("_OBJC_CLASS_$_"))] += 1
    elif kind == "symbol stub for":
        counts[(function, "symbol", name)] += 1
    else:
        counts[(function, "symbol", "_objc_msgSend")] += 1
for (function, kind, name), n in sorted(counts.items()):
    print(f"{function}\t{kind}\t{name}\t{n}")
' > "$here/code/demo-arm64.txt"
wc -l "$here/code/demo-arm64.txt"
