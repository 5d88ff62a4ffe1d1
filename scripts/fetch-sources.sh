#!/bin/sh
# Fetch and unpack Debian source packages: scripts/fetch-sources.sh PKG...
#
# Each PKG ends up unpacked (Debian patches applied, as `apt-get source`
# leaves it) in "$HOTLD_CACHE/src/PKG" (default cache: ~/.cache/hotld/tests,
# shared by every clone). A package that is already there is not fetched again, so this is
# cheap to run every time. The version is whatever the configured suites
# carry. If the system has no deb-src entries, one is added that copies the
# URIs/Suites/Components/Signed-By of the existing deb entries, followed by
# `apt-get update`. Needs dpkg-dev (scripts/deps.sh installs it).
set -u
cache=${HOTLD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hotld/tests}
src=$cache/src
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"

die() { echo "fetch-sources: $*" >&2; exit 1; }

[ "$#" -gt 0 ] || die "usage: scripts/fetch-sources.sh PKG..."
mkdir -p "$src" || die "cannot create $src"

# Only one fetch at a time in this cache (apt itself locks its lists too).
exec 9>"$src/.lock"
flock 9 || die "cannot lock $src/.lock"

has_src() { apt-cache showsrc "$1" 2>/dev/null | grep -q '^Package:'; }

# Write deb-src entries mirroring the system's deb entries, unless some
# deb-src entry is configured already.
add_deb_src() {
    d=/etc/apt/sources.list.d
    if grep -qsE '^[[:space:]]*Types:.*\bdeb-src\b' "$d"/*.sources ||
       grep -qsE '^[[:space:]]*deb-src[[:space:]]' /etc/apt/sources.list "$d"/*.list; then
        return 0
    fi
    tmp=$(mktemp) || return 1
    # deb822 files: every enabled stanza whose Types include "deb", with
    # Types replaced by deb-src and comment lines dropped.
    for f in "$d"/*.sources; do
        [ -f "$f" ] || continue
        [ "$f" = "$d/hotld-deb-src.sources" ] && continue
        awk 'BEGIN { RS = ""; FS = "\n" }
             {
                 deb = 0; off = 0
                 for (i = 1; i <= NF; i++) {
                     if ($i ~ /^Types:/ && (" " substr($i, 7) " ") ~ /[ \t]deb[ \t]/) deb = 1
                     if (tolower($i) ~ /^enabled:[ \t]*no/) off = 1
                 }
                 if (!deb || off) next
                 print "Types: deb-src"
                 for (i = 1; i <= NF; i++)
                     if ($i !~ /^Types:/ && $i !~ /^[ \t]*#/) print $i
                 print ""
             }' "$f" >>"$tmp"
    done
    if [ -s "$tmp" ]; then
        $SUDO install -m 644 "$tmp" "$d/hotld-deb-src.sources" || { rm -f "$tmp"; return 1; }
    fi
    # One-line-style files: "deb URI SUITE COMPONENTS" -> "deb-src ...".
    : >"$tmp"
    for f in /etc/apt/sources.list "$d"/*.list; do
        [ -f "$f" ] || continue
        [ "$f" = "$d/hotld-deb-src.list" ] && continue
        sed -n 's/^[[:space:]]*deb[[:space:]]/deb-src /p' "$f" >>"$tmp"
    done
    if [ -s "$tmp" ]; then
        $SUDO install -m 644 "$tmp" "$d/hotld-deb-src.list" || { rm -f "$tmp"; return 1; }
    fi
    rm -f "$tmp"
}

# apt-get source PKG=VERSION for each version of PKG the lists name.
fetch_any_version() {
    local pkg=$1 work=$2 v
    for v in $(apt-cache showsrc "$pkg" | sed -n 's/^Version: //p' | sort -rV | uniq); do
        rm -rf "${work:?}"/* && (cd "$work" && apt-get source -qq "$pkg=$v") && return 0
    done
    return 1
}

updated=no
for pkg in "$@"; do
    [ -d "$src/$pkg" ] && continue
    command -v dpkg-source >/dev/null 2>&1 ||
        die "cannot unpack $pkg: dpkg-source missing (run scripts/deps.sh to install dpkg-dev)"
    log=$src/.fetch-$pkg.log
    : >"$log"
    if ! has_src "$pkg" && [ "$updated" = no ]; then
        add_deb_src >>"$log" 2>&1 || die "cannot add a deb-src entry to /etc/apt/sources.list.d"
        $SUDO apt-get update -qq >>"$log" 2>&1 ||
            die "apt-get update failed: $(tail -n 3 "$log" | tr '\n' ' ')"
        updated=yes
    fi
    has_src "$pkg" || die "no Debian source package '$pkg' in the configured apt sources"
    work=$src/.tmp-$pkg
    rm -rf "$work" && mkdir -p "$work" || die "cannot create $work"
    # A list older than the mirror names versions it no longer serves
    # (404): read the lists again once, and retry; a mirror may also list
    # a version (a security update) whose files it does not have: then the
    # other versions the lists name, newest first.
    if ! (cd "$work" && apt-get source -qq "$pkg") >>"$log" 2>&1 &&
       ! { [ "$updated" = no ] && $SUDO apt-get update -qq >>"$log" 2>&1 && updated=yes &&
           (cd "$work" && apt-get source -qq "$pkg") >>"$log" 2>&1; } &&
       ! fetch_any_version "$pkg" "$work" >>"$log" 2>&1; then
        rm -rf "$work"
        die "apt-get source $pkg failed: $(grep -E '^(E|W):' "$log" | tail -n 3 | tr '\n' ' ')"
    fi
    # apt-get source leaves the tarballs, the .dsc and one unpacked tree.
    tree=""
    for t in "$work"/*/; do
        [ -d "$t" ] && { [ -z "$tree" ] || die "$pkg: several trees unpacked in $work"; tree=$t; }
    done
    [ -n "$tree" ] || { rm -rf "$work"; die "apt-get source $pkg unpacked nothing (see $log)"; }
    mv "$tree" "$src/$pkg" || die "cannot move $tree to $src/$pkg"
    rm -rf "$work"
    echo "fetch-sources: $pkg -> $src/$pkg ($(basename "$tree"))" >>"$log"
done
exit 0
