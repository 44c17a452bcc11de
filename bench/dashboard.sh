#!/usr/bin/env bash
# Dashboard benchmark: CPU and memory of skiff-dashboard (offscreen) streaming from a 5-node
# cluster at RATE Hz (default 10) for DURATION seconds (default 300; the issue's target is an
# hour: DURATION=3600 bench/dashboard.sh), while the cluster carries the issue's data plane:
# TOPICS topics (default 50) of PARTITIONS partitions (12), replication factor REPLICATION (1),
# RATE_MSGS messages/s of 100 bytes produced in total (2000) and GROUPS consumer groups (20)
# reading them, all from one load process (bench/dashboard_load.py, confluent_kafka, run by
# PYTHON, default /usr/bin/python3). TOPICS=0 runs the cluster idle, as before. Starts its own
# nodes on free loopback ports with temporary data dirs and stops everything it started on exit,
# Ctrl-C included.
#   bench/dashboard.sh            DURATION=300 RATE=10 NODES=5 TOPICS=50 PARTITIONS=12 GROUPS=20 RATE_MSGS=2000
#   TOPICS=0 bench/dashboard.sh   the idle cluster
# GROUPS is a special variable in bash: `GROUPS=5 bench/dashboard.sh` typed at a bash prompt never
# reaches the script (bash drops the assignment), so say `env GROUPS=5 bench/dashboard.sh` or
# CONSUMER_GROUPS=5 (which wins).
# Prints the dashboard's average CPU (% of one core, after the first 10 s), RSS at 30 s and at
# the end, RSS growth per hour (linear fit over the samples after 30 s) and the maximum RSS, then
# the load carried over the dashboard's run (msgs/s acknowledged and consumed, groups assigned).
set -euo pipefail
cd "$(dirname "$0")/.."
skiffd=${SKIFFD:-build/bin/skiffd}
dashboard=${DASHBOARD:-build/bin/skiff-dashboard}
duration=${DURATION:-300}
rate=${RATE:-10}
nodes=${NODES:-5}
interval=${INTERVAL:-5}
topics=${TOPICS:-50}
partitions=${PARTITIONS:-12}
# Not ${GROUPS:-20}: bash's $GROUPS is the user's group ids when the environment has no GROUPS.
groups=${CONSUMER_GROUPS:-$(printenv GROUPS || echo 20)}
rate_msgs=${RATE_MSGS:-2000}
replication=${REPLICATION:-1}
python=${PYTHON:-/usr/bin/python3}
for v in topics partitions groups rate_msgs replication; do
  [[ ${!v} =~ ^[0-9]+$ ]] || { echo "${v^^} must be a number, not '${!v}'" >&2; exit 2; }
done
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

declare -a kafka raft admin http
peers=""
for i in $(seq 1 "$nodes"); do
  kafka[i]=$(free_port); raft[i]=$(free_port); admin[i]=$(free_port); http[i]=$(free_port)
  peers+="${peers:+,}$i@127.0.0.1:${raft[i]}"
done
for i in $(seq 1 "$nodes"); do
  "$skiffd" --node-id "$i" --data-dir "$tmp/n$i" --peers "$peers" --kafka-listen "127.0.0.1:${kafka[i]}" \
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

# The data plane: one load process (topics, producer, consumer groups), killed by cleanup by pid.
# Measuring starts once it has messages acknowledged and every group has partitions assigned.
load=""
load_failed() {
  set +e; wait "$load"; local rc=$?; set -e
  echo "the load process (bench/dashboard_load.py) exited with $rc:" >&2
  grep -m1 '^dashboard_load:' "$tmp/load.log" >&2 || tail -5 "$tmp/load.log" >&2
  exit 1
}
if (( topics > 0 )); then
  bootstrap=$(for i in $(seq 1 "$nodes"); do printf '127.0.0.1:%s\n' "${kafka[i]}"; done | paste -sd,)
  "$python" bench/dashboard_load.py --bootstrap "$bootstrap" --stats "$tmp/load.stats" --topics "$topics" \
    --partitions "$partitions" --groups "$groups" --rate "$rate_msgs" --size 100 --replication "$replication" \
    > "$tmp/load.log" 2>&1 &
  load=$!
  pids=("$load" "${pids[@]}")
  produced=0 assigned=0
  for t in $(seq 1 1200); do
    kill -0 "$load" 2>/dev/null || load_failed
    if [[ -s $tmp/load.stats ]]; then
      read -r _ produced _ assigned _ < "$tmp/load.stats"
      (( produced > 0 && assigned >= groups )) && break
    fi
    if (( t == 1200 )); then
      echo "load: after 120 s, $produced messages acknowledged and $assigned of $groups groups assigned; measuring anyway" >&2
    fi
    sleep 0.1
  done
fi
echo "$nodes nodes ready; dashboard --rate $rate for $duration s, sampled every $interval s"

QT_QPA_PLATFORM=offscreen "$dashboard" --connect "$addresses" --rate "$rate" \
  --quit-after-ms $((duration * 1000)) > "$tmp/dashboard.log" 2>&1 &
dash=$!
pids=("$dash" "${pids[@]}")
[[ -n $load ]] && read -r load_t0 load_p0 load_c0 _ < "$tmp/load.stats"
python3 bench/dashboard_sample.py "$dash" "$interval"
set +e
wait "$dash"; rc=$?
set -e
if (( rc != 0 )); then echo "skiff-dashboard exited with $rc:" >&2; tail -20 "$tmp/dashboard.log" >&2; exit 1; fi
if [[ -n $load ]]; then
  kill -0 "$load" 2>/dev/null || load_failed
  read -r load_t1 load_p1 load_c1 assigned errors consumer_errors < "$tmp/load.stats"
  awk -v t="$topics" -v p="$partitions" -v r="$replication" -v g="$groups" -v a="$assigned" -v target="$rate_msgs" \
    -v t0="$load_t0" -v p0="$load_p0" -v c0="$load_c0" -v t1="$load_t1" -v p1="$load_p1" -v c1="$load_c1" \
    -v e="$errors" -v ce="$consumer_errors" 'BEGIN {
      s = t1 - t0
      printf "load: %d topics x %d partitions (replication factor %d), %d consumer groups (%d with partitions assigned at the end); ", t, p, r, g, a
      printf "%.0f msgs/s of 100 B produced (acknowledged; target %d) and %.0f msgs/s consumed over %.0f s of the run", (s > 0 ? (p1 - p0) / s : 0), target, (s > 0 ? (c1 - c0) / s : 0), s
      printf "; %d delivery errors, %d consumer errors in all\n", e, ce
    }'
else
  echo "load: none (TOPICS=0: the cluster is idle)"
fi
