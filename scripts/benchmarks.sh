#!/usr/bin/env bash
# Runs the end-to-end comparison with Redis on this machine, in one go, so every figure in a
# table comes from the same run: raw fsync rate (fio), Redis 7 with appendfsync always, and
# modkv (storage-wal, wal.sync=always), driven by redis-benchmark and by modkv bench. A dated
# report under docs/bench/ (e.g. docs/bench/2026-12-05-durable-writes.md) quotes its tables
# and links its plots; docs/bench/README.md says how.
#
#   scripts/benchmarks.sh [OUT_DIR]      default OUT_DIR: docs/bench/<today, UTC>
#   BENCH_SECONDS (10) measured seconds per modkv bench run, BENCH_WARMUP_SECONDS (5) unrecorded
#   warm-up before it, BENCH_ROUNDS (3) alternating rounds.
#
# Needs: a built distribution (./modkv builds it), fio, redis-server, redis-benchmark.
# Writes OUT_DIR/results.md (tables), OUT_DIR/*.hgrm and OUT_DIR/*.svg (latency plots).
set -euo pipefail
repo="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
default_out="$repo/docs/bench/$(date -u +%Y-%m-%d)"
out="$(mkdir -p "${1:-$default_out}" && cd "${1:-$default_out}" && pwd)"
version="$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$repo/pom.xml" | head -n 1)"
modkv="$repo/distribution/target/modkv-$version/bin/modkv"
[ -x "$modkv" ] || "$repo/modkv" --version >/dev/null
for tool in fio redis-server redis-benchmark; do
  command -v "$tool" >/dev/null || { echo "benchmarks.sh needs $tool (apt-get install fio redis-server redis-tools)" >&2; exit 2; }
done

work="$(mktemp -d /tmp/modkv-bench.XXXXXX)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

duration="${BENCH_SECONDS:-10}"
warmup="${BENCH_WARMUP_SECONDS:-5}"
modkv_port=17379; resp_port=16380; redis_port=16379

# The comparison with Redis runs modkv without an index, as Redis has none; the default node also
# runs the fulltext index (indexes=fulltext), which on this 2-core machine roughly halves durable
# write throughput (docs/bench/2026-12-08-integrity-and-refactor.md). MODKV_INDEXES overrides it.
start_modkv() {
  rm -rf "$work/modkv-data"
  "$modkv" node --set data.dir="$work/modkv-data" --set wal.sync=always --set indexes="${MODKV_INDEXES:-}" \
    --set tcp.listen=127.0.0.1:$modkv_port --set resp.listen=127.0.0.1:$resp_port \
    --set metrics.listen=off "$@" >"$work/node.out" 2>"$work/node.err" &
  pids+=($!)
  for _ in $(seq 1 100); do grep -q '^modkv ready' "$work/node.out" 2>/dev/null && return 0; sleep 0.2; done
  echo "modkv node did not start:" >&2; cat "$work/node.err" >&2; exit 2
}
stop_modkv() { kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true; unset 'pids[-1]'; }

start_redis() {
  rm -rf "$work/redis-data"; mkdir -p "$work/redis-data"
  redis-server --port $redis_port --dir "$work/redis-data" --save '' --appendonly yes \
    --appendfsync always --daemonize no >"$work/redis.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 50); do redis-cli -p $redis_port ping >/dev/null 2>&1 && return 0; sleep 0.2; done
  echo "redis-server did not start" >&2; exit 2
}
stop_redis() { redis-cli -p $redis_port shutdown nosave >/dev/null 2>&1 || true; wait "${pids[-1]}" 2>/dev/null || true; unset 'pids[-1]'; }

rps() { # redis-benchmark -q output line for a test -> requests per second
  awk -v t="$1" -F'[: ]+' '$1==t {for(i=1;i<=NF;i++) if($i=="requests") {print $(i-1); exit}}'
}
field() { sed -n "s/.*[ ]$1=\([^ ]*\).*/\1/p" | tail -n 1; }

