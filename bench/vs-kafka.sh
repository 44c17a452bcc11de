#!/usr/bin/env bash
# Skiff beside Apache Kafka 4.4 on this machine (issue #16): starts both with the same listeners
# (plaintext on loopback, free ports) and topic layouts, runs the same workloads against each,
# alternating which goes first, and prints one table of Skiff / Kafka ratios with both figures
# (also written as JSON and markdown under build/vs-kafka/). Every process it starts it stops,
# by pid; data lives in temporary directories. Machines are noisy: compare within one run only.
#
#   bench/vs-kafka.sh                          everything (one to two hours on 2 cores)
#   bench/vs-kafka.sh --quick                  every row, short runs: to try it, not for figures
#   bench/vs-kafka.sh --only single-node,produce --sizes 100 --acks all
#   bench/vs-kafka.sh --help                   all options
#
# Rows: single node and a 3-node cluster (replication factor 3, min.insync.replicas 2), each at
# two durabilities side by side: Kafka's default (no fsync per write) beside Skiff's
# log.flush.mode=interval, and Kafka with flush.messages=1 beside Skiff's default, fsync.
# Workloads: kafka-producer-perf-test (Java producer) and rdkafka_performance at 100 B and 1 KiB,
# acks=1 and acks=all, 1 and 12 partitions; kafka-consumer-perf-test; end-to-end latency
# (p50/p99/p99.9) at a fixed fraction of the lower peak; cold start to first acknowledged produce;
# RSS idle, under load and with 1,000 partitions; broker CPU seconds per GB.
# Kafka runs as kafka-server-start.sh runs it: -Xmx1G -Xms1G, G1. Its jars come from Maven Central
# into ~/.m2 (bench/kafka/pom.xml); rdkafka_performance is built by bench/build-rdkafka-perf.sh.
# SKIFFD=path picks the skiffd binary (default build/bin/skiffd).
set -euo pipefail
cd "$(dirname "$0")/.."
py=/usr/bin/python3   # Debian's confluent_kafka is there
export SKIFFD=${SKIFFD:-$PWD/build/bin/skiffd}
[[ -x $SKIFFD ]] || { echo "vs-kafka.sh: no skiffd at $SKIFFD (scripts/build.sh, or SKIFFD=path)" >&2; exit 1; }
"$py" -c 'import confluent_kafka' 2>/dev/null ||
  { echo "vs-kafka.sh: $py has no confluent_kafka (scripts/setup.sh installs python3-confluent-kafka)" >&2; exit 1; }
for arg in "$@"; do
  [[ $arg == -h || $arg == --help ]] && exec "$py" bench/vs_kafka/main.py --help
done
KAFKA_CLASSPATH=$(bench/kafka/classpath.sh)
RDKAFKA_PERFORMANCE=$(bench/build-rdkafka-perf.sh | tail -1)
export KAFKA_CLASSPATH RDKAFKA_PERFORMANCE
exec "$py" bench/vs_kafka/main.py "$@"
