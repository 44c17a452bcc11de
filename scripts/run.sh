#!/usr/bin/env bash
# First command of the README: install what is missing, build, start one node on the defaults
# (Kafka on 127.0.0.1:9092, data in ./skiff-data).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh skiffd skiffctl skiff-dashboard   # not the tests: scripts/test.sh builds those
exec build/bin/skiffd "$@"
