/* A Lua C module, loaded by require from a shared object: it resolves
 * lua_* and luaL_* against the interpreter, which exports them when it is
 * linked with -Wl,-E (upstream's linux target does). */
#include "lauxlib.h"
#include "lua.h"

static int twice(lua_State *L)
{
    lua_pushinteger(L, 2 * luaL_checkinteger(L, 1));
    return 1;
}

static int version(lua_State *L)
{
    lua_pushnumber(L, lua_version(L));
    return 1;
}

int luaopen_cmod(lua_State *L)
{
    static const luaL_Reg functions[] = {{"twice", twice}, {"version", version}, {NULL, NULL}};
    luaL_newlib(L, functions);
    return 1;
}
