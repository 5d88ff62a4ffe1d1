# Shared by tests/insn/*.sh (sourced after tests/lib.sh; not executable,
# so tests/run.sh does not run it as a test).

# build_insn_check NAME: tests/insn/insn_check.c with the decoder, as
# ./insn_check in the current directory; a failed build is the check
# NAME/build, and the script ends.
build_insn_check() {
    if ! gcc -O1 -I"$HOTLD_ROOT/loader/x86_64" "$HOTLD_ROOT/tests/insn/insn_check.c" \
            "$HOTLD_ROOT/loader/x86_64/insn.c" -lelf -o insn_check 2>build.log; then
        not_ok "$1/build" "$(head -c 300 build.log)"
        exit 0
    fi
}
