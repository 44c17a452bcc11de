#!/usr/bin/env bash
# TLS and SASL_SSL beside plaintext (#18): one skiffd with three listeners (PLAINTEXT, SSL and
# SASL_SSL with SCRAM-SHA-512), certificates made here with openssl, and rdkafka_performance
# producing (acks=1) and then consuming the same messages through each listener in turn, rounds
# alternating so that the machine's drift falls on all three alike. Prints one table and each
# listener's throughput as a fraction of plaintext's (the issue's target: 0.8 or more at 1 KiB).
# A consume of what one produce wrote takes a fraction of a second, so each is repeated PASSES
# times (from the beginning; the figure is their mean) to keep one scheduling hiccup from
# deciding the ratio.
#
#   bench/security.sh                 COUNT=400000 100-byte messages (COUNT/4 of 1 KiB), 2 rounds, 3 passes
#   COUNT=100000 ROUNDS=1 PASSES=1 bench/security.sh
set -euo pipefail
cd "$(dirname "$0")/.."
perf=$(bench/build-rdkafka-perf.sh)
skiffd=${SKIFFD:-build/bin/skiffd}
skiffctl=${SKIFFCTL:-build/bin/skiffctl}
count=${COUNT:-400000}
rounds=${ROUNDS:-2}
passes=${PASSES:-3}
password=bench-Secret-1
tmp=$(mktemp -d)
node_pid=""
cleanup() { [[ -n $node_pid ]] && kill "$node_pid" 2>/dev/null && wait "$node_pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# A CA and a node certificate for 127.0.0.1.
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/ca.key" -out "$tmp/ca.pem" -days 2 -subj /CN=bench-ca 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout "$tmp/node.key" -out "$tmp/node.csr" -subj /CN=bench-node 2>/dev/null
echo "subjectAltName=IP:127.0.0.1" > "$tmp/node.ext"
openssl x509 -req -in "$tmp/node.csr" -CA "$tmp/ca.pem" -CAkey "$tmp/ca.key" -CAcreateserial -days 2 \
  -extfile "$tmp/node.ext" -out "$tmp/node.pem" 2>/dev/null

plain=$(free_port); ssl=$(free_port); sasl=$(free_port); rp=$(free_port); ap=$(free_port); hp=$(free_port)
"$skiffd" --data-dir "$tmp/data" \
  --listeners "PLAINTEXT://127.0.0.1:$plain,SSL://127.0.0.1:$ssl,SECURE://127.0.0.1:$sasl" \
  --listener-security-protocol-map "PLAINTEXT:PLAINTEXT,SSL:SSL,SECURE:SASL_SSL" \
  --ssl-certificate-location "$tmp/node.pem" --ssl-key-location "$tmp/node.key" --ssl-ca-location "$tmp/ca.pem" \
  --sasl-enabled-mechanisms SCRAM-SHA-512 \
  --raft-listen 127.0.0.1:$rp --admin-listen 127.0.0.1:$ap --http-listen 127.0.0.1:$hp \
  --logging-level warning > "$tmp/skiffd.log" 2>&1 &
node_pid=$!
for _ in $(seq 1 300); do kcat -b 127.0.0.1:$plain -L -m 1 >/dev/null 2>&1 && break; sleep 0.1; done
printf '%s\n' "$password" | "$skiffctl" --admin 127.0.0.1:$ap users set bench --mechanism SCRAM-SHA-512 >/dev/null

# Client settings per listener, as -X options of rdkafka_performance.
client_args() {
  case $1 in
    plaintext) echo "-b 127.0.0.1:$plain" ;;
    ssl) echo "-b 127.0.0.1:$ssl -X security.protocol=SSL -X ssl.ca.location=$tmp/ca.pem" ;;
    sasl_ssl) echo "-b 127.0.0.1:$sasl -X security.protocol=SASL_SSL -X ssl.ca.location=$tmp/ca.pem" \
                   "-X sasl.mechanisms=SCRAM-SHA-512 -X sasl.username=bench -X sasl.password=$password" ;;
  esac
}

# Prints "msgs/s MB/s" from rdkafka_performance's final line: columns 6-7 of the producer's table
# (dr_m/s, dr_MB/s), 5-6 of the consumer's (m/s, MB/s).
throughput() {
  local col=7; [[ $1 == -C ]] && col=6
  "$perf" "$@" 2>&1 | grep -E '^\|' | tail -1 | awk -F'|' -v c="$col" '{gsub(/ /,""); print $c, $(c + 1)}'
}

declare -A sum
listeners=(plaintext ssl sasl_ssl)
for round in $(seq 1 "$rounds"); do
  for size in 100 1024; do
    n=$count; [[ $size == 1024 ]] && n=$((count / 4))
    for l in "${listeners[@]}"; do
      topic="sec-$l-$size-$round"
      # shellcheck disable=SC2046
      read -r pm _ < <(throughput -P -t "$topic" -p 0 -s "$size" -c "$n" -a 1 -u $(client_args "$l"))
      sum[$l,$size,produce]=$(awk -v a="${sum[$l,$size,produce]:-0}" -v b="$pm" 'BEGIN { print a + b }')
      for _ in $(seq 1 "$passes"); do
        # shellcheck disable=SC2046
        read -r cm _ < <(throughput -C -t "$topic" -p 0 -o beginning -c "$n" -u $(client_args "$l"))
        sum[$l,$size,consume]=$(awk -v a="${sum[$l,$size,consume]:-0}" -v b="$cm" 'BEGIN { print a + b / '"$passes"' }')
      done
    done
  done
done

printf '%-10s %6s %-8s %12s %10s %12s\n' listener size mode msgs/s MB/s vs_plaintext
for size in 100 1024; do
  for mode in produce consume; do
    base=${sum[plaintext,$size,$mode]}
    for l in "${listeners[@]}"; do
      awk -v s="${sum[$l,$size,$mode]}" -v r="$rounds" -v b="$base" -v size="$size" -v l="$l" -v m="$mode" \
        'BEGIN { mps = s / r; printf "%-10s %6s %-8s %12.0f %10.1f %12.2f\n", l, size, m, mps, mps * size / 1e6, (b > 0 ? s / b : 0) }'
    done
  done
done
echo "($rounds rounds alternating listeners, each consume $passes times; acks=1; one partition; rdkafka_performance from Debian's librdkafka)"
