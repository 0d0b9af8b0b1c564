#!/usr/bin/env bash
# Regenerates the Mach-O golden files from LLVM 14's own tools (tools we did not write):
#   llvm-objdump --macho --universal-headers  -> the architectures of a fat file
#   llvm-objdump --macho --private-headers    -> linked dylibs (LC_*_DYLIB), LC_ID_DYLIB, and
#                                                which archive members are Mach-O (not bitcode)
#   llvm-otool -ov                            -> ObjC classes (__objc_classlist → class_ro_t name)
#   llvm-nm --no-llvm-bc -u                   -> undefined (imported) symbols from the Mach-O
#                                                symbol table (not from an embedded __LLVM,__bitcode)
# One file per (binary, arch): tests/golden/macho/<name>/<arch>.txt. tests/macho.rs and
# tests/ar.rs compare disclose's readers with them.
#
# Inputs: the pinned corpus ($DISCLOSE_CORPUS, default ~/.cache/disclose-corpus, from
# scripts/fetch-corpus.sh), ../shared/corpus/apps beside the repository ($DISCLOSE_SHARED overrides
# ../shared), and the fixture built by
# tests/fixtures/macho/chained/build.sh.
# Usage: tests/golden/macho/regen.sh   (needs the Debian packages llvm, python3, unzip)
set -euo pipefail
export PATH=/usr/lib/llvm-14/bin:$PATH
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
corpus=${DISCLOSE_CORPUS:-$HOME/.cache/disclose-corpus}/npm
shared=${DISCLOSE_SHARED:-$repo/../shared}/corpus/apps
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# name | path
inputs=(
  "Bugly|$corpus/cordova-plugin-bugly-sdk/package/src/ios/Bugly.framework/Bugly"
  "TencentOpenAPI|$corpus/cordova-plugin-qqsdk/package/src/ios/TencentOpenAPI.framework/TencentOpenAPI"
  "AlipaySDK|$corpus/cordova-plugin-alipay-v2/package/src/ios/lib/AlipaySDK.framework/AlipaySDK"
  "UMCommon|$corpus/react-native-umeng-analytics/package/ios/common_ios_1.4.2/normal/UMCommon.framework/UMCommon"
  "UMAnalytics|$corpus/react-native-umeng-analytics/package/ios/analytics_ios_5.4.1/UMAnalytics.framework/UMAnalytics"
  "FBSDKCoreKit|$corpus/cordova-plugin-facebook4/package/src/ios/FBSDKCoreKit.framework/FBSDKCoreKit"
  "libWeiboSDK|$corpus/cordova-plugin-weibosdk/package/src/ios/libWeiboSDK/libWeiboSDK.a"
  "libWeChatSDK|$corpus/react-native-wechat/package/ios/libWeChatSDK.a"
  "mobsf-fat.dylib|$shared/mobsf-fat.dylib"
  "mobsf-static-lib|$shared/mobsf-static-lib.a"
  "chained|$repo/tests/fixtures/macho/chained/App"
)
for ipa in weibo-sdk-demo-2013 mobsf-helloworld; do
  mkdir -p "$tmp/$ipa"
  unzip -q -o "$shared/$ipa.ipa" 'Payload/*' -d "$tmp/$ipa"
  plist=$(ls "$tmp/$ipa"/Payload/*.app/Info.plist)
  exe=$(python3 -c 'import plistlib,sys; print(plistlib.load(open(sys.argv[1],"rb"))["CFBundleExecutable"])' "$plist")
  inputs+=("$ipa.ipa|$(dirname "$plist")/$exe")
done

for entry in "${inputs[@]}"; do
  name=${entry%%|*}
  file=${entry#*|}
  if [ ! -f "$file" ]; then
    echo "missing $file (run scripts/fetch-corpus.sh)" >&2
    exit 1
  fi
  rm -rf "${here:?}/$name"
  mkdir -p "$here/$name"
  archs=$(llvm-objdump --macho --universal-headers "$file" | awk '/^architecture /{print $2}')
  if [ -z "$archs" ]; then
    archs=thin
  fi
  for arch in $archs; do
    flag=()
    otool_flag=()
    if [ "$arch" != thin ]; then flag=(--arch="$arch"); otool_flag=(-arch "$arch"); fi
    llvm-objdump --macho --private-headers "${flag[@]}" "$file" >"$tmp/headers" 2>/dev/null || true
    llvm-otool -ov "${otool_flag[@]}" "$file" >"$tmp/objc" 2>/dev/null || true
    llvm-nm --no-llvm-bc -u "${flag[@]}" "$file" >"$tmp/undef" 2>/dev/null || true
    llvm-nm --no-llvm-bc --defined-only -j "${flag[@]}" "$file" >"$tmp/defined" 2>/dev/null || true
    python3 - "$tmp" "$here/$name" "$arch" "$file" <<'PY'
import re, sys
tmp, outdir, arch, path = sys.argv[1:5]
headers = open(f"{tmp}/headers", errors="replace").read().splitlines()
objc = open(f"{tmp}/objc", errors="replace").read().splitlines()
undef = open(f"{tmp}/undef", errors="replace").read().splitlines()
defined = open(f"{tmp}/defined", errors="replace").read().splitlines()

def member(line):
    m = re.match(r"^/.*\((.+)\):$", line)
    return m.group(1) if m else None

# Mach-O members (an archive member whose heading is followed by "Mach header"); bitcode
# members get no Mach header from llvm-objdump.
macho_members, dylibs, ids = set(), [], []
cputype = None
for i, line in enumerate(headers):
    m = member(line)
    if m and i + 1 < len(headers) and headers[i + 1] == "Mach header":
        macho_members.add(m)
    if cputype is None and re.match(r"^\s*MH_MAGIC", line):
        f = line.split()
        cputype = (f[1], f[2])
    c = re.match(r"^\s+cmd (LC_\w*DYLIB)$", line)
    if c:
        for nxt in headers[i + 1:i + 6]:
            n = re.match(r"^\s+name (.*) \(offset \d+\)$", nxt)
            if n:
                (ids if c.group(1) == "LC_ID_DYLIB" else dylibs).append(f"{c.group(1)} {n.group(1)}")
                break
is_archive = any(l.startswith("Archive : ") for l in headers)
if arch == "thin":
    names = {("ARM", "V7"): "armv7", ("ARM", "V7S"): "armv7s", ("ARM64", "ALL"): "arm64",
             ("ARM64", "E"): "arm64e", ("X86_64", "ALL"): "x86_64", ("I386", "ALL"): "i386"}
    arch = names.get(cputype, "unknown")

# ObjC classes: each __objc_classlist entry, then the first class_ro_t "name" (indented with
# spaces only; method names are indented with tabs).
classes, in_list, want = set(), False, False
for line in objc:
    if line.startswith("Contents of ("):
        in_list = line.endswith(",__objc_classlist) section")
        want = False
        continue
    if member(line):
        in_list = want = False
        continue
    if not in_list:
        continue
    if re.match(r"^[0-9a-f]{8,16} ", line):
        want = True
        continue
    n = re.match(r"^ +name 0x[0-9a-f]+ (.+)$", line)
    if want and n:
        classes.add(n.group(1))
        want = False
    if line.strip() == "Meta Class":
        want = False

# Symbols listed by llvm-nm, only from Mach-O members of an archive.
def nm_symbols(lines):
    names, keep = set(), True
    for line in lines:
        m = member(line)
        if m is not None:
            keep = m in macho_members
            continue
        if line.endswith(":") or not line.strip():
            continue
        if keep:
            names.add(line.split()[-1])
    return names

imports = nm_symbols(undef)
# llvm-otool 14 cannot follow chained-fixup pointers (it prints them raw), so for the
# chained-fixups fixture the class list is checked against the defined class symbols instead.
class_symbols = {s[len("_OBJC_CLASS_$_"):] for s in nm_symbols(defined) if s.startswith("_OBJC_CLASS_$_")}

with open(f"{outdir}/{arch}.txt", "w") as out:
    out.write(f"# {arch} of {path.split('/')[-1]}: generated by tests/golden/macho/regen.sh from "
              "llvm-objdump, llvm-otool -ov and llvm-nm -u (LLVM 14); do not edit\n")
    if is_archive:
        out.write(f"[macho-members]\n{len(macho_members)}\n")
    out.write("[id]\n" + "".join(f"{l}\n" for l in ids))
    out.write("[dylibs]\n" + "".join(f"{l}\n" for l in dylibs))
    out.write("[objc-classes]\n" + "".join(f"{c}\n" for c in sorted(classes)))
    out.write("[objc-class-symbols]\n" + "".join(f"{c}\n" for c in sorted(class_symbols)))
    out.write("[imported-symbols]\n" + "".join(f"{s}\n" for s in sorted(imports)))
PY
  done
  echo "$name: $(ls "$here/$name" | tr '\n' ' ')"
done
