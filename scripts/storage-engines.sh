#!/usr/bin/env bash
# Compares the storage engines end to end on this machine: a node per engine, driven over RESP
# by `modkv bench` (closed loop, 100-byte values): durable writes with 1 and 16 writers, and
# reads with 16 readers over 10 000 preloaded keys. Prints a Markdown table (median of
# BENCH_ROUNDS rounds that alternate the engines, range in brackets), as quoted in
# docs/bench/2026-12-05-storage-engines.md.
#
#   scripts/storage-engines.sh            BENCH_SECONDS (default 10), BENCH_ROUNDS (default 3)
set -euo pipefail
repo="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$repo/pom.xml" | head -n 1)"
modkv="$repo/distribution/target/modkv-$version/bin/modkv"
[ -x "$modkv" ] || "$repo/modkv" --version >/dev/null

work="$(mktemp -d /tmp/modkv-engines.XXXXXX)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

duration="${BENCH_SECONDS:-10}"; rounds="${BENCH_ROUNDS:-3}"
resp_port=16390; tcp_port=17390

start_node() { # engine settings...
  rm -rf "$work/data"
  # Storage engines alone: no index (the default node runs indexes=fulltext).
  "$modkv" node --set data.dir="$work/data" --set indexes= --set tcp.listen=127.0.0.1:$tcp_port \
    --set resp.listen=127.0.0.1:$resp_port --set metrics.listen=off "$@" >"$work/node.out" 2>"$work/node.err" &
  pids+=($!)
  for _ in $(seq 1 100); do grep -q '^modkv ready' "$work/node.out" 2>/dev/null && return 0; sleep 0.2; done
  echo "modkv node did not start:" >&2; cat "$work/node.err" >&2; exit 2
}
stop_node() { kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true; unset 'pids[-1]'; }
bench() { # workload clients extra-args... -> throughput
  local workload="$1" clients="$2"; shift 2
  "$modkv" bench --protocol resp --connect 127.0.0.1:$resp_port --workload "$workload" --clients "$clients" \
    --connections "$clients" --value-size 100 --duration "$duration" --warmup 2 "$@" 2>/dev/null \
    | sed -n 's/^RESULT.* throughput=\([^ ]*\).*/\1/p'
}
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
spread() { tr ' ' '\n' | grep -v '^$' | sort -g | awk 'NR==1{lo=$1} {hi=$1} END {printf "%.0f-%.0f", lo, hi}'; }

engines=("wal|--set storage=wal --set wal.sync=always"
         "perkey (ack=files)|--set storage=perkey --set perkey.ack=files"
         "perkey (ack=intent)|--set storage=perkey --set perkey.ack=intent")
declare -A w1=() w16=() r16=()
for _ in $(seq 1 "$rounds"); do
  for engine in "${engines[@]}"; do
    name="${engine%%|*}"; read -r -a settings <<<"${engine#*|}"
    start_node "${settings[@]}"; w1[$name]="${w1[$name]:-} $(bench write 1)"; stop_node
    start_node "${settings[@]}"; w16[$name]="${w16[$name]:-} $(bench write 16)"; stop_node
    start_node "${settings[@]}"; r16[$name]="${r16[$name]:-} $(bench read 16 --keys 10000 --preload)"; stop_node
  done
done
echo "Measured on $(date -u +%Y-%m-%d): $(nproc) cores, $(uname -r); median of $rounds rounds of ${duration} s (range)."
echo
echo "| engine | durable writes/s, 1 writer | durable writes/s, 16 writers | reads/s, 16 readers |"
echo "|---|---|---|---|"
for engine in "${engines[@]}"; do
  name="${engine%%|*}"
  echo "| $name | $(echo "${w1[$name]}" | median) ($(echo "${w1[$name]}" | spread)) | $(echo "${w16[$name]}" | median) ($(echo "${w16[$name]}" | spread)) | $(echo "${r16[$name]}" | median) ($(echo "${r16[$name]}" | spread)) |"
done
