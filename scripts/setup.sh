#!/usr/bin/env bash
# Installs what Skiff needs to build and test on Debian 12, skipping what is already there.
set -euo pipefail
packages=(
  build-essential cmake ninja-build ccache pkg-config git
  # qt6-charts-dev does not pull in the OpenGL module files its CMake config needs.
  qt6-base-dev qt6-httpserver-dev qt6-charts-dev libqt6opengl6-dev libqt6svg6 libtomlplusplus-dev
  # The dashboard's secrets in the desktop keyring: QtKeychain, and libsecret, which it loads at
  # run time to reach the Secret Service. The keyring tests run a real one (GNOME Keyring) on a
  # session bus of their own (dbus-run-session) and read it back with secret-tool.
  qtkeychain-qt6-dev libsecret-1-0 gnome-keyring dbus-daemon libsecret-tools
  protobuf-compiler libprotobuf-dev libsystemd-dev
  # TLS: OpenSSL's headers (a key is checked against its certificate) and its command line
  # (tests make their certificates with it).
  libssl-dev openssl
  kcat python3 python3-confluent-kafka python3-kafka librdkafka-dev
  # The reference Java client and Kafka's command-line tools (tests/interop): javac 17 and
  # Maven; their jars come from Maven Central into ~/.m2 when the tests first need them.
  openjdk-17-jdk-headless maven
  # The Go clients (tests/interop/go): the toolchain is fetched below; unzip unpacks it.
  unzip
  # The fuzz tests (tests/run-libfuzzer.sh, tests/cluster/fuzz): clang and its sanitizer and
  # libFuzzer runtimes (Debian 12 has no unversioned libclang-rt-dev).
  clang libclang-rt-14-dev
  dpkg-dev fakeroot lintian desktop-file-utils appstream systemd curl
  # The fault bed (tests/faults): namespaces, link faults and mounts.
  iproute2 nftables iputils-ping util-linux mount
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""; [[ $(id -u) == 0 ]] || sudo="sudo"
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# The Go clients (tests/interop/go) need the Go of go.mod's `go` line; Debian 12's golang (1.19) is
# too old and cannot fetch a newer one itself (GOTOOLCHAIN came in 1.21). When neither go on PATH
# nor /usr/local/go/bin/go is new enough, that toolchain comes from the Go module proxy
# (golang.org/toolchain, the module GOTOOLCHAIN downloads) into /usr/local/go.
go_needed=$(sed -n 's/^go \([0-9][0-9.]*\)$/\1/p' "$(dirname "$0")/../tests/interop/go/go.mod")
go_new_enough() {
  local have
  have=$("$1" env GOVERSION 2>/dev/null | sed 's/^go//') || return 1
  [[ -n "$have" && "$(printf '%s\n%s\n' "$go_needed" "$have" | sort -V | head -1)" == "$go_needed" ]]
}
if ! { command -v go >/dev/null && go_new_enough go; } && ! go_new_enough /usr/local/go/bin/go; then
  sudo=""; [[ $(id -u) == 0 ]] || sudo="sudo"
  arch=$(dpkg --print-architecture)
  toolchain="v0.0.1-go${go_needed}.linux-${arch}"
  echo "setup: installing go ${go_needed} into /usr/local/go from the Go module proxy"
  tmp=$(mktemp -d)
  curl -fsSL "https://proxy.golang.org/golang.org/toolchain/@v/${toolchain}.zip" -o "$tmp/go.zip"
  unzip -q "$tmp/go.zip" -d "$tmp"
  $sudo rm -rf /usr/local/go
  $sudo mv "$tmp/golang.org/toolchain@${toolchain}" /usr/local/go
  rm -rf "$tmp"
  /usr/local/go/bin/go version
fi
