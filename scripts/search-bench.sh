#!/usr/bin/env bash
# Full-text search benchmark (issue #14): indexing docs/s, query p50/p99 over RESP for 1-, 2-
# and 3-word AND, OR and phrase queries, index lag under a write rate, restart time, and the
# same queries on raw Lucene in-process (the limit) with modkv's overhead as a ratio. Two
# corpora, both without a download: Debian's package descriptions (apt-cache dumpavail) and a
# generated Zipf corpus. One node per corpus, on default settings (indexes=fulltext), in a
# temporary directory. Builds nothing: it uses the packaged distribution and the
# microbenchmarks module path, so build those first:
#   mvn -B package -pl distribution,microbenchmarks -am -DskipTests
#
#   scripts/search-bench.sh [REPORT]     default REPORT: docs/bench/<today, UTC>-search.md
#   SEARCH_BENCH_DOCS (100000)   Zipf documents
#   SEARCH_BENCH_QUERIES (1000)  measured queries per group (warm-up: 200 per group first)
#   SEARCH_BENCH_LAG_RATE (10000) writes/s of the lag step, SEARCH_BENCH_LAG_SECONDS (10),
#   SEARCH_BENCH_LAG_WARMUP (10) seconds of the same load first, not measured
#   SEARCH_BENCH_SKIP_DEBIAN=1   only the Zipf corpus
#
# Steps per corpus: start a fresh node; `modkv bench-search --load` (write the corpus in bulk
# batches, wait until the index applied it all; then the queries); stop the node; start it
# again and time it until a SEARCH is answered over RESP; `modkv bench-search --lag-rate`
# (a warm-up at the same rate, then the measured load: the node's lag percentiles since its start
# cover both, the measured bounds only the measured load, from the node's cumulative lag counts); stop; LuceneSearchBaseline on the
# same corpus and queries.
set -euo pipefail
repo="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib/bench-common.sh
source "$repo/scripts/lib/bench-common.sh"
bench_paths search-bench.sh
report="${1:-$repo/docs/bench/$(date -u +%Y-%m-%d)-search.md}"
command -v apt-cache >/dev/null || { echo "search-bench.sh needs apt-cache (the Debian corpus)" >&2; exit 2; }

docs="${SEARCH_BENCH_DOCS:-100000}"
queries="${SEARCH_BENCH_QUERIES:-1000}"
lag_rate="${SEARCH_BENCH_LAG_RATE:-10000}"
lag_seconds="${SEARCH_BENCH_LAG_SECONDS:-10}"
lag_warmup="${SEARCH_BENCH_LAG_WARMUP:-10}"
tcp_port=17491; resp_port=16491

bench_workdir search-bench

start_node() { # [keep] -> start a node; a fresh data dir unless "keep"
  [ "${1:-}" = keep ] || rm -rf "$work/data"
  local node=("$modkv" node --set data.dir="$work/data" --set tcp.listen=127.0.0.1:$tcp_port
    --set resp.listen=127.0.0.1:$resp_port --set metrics.listen=off)
  [ "${1:-}" = keep ] || echo "${node[*]}" | sed "s:$work:\$WORK:g; s:$repo/::g" >>"$commands"
  "${node[@]}" >"$work/node.out" 2>"$work/node.err" &
  pids+=($!)
}
await_ready() {
  for _ in $(seq 1 3000); do grep -q '^modkv ready' "$work/node.out" 2>/dev/null && return 0; sleep 0.02; done
  echo "modkv node did not start:" >&2; cat "$work/node.err" >&2; exit 2
}
stop_node() { kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true; unset 'pids[-1]'; }
resp_search() { # word -> prints the first line of the reply, or nothing when the node does not answer yet
  { exec 3<>"/dev/tcp/127.0.0.1/$resp_port"; } 2>/dev/null || return 0
  printf '*2\r\n$6\r\nSEARCH\r\n$%d\r\n%s\r\n' "${#1}" "$1" >&3
  local line=""; IFS= read -r -t 10 line <&3 || true; exec 3<&- 3>&-; printf '%s' "${line%$'\r'}"
}

bench_corpus() { # name corpus-options...
  local name="$1"; shift
  log "$name: load and queries"
  start_node; await_ready
  run "$modkv" bench-search "$@" --connect 127.0.0.1:$tcp_port --resp 127.0.0.1:$resp_port --load \
    --queries "$queries" | tee -a "$results"
  stop_node
  log "$name: restart"
  local start_ns; start_ns=$(date +%s%N)
  start_node keep
  local reply=""
  for _ in $(seq 1 6000); do reply="$(resp_search "$probe_word")"; [ "${reply:0:1}" = "*" ] && break; sleep 0.01; done
  local end_ns; end_ns=$(date +%s%N)
  echo "RESTART corpus=$name until_first_search_ms=$(( (end_ns - start_ns) / 1000000 )) reply=${reply}" | tee -a "$results"
  log "$name: lag at $lag_rate writes/s"
  await_ready
  run "$modkv" bench-search "$@" --connect 127.0.0.1:$tcp_port --resp 127.0.0.1:$resp_port --queries 0 \
    --lag-rate "$lag_rate" --lag-seconds "$lag_seconds" --lag-warmup "$lag_warmup" | tee -a "$results"
  du -sh "$work/data" | awk -v n="$name" '{print "DISK corpus=" n " data_dir=" $1}' | tee -a "$results"
  stop_node
  log "$name: raw Lucene baseline"
  run "$java" -p "$baseline_path" -m org.modkv.microbenchmarks/org.modkv.microbenchmarks.search.LuceneSearchBaseline \
    "$@" --queries "$queries" --work-dir "$work/lucene-$name" | tee -a "$results"
  rm -rf "$work/lucene-$name"
}

