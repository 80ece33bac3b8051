#!/usr/bin/env bash
# Similarity benchmark (issue #15): top-k SIMILAR p50/p99 through RESP, the documents each query
# scores against the corpus size, and in the same run, in-process over the same corpus and texts,
# the tfidf index's pruned and exhaustive scorers and Lucene's MoreLikeThis (speed, and overlap of
# their top k with the exact top k). Corpora as scripts/search-bench.sh: Debian's package
# descriptions (apt-cache dumpavail, no download) and generated Zipf corpora. One node per corpus,
# indexes=fulltext,tfidf, in a temporary directory. Builds nothing: it uses the packaged
# distribution and the microbenchmarks module path, so build those first:
#   mvn -B package -pl distribution,microbenchmarks -am -DskipTests
#
#   scripts/similar-bench.sh [REPORT]     default REPORT: docs/bench/<today, UTC>-similar.md
#   SIMILAR_BENCH_SIZES ("10000 100000")  Zipf corpus sizes (documents scored vs corpus size)
#   SIMILAR_BENCH_1M=1                    also 1000000 Zipf documents
#   SIMILAR_BENCH_QUERIES (1000)          measured queries per target (warm-up: 200 first)
#   SIMILAR_BENCH_TOP (10)                hits per query
#   SIMILAR_BENCH_WORDS (12)              words per query text (a corpus document's first ones)
#   SIMILAR_BENCH_SKIP_DEBIAN=1           only the Zipf corpora
#   SIMILAR_BENCH_SET="k=v ..."           extra node settings, e.g. "tfidf.ngrams=3"
#
# Steps per corpus: start a fresh node; `modkv bench-search --index tfidf --load --similar N`
# (write the corpus, wait until the tfidf index applied it, then SIMILAR over RESP); stop the node;
# TfidfSimilarBaseline on the same corpus and texts.
set -euo pipefail
repo="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib/bench-common.sh
source "$repo/scripts/lib/bench-common.sh"
bench_paths similar-bench.sh
report="${1:-$repo/docs/bench/$(date -u +%Y-%m-%d)-similar.md}"

sizes="${SIMILAR_BENCH_SIZES:-10000 100000}"
[ "${SIMILAR_BENCH_1M:-0}" = 1 ] && sizes="$sizes 1000000"
queries="${SIMILAR_BENCH_QUERIES:-1000}"
top="${SIMILAR_BENCH_TOP:-10}"
words="${SIMILAR_BENCH_WORDS:-12}"
extra_settings=()
for setting in ${SIMILAR_BENCH_SET:-}; do extra_settings+=(--set "$setting"); done
tcp_port=17493; resp_port=16493

bench_workdir similar-bench

start_node() {
  rm -rf "$work/data"
  local node=("$modkv" node --set data.dir="$work/data" --set tcp.listen=127.0.0.1:$tcp_port
    --set resp.listen=127.0.0.1:$resp_port --set metrics.listen=off --set indexes=fulltext,tfidf
    ${extra_settings[@]+"${extra_settings[@]}"})
  echo "${node[*]}" | sed "s:$work:\$WORK:g; s:$repo/::g" >>"$commands"
  "${node[@]}" >"$work/node.out" 2>"$work/node.err" &
  pids+=($!)
  for _ in $(seq 1 3000); do grep -q '^modkv ready' "$work/node.out" 2>/dev/null && return 0; sleep 0.02; done
  echo "modkv node did not start:" >&2; cat "$work/node.err" >&2; exit 2
}
stop_node() { kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true; unset 'pids[-1]'; }

