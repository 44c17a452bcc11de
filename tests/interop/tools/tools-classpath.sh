#!/usr/bin/env bash
# Resolves Apache Kafka's command-line tools (tools/pom.xml: kafka-tools and kafka_2.13 at the
# kafka-clients version of java/pom.xml, with their dependencies) from Maven Central into ~/.m2,
# writes their classpath to tools/target/classpath.txt when it is missing or older than the pom,
# and prints that classpath as its last line. Needs java 17+ and mvn. Fails with one line naming
# what is missing.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
pom="$here/pom.xml"
out="$here/target/classpath.txt"

missing=()
for tool in java mvn; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if ((${#missing[@]})); then
  echo "tools-classpath.sh: missing ${missing[*]} (Debian: apt-get install openjdk-17-jdk-headless maven)" >&2
  exit 1
fi
java_major=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)
if [[ -z "$java_major" || "$java_major" -lt 17 ]]; then
  echo "tools-classpath.sh: java 17 or newer needed, found: $(java -version 2>&1 | head -1)" >&2
  exit 1
fi
# One version of Kafka for the client scenarios and the tools.
want=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$here/../java/pom.xml")
have=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$pom")
if [[ "$want" != "$have" ]]; then
  echo "tools-classpath.sh: tools/pom.xml has Kafka $have, java/pom.xml $want: make them equal" >&2
  exit 1
fi

if [[ ! -s "$out" || "$pom" -nt "$out" ]]; then
  mkdir -p "$here/target"
  log=$(mktemp)
  if ! mvn -q -B -f "$pom" dependency:build-classpath -Dmdep.outputFile="$out.tmp" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log" "$out.tmp"
    echo "tools-classpath.sh: mvn dependency:build-classpath failed (output above)" >&2
    exit 1
  fi
  rm -f "$log"
  mv "$out.tmp" "$out"
fi
cp=$(cat "$out")
for jar in $(tr ':' ' ' <<<"$cp"); do
  [[ -f "$jar" ]] || { rm -f "$out"; echo "tools-classpath.sh: $jar is gone from ~/.m2; run again" >&2; exit 1; }
done
echo "$cp"
