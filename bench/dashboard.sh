#!/usr/bin/env bash
# Dashboard benchmark: CPU and memory of skiff-dashboard (offscreen) streaming from a 5-node
# cluster at RATE Hz (default 10) for DURATION seconds (default 300; the issue's target is an
# hour: DURATION=3600 bench/dashboard.sh). Starts its own nodes on free loopback ports with
# temporary data dirs and stops everything it started on exit, Ctrl-C included.
#   bench/dashboard.sh            DURATION=300 RATE=10 NODES=5
# Prints the dashboard's average CPU (% of one core, after the first 10 s), RSS at 30 s and at
# the end, RSS growth per hour (linear fit over the samples after 30 s) and the maximum RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
skiffd=${SKIFFD:-build/bin/skiffd}
dashboard=${DASHBOARD:-build/bin/skiff-dashboard}
duration=${DURATION:-300}
rate=${RATE:-10}
nodes=${NODES:-5}
interval=${INTERVAL:-5}
tmp=$(mktemp -d)
pids=()
cleanup() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'echo "interrupted" >&2; exit 130' INT TERM
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

declare -a raft admin http
peers=""
for i in $(seq 1 "$nodes"); do
  raft[i]=$(free_port); admin[i]=$(free_port); http[i]=$(free_port)
  peers+="${peers:+,}$i@127.0.0.1:${raft[i]}"
done
for i in $(seq 1 "$nodes"); do
  "$skiffd" --node-id "$i" --data-dir "$tmp/n$i" --peers "$peers" --kafka-listen "127.0.0.1:$(free_port)" \
    --raft-listen "127.0.0.1:${raft[i]}" --admin-listen "127.0.0.1:${admin[i]}" \
    --http-listen "127.0.0.1:${http[i]}" --logging-level warning > "$tmp/skiffd-$i.log" 2>&1 &
  pids+=($!)
done
for i in $(seq 1 "$nodes"); do
  for t in $(seq 1 300); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${http[i]}/ready") == 200 ]] && break
    if (( t == 300 )); then echo "node $i not ready after 30 s:" >&2; tail -20 "$tmp/skiffd-$i.log" >&2; exit 1; fi
    sleep 0.1
  done
done
addresses=$(for i in $(seq 1 "$nodes"); do printf '127.0.0.1:%s\n' "${admin[i]}"; done | paste -sd,)
echo "$nodes nodes ready; dashboard --rate $rate for $duration s, sampled every $interval s"

QT_QPA_PLATFORM=offscreen "$dashboard" --connect "$addresses" --rate "$rate" \
  --quit-after-ms $((duration * 1000)) > "$tmp/dashboard.log" 2>&1 &
dash=$!
pids=("$dash" "${pids[@]}")
python3 bench/dashboard_sample.py "$dash" "$interval"
set +e
wait "$dash"; rc=$?
set -e
if (( rc != 0 )); then echo "skiff-dashboard exited with $rc:" >&2; tail -20 "$tmp/dashboard.log" >&2; exit 1; fi
