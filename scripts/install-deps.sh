#!/usr/bin/env bash
# Installs the Debian 12 packages xAPI Courier needs, and only those that are missing.
#   scripts/install-deps.sh build   compiler, CMake, Qt 6, QtKeychain
#   scripts/install-deps.sh test    build + a real Secret Service, D-Bus, Xvfb, SMTP and PostgreSQL servers for tests,
#                                   and what cpack -G DEB and the package test use
set -euo pipefail

# (libqt6opengl6-dev: Qt6Charts' CMake package needs Qt6OpenGL's, which Debian 12's qt6-charts-dev does not pull in.)
build_packages=(
    cmake g++ make pkg-config ccache
    qt6-base-dev qt6-base-dev-tools libqt6sql6-sqlite libqt6sql6-psql qt6-httpserver-dev qt6-websockets-dev
    qt6-charts-dev libqt6opengl6-dev qtkeychain-qt6-dev qt6-tools-dev qt6-qpa-plugins libgl-dev libcurl4-openssl-dev
    libsqlite3-dev libqt6svg6 libsecret-1-0 dbus gnome-keyring libsimdjson-dev
)
test_packages=(dbus-x11 xvfb xauth python3-aiosmtpd postgresql appstream
    dpkg-dev file lintian desktop-file-utils man-db systemd)  # the last line for cpack -G DEB and tst_package

packages=("${build_packages[@]}")
if [ "${1:-build}" = test ]; then
    packages+=("${test_packages[@]}")
fi

missing=()
for package in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
    [ "$status" = "install ok installed" ] || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing: ${missing[*]}"
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
