#!/usr/bin/env bash
# choose-plugins.sh DIST PLUGINS
#
# Run by the distribution's build (pom.xml, -Dplugins=...) on the freshly assembled DIST
# directory: keeps only the plugin directories PLUGINS names (comma-separated directory names
# under plugins/, e.g. storage-wal,replication-raft,transport-tcp; "all" keeps every one), then
# writes conf/modkv.properties with the packaged launcher, for exactly the plugins left.
# See docs/writing-a-plugin.md, "Choosing plugins".
set -euo pipefail

dist="$1"
chosen="${2:-all}"

if [ "$chosen" != all ]; then
  IFS=',' read -r -a names <<< "$chosen"
  for name in "${names[@]}"; do
    if [ -z "$name" ] || [ ! -d "$dist/plugins/$name" ]; then
      echo "choose-plugins: -Dplugins names '$name', which is not a plugin of this build; the plugins are:" \
        "$(cd "$dist/plugins" && ls | paste -sd, -)" >&2
      exit 1
    fi
  done
  for dir in "$dist"/plugins/*/; do
    name="$(basename "$dir")"
    keep=no
    for wanted in "${names[@]}"; do
      if [ "$wanted" = "$name" ]; then keep=yes; fi
    done
    if [ "$keep" = no ]; then rm -rf "$dir"; fi
  done
fi

# The launcher lists what this distribution holds; the file is written afresh every build.
"$dist/bin/modkv" plugins --sample-config > "$dist/conf/modkv.properties.tmp"
mv "$dist/conf/modkv.properties.tmp" "$dist/conf/modkv.properties"
