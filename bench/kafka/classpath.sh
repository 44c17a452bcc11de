#!/usr/bin/env bash
# Prints the Java classpath of Apache Kafka 4.4 (broker and load tools, bench/kafka/pom.xml),
# fetching the jars from Maven Central into ~/.m2 the first time. The answer is cached in OUT_DIR
# (default build/kafka-bench) until the pom changes. Fails with one line naming what is missing.
# Usage: bench/kafka/classpath.sh [OUT_DIR]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=${1:-"$here/../../build/kafka-bench"}
cache="$out/classpath.txt"
for tool in java mvn; do
  command -v "$tool" >/dev/null 2>&1 ||
    { echo "classpath.sh: missing $tool (Debian: apt-get install openjdk-17-jdk-headless maven)" >&2; exit 1; }
done
mkdir -p "$out"
if [[ ! -s $cache || $here/pom.xml -nt $cache ]]; then
  log="$out/mvn.log"
  if ! mvn -q -B -f "$here/pom.xml" dependency:build-classpath -Dmdep.outputFile="$cache.tmp" >"$log" 2>&1; then
    cat "$log" >&2
    echo "classpath.sh: mvn dependency:build-classpath failed (output above)" >&2
    exit 1
  fi
  mv "$cache.tmp" "$cache"
fi
cat "$cache"
