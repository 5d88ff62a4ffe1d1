#!/bin/sh
# Install the Debian packages hotld needs to build, test and benchmark.
# Only missing packages are installed, so this is cheap to run every time.
# The last line's -dev packages are for CPython's extension modules (ssl,
# sqlite3, zlib, bz2, lzma; ctypes uses libffi-dev) in tests/thirdparty/cpython.sh.
set -e
PKGS="gcc g++ clang make pkg-config libelf-dev libdwarf-dev gdb binutils \
      mold tcc dpkg-dev xz-utils libclang-rt-dev python3 lldb-14 \
      libffi-dev libreadline-dev libiberty-dev valgrind chromium cmake meson ninja-build libgtest-dev byacc libjson-c-dev entr ccache \
      libssl-dev libsqlite3-dev zlib1g-dev libbz2-dev liblzma-dev gfortran gdc gccgo gnat"
[ "$#" -gt 0 ] && PKGS="$PKGS $*"
# Rust for tests/lang/rust.sh: the machine's own toolchain (rustup's), or
# Debian's when there is none
command -v rustc >/dev/null 2>&1 || [ -x "$HOME/.cargo/bin/rustc" ] || PKGS="$PKGS rustc"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing="$missing $p"
done
[ -z "$missing" ] && exit 0
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
