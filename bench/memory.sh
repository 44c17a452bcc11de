#!/usr/bin/env bash
# Memory benchmark: RSS of an idle node, then with PARTITIONS partitions (default 1000) that each
# hold a few records. Starts its own node on free loopback ports with a temporary data dir.
#   bench/memory.sh            PARTITIONS=1000
set -euo pipefail
cd "$(dirname "$0")/.."
skiffd=${SKIFFD:-build/bin/skiffd}
partitions=${PARTITIONS:-1000}
tmp=$(mktemp -d)
node_pid=""
cleanup() { [[ -n $node_pid ]] && kill "$node_pid" 2>/dev/null && wait "$node_pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
kp=$(free_port); rp=$(free_port); ap=$(free_port); hp=$(free_port)
"$skiffd" --data-dir "$tmp/data" --kafka-listen 127.0.0.1:$kp --raft-listen 127.0.0.1:$rp \
  --admin-listen 127.0.0.1:$ap --http-listen 127.0.0.1:$hp --logging-level warning > "$tmp/skiffd.log" 2>&1 &
node_pid=$!
for _ in $(seq 1 300); do kcat -b 127.0.0.1:$kp -L -m 1 >/dev/null 2>&1 && break; sleep 0.1; done
rss() { echo $(( $(awk '/VmRSS/ {print $2}' /proc/$node_pid/status) / 1024 )); }
sleep 1
echo "idle RSS: $(rss) MiB"
/usr/bin/python3 - "$kp" "$partitions" <<'PY'
import sys
from confluent_kafka import Producer
from confluent_kafka.admin import AdminClient, NewTopic
port, n = sys.argv[1], int(sys.argv[2])
bootstrap = "127.0.0.1:" + port
admin = AdminClient({"bootstrap.servers": bootstrap})
admin.create_topics([NewTopic("mem", n, 1)])["mem"].result(60)
p = Producer({"bootstrap.servers": bootstrap, "linger.ms": 5})
for i in range(n * 10):
    p.produce("mem", b"x" * 100, partition=i % n)
    if i % 1000 == 0:
        p.poll(0)
assert p.flush(60) == 0
PY
sleep 1
echo "RSS with $partitions partitions (10 records each): $(rss) MiB"
