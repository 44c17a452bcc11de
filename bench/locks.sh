#!/usr/bin/env bash
# Cost of the tracked locks' lock-order witness on the produce path: runs the same librdkafka
# produce load (100-byte messages, acks=-1, fsync group commit) against a fresh skiffd with
# lock.witness.enable true and false, alternating ROUNDS times (machines are noisy: the ratio of
# the medians is what to read). Tracked locks themselves (counts, wait/hold histograms, holder)
# cannot be switched off; their cost per lock/unlock pair is in build/bin/sync_bench.
#
#   bench/locks.sh                 COUNT=1000000 ROUNDS=3 by default
set -euo pipefail
cd "$(dirname "$0")/.."
perf=$(bench/build-rdkafka-perf.sh)
skiffd=${SKIFFD:-build/bin/skiffd}
count=${COUNT:-1000000}
rounds=${ROUNDS:-3}
tmp=$(mktemp -d)
node_pid=""
cleanup() { [[ -n $node_pid ]] && kill "$node_pid" 2>/dev/null && wait "$node_pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

run_once() {   # $1 = true|false; prints msgs/s
  local kp rp ap hp mps
  kp=$(free_port); rp=$(free_port); ap=$(free_port); hp=$(free_port)
  rm -rf "$tmp/data"
  "$skiffd" --data-dir "$tmp/data" --kafka-listen 127.0.0.1:$kp --raft-listen 127.0.0.1:$rp \
    --admin-listen 127.0.0.1:$ap --http-listen 127.0.0.1:$hp --logging-level warning \
    --lock-witness-enable "$1" > "$tmp/skiffd.log" 2>&1 &
  node_pid=$!
  for _ in $(seq 1 300); do kcat -b 127.0.0.1:$kp -L -m 1 >/dev/null 2>&1 && break; sleep 0.1; done
  mps=$("$perf" -P -t bench -s 100 -c "$count" -a -1 -u -b 127.0.0.1:$kp 2>&1 | grep -E '^\|' | tail -1 \
        | awk -F'|' '{gsub(/ /,""); print $7}')
  kill "$node_pid"; wait "$node_pid" 2>/dev/null || true; node_pid=""
  echo "$mps"
}

on=(); off=()
for r in $(seq 1 "$rounds"); do
  # The order alternates: whatever the first run of a pair leaves behind (page cache, disk
  # write-back) must not always favour the same setting.
  if (( r % 2 )); then
    on+=("$(run_once true)"); off+=("$(run_once false)")
  else
    off+=("$(run_once false)"); on+=("$(run_once true)")
  fi
  echo "round $r: witness on ${on[-1]} msgs/s, off ${off[-1]} msgs/s"
done
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
mean() { printf '%s\n' "$@" | awk '{s+=$1} END {print s/NR}'; }
mon=$(median "${on[@]}"); moff=$(median "${off[@]}")
awk -v a="$mon" -v b="$moff" 'BEGIN { printf "median: witness on %d msgs/s, off %d msgs/s, on/off %.3f\n", a, b, a / b }'
awk -v a="$(mean "${on[@]}")" -v b="$(mean "${off[@]}")" 'BEGIN { printf "mean:   witness on %d msgs/s, off %d msgs/s, on/off %.3f\n", a, b, a / b }'
