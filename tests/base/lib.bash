# The base/ checks: a C program linked with hotld's base layer that prints
# "ok NAME" or "not ok NAME: why" per check and exits 0 or 1.

# base_check NAME [LIBS...] -- [ARGS...]: build tests/base/NAME_check.c
# against build/base/*.o (and LIBS), run it with ARGS; a failed build or
# an exit other than 0 or 1 is a failure of its own.
base_check() {
    local name=$1 libs=() status
    shift
    while [ $# -gt 0 ] && [ "$1" != -- ]; do libs+=("$1"); shift; done
    [ $# -gt 0 ] && shift
    if ! gcc -O1 -D_GNU_SOURCE -Wall -Wextra -Werror -I"$HOTLD_ROOT/base" "$HOTLD_ROOT/tests/base/${name}_check.c" \
            "$HOTLD_ROOT"/build/base/*.o "${libs[@]}" -lpthread -ldl -liberty -o "${name}_check" 2>build.log; then
        not_ok "$name/build" "$(head -c 300 build.log)"
        return
    fi
    "./${name}_check" "$@"
    status=$?
    [ $status -eq 0 ] || [ $status -eq 1 ] || not_ok "$name/exit" "the check ended with status $status"
}