bench_corpus() { # name corpus-options...
  local name="$1"; shift
  local common=(--similar "$queries" --top "$top" --similar-words "$words")
  log "$name: load and SIMILAR over RESP"
  start_node
  run "$modkv" bench-search "$@" "${common[@]}" --connect 127.0.0.1:$tcp_port --resp 127.0.0.1:$resp_port \
    --index tfidf --load --queries 0 | tee -a "$results"
  "$modkv" stats --connect 127.0.0.1:$tcp_port 2>/dev/null | grep -E '^ *tfidf\.(docs|terms|postings|memory_bytes|bytes_per_document|bytes_per_term) ' \
    | awk -v n="$name" '{printf "%s ", $1 "=" $2} END {print ""}' | sed "s/^/TFIDF_STATS corpus=$name /" | tee -a "$results"
  stop_node
  log "$name: in-process tfidf (pruned, exhaustive) and Lucene MoreLikeThis"
  run "$java" -p "$baseline_path" -m org.modkv.microbenchmarks/org.modkv.microbenchmarks.search.TfidfSimilarBaseline \
    "$@" "${common[@]}" | tee -a "$results"
}

if [ "${SIMILAR_BENCH_SKIP_DEBIAN:-0}" != 1 ]; then
  command -v apt-cache >/dev/null || { echo "similar-bench.sh needs apt-cache (the Debian corpus), or SIMILAR_BENCH_SKIP_DEBIAN=1" >&2; exit 2; }
  apt-cache dumpavail >"$work/debian-packages.txt"
  echo "apt-cache dumpavail > \$WORK/debian-packages.txt" >>"$commands"
  bench_corpus debian --corpus debian --debian-file "$work/debian-packages.txt"
fi
for size in $sizes; do
  bench_corpus "zipf-$size" --corpus zipf --docs "$size"
done

# The report: tables from the result lines, then the commands and the machine.
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }
mkdir -p "$(dirname "$report")"
{
  echo "# Similarity (tfidf) benchmark, $(date -u +%Y-%m-%d)"
  echo
  echo "Written by scripts/similar-bench.sh (SIMILAR_BENCH_SIZES=\"$sizes\", SIMILAR_BENCH_QUERIES=$queries,"
  echo "SIMILAR_BENCH_TOP=$top, SIMILAR_BENCH_WORDS=$words, SIMILAR_BENCH_SET=\"${SIMILAR_BENCH_SET:-}\")."
  echo "Targets of issue #15: top-10 p99 under 20 ms at 100k documents, under 100 ms at 1M."
  echo
  echo "## SIMILAR through RESP (one client, fresh reads)"
  echo
  echo "| corpus | docs | p50 µs | p99 µs | max µs | hits | docs scored / query | scored / corpus |"
  echo "|---|---|---|---|---|---|---|---|"
  grep '^SIMILAR target=modkv ' "$results" | while read -r line; do
    echo "| $(echo "$line" | field corpus) | $(echo "$line" | field docs) | $(echo "$line" | field p50_us) | $(echo "$line" | field p99_us) | $(echo "$line" | field max_us) | $(echo "$line" | field mean_hits) | $(echo "$line" | field docs_scored_per_query) | $(echo "$line" | field scored_fraction) |"
  done
  echo
  echo "## In-process, same corpus and texts: pruned (MaxScore), exhaustive, Lucene MoreLikeThis"
  echo
  echo "overlap = mean share of the exact top $top (the exhaustive answer) in the target's top $top."
  echo
  echo "| corpus | target | p50 µs | p99 µs | docs scored / query | scored / corpus | overlap |"
  echo "|---|---|---|---|---|---|---|"
  grep -E '^SIMILAR target=(tfidf|lucene)' "$results" | while read -r line; do
    echo "| $(echo "$line" | field corpus) | $(echo "$line" | field target) | $(echo "$line" | field p50_us) | $(echo "$line" | field p99_us) | $(echo "$line" | field docs_scored_per_query) | $(echo "$line" | field scored_fraction) | $(echo "$line" | field overlap_at_k) |"
  done
  echo
  echo "## Memory (the node's stats after loading)"
  echo
  echo '```'
  grep '^TFIDF_STATS ' "$results" || true
  echo '```'
  echo
  report_footer "$commands" "$results" "$java"
} >"$report"
log "report: $report"
