#!/usr/bin/env bash
# Runs a command inside its own D-Bus session with an unlocked gnome-keyring (a real Secret Service), in
# throw-away XDG folders so a developer's own keyring and data are never touched.
set -euo pipefail
sandbox=$(mktemp -d -t courier-keychain.XXXXXX)
trap 'rm -rf "$sandbox"' EXIT
mkdir -p "$sandbox"/{data,config,cache,runtime}
chmod 700 "$sandbox/runtime"
export XDG_DATA_HOME="$sandbox/data" XDG_CONFIG_HOME="$sandbox/config" XDG_CACHE_HOME="$sandbox/cache"
export XDG_RUNTIME_DIR="$sandbox/runtime"
dbus-run-session -- bash -c '
    echo -n courier-tests | gnome-keyring-daemon --unlock --components=secrets >/dev/null
    exec "$@"' courier-keychain "$@"
