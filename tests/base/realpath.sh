#!/usr/bin/env bash
# base/realpath.c's path_real: the answer of the C library's realpath
# (the oracle), for directories and files reached through symbolic
# links, "..", ".", relative paths and trailing slashes; NULL where
# realpath fails (tests/base/realpath_check.c). Then again where /proc
# is not mounted (a mount namespace of the test's own, as root): there
# path_real asks realpath.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.bash"
cd "$TMP"
mkdir -p tree/a/b tree/c
touch tree/a/b/file.a
ln -s a/b tree/to-b               # a directory through a link
ln -s ../a tree/c/up              # a link with ".." in it
ln -s to-b tree/link-to-link      # a link to a link
ln -s nowhere tree/dangling
ln -s b/file.a tree/a/file-link   # a file through a link
paths=(tree tree/ tree/a/b tree/to-b tree/to-b/ tree/to-b/file.a tree/c/up/b/../b/file.a
    tree/link-to-link/file.a tree/a/file-link tree/./a//b/. tree/dangling tree/missing
    tree/a/b/file.a/ "$TMP/tree/c/up" /lib /usr/lib/../lib . / tree/c/up/../c)
base_check realpath -- "${paths[@]}"
if [ "$(id -u)" = 0 ]; then
    unshare -m --propagation private sh -c 'umount -l /proc && exec "$@"' sh ./realpath_check "${paths[@]}" ||
        [ $? -eq 1 ] || not_ok realpath/without-proc "could not run the check without /proc"
fi
