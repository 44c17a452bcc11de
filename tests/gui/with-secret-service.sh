#!/bin/sh
# Runs a test under a D-Bus session bus of its own, in a throwaway HOME, so the keyring of whoever
# runs the tests is never touched:
#   with-secret-service.sh gnome-keyring COMMAND...  a real Secret Service on the bus: GNOME Keyring's
#                                                    daemon, its login keyring made and unlocked with a
#                                                    throwaway password
#   with-secret-service.sh none COMMAND...           the same bus with no Secret Service (and no
#                                                    service files, so none is started on demand)
set -eu
mode=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/home" "$tmp/data" "$tmp/config" "$tmp/cache"
mkdir -m 700 "$tmp/run"
export HOME="$tmp/home" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" XDG_CACHE_HOME="$tmp/cache" XDG_RUNTIME_DIR="$tmp/run"
status=0
case $mode in
gnome-keyring)
  dbus-run-session -- sh -c 'printf %s throwaway | gnome-keyring-daemon --unlock --components=secrets >/dev/null && "$@"' sh "$@" || status=$?
  ;;
none)
  dbus-run-session --config-file="$here/session-bus-without-services.conf" -- "$@" || status=$?
  ;;
*)
  echo "with-secret-service.sh: unknown mode '$mode' (gnome-keyring or none)" >&2
  exit 2
  ;;
esac
exit $status
