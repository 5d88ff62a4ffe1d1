# hotld's gdb commands for every program run by hotld, with no setup.
#
# `make install` puts this file in gdb's system-wide init directory
# (/etc/gdb/gdbinit.d, which gdb reads at start and trusts), with HELPER
# set to where it installed hotld-gdb.py. When gdb loads an executable
# that is hotld (hotld itself, or a program a build linked with hotld as
# its linker: a copy of hotld), the helper is sourced; gdb's auto-load
# safe path, which guards scripts found beside executables, is not
# involved.

import gdb

HELPER = "@HELPER@"


def _hotld_objfile(objfile):
    """Is objfile hotld? Its DWARF has the session the helper reads."""
    try:
        return objfile.lookup_global_symbol("the_session") is not None
    except (gdb.error, RuntimeError):
        return False


def _on_new_objfile(event):
    if getattr(gdb, "_hotld_helper_loaded", False) or not _hotld_objfile(event.new_objfile):
        return
    gdb._hotld_helper_loaded = True
    gdb.execute("source " + HELPER)


gdb.events.new_objfile.connect(_on_new_objfile)
