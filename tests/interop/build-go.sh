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

command -v go >/dev/null 2>&1 || PATH="$PATH:/usr/local/go/bin"
if ! command -v go >/dev/null 2>&1; then
  echo "build-go.sh: missing go $needed or newer (scripts/setup.sh installs it)" >&2
  exit 1
fi
have=$(go env GOVERSION | sed 's/^go//')
if [[ "$(printf '%s\n%s\n' "$needed" "$have" | sort -V | head -1)" != "$needed" ]]; then
  echo "build-go.sh: go $needed or newer needed, found $(command -v go): go$have (scripts/setup.sh installs it)" >&2
  exit 1
fi

log=$(mktemp)
# GOTOOLCHAIN=local: build with the go found above, never switch to a downloaded one silently.
if ! (cd "$module" && GOTOOLCHAIN=local GOFLAGS=-mod=readonly go build -o "$binary" .) >"$log" 2>&1; then
  cat "$log" >&2
  rm -f "$log"
  echo "build-go.sh: go build failed (output above)" >&2
  exit 1
fi
rm -f "$log"
echo "$binary"
