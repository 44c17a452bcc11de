#!/usr/bin/env bash
# Builds the Java interop client (java/pom.xml: Apache kafka-clients and the scenarios) into
# java/target/skiff-interop.jar when that jar is missing or older than a source, and prints the
# jar's path as its last line. Needs java and javac 17+ and mvn (jars come from Maven Central
# into ~/.m2 the first time). Fails with one line naming what is missing.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
module="$here/java"
jar="$module/target/skiff-interop.jar"

missing=()
for tool in java javac mvn; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if ((${#missing[@]})); then
  echo "build-java.sh: missing ${missing[*]} (Debian: apt-get install openjdk-17-jdk-headless maven)" >&2
  exit 1
fi
javac_major=$(javac -version 2>&1 | sed -n 's/^javac \([0-9]*\).*/\1/p')
if [[ -z "$javac_major" || "$javac_major" -lt 17 ]]; then
  echo "build-java.sh: javac 17 or newer needed, found: $(javac -version 2>&1 | head -1)" >&2
  exit 1
fi

stale=1
if [[ -f "$jar" ]]; then
  newer=$(find "$module/pom.xml" "$module/src" -newer "$jar" -print -quit)
  [[ -z "$newer" ]] && stale=0
fi
if ((stale)); then
  log=$(mktemp)
  if ! mvn -q -B -f "$module/pom.xml" package >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "build-java.sh: mvn package failed (output above)" >&2
    exit 1
  fi
  rm -f "$log"
  [[ -f "$jar" ]] || { echo "build-java.sh: mvn succeeded but $jar is missing" >&2; exit 1; }
  touch "$jar"
fi
echo "$jar"
