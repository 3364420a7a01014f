#!/usr/bin/env bash
# Configures and builds into ./build (warnings are errors for our code).
# With ccache installed, compiles go through it, keyed on paths relative to the checkout, so a fresh clone in
# another folder (CI) or a git worktree reuses what an earlier build of the same sources compiled.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
launcher=()
if command -v ccache >/dev/null; then
    ccache --max-size="${CCACHE_MAXSIZE:-5G}" >/dev/null
    launcher=("-DCMAKE_CXX_COMPILER_LAUNCHER=env;CCACHE_BASEDIR=$root;CCACHE_NOHASHDIR=1;ccache")
fi
cmake -S "$root" -B "$root/build" -DCOURIER_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" >/dev/null
cmake --build "$root/build" -j"$(nproc)"
