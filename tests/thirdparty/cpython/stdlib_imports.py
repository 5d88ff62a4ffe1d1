# Extension modules of the standard library, each a shared object the
# interpreter dlopens (build/lib.linux-x86_64-3.11/*.so) that resolves
# Py* against the interpreter's exported symbols, and what they compute.
import math, json, decimal, ctypes, sqlite3, ssl, zlib, struct, select
import hashlib, _decimal, _json

print("math", math.sqrt(2), math.factorial(30), math.gcd(12, 18), math.fsum([0.1] * 10), math.__file__.rsplit("/", 1)[-1])
print("json", json.dumps({"a": [1, 2.5, None, True], "b": "\u00e9"}, sort_keys=True), json.loads('{"x": [1e3, "y"]}'))
print("json-c-scanner", json.scanner.c_make_scanner is _json.make_scanner)
decimal.getcontext().prec = 40
print("decimal", decimal.Decimal(1) / decimal.Decimal(7), decimal.Decimal("1.1") + decimal.Decimal("2.2"),
      decimal.Decimal(2).sqrt(), decimal.Decimal is _decimal.Decimal)
print("zlib", zlib.crc32(b"hello world"), zlib.adler32(b"hotld"), len(zlib.compress(b"a" * 1000, 9)),
      zlib.decompress(zlib.compress(b"round trip")))
con = sqlite3.connect(":memory:")
con.execute("create table t(x integer, y text)")
con.executemany("insert into t values (?, ?)", [(i, str(i * i)) for i in range(10)])
print("sqlite3", con.execute("select sum(x), group_concat(y, ',') from t").fetchone(), sqlite3.sqlite_version_info >= (3, 7))
libc = ctypes.CDLL(None)
libc.strlen.restype = ctypes.c_size_t
print("ctypes", libc.strlen(b"hotld"), ctypes.sizeof(ctypes.c_long),
      ctypes.cast(ctypes.create_string_buffer(b"abc"), ctypes.c_char_p).value)
# A Python callback called from C (libffi closure): qsort with a comparator.
arr = (ctypes.c_int * 6)(5, 1, 4, 2, 6, 3)
CMP = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_int))
libc.qsort(arr, len(arr), ctypes.sizeof(ctypes.c_int), CMP(lambda a, b: a[0] - b[0]))
print("ctypes-qsort", list(arr))
# The interpreter's own exported C API, called through ctypes.pythonapi.
print("pythonapi", ctypes.pythonapi.Py_IsInitialized(), ctypes.pythonapi.PyLong_AsLong(ctypes.py_object(12345)))
print("ssl", ssl.OPENSSL_VERSION.split()[0], ssl.OPENSSL_VERSION_INFO[0] >= 1, ssl.PROTOCOL_TLS_CLIENT,
      ssl.create_default_context().verify_mode)
print("hashlib", hashlib.sha256(b"hotld").hexdigest()[:16], hashlib.md5(b"x").hexdigest()[:8])
print("struct", struct.pack("<iHd", -2, 7, 1.5).hex(), struct.unpack(">I", b"\x01\x02\x03\x04"), struct.calcsize("@qic"))
print("select", hasattr(select, "epoll"), select.select([], [], [], 0))
ep = select.epoll()
ep.close()
print("done")