{
echo "Measured on $(date -u +%Y-%m-%d) on this machine: $(nproc) cores, $(uname -r), $(java -version 2>&1 | head -n 1)."
echo "Load from other processes was not controlled; figures on a shared 2-core machine are noisy."
echo
echo "### Raw fsync rate"
fio --name=fsync --directory="$work" --rw=write --bs=4k --size=64m --fsync=1 --runtime="$duration" \
  --time_based=0 --output-format=normal >"$work/fio.txt" 2>&1
iops="$(sed -n 's/.*IOPS=\([^,]*\),.*/\1/p' "$work/fio.txt" | head -n 1)"
echo
echo "\`fio --rw=write --bs=4k --fsync=1\`: **$iops fsync'd writes/s** (one writer)."
echo

rounds="${BENCH_ROUNDS:-3}"
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
spread() { tr ' ' '\n' | grep -v '^$' | sort -g | awk 'NR==1{lo=$1} {hi=$1} END {printf "%.0f-%.0f", lo, hi}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2fx", a/b}'; }

echo "### redis-benchmark: modkv (RESP, storage-wal, wal.sync=always) vs Redis 7 (appendonly yes, appendfsync always)"
echo
echo "Each server is started fresh for every run and first gets one unrecorded pass of the same command"
echo "(a warm-up: the JVM compiles its hot paths, both servers fill their caches); then the measured"
echo "pass. $rounds rounds alternate modkv and Redis; the table shows the median of the rounds with the"
echo "range in brackets, because single runs on this shared machine vary by up to 40%."
echo
echo "| command | modkv SET/s | Redis SET/s | SET ratio | modkv GET/s | Redis GET/s | GET ratio |"
echo "|---|---|---|---|---|---|---|"
for pipeline in 1 16; do
  # Long enough (several seconds each) to measure the steady state rather than the JIT warming up.
  n=$((pipeline == 1 ? 200000 : 2000000))
  cmd="redis-benchmark -t set,get -c 50 -d 100 -n $n -r 100000 -P $pipeline -q"
  ms=""; mg=""; rs=""; rg=""
  for _ in $(seq 1 "$rounds"); do
    start_modkv
    redis-benchmark -p $resp_port -t set,get -c 50 -d 100 -n $n -r 100000 -P $pipeline -q >/dev/null 2>&1
    m="$(redis-benchmark -p $resp_port -t set,get -c 50 -d 100 -n $n -r 100000 -P $pipeline -q 2>/dev/null | tr '\r' '\n')"
    stop_modkv
    start_redis
    redis-benchmark -p $redis_port -t set,get -c 50 -d 100 -n $n -r 100000 -P $pipeline -q >/dev/null 2>&1
    r="$(redis-benchmark -p $redis_port -t set,get -c 50 -d 100 -n $n -r 100000 -P $pipeline -q 2>/dev/null | tr '\r' '\n')"
    stop_redis
    ms="$ms $(echo "$m" | rps SET)"; mg="$mg $(echo "$m" | rps GET)"
    rs="$rs $(echo "$r" | rps SET)"; rg="$rg $(echo "$r" | rps GET)"
  done
  mS="$(echo "$ms" | median)"; mG="$(echo "$mg" | median)"; rS="$(echo "$rs" | median)"; rG="$(echo "$rg" | median)"
  echo "| \`$cmd\` | $mS ($(echo "$ms" | spread)) | $rS ($(echo "$rs" | spread)) | $(ratio "$mS" "$rS") | $mG ($(echo "$mg" | spread)) | $rG ($(echo "$rg" | spread)) | $(ratio "$mG" "$rG") |"
done
echo

echo "### Durable writes end to end: modkv bench (closed loop, wal.sync=always)"
echo
echo "The same load generator (\`modkv bench\`) drives modkv through its Java client over the tcp"
echo "transport (writers share 16 connections of one client, served by one I/O thread per core), modkv through its RESP transport, and"
echo "Redis (RESP, one connection per writer). Both clients do their socket I/O through io_uring (epoll"
echo "or NIO where it does not run). Each cell is the median of $rounds rounds that alternate"
echo "the three targets, each on a freshly started server with a ${warmup} s warm-up that is not recorded"
echo "(long enough for the JVM to compile its hot paths);"
echo "each latency is the median of the rounds' percentiles (closed loop: the time each write took)."
echo
echo "| writers | value | modkv tcp writes/s | modkv resp writes/s | Redis writes/s | modkv tcp / Redis | modkv resp / Redis | p50 / p99 / p99.9 ms: modkv tcp | modkv resp | Redis |"
echo "|---|---|---|---|---|---|---|---|---|---|"
bench_write() { # target writers size round -> RESULT line
  local target="$1" writers="$2" size="$3" round="$4" conns
  case "$target" in
    tcp) conns=$((writers < 16 ? writers : 16)); start_modkv
         "$modkv" bench --connect 127.0.0.1:$modkv_port --workload write --clients "$writers" --connections $conns \
           --value-size "$size" --duration "$duration" --warmup "$warmup" --hgrm "$out/modkv-write-$writers-$size.hgrm" 2>/dev/null | grep '^RESULT'
         stop_modkv ;;
    resp) start_modkv
         "$modkv" bench --protocol resp --connect 127.0.0.1:$resp_port --workload write --clients "$writers" \
           --connections "$writers" --value-size "$size" --duration "$duration" --warmup "$warmup" \
           --hgrm "$out/modkv-resp-write-$writers-$size.hgrm" 2>/dev/null | grep '^RESULT'
         stop_modkv ;;
    redis) start_redis
         "$modkv" bench --protocol resp --connect 127.0.0.1:$redis_port --workload write --clients "$writers" \
           --connections "$writers" --value-size "$size" --duration "$duration" --warmup "$warmup" \
           --hgrm "$out/redis-write-$writers-$size.hgrm" 2>/dev/null | grep '^RESULT'
         stop_redis ;;
  esac
}
for size in 100 4096; do
  for writers in 1 16 64; do
    declare -A tput=() p50=() p99=() p999=()
    for round in $(seq 1 "$rounds"); do
      for target in tcp resp redis; do
        line="$(bench_write $target "$writers" "$size" "$round")"
        tput[$target]="${tput[$target]:-} $(echo "$line" | field throughput)"
        p50[$target]="${p50[$target]:-} $(echo "$line" | field p50)"
        p99[$target]="${p99[$target]:-} $(echo "$line" | field p99)"
        p999[$target]="${p999[$target]:-} $(echo "$line" | field p999)"
      done
    done
    t="$(echo "${tput[tcp]}" | median)"; r="$(echo "${tput[resp]}" | median)"; d="$(echo "${tput[redis]}" | median)"
    lat() { echo "$(echo "${p50[$1]}" | median) / $(echo "${p99[$1]}" | median) / $(echo "${p999[$1]}" | median)"; }
    echo "| $writers | $size B | $t | $r | $d | $(ratio "$t" "$d") | $(ratio "$r" "$d") | $(lat tcp) | $(lat resp) | $(lat redis) |"
    unset tput p50 p99 p999
  done
