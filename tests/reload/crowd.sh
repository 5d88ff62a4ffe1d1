#!/usr/bin/env bash
# Many threads, and threads being born while a reload parks the others:
# 5,000 threads that call into mod.o between naps, and a thread that keeps
# creating threads that each call it once. Every reload goes through, and
# afterwards every one of the 5,000 calls the new version, and so do the
# threads born after it.
set -u
. "$HOTLD_ROOT/tests/lib.sh"
. "$HOTLD_ROOT/tests/reload/lib.bash"

N=5000

# settled V: every crowd thread, and the last thread born, saw version V.
settled() { query && [ "$(qv v$1)" = "$N" ] && [ "$(qv churned)" = "$1" ]; }

test_crowd() {
    build main.o crowd/main.c -pthread
    for v in 1 2 3; do build "mod$v.o" crowd/mod.c -DVER=$v; done
    builds_ok || return
    use mod1.o mod.o
    session_start --session "$SNAME" main.o mod.o -lpthread || return
    send "crowd $N"
    wait_for "^crowd $N\$" "$S_OUT" 60 || { not_ok "$P/crowd" "no 'crowd $N'; $(session_state)"; return; }
    send churn
    wait_for '^churning$' "$S_OUT" || { not_ok "$P/churn" "no 'churning'; $(session_state)"; return; }
    retry 10 settled 1 || not_ok "$P/started" "not every thread saw version 1: $(qv v1) of $N, born $(qv churned)"
    local v
    for v in 2 3; do
        use "mod$v.o" mod.o
        reload
        expect_reloaded "reload-$v" mod.o
        if retry 10 settled "$v"; then ok "$P/all-see-$v"; else
            not_ok "$P/all-see-$v" "threads on version $v: $(qv "v$v") of $N; the last born saw $(qv churned)"
        fi
    done
    session_kill
}

for_variants test_crowd ${CROWD_VARIANTS:-gcc gcc-asan}
