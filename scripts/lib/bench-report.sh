# Shared by the benchmark scripts (source it): the end of a markdown report.
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