done
echo
echo "Commands: \`modkv bench --workload write --clients W --connections min(W,16) --value-size S\` (tcp),"
echo "\`modkv bench --protocol resp --connect HOST:PORT --workload write --clients W --connections W --value-size S\`"
echo "(modkv's RESP port, and Redis)."
echo

echo "### 64 writers over shared connections (100 B values, wal.sync=always / appendfsync always)"
echo
echo "A client library for many threads shares connections: Lettuce pipelines every thread's commands"
echo "over one connection to Redis; modkv's Java client multiplexes its requests over one connection."
echo "Here the 64 writers share 1 or 4 connections, for all three targets alike (Redis and modkv's RESP"
echo "port then see pipelined commands). Medians of $rounds alternating rounds, as above."
echo
echo "| connections | modkv tcp writes/s | modkv resp writes/s | Redis writes/s | modkv tcp / Redis | modkv resp / Redis |"
echo "|---|---|---|---|---|---|"
bench_shared() { # target connections -> RESULT line
  local target="$1" conns="$2" port
  case "$target" in
    tcp) start_modkv; port=$modkv_port; proto=() ;;
    resp) start_modkv; port=$resp_port; proto=(--protocol resp) ;;
    redis) start_redis; port=$redis_port; proto=(--protocol resp) ;;
  esac
  "$modkv" bench "${proto[@]}" --connect 127.0.0.1:$port --workload write --clients 64 --connections "$conns" \
    --value-size 100 --duration "$duration" --warmup "$warmup" 2>/dev/null | grep '^RESULT'
  if [ "$target" = redis ]; then stop_redis; else stop_modkv; fi
}
best_tcp=0; best_redis=0
for conns in 1 4; do
  declare -A tput=()
  for round in $(seq 1 "$rounds"); do
    for target in tcp resp redis; do
      tput[$target]="${tput[$target]:-} $(bench_shared $target "$conns" | field throughput)"
    done
  done
  t="$(echo "${tput[tcp]}" | median)"; r="$(echo "${tput[resp]}" | median)"; d="$(echo "${tput[redis]}" | median)"
  echo "| $conns | $t | $r | $d | $(ratio "$t" "$d") | $(ratio "$r" "$d") |"
  best_tcp="$(awk -v a="$best_tcp" -v b="$t" 'BEGIN{print (b>a?b:a)}')"
  best_redis="$(awk -v a="$best_redis" -v b="$d" 'BEGIN{print (b>a?b:a)}')"
  unset tput
done
echo
echo "Best of each (any row of this table): modkv tcp $best_tcp writes/s, Redis $best_redis writes/s:"
echo "**$(ratio "$best_tcp" "$best_redis")**."
echo "Command: \`modkv bench [--protocol resp] --connect HOST:PORT --workload write --clients 64 --connections C --value-size 100\`."
echo

echo "### Reads: modkv bench (closed loop, 16 clients, 100 000 keys preloaded)"
echo
echo "| target | reads/s | p50 ms | p99 ms | p99.9 ms |"
echo "|---|---|---|---|---|"
start_modkv
line="$("$modkv" bench --connect 127.0.0.1:$modkv_port --workload read --preload --clients 16 --duration "$duration" \
  --hgrm "$out/modkv-read-16.hgrm" 2>/dev/null | grep '^RESULT')"
stop_modkv
echo "| modkv (tcp) | $(echo "$line" | field throughput) | $(echo "$line" | field p50) | $(echo "$line" | field p99) | $(echo "$line" | field p999) |"
echo
} | tee "$out/results.md"

"$modkv" plot --out "$out/write-latency-64-100.svg" "$out/modkv-write-64-100.hgrm" "$out/modkv-resp-write-64-100.hgrm" \
  "$out/redis-write-64-100.hgrm" >/dev/null
"$modkv" plot --out "$out/write-latency-1-100.svg" "$out/modkv-write-1-100.hgrm" "$out/modkv-resp-write-1-100.hgrm" \
  "$out/redis-write-1-100.hgrm" >/dev/null
echo "wrote $out/results.md and plots" >&2
