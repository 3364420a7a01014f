#!/usr/bin/env bash
# Builds the Debian package with CPack and checks it: control fields, every file it must ship, lintian, the
# metainfo, desktop file, manual page and systemd unit, and that the program runs from it. As root on a system without
# xapi-courier installed (CI: a throw-away Debian 12) it installs the package with dpkg, runs /usr/bin/xapi-courier,
# and removes it again; otherwise it runs the binary extracted from the package.
#   tst_package.sh CPACK BUILD_DIR VERSION     (needs the build directory fully built)
set -euo pipefail
cpack=$1 build=$2 version=$3

work=$(mktemp -d -t courier-deb.XXXXXX)
installed=
cleanup() {
    if [ -n "$installed" ]; then dpkg -P xapi-courier >/dev/null 2>&1 || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
step() { echo "-- $*"; }

step "cpack -G DEB"
"$cpack" -G DEB --config "$build/CPackConfig.cmake" -B "$work/out" >"$work/cpack.log" 2>&1 ||
    { cat "$work/cpack.log"; fail "cpack failed"; }
deb=$work/out/xapi-courier_${version}_$(dpkg --print-architecture).deb
[ -f "$deb" ] || { ls "$work/out"; fail "cpack made no $(basename "$deb")"; }

step "control fields"
dpkg-deb --info "$deb"
field() { dpkg-deb --field "$deb" "$1"; }
[ "$(field Package)" = xapi-courier ] || fail "Package is '$(field Package)'"
[ "$(field Version)" = "$version" ] || fail "Version is '$(field Version)', not $version"
for name in Maintainer Section Homepage Description; do
    [ -n "$(field "$name")" ] || fail "no $name field"
done
# (grep -q reads from here-strings, not pipes: with pipefail an early exit would fail the writer.)
grep -q '^ .*xAPI' <<<"$(field Description)" || fail "Description has no long text"
# Every alternative of every dependency, one per line, without version constraints.
depends=$(field Depends | sed 's/[,|]/\n/g' | sed 's/(.*)//; s/ //g')
# libqt6core6, libqt6charts6 and libqt6keychain1 can only come from dpkg-shlibdeps; the rest are loaded at run time.
for package in libqt6core6 libqt6widgets6 libqt6charts6 libqt6keychain1 libqt6sql6-sqlite libqt6sql6-psql libqt6svg6 \
    qt6-qpa-plugins libsecret-1-0 gnome-keyring; do
    grep -qx "$package" <<<"$depends" || fail "Depends lacks $package: $(field Depends)"
done
grep -qx /etc/default/xapi-courier-worker <<<"$(dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles)" ||
    fail "/etc/default/xapi-courier-worker is not a conffile"

step "contents"
dpkg-deb --contents "$deb"
contents=$(dpkg-deb --contents "$deb" | awk '{ print $1, $6 }')
icons=./usr/share/icons/hicolor
expected=(
    ./usr/bin/xapi-courier
    ./usr/share/applications/org.xapicourier.Courier.desktop
    ./usr/share/metainfo/org.xapicourier.Courier.metainfo.xml
    "$icons/scalable/apps/org.xapicourier.Courier.svg"
    ./usr/share/man/man1/xapi-courier.1.gz
    ./usr/lib/systemd/user/xapi-courier-worker.service
    ./etc/default/xapi-courier-worker
    ./usr/share/doc/xapi-courier/copyright
    ./usr/share/doc/xapi-courier/changelog.gz
)
sizes=(16 32 48 64 128 256)
for size in "${sizes[@]}"; do
    expected+=("$icons/${size}x$size/apps/org.xapicourier.Courier.png")
done
for path in "${expected[@]}"; do
    grep -q "^-[^ ]* $path\$" <<<"$contents" || fail "the package lacks $path"
done
grep -qx -- "-rwxr-xr-x ./usr/bin/xapi-courier" <<<"$contents" || fail "/usr/bin/xapi-courier is not executable"

root=$work/root
dpkg-deb -x "$deb" "$root"
grep -q ', stripped' <<<"$(file -b "$root/usr/bin/xapi-courier")" || fail "the binary is not stripped"
for size in "${sizes[@]}"; do
    png=$root/$icons/${size}x$size/apps/org.xapicourier.Courier.png
    grep -q "^PNG image data, $size x $size," <<<"$(file -b "$png")" ||
        fail "the ${size}x$size icon is not a $size x $size PNG"
done

changelog=$(zcat "$root/usr/share/doc/xapi-courier/changelog.gz" | dpkg-parsechangelog -l - -S Version) ||
    fail "the changelog cannot be read"
[ "$changelog" = "$version" ] || fail "the changelog's newest entry is $changelog, not $version"

step "lintian"
lintian --fail-on error,warning "$deb" || fail "lintian found errors or warnings"

step "appstreamcli validate --no-net"
metainfo=$root/usr/share/metainfo/org.xapicourier.Courier.metainfo.xml
appstreamcli validate --no-net "$metainfo" || fail "appstreamcli validate"
# The tree as installed: the metainfo's launchable must be the desktop file that is really there.
appstreamcli validate-tree --no-net "$root" || fail "appstreamcli validate-tree"
grep -q "<release version=\"$version\"" "$metainfo" || fail "the metainfo has no release $version"
step "desktop-file-validate"
out=$(desktop-file-validate "$root/usr/share/applications/org.xapicourier.Courier.desktop" 2>&1) || true
[ -z "$out" ] || fail "desktop-file-validate: $out"

step "manual page"
manpage=$root/usr/share/man/man1/xapi-courier.1.gz
gzip -t "$manpage" || fail "the manual page is not gzipped"
# As lintian checks manual pages: groff must not warn.
warnings=$(LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z "$manpage" 2>&1 >/dev/null) ||
    fail "man failed: $warnings"
[ -z "$warnings" ] || fail "man --warnings: $warnings"
rendered=$(LC_ALL=C MANWIDTH=200 man -l "$manpage" | col -b) || fail "man -l failed"
grep -q "xapi-courier $version" <<<"$rendered" || fail "the manual page does not name version $version"
# Every command and action of `xapi-courier --help` has its entry ("xapi-courier integration add ...").
help=$("$root/usr/bin/xapi-courier" --help)
commands=$(sed -n '/^Commands:/,/^$/p' <<<"$help" | grep -E '^  [a-z]' | awk '{ print $1, $2 }')
[ -n "$commands" ] || fail "no commands found in xapi-courier --help"
while read -r command actions; do
    [[ $actions =~ ^[a-z|]+$ ]] || actions=
    for action in ${actions//|/ }; do
        grep -q "^ *xapi-courier $command $action\b" <<<"$rendered" || fail "the manual page lacks '$command $action'"
    done
    [ -n "$actions" ] || grep -q "^ *xapi-courier $command\b" <<<"$rendered" ||
        fail "the manual page lacks '$command'"
done <<<"$commands"
for section in 'EXIT STATUS' ENVIRONMENT FILES; do
    grep -q "^$section" <<<"$rendered" || fail "the manual page has no $section section"
done

# systemd-analyze prints problems (unknown keys, bad values) as warnings, so its output must be empty too.
verify_unit() {
    local runtime out
    runtime=$(mktemp -d -p "$work")
    out=$(XDG_RUNTIME_DIR=$runtime systemd-analyze --user verify --man=no "$1" 2>&1) || fail "systemd-analyze: $out"
    [ -z "$out" ] || fail "systemd-analyze: $out"
}
unit=usr/lib/systemd/user/xapi-courier-worker.service
# shellcheck disable=SC2016 # the unit's own $VARIABLE, not the shell's
grep -qx 'ExecStart=/usr/bin/xapi-courier worker $XAPI_COURIER_WORKER_ARGS' "$root/$unit" || fail "unexpected ExecStart"
grep -qx 'EnvironmentFile=-/etc/default/xapi-courier-worker' "$root/$unit" || fail "unexpected EnvironmentFile"
# The receiver needs descriptors for its connections: the soft limit of 1024 is not enough under load.
grep -qx 'LimitNOFILE=8192' "$root/$unit" || fail "the unit does not raise LimitNOFILE"
for variable in XAPI_COURIER_DB XAPI_COURIER_WORKER_ARGS; do
    grep -q "^$variable=" "$root/etc/default/xapi-courier-worker" || fail "the default file does not set $variable"
done

# Only a system that never had the package (or had it purged) is used, so nobody's installation or settings are lost;
# a settings file there without the package (e.g. from `cmake --install`) counts as settings.
state=$(dpkg-query -W -f='${db:Status-Status}' xapi-courier 2>/dev/null || true)
[ ! -e /etc/default/xapi-courier-worker ] || state=${state:-settings-only}
if [ "$(id -u)" -eq 0 ] && { [ -z "$state" ] || [ "$state" = not-installed ]; }; then
    step "dpkg -i"
    installed=yes
    dpkg -i "$deb" >"$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log"; fail "dpkg -i failed"; }
    [ "$(dpkg-query -W -f='${Status}' xapi-courier)" = "install ok installed" ] || fail "not installed"
    out=$(/usr/bin/xapi-courier --version)
    [ "$out" = "xapi-courier $version" ] || fail "/usr/bin/xapi-courier --version printed '$out'"
    verify_unit "/$unit"
    man -w xapi-courier >/dev/null || fail "man does not find xapi-courier(1)"

    step "dpkg -r"
    dpkg -r xapi-courier >"$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log"; fail "dpkg -r failed"; }
    [ ! -e /usr/bin/xapi-courier ] || fail "dpkg -r left /usr/bin/xapi-courier"
    [ -f /etc/default/xapi-courier-worker ] || fail "dpkg -r removed the conffile (only a purge should)"
    dpkg -P xapi-courier >"$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log"; fail "dpkg -P failed"; }
    [ ! -e /etc/default/xapi-courier-worker ] || fail "dpkg -P left /etc/default/xapi-courier-worker"
    installed=
else
    step "not installing (not root, or xapi-courier is here: ${state:-?}): running the extracted binary"
    out=$("$root/usr/bin/xapi-courier" --version)
    [ "$out" = "xapi-courier $version" ] || fail "xapi-courier --version printed '$out'"
    # ExecStart must name an executable; point it at the extracted one for this check.
    sed "s|=/usr/bin/xapi-courier |=$root/usr/bin/xapi-courier |" "$root/$unit" >"$work/xapi-courier-worker.service"
    verify_unit "$work/xapi-courier-worker.service"
fi
echo "PASS: $(basename "$deb")"
