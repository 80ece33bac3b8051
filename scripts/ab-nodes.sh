#!/usr/bin/env bash
# Usage example (the 2026-12-08 report): scripts/ab-nodes.sh 2 /tmp/ab before=OLD_DIST after=NEW_DIST "afternoindex=NEW_DIST:--set indexes="
# where *_DIST is an unpacked distribution (distribution/target/modkv-0.1.0-SNAPSHOT of each build).
# A/B/C: GET (pipelined -P 16 and not) and durable SET through RESP with redis-benchmark, and
# durable writes through the Java client with modkv bench, alternating three node setups.
# usage: ab.sh ROUNDS OUTDIR LABEL=DIST[:extra --set args] ...
set -u
ROUNDS=$1; OUT=$2; shift 2; mkdir -p "$OUT"
run_one() { # label dist extra round
  local label=$1 dist=$2 extra=$3 r=$4 dir; dir=$(mktemp -d /tmp/abnode.XXXX)
  "$dist/bin/modkv" node --set data.dir=$dir/data --set resp.listen=127.0.0.1:6390 --set tcp.listen=127.0.0.1:7390 \
      --set metrics.listen=127.0.0.1:9390 $extra > $dir/out.log 2> $dir/err.log &
  local pid=$!
  for i in $(seq 1 150); do grep -q "modkv ready" $dir/out.log 2>/dev/null && break; sleep 0.2; done
  timeout 120 redis-benchmark -p 6390 -t set -n 200000 -r 100000 -d 100 -c 50 -P 16 -q > /dev/null
  timeout 120 redis-benchmark -p 6390 -t get -n 1000000 -r 100000 -d 100 -c 50 -P 16 --csv > $OUT/$label-get-P16-$r.csv
  timeout 120 redis-benchmark -p 6390 -t get -n 300000 -r 100000 -d 100 -c 50 --csv > $OUT/$label-get-P1-$r.csv
  timeout 120 redis-benchmark -p 6390 -t set -n 200000 -r 100000 -d 100 -c 50 --csv > $OUT/$label-set-P1-$r.csv
  timeout 60 "$dist/bin/modkv" bench --connect 127.0.0.1:7390 --workload write --clients 64 --connections 16 --value-size 100 \
      --duration 8 --warmup 3 > $OUT/$label-bench-write-$r.txt 2>&1
  kill $pid; wait $pid 2>/dev/null; rm -rf $dir
}
for r in $(seq 1 $ROUNDS); do
  for spec in "$@"; do
    label=${spec%%=*}; rest=${spec#*=}; dist=${rest%%:*}; extra=""; [[ "$rest" == *:* ]] && extra=${rest#*:}
    run_one "$label" "$dist" "$extra" $r
  done
done
