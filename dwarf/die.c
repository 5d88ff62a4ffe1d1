#include "die.h"

#include <stddef.h>

Dwarf_Die die_at(Dwarf_Debug dbg, Dwarf_Off off)
{
    Dwarf_Die d = NULL;
    Dwarf_Error err = NULL;
    return dwarf_offdie_b(dbg, off, 1, &d, &err) == DW_DLV_OK ? d : NULL;
}

Dwarf_Half die_tag(Dwarf_Die d)
{
    Dwarf_Half tag = 0;
    Dwarf_Error err = NULL;
    dwarf_tag(d, &tag, &err);
    return tag;
}

const char *die_name(Dwarf_Die d)
{
    char *name = NULL;
    Dwarf_Error err = NULL;
    return dwarf_diename(d, &name, &err) == DW_DLV_OK ? name : "";
}

bool die_udata(Dwarf_Die d, Dwarf_Half at, Dwarf_Unsigned *v)
{
    Dwarf_Attribute a;
    Dwarf_Error err = NULL;
    if (dwarf_attr(d, at, &a, &err) != DW_DLV_OK)
        return false;
    bool ok = dwarf_formudata(a, v, &err) == DW_DLV_OK;
    if (!ok) {
        Dwarf_Signed s;
        ok = dwarf_formsdata(a, &s, &err) == DW_DLV_OK;
        *v = (Dwarf_Unsigned)s;
    }
    dwarf_dealloc_attribute(a);
    return ok;
}

bool die_ref(Dwarf_Die d, Dwarf_Half at, Dwarf_Off *off)
{
    Dwarf_Attribute a;
    Dwarf_Error err = NULL;
    if (dwarf_attr(d, at, &a, &err) != DW_DLV_OK)
        return false;
    bool ok = dwarf_global_formref(a, off, &err) == DW_DLV_OK;
    dwarf_dealloc_attribute(a);
    return ok;
}

bool die_flag(Dwarf_Die d, Dwarf_Half at)
{
    Dwarf_Bool set = 0;
    Dwarf_Error err = NULL;
    return dwarf_hasattr(d, at, &set, &err) == DW_DLV_OK && set;
}

Dwarf_Die die_first_child(Dwarf_Die d)
{
    Dwarf_Die c = NULL;
    Dwarf_Error err = NULL;
    return dwarf_child(d, &c, &err) == DW_DLV_OK ? c : NULL;
}

Dwarf_Die die_next(Dwarf_Debug dbg, Dwarf_Die d)
{
    Dwarf_Die next = NULL;
    Dwarf_Error err = NULL;
    int rc = dwarf_siblingof_b(dbg, d, 1, &next, &err);
    dwarf_dealloc_die(d);
    return rc == DW_DLV_OK ? next : NULL;
}
