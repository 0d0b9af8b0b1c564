#!/usr/bin/env bash
# Whole-process speed of `disclose policy` on the largest accepted policy: builds a ~20 MB
# Chinese and a ~20 MB English plain-text policy by repeating a real seed policy (the
# mingyuan-yunzhushou.zh.txt and cloud-storage-app.en.txt seeds of ../shared/seeds) up to just
# under the 20 MiB size limit, then runs `disclose policy FILE --format json` on each and
# prints user CPU seconds, wall seconds and peak RSS. Two more inputs have the other shape a
# 20 MB policy takes, one huge SDK table: a Markdown pipe table and an HTML table of SDK rows
# (name, vendor, purpose, data types, link) under one header, rows cycling through a few
# real-shaped ones, up to the same size.
#
#   scripts/measure-policy-speed.sh [BINARY]     (default: target/release/disclose)
#
# SEEDS_DIR overrides the seed folder. Prints SKIPPED for a seed that is absent.
# The inputs are written under ${TMPDIR:-/tmp} and removed afterwards (KEEP_INPUTS=DIR writes
# them to DIR and keeps them, for a profiler); nothing is committed.
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
if [[ -n "${KEEP_INPUTS:-}" ]]; then
  # The inputs stay in this folder (for a profiler); it is created if absent.
  work="$KEEP_INPUTS"
  mkdir -p "$work"
else
  work="$(mktemp -d "${TMPDIR:-/tmp}/policy-speed.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
fi

# Repeats SEED into OUT until one more copy would pass the size limit.
build_input() {
  local seed="$1" out="$2" size copies
  size=$(stat -c %s "$seed")
  copies=$(((limit - 1) / size))
  : >"$out"
  for ((i = 0; i < copies; i++)); do cat "$seed"; done >>"$out"
}

# SDK rows of a table: name, vendor, purpose, data types, link (cells separated by TAB).
table_rows() {
  cat <<'ROWS'
极光推送SDK	深圳市和讯华谷信息技术有限公司	消息推送	设备标识符（IMEI、Android ID、OAID）、MAC地址、IP地址、网络类型	https://www.jiguang.cn/license/privacy
友盟统计SDK	友盟同欣（北京）科技有限公司	统计分析	设备信息（IMEI、IMSI、设备型号）、位置信息、应用列表	https://www.umeng.com/page/policy
高德定位SDK	高德软件有限公司	定位	位置信息（GPS、WLAN接入点、基站）、设备标识符	https://lbs.amap.com/pages/privacy/
微信开放平台SDK（com.tencent.mm.opensdk）	深圳市腾讯计算机系统有限公司	微信登录、分享	设备型号、操作系统版本、网络类型	https://weixin.qq.com/
Bugly	深圳市腾讯计算机系统有限公司	崩溃分析	设备型号、Android ID、系统版本、崩溃日志	https://bugly.qq.com/
华为推送（HMS Push）	华为软件技术有限公司	消息推送	AAID、应用信息、设备型号	https://developer.huawei.com/
支付宝SDK	支付宝（中国）网络技术有限公司	支付	设备标识符、网络信息、订单信息	https://opendocs.alipay.com/
穿山甲广告SDK	北京巨量引擎网络技术有限公司	广告投放	设备信息、IP地址、位置信息、应用列表	https://www.csjplatform.com/privacy
ROWS
}

# A Markdown pipe table (md) or an HTML table (html) of SDK rows up to the size limit.
build_table() {
  local kind="$1" out="$2" rows
  rows="$(table_rows)"
  if [[ "$kind" == md ]]; then
    printf '# 第三方SDK清单\n\n| SDK名称 | 第三方主体 | 使用目的 | 收集个人信息类型 | 隐私政策链接 |\n|---|---|---|---|---|\n' >"$out"
    rows="$(sed 's/\t/ | /g; s/^/| /; s/$/ |/' <<<"$rows")"
  else
    printf '<html><body><h1>第三方SDK清单</h1><table>\n<tr><th>SDK名称</th><th>第三方主体</th><th>使用目的</th><th>收集个人信息类型</th><th>隐私政策链接</th></tr>\n' >"$out"
    rows="$(sed 's#\t#</td><td>#g; s#^#<tr><td>#; s#$#</td></tr>#' <<<"$rows")"
  fi
  local block size copies tail=""
  [[ "$kind" == html ]] && tail='</table></body></html>'
  block="$rows"$'\n'
  size=$(printf '%s' "$block" | wc -c)
  copies=$(((limit - 1 - $(stat -c %s "$out") - ${#tail} * 3) / size))
  for ((i = 0; i < copies; i++)); do printf '%s' "$block"; done >>"$out"
  printf '%s\n' "$tail" >>"$out"
}

# Runs the binary on INPUT and prints its line (LABEL bytes user wall rss).
measure() {
  local label="$1" input="$2" stats="$work/time.$1"
  /usr/bin/time -f '%U %S %e %M' -o "$stats" "$bin" policy "$input" --format json >/dev/null
  read -r user sys wall rss <"$stats"
  printf '%-9s %10s %8s %8s %8s %10s\n' "$label" "$(stat -c %s "$input")" "$user" "$sys" "$wall" \
    "$((rss / 1024))"
}

printf '%-9s %10s %8s %8s %8s %10s\n' input bytes user_s sys_s wall_s max_rss_mb
for pair in "zh:mingyuan-yunzhushou.zh.txt" "en:cloud-storage-app.en.txt"; do
  lang="${pair%%:*}"
  seed="$seeds/${pair#*:}"
  if [[ ! -f "$seed" ]]; then
    echo "SKIPPED $lang: no seed $seed"
    continue
  fi
  input="$work/policy-20mb.$lang.txt"
  build_input "$seed" "$input"
  measure "$lang" "$input"
done
for kind in md html; do
  input="$work/policy-20mb-table.$kind"
  build_table "$kind" "$input"
  measure "table-$kind" "$input"
done
