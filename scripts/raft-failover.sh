#!/usr/bin/env bash
# Failover time of a three-node Raft cluster of node processes on this machine: SIGKILL the
# leader (or SIGTERM it: a clean stop, in which the leader hands over), then time until another
# node reports role:leader (INFO replication polled every 10 ms over RESP) and until a write
# through the third node is acknowledged. The stopped node is restarted between trials.
#
#   scripts/raft-failover.sh                 defaults: 5 trials, raft.election.timeout.ms=1000, SIGKILL
#   TRIALS=N ET=MS HB=MS SIGNAL=KILL|TERM scripts/raft-failover.sh   (HB: raft.heartbeat.interval.ms, default 100)
#
# Needs: a built distribution (./modkv builds it) and redis-cli. Uses ports 7510-7532.
set -u
repo="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$repo/pom.xml" | head -n 1)"
modkv="$repo/distribution/target/modkv-$version/bin/modkv"
[ -x "$modkv" ] || { echo "no distribution at $modkv: run ./modkv --version first" >&2; exit 2; }
command -v redis-cli >/dev/null || { echo "redis-cli is needed (Debian: redis-tools)" >&2; exit 2; }
trials=${TRIALS:-5}; election=${ET:-1000}; heartbeat=${HB:-100}; signal=${SIGNAL:-KILL}
dir=$(mktemp -d)
peers="n1=127.0.0.1:7511,n2=127.0.0.1:7521,n3=127.0.0.1:7531"
declare -A pid

start() {
  local i=$1
  "$modkv" node --set node.id=n$i --set data.dir=$dir/n$i --set replication=raft --set tcp.peers=$peers \
    --set tcp.peer.listen=127.0.0.1:75${i}1 --set tcp.listen=127.0.0.1:75${i}0 --set resp.listen=127.0.0.1:75${i}2 \
    --set metrics.listen=off --set raft.election.timeout.ms=$election --set raft.heartbeat.interval.ms=$heartbeat \
    >/dev/null 2>"$dir/n$i.log" &
  pid[$i]=$!
  disown "${pid[$i]}"
}
role() { redis-cli -p 75${1}2 info replication 2>/dev/null | tr -d '\r' | sed -n 's/^role://p'; }
leader() { for i in 1 2 3; do [ "$(role $i)" = leader ] && { echo $i; return; }; done; }
await_leader() {  # up to 30 s
  for _ in $(seq 1 300); do l=$(leader); [ -n "$l" ] && { echo $l; return; }; sleep 0.1; done
}
cleanup() { for i in 1 2 3; do kill "${pid[$i]}" 2>/dev/null; done; sleep 1; rm -rf "$dir"; }
trap cleanup EXIT

for i in 1 2 3; do start $i; done
echo "raft.election.timeout.ms=$election raft.heartbeat.interval.ms=$heartbeat, leader stopped with SIG$signal"
for trial in $(seq 1 "$trials"); do
  old=$(await_leader)
  [ -n "$old" ] || { echo "trial $trial: no leader within 30 s"; exit 1; }
  redis-cli -p 75${old}2 set before-$trial x >/dev/null
  t0=$(date +%s%N)
  kill -s "$signal" "${pid[$old]}"
  new=""; deadline=$(( $(date +%s) + 30 ))
  while [ -z "$new" ] && [ "$(date +%s)" -lt $deadline ]; do
    for i in 1 2 3; do [ $i != "$old" ] && [ "$(role $i)" = leader ] && new=$i; done
    sleep 0.01
  done
  [ -n "$new" ] || { echo "trial $trial: no new leader within 30 s"; exit 1; }
  t1=$(date +%s%N)
  other=$(for i in 1 2 3; do [ $i != "$old" ] && [ $i != "$new" ] && echo $i; done)
  redis-cli -p 75${other}2 set after-$trial y >/dev/null
  t2=$(date +%s%N)
  echo "trial $trial: stopped n$old; n$new leads after $(( (t1 - t0) / 1000000 )) ms; a write through n$other is acknowledged after $(( (t2 - t0) / 1000000 )) ms"
  for _ in $(seq 1 300); do kill -0 "${pid[$old]}" 2>/dev/null || break; sleep 0.1; done  # a clean stop takes a moment
  start "$old"
  sleep 4
done
