#!/usr/bin/env bash
# Produce benchmark: throughput and latency of a skiffd node under librdkafka load, next to
# librdkafka's in-memory mock cluster measured in the same run (machines are noisy: compare
# within one run only). Starts its own node on free loopback ports with a temporary data dir
# (or uses BOOTSTRAP=host:port if given) and prints one table.
#
#   bench/produce.sh            COUNT=2000000 by default for 100-byte messages
#   COUNT=500000 bench/produce.sh
set -euo pipefail
cd "$(dirname "$0")/.."
perf=$(bench/build-rdkafka-perf.sh)
skiffd=${SKIFFD:-build/bin/skiffd}
count=${COUNT:-2000000}
tmp=$(mktemp -d)
node_pid=""
cleanup() { [[ -n $node_pid ]] && kill "$node_pid" 2>/dev/null && wait "$node_pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

if [[ -z ${BOOTSTRAP:-} ]]; then
  kp=$(free_port); rp=$(free_port); ap=$(free_port); hp=$(free_port)
  "$skiffd" --data-dir "$tmp/data" --kafka-listen 127.0.0.1:$kp --raft-listen 127.0.0.1:$rp \
    --admin-listen 127.0.0.1:$ap --http-listen 127.0.0.1:$hp --logging-level warning > "$tmp/skiffd.log" 2>&1 &
  node_pid=$!
  for _ in $(seq 1 300); do kcat -b 127.0.0.1:$kp -L -m 1 >/dev/null 2>&1 && break; sleep 0.1; done
  BOOTSTRAP=127.0.0.1:$kp
fi

# Prints "msgs/s MB/s" from rdkafka_performance's final line.
throughput() {
  "$perf" "$@" 2>&1 | grep -E '^\|' | tail -1 | awk -F'|' '{gsub(/ /,""); print $7, $8}'
}
# Prints "p50 p99" in ms from a latency file of microseconds.
percentiles() {
  sort -n "$1" | awk '{v[NR]=$1} END {if (NR==0) {print "- -"; exit} printf "%.2f %.2f\n", v[int(NR*0.5)+1]/1000, v[int(NR*0.99)+1]/1000}'
}

printf '%-22s %6s %5s %12s %9s %9s %9s\n' target size acks msgs/s MB/s p50_ms p99_ms
for size in 100 1024; do
  n=$count; [[ $size == 1024 ]] && n=$((count / 5))
  for acks in 1 -1; do
    topic="bench-$size-${acks/-/all}"
    read -r mps mbs < <(throughput -P -t "$topic" -s "$size" -c "$n" -a "$acks" -u -b "$BOOTSTRAP")
    # Latency at a fixed 20k msgs/s, as rdkafka_performance measures it (-l: send to delivery report,
    # including librdkafka's own batching and queueing, which dominate for 100-byte messages; the
    # mock cluster's row shows the tool's own share).
    "$perf" -P -t "$topic-lat" -s "$size" -c 40000 -r 20000 -a "$acks" -u -l -A "$tmp/lat" -b "$BOOTSTRAP" >/dev/null 2>&1 || true
    read -r p50 p99 < <(percentiles "$tmp/lat")
    printf '%-22s %6s %5s %12s %9s %9s %9s\n' skiffd "$size" "$acks" "$mps" "$mbs" "$p50" "$p99"
    if [[ $acks == -1 ]]; then
      read -r mmps mmbs < <(throughput -P -t bench -s "$size" -c "$n" -a "$acks" -u -X test.mock.num.brokers=1)
      "$perf" -P -t lat -s "$size" -c 40000 -r 20000 -a "$acks" -u -l -A "$tmp/lat" -X test.mock.num.brokers=1 >/dev/null 2>&1 || true
      read -r mp50 mp99 < <(percentiles "$tmp/lat")
      printf '%-22s %6s %5s %12s %9s %9s %9s\n' "librdkafka mock" "$size" "$acks" "$mmps" "$mmbs" "$mp50" "$mp99"
      awk -v a="$mps" -v b="$mmps" -v s="$size" 'BEGIN { if (b > 0) printf "ratio skiffd/mock msgs/s (%s B, acks=-1): %.2f\n", s, a / b }'
    fi
  done
done
if [[ -n $node_pid ]]; then
  echo "skiffd RSS after the run: $(( $(awk '/VmRSS/ {print $2}' /proc/$node_pid/status) / 1024 )) MiB"
fi
