#!/usr/bin/env bash
# Installs what the app needs, builds it, and starts the desktop application on the default SQLite store.
# Arguments are passed on (e.g. --db FILE).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh" build
"$root/scripts/build.sh"
exec "$root/build/app/xapi-courier" "$@"
