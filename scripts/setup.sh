#!/usr/bin/env bash
# Installs what Skiff needs to build and test on Debian 12, skipping what is already there.
set -euo pipefail
packages=(
  build-essential cmake ninja-build ccache pkg-config git
  # qt6-charts-dev does not pull in the OpenGL module files its CMake config needs.
  qt6-base-dev qt6-httpserver-dev qt6-charts-dev libqt6opengl6-dev libqt6svg6 libtomlplusplus-dev
  protobuf-compiler libprotobuf-dev libsystemd-dev
  kcat python3 python3-confluent-kafka python3-kafka librdkafka-dev
  # The reference Java client (tests/interop): javac 17 and Maven; its jars come from Maven
  # Central into ~/.m2 when the test first builds it.
  openjdk-17-jdk-headless maven
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