if [ "${SEARCH_BENCH_SKIP_DEBIAN:-0}" != 1 ]; then
  apt-cache dumpavail >"$work/debian-packages.txt"
  echo "apt-cache dumpavail > \$WORK/debian-packages.txt" >>"$commands"
  probe_word=package
  bench_corpus debian --corpus debian --debian-file "$work/debian-packages.txt"
fi
probe_word=ba
bench_corpus "zipf-$docs" --corpus zipf --docs "$docs"

# The report: tables from the result lines, then the commands and the machine.
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }
{
  echo "# Full-text search benchmark, $(date -u +%Y-%m-%d)"
  echo
  echo "Written by scripts/search-bench.sh (SEARCH_BENCH_DOCS=$docs, SEARCH_BENCH_QUERIES=$queries,"
  echo "SEARCH_BENCH_LAG_RATE=$lag_rate, SEARCH_BENCH_LAG_SECONDS=$lag_seconds, SEARCH_BENCH_LAG_WARMUP=$lag_warmup)."
  echo
  echo "## Indexing and restart"
  echo
  echo "| corpus | docs | modkv docs/s (write + index applied) | raw Lucene docs/s (index + commit) | restart until a SEARCH answers |"
  echo "|---|---|---|---|---|"
  for corpus in $(grep '^INDEXING corpus=' "$results" | field corpus); do
    m="$(grep "^INDEXING corpus=$corpus " "$results")"; l="$(grep "^INDEXING target=lucene corpus=$corpus " "$results" || true)"
    r="$(grep "^RESTART corpus=$corpus " "$results" || true)"
    echo "| $corpus | $(echo "$m" | field docs) | $(echo "$m" | field docs_per_s) | $(echo "$l" | field docs_per_s) | $(echo "$r" | field until_first_search_ms) ms |"
  done
  echo
  echo "## Index lag under a write load (the node's commit-to-apply histogram)"
  echo
  echo "Measured: the writes after the warm-up (p50/p99 as the smallest of the node's bounds 1, 2, 5, 10, 20, 50 ms ... that"
  echo "holds them); since start: every write since the node started, warm-up included."
  echo
  echo "| corpus | target writes/s | achieved writes/s | skipped | measured p50 within | measured p99 within | since start p50 | since start p99 | max |"
  echo "|---|---|---|---|---|---|---|"
  grep '^LAG ' "$results" | while read -r line; do
    echo "| $(echo "$line" | field corpus) | $(echo "$line" | field rate) | $(echo "$line" | field achieved_per_s) | $(echo "$line" | field skipped) | $(echo "$line" | field measured_p50_le_ms) ms | $(echo "$line" | field measured_p99_le_ms) ms | $(echo "$line" | field lag_p50_ms) ms | $(echo "$line" | field lag_p99_ms) ms | $(echo "$line" | field lag_max_ms) ms |"
  done
  echo
  echo "## Queries: modkv over RESP (one client, fresh reads) vs raw Lucene in-process"
  echo
  echo "Latency in µs; ratio = modkv / Lucene; hits = mean total hits per query."
  echo
  echo "| corpus | group | modkv p50 | modkv p99 | Lucene p50 | Lucene p99 | ratio p50 | ratio p99 | hits |"
  echo "|---|---|---|---|---|---|---|---|---|"
  grep '^QUERY target=modkv ' "$results" | while read -r line; do
    corpus="$(echo "$line" | field corpus)"; group="$(echo "$line" | field group)"
    base="$(grep "^QUERY target=lucene corpus=$corpus group=$group " "$results" || true)"
    mp50="$(echo "$line" | field p50_us)"; mp99="$(echo "$line" | field p99_us)"
    lp50="$(echo "$base" | field p50_us)"; lp99="$(echo "$base" | field p99_us)"
    ratio() { [ -n "$2" ] && [ "$2" != 0 ] && awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f", a / b}' || echo "-"; }
    echo "| $corpus | $group | $mp50 | $mp99 | ${lp50:--} | ${lp99:--} | $(ratio "$mp50" "$lp50") | $(ratio "$mp99" "$lp99") | $(echo "$line" | field mean_hits) |"
  done
  echo
  report_footer "$commands" "$results" "$java"
} >"$report"
log "report: $report"
