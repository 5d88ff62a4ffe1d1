#!/usr/bin/env bash
# A plugin host under hotld -rdynamic (issue 24): the plugin, dlopened by
# the program, resolves host_scale, host_gone and settings against the
# symbols hotld exports, as against a linked -rdynamic executable's.
# Reloads of api.o: a changed function reaches the plugin's calls; an
# added one is found by dlsym; a variable that migrates to new storage
# while the plugin refers to it is followed (the plugin writes it, the
# host reads the same value: "sync"); a removed function the plugin still
# calls is said in the report, the plugin keeps the old one, and dlsym no
# longer finds it.
# The same again with plugin.so on hotld's command line as a library the
# program links (loaded before the program is laid out, so its data
# reference to settings starts at a stand-in), which the program's dlopen
# then finds loaded.
# Expected answers are C's: run = host_scale(settings), settings = 10.
# gcc and the ASan build run the C sources; clang -O2 the same as C++.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

answer() { printf '%s' "$(qv run) $(qv gone) $(qv found) $(qv found "$QT" 2) $(qv found "$QT" 3) $(qv sync)"; }

test_plugins() {
    local v lang=() cxx=$CC
    case $V in clang-O2) lang=(-x c++) cxx=clang++ ;; esac
    build main.o plugins/main.c -g "${lang[@]}"
    for v in 1 2 3 4; do build "api$v.o" plugins/api.c -g "${lang[@]}" -DVER=$v; done
    (cd "$W" && "$CC" -shared -fPIC "${lang[@]}" "$RL_SRC/plugins/plugin.c" -o plugin.so) >"$W/plugin.log" 2>&1 ||
        RL_BUILD_ERRORS="$RL_BUILD_ERRORS; plugin.so: $(head -c 300 "$W/plugin.log")"
    builds_ok || return
    (cd "$W" && "$cxx" -rdynamic main.o api1.o -ldl -o linked) >"$W/link.log" 2>&1
    check linked-as-c-says "20 7 1 1 0 1" \
        "$(printf 'q x\n' | "$W/linked" "$W/plugin.so" | awk '$1 == "x" && $2 != "end" { $1 = ""; $2 = ""; printf "%s ", $0 }' | tr -s ' ' | sed 's/^ //; s/ $//')" \
        "the gcc-linked -rdynamic program (run, gone, sync, found)"
    plugin_session dlopened
    plugin_session linked "$W/plugin.so"
}

# plugin_session NAME [LIBRARY]: the reloads above, in a session that
# links LIBRARY too.
plugin_session() {
    local P=$P/$1; shift
    use api1.o api.o
    session_start --session "$SNAME" -rdynamic main.o api.o "$@" -- "$W/plugin.so" || return
    query
    check first "20 7 1 0 1 1" "$(answer)" "run, gone, found scale/added/gone, sync"
    use api2.o api.o
    reload
    expect_reloaded changed-and-added api.o
    query
    check answers-after-change "30 7 1 1 1 1" "$(answer)" "after host_scale changed, host_added added"
    use api3.o api.o
    reload
    expect_reloaded migrated api.o
    query
    check migrated-followed "30 7 1 1 1 1" "$(answer)" "after settings migrated"
    use api4.o api.o
    reload
    if [ "$R_RC" = 0 ] && [[ $R_OUT == *"reloaded api.o"* ]] &&
        [[ $R_ERR =~ "warning: '"(host_gone|_Z9host_gonev)"' is gone from ".*plugin.so.*"keeps the old definition" ]]; then
        ok "$P/removed-said"
    else
        not_ok "$P/removed-said" "$(client_said)"
    fi
    query
    check removed "30 7 1 1 0 1" "$(answer)" "after host_gone was removed"
    session_stop
}

for_variants test_plugins gcc clang-O2 gcc-asan
