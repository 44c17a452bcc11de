#!/usr/bin/env bash
# Builds the Go interop clients (go/: franz-go, sarama and kafka-go behind one program) into
# go/bin/skiff-interop-go and prints its path as its last line. `go build` itself decides what is
# stale. Needs go at least as new as go/go.mod's `go` line (on PATH or /usr/local/go/bin; Debian
# 12's golang is too old, scripts/setup.sh fetches the toolchain); modules come from the Go module
# proxy into the module cache the first time. Fails with one line naming what is missing.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
module="$here/go"
binary="$module/bin/skiff-interop-go"
needed=$(sed -n 's/^go \([0-9][0-9.]*\)$/\1/p' "$module/go.mod")

# The first new enough of the go on PATH and /usr/local/go/bin/go (where setup.sh puts one when
# the go on PATH, say Debian's golang-go, is too old).
go="" found=()
for candidate in "$(command -v go || true)" /usr/local/go/bin/go; do
  [[ -n "$candidate" && -x "$candidate" ]] || continue
  have=$("$candidate" env GOVERSION 2>/dev/null | sed 's/^go//')
  found+=("$candidate: go$have")
  if [[ -n "$have" && "$(printf '%s\n%s\n' "$needed" "$have" | sort -V | head -1)" == "$needed" ]]; then
    go=$candidate
    break
  fi
done
if [[ -z "$go" ]]; then
  if ((${#found[@]})); then
    echo "build-go.sh: go $needed or newer needed, found ${found[*]} (scripts/setup.sh installs it)" >&2
  else
    echo "build-go.sh: missing go $needed or newer (scripts/setup.sh installs it)" >&2
  fi
  exit 1
fi

log=$(mktemp)
# GOTOOLCHAIN=local: build with the go found above, never switch to a downloaded one silently.
if ! (cd "$module" && GOTOOLCHAIN=local GOFLAGS=-mod=readonly "$go" build -o "$binary" .) >"$log" 2>&1; then
  cat "$log" >&2
  rm -f "$log"
  echo "build-go.sh: go build failed (output above)" >&2
  exit 1
fi
rm -f "$log"
echo "$binary"
