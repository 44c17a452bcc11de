#!/usr/bin/env bash
# Builds librdkafka's own load generator, rdkafka_performance, from the example source in Debian's
# librdkafka-dev package (it includes two private librdkafka headers; tiny shims stand in).
# Usage: bench/build-rdkafka-perf.sh [OUT_DIR]   (default build/rdkafka-perf); prints the binary.
set -euo pipefail
out=${1:-"$(dirname "$0")/../build/rdkafka-perf"}
src=/usr/share/doc/librdkafka-dev/examples/rdkafka_performance.c
if [[ ! -f $src ]]; then
  sudo=""; [[ $(id -u) == 0 ]] || sudo="sudo"
  $sudo apt-get install -y -q librdkafka-dev >/dev/null
fi
mkdir -p "$out/inc" "$out/src"
if [[ -x $out/rdkafka_performance && $out/rdkafka_performance -nt $src ]]; then
  echo "$out/rdkafka_performance"; exit 0
fi
cat > "$out/inc/rd.h" <<'H'
#pragma once
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
typedef int64_t rd_ts_t;
static inline rd_ts_t rd_clock(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (rd_ts_t)ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}
#define rd_snprintf snprintf
#define rd_vsnprintf vsnprintf
#define RD_UNUSED __attribute__((unused))
#define RD_MIN(a, b) ((a) < (b) ? (a) : (b))
#define RD_MAX(a, b) ((a) > (b) ? (a) : (b))
#define RD_ARRAYSIZE(A) (sizeof((A)) / sizeof(*(A)))
H
echo '#include "rd.h"' > "$out/inc/rdtime.h"
echo '#include "../inc/rd.h"' > "$out/src/rd.h"
cp "$src" "$out/src/rdkafka_performance.c"
gcc -O2 -w -D_GNU_SOURCE -I"$out/inc" -I/usr/include/librdkafka -o "$out/rdkafka_performance" \
  "$out/src/rdkafka_performance.c" $(pkg-config --libs rdkafka) -lm
echo "$out/rdkafka_performance"
