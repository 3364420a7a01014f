#!/usr/bin/env bash
# Installs what the tests need, builds everything, and runs every test against a real keychain.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh" test
"$root/scripts/build.sh"
"$root/scripts/with-keychain.sh" ctest --test-dir "$root/build" --output-on-failure -j2 "$@"
