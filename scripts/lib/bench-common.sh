# Shared by the benchmark scripts (source it after setting repo).

# bench_paths SCRIPT -> sets version, modkv (the packaged launcher), baseline_path (the
# microbenchmarks module path) and java; exits 2 with the build command when they are not built.
bench_paths() {
  version="$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$repo/pom.xml" | head -n 1)"
  modkv="$repo/distribution/target/modkv-$version/bin/modkv"
  baseline_path="$repo/microbenchmarks/target/lib:$repo/microbenchmarks/target/microbenchmarks-$version.jar"
  java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
  if [ ! -x "$modkv" ] || [ ! -d "$repo/microbenchmarks/target/lib" ] || [ ! -f "$repo/microbenchmarks/target/microbenchmarks-$version.jar" ]; then
    echo "$1 needs the packaged distribution and microbenchmarks; build them with:" >&2
    echo "  mvn -B package -pl distribution,microbenchmarks -am -DskipTests" >&2
    exit 2
  fi
}

# bench_workdir NAME -> a temporary directory in $work (removed at exit, after killing the
# processes in $pids), empty $results and $commands files in it.
bench_workdir() {
  work="$(mktemp -d "/tmp/modkv-$1.XXXXXX")"
  pids=()
  trap bench_cleanup EXIT
  results="$work/results.txt"; : >"$results"
  commands="$work/commands.txt"; : >"$commands"
}
bench_cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
# log MESSAGE -> stderr with the time; run COMMAND... -> records it in $commands, then runs it.
log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }
run() { echo "$*" | sed "s:$work:\$WORK:g; s:$repo/::g" >>"$commands"; "$@"; }

# The end of a markdown report.
# report_footer COMMANDS_FILE RESULTS_FILE JAVA -> prints the commands (with $WORK for the
# temporary directory), the machine, and the raw result lines.
report_footer() {
  local commands="$1" results="$2" java="$3"
  echo "## Commands (\$WORK: a temporary directory)"
  echo
  echo '```'
  cat "$commands"
  echo '```'
  echo
  echo "## Machine"
  echo
  echo "- $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/^Mem:/ {print $2}') GiB RAM"
  echo "- $(uname -sr); $("$java" -version 2>&1 | head -n 1)"
  echo "- load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "## Raw result lines"
  echo
  echo '```'
  cat "$results"
  echo '```'
}
