#!/usr/bin/env python3
"""Write numbats' NumPy ufunc reference fixtures (test/fixtures/ufunc-*.json) from NumPy.

Why: numbats reimplements NumPy's ufuncs (see the "ufuncs" section of the API). The tests
compare against tables that NumPy computed instead of hand-typed answers. This script is
the only place those tables come from; it uses the standard library and numpy only, writes
nothing but the fixture files, and is deterministic (fixed seeds; same NumPy and same CPU
features, same bytes).

Usage:
    python3 scripts/ufunc-fixtures.py                   # write every fixture file
    python3 scripts/ufunc-fixtures.py ufunc-values      # only the named ones (file stem)
    python3 scripts/ufunc-fixtures.py --out DIR         # somewhere else than test/fixtures
    python3 scripts/ufunc-fixtures.py --check           # only re-read and check the files

Reference semantics are NumPy 2 (NEP 50 weak Python scalars); the script refuses NumPy 1.

Files (each starts with a "header": generator, NumPy and Python versions, SIMD features):
  ufunc-meta.json        "ufuncs": one row per ufunc (the table's rows, then matmul and vecdot):
                         numpy (name), name (numbats), nin, nout,
                         nargs, identity (encoded value, null for None) and identityType
                         ("bool" | "int" | "float" | null), signature (null or the gufunc
                         string), types (NumPy's loops limited to numbats' dtypes, NumPy's
                         order), ntypes, numpyNtypes, droppedNumpyTypes; for elementwise
                         binary ufuncs also reorderable (may reduce over several axes) and
                         reduceEmpty (reduce of an empty 1-D array: result or error).
                         "numpyElementwise": the names of every NumPy ufunc with signature
                         None and a loop over numbats' dtypes (what the table must cover).
  ufunc-values.json      "loops": one row per (ufunc, loop): {ufunc, types, inputs: [column per
                         input], outputs: [column per output], errors?: [{inputs, error,
                         message}]}, computed with exactly that loop (signature=...); gufunc
                         rows add shapes: {inputs, outputs} (values then flattened, C order).
                         "skipped": loops NumPy raised on; "notes": caveats for the tests.
  ufunc-resolution.json  which loop NumPy's dispatch picks: "dtypes" (every input dtype or
                         ordered pair), "weak" (Python scalars with arrays, alone, in pairs),
                         "options" (dtype= / signature= / casting= / out=). Rows are {ufunc,
                         args, kwargs?, result}; result is {dtypes, values (first element of
                         each output), involvesFloat16?: true} or an error.
  ufunc-methods.json     "cases": {note, ufunc, method (reduce | accumulate | reduceat | outer
                         | at | __call__ for matmul/vecdot), args, kwargs, result}; result is
                         an array, {"outputs": [arrays]} for two outputs, or an error. For
                         `at` the result is the first argument after the in-place update.
                         kwargs: axis (int | list | null = None), keepdims, initial (encoded
                         value), where (bool array), dtype.

Encodings shared by the files:
  * a dtype is its NumPy name ("float64"); a loop is "int8,int8->int8" (inputs, '->',
    outputs, comma-separated dtype names);
  * a value of a float dtype is a JSON number, or "nan", "inf", "-inf", or "-0" (negative
    zero, so that the sign of zero can be checked); a value of an integer dtype is a JSON
    number when |x| <= 2**53, else a decimal string; a bool is true/false. Float32 values
    are written as the exact float64 of the float32 (Math.fround is the identity on them);
  * an array is {"dtype", "shape", "values"} with values flattened in C order;
  * a Python scalar argument is {"bool": true}, {"int": "300"} (decimal string) or
    {"float": "2.5"} (repr(); "nan", "inf", "-inf" included);
  * an error is {"error": ExceptionClassName, "message": first line of the message}.
    NumPy's ufunc casting errors are reported as "UFuncTypeError" (a TypeError subclass),
    "no loop" errors as "TypeError", out-of-range Python ints as "OverflowError".

Only numbats' dtypes are considered (bool, int8..uint64, float32, float64): every NumPy
loop that involves float16, longdouble, complex, object, datetime or timedelta is dropped.
On Linux 'l'/'q' are both int64 and 'L'/'Q' both uint64: loops are de-duplicated by dtype
names, keeping the first occurrence (NumPy's order).
"""

import json
import math
import os
import platform
import sys
import warnings
import zlib

import numpy as np

if int(np.__version__.split(".")[0]) < 2:
    sys.exit(f"scripts/ufunc-fixtures.py needs NumPy >= 2 (NEP 50); found {np.__version__}")

# numbats' dtypes in NumPy type-number order.
DTYPES = ["bool", "int8", "uint8", "int16", "uint16", "int32", "uint32",
          "int64", "uint64", "float32", "float64"]
DTYPE_SET = set(DTYPES)

# The ufuncs: the built-in table's rows (src/builtins/ufunc-table.ts, as the generator writes
# them to src/builtins/generated/ufuncs.json; run `npm run generate` after changing the table),
# in table order, then the gufuncs of src/builtins/gufuncs.ts. (NumPy name, numbats name).
UFUNC_LIST = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "builtins",
                          "generated", "ufuncs.json")
with open(UFUNC_LIST, encoding="utf-8") as _f:
    TABLE = json.load(_f)["ufuncs"]
GUFUNCS = [("matmul", "matmul"), ("vecdot", "vecdot")]
UFUNCS = [(r["numpy"], r["name"]) for r in TABLE] + GUFUNCS

# The weak Python scalars of ufunc-resolution.json.
WEAK_SCALARS = [True, 2, -1, 300, 2**40, 2.5, float("nan")]

# Shapes of the all-ones arrays used by ufunc-resolution.json.
RESOLUTION_SHAPES = {"matmul": [2, 2]}
RESOLUTION_DEFAULT_SHAPE = [3]

SEED = 20240601  # every random draw derives from this and a stable key (zlib.crc32)


def ufunc(name):
    return getattr(np, name)


def rng_for(*key):
    """A generator seeded from SEED and a stable string key (no Python hash())."""
    return np.random.default_rng([SEED, zlib.crc32("/".join(map(str, key)).encode())])


def quiet():
    """Context: no floating-point warnings, no Python warnings."""
    class _Quiet:
        def __enter__(self):
            self.err = np.errstate(all="ignore")
            self.err.__enter__()
            self.warn = warnings.catch_warnings()
            self.warn.__enter__()
            warnings.simplefilter("ignore")

        def __exit__(self, *exc):
            self.warn.__exit__(*exc)
            self.err.__exit__(*exc)
            return False
    return _Quiet()


# ----------------------------------------------------------------------------- encoding

def enc_float(f):
    f = float(f)
    if math.isnan(f):
        return "nan"
    if math.isinf(f):
        return "inf" if f > 0 else "-inf"
    if f == 0 and math.copysign(1.0, f) < 0:
        return "-0"
    return f


def enc_int(i):
    i = int(i)
    return i if abs(i) <= 2**53 else str(i)


def enc_value(x, dtype):
    """One element of an array of `dtype`."""
    kind = np.dtype(dtype).kind
    if kind == "b":
        return bool(x)
    if kind in "iu":
        return enc_int(x)
    if kind == "f":
        return enc_float(x)
    return repr(x)  # not a numbats dtype (float16 is kind 'f'): never expected


def enc_py(x):
    """A Python scalar (identity, initial): bool, int or float, encoded as a value."""
    if x is None:
        return None
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (int, np.integer)):
        return enc_int(x)
    return enc_float(x)


def enc_weak(x):
    """A Python scalar argument (see the module docstring)."""
    if isinstance(x, bool):
        return {"bool": x}
    if isinstance(x, int):
        return {"int": str(x)}
    return {"float": repr(float(x))}


def enc_array(a):
    a = np.asarray(a)
    return {"dtype": a.dtype.name, "shape": list(a.shape),
            "values": [enc_value(x, a.dtype) for x in a.reshape(-1)]}


def enc_error(e):
    name = type(e).__name__
    msg = str(e).splitlines()[0] if str(e) else ""
    return {"error": name, "message": msg}


def dec_value(v, dtype):
    """Inverse of enc_value, for the self-check."""
    kind = np.dtype(dtype).kind
    if kind == "b":
        assert isinstance(v, bool), v
        return v
    if kind in "iu":
        assert isinstance(v, int) and not isinstance(v, bool) and abs(v) <= 2**53 or \
            isinstance(v, str) and abs(int(v)) > 2**53, v
        return int(v)
    if isinstance(v, str):
        assert v in ("nan", "inf", "-inf", "-0"), v
        return float(v)
    assert isinstance(v, (int, float)) and not isinstance(v, bool), v
    assert v != 0 or math.copysign(1.0, v) > 0, v
    return float(v)


def dec_array(obj):
    vals = [dec_value(v, obj["dtype"]) for v in obj["values"]]
    return np.array(vals, dtype=obj["dtype"]).reshape(obj["shape"])


# ----------------------------------------------------------------------------- loops

def loop_str(ins, outs):
    return ",".join(ins) + "->" + ",".join(outs)


def numbats_loops(u):
    """NumPy's loops of u restricted to numbats' dtypes, de-duplicated by dtype names."""
    seen, loops = set(), []
    for t in u.types:
        i, o = t.split("->")
        ins = tuple(np.dtype(c).name for c in i)
        outs = tuple(np.dtype(c).name for c in o)
        if not all(d in DTYPE_SET for d in ins + outs):
            continue
        if (ins, outs) in seen:
            continue
        seen.add((ins, outs))
        loops.append((ins, outs))
        LOOP_CHARS[(u.__name__, ins, outs)] = i + o
    return loops


# (ufunc name, ins, outs) -> the type chars of the first NumPy loop with those dtype names.
# Forcing a loop needs them: 'q' (long long) and 'l' (long) are both int64 on Linux but are
# distinct DTypes, and e.g. equal's mixed int64/uint64 loop is registered as 'qQ->?' only.
LOOP_CHARS = {}


def dropped_loops(u):
    """NumPy's loops of u that involve a dtype numbats lacks (dtype names, NumPy's order;
    float128 is NumPy's longdouble on x86-64 Linux)."""
    out = []
    for t in u.types:
        i, o = t.split("->")
        ins = tuple(np.dtype(c).name for c in i)
        outs = tuple(np.dtype(c).name for c in o)
        if not all(d in DTYPE_SET for d in ins + outs):
            out.append(loop_str(ins, outs))
    return out


# ----------------------------------------------------------------------------- meta

def identity_type(x):
    if x is None:
        return None
    if isinstance(x, (bool, np.bool_)):
        return "bool"
    if isinstance(x, (int, np.integer)):
        return "int"
    return "float"


def probe_dtype(loops):
    """The dtype to probe reduce with: float64, else int64, else the first same-type loop."""
    same = [ins[0] for ins, outs in loops if len(set(ins + outs)) == 1]
    for d in ("float64", "int64"):
        if d in same:
            return d
    return same[0] if same else "float64"


def numpy_elementwise():
    """NumPy's elementwise ufuncs (signature None) with a loop over numbats' dtypes, by their
    own name (aliases such as np.abs are the same object), sorted: what the table must cover."""
    found = {v.__name__ for v in (getattr(np, k) for k in dir(np)) if isinstance(v, np.ufunc)}
    return sorted(n for n in found if ufunc(n).signature is None and numbats_loops(ufunc(n)))


def make_meta():
    rows = []
    for npname, name in UFUNCS:
        u = ufunc(npname)
        loops = numbats_loops(u)
        listed = next((r for r in TABLE if r["numpy"] == npname), None)
        if listed is not None and listed["types"] != [loop_str(i, o) for i, o in loops]:
            print(f"note: the table's loops of {npname} differ from NumPy's "
                  "(test/builtins/table.test.ts will say how)", file=sys.stderr)
        row = {
            "numpy": npname, "name": name, "nin": u.nin, "nout": u.nout, "nargs": u.nargs,
            "identity": enc_py(u.identity), "identityType": identity_type(u.identity),
            "signature": u.signature,
            "types": [loop_str(i, o) for i, o in loops], "ntypes": len(loops),
            "numpyNtypes": u.ntypes,
            "droppedNumpyTypes": dropped_loops(u),
        }
        if u.nin == 2 and u.nout == 1 and u.signature is None:
            d = probe_dtype(loops)
            # reorderable: NumPy allows a reduction over several axes only then.
            with quiet():
                try:
                    u.reduce(np.ones((2, 2), dtype=d), axis=(0, 1))
                    row["reorderable"] = True
                except ValueError as e:
                    row["reorderable"] = False if "not reorderable" in str(e) else None
                    if row["reorderable"] is None:
                        row["reorderableProbeError"] = enc_error(e)
                except TypeError as e:
                    row["reorderable"] = None
                    row["reorderableProbeError"] = enc_error(e)
                try:
                    r = np.asarray(u.reduce(np.zeros(0, dtype=d)))
                    row["reduceEmpty"] = {"input": d, "result": enc_array(r)}
                except Exception as e:  # noqa: BLE001 - NumPy's failure is the data
                    row["reduceEmpty"] = {"input": d, "result": enc_error(e)}
        rows.append(row)
    return {"ufuncs": rows, "numpyElementwise": numpy_elementwise()}


# ----------------------------------------------------------------------------- values

PI = math.pi
TWO_PI = 2 * math.pi

# Extra float values per ufunc (added to the edge set of unary inputs) and the random
# domain: ("u", lo, hi) uniform, ("log", lo_exp, hi_exp) 10**uniform, both signs for
# ("slog", ...).
FLOAT_DOMAINS = {}
TIES = [3.5, -1.5, -3.5, 0.49999999999999994, -0.49999999999999994, 4503599627370495.5,
        4503599627370497.0, 8388607.5, 8388609.0, 1e300, -1e300, 1e20]
for _n in ("sin", "cos", "tan"):
    FLOAT_DOMAINS[_n] = (("u", -10, 10), [1e6, -1e6, 1e22, -1e22, 1e300, PI / 2, PI / 4,
                                          TWO_PI, -PI, 1e-8, 2.0**24, 2.0**53, 3e38])
for _n in ("arcsin", "arccos", "arctanh"):
    FLOAT_DOMAINS[_n] = (("u", -1, 1), [0.9999999, -0.9999999, 1.0000001, -1.0000001,
                                        1e-8, 0.25, -0.75])
FLOAT_DOMAINS["arccosh"] = (("u", 1, 20), [1.0000001, 0.9999999, 1e300, 1e20])
for _n in ("arctan", "arcsinh", "tanh"):
    FLOAT_DOMAINS[_n] = (("u", -10, 10), [1e-8, -1e-8, 20, -20, 1e300, -1e300, 1e20])
for _n in ("sinh", "cosh"):
    FLOAT_DOMAINS[_n] = (("u", -10, 10), [88.7, 89.5, -89.5, 709.7, 710.5, -710.5, 1e-8])
FLOAT_DOMAINS["exp"] = (("u", -20, 20), [88.72, 89, -103, -104, 709.78, 710, -745, -746,
                                         1e-8, -1e-8])
FLOAT_DOMAINS["exp2"] = (("u", -20, 20), [127, 128, -126, -149, -150, 1023, 1024, -1022,
                                          -1074, -1075, 0.25])
FLOAT_DOMAINS["expm1"] = (("u", -20, 20), [1e-10, -1e-10, 1e-8, 88.7, 89, 709.7, 710, -50])
for _n in ("log", "log2", "log10", "sqrt", "cbrt"):
    FLOAT_DOMAINS[_n] = (("log", -30, 30), [1e-10, 2, 4, 8, 9, 10, 27, 1024, 0.1, 1e300,
                                            -8, 1e-310])
FLOAT_DOMAINS["log1p"] = (("u", -1, 10), [-0.999, -0.9999999, 1e-10, -1e-10, 1e-17, 1e300])
FLOAT_DOMAINS["square"] = (("u", -10, 10), [1e154, 1.4e154, 1.8e19, 2e19])
FLOAT_DOMAINS["reciprocal"] = (("u", -10, 10), [1e308, 3e-39, 1e-310, 4])
for _n in ("floor", "ceil", "trunc", "rint"):
    FLOAT_DOMAINS[_n] = (("u", -10, 10), TIES)
FLOAT_DOMAINS["spacing"] = (("slog", -30, 30), ["normal", "-normal", 1e300, 2, 4, 2.0**52,
                                                 -2.0**52])
for _n in ("frexp", "modf"):
    FLOAT_DOMAINS[_n] = (("slog", -30, 30), [1e300, 1e-310, 0.75, -0.75, 1e20, -1e20,
                                             2.0**53 + 2, -3.75])
FLOAT_DOMAINS["deg2rad"] = (("u", -720, 720), [180, 90, 360, -180])
FLOAT_DOMAINS["rad2deg"] = (("u", -10, 10), [PI, PI / 2, -PI])
DEFAULT_FLOAT_DOMAIN = (("u", -10, 10), [])

# Extra values for one input of a binary ufunc (added to its edge subset).
BINARY_EXTRAS = {
    ("ldexp", 1): [127, 128, -126, -149, -150, 1023, 1024, -1022, -1074, -1075, 2000, -2000],
    ("ldexp", 0): [1e-310, 1e300, 0.75],
    ("power", 1): [2, 0.25, 1e300, -1e300],
    ("float_power", 1): [2, 0.25, 1e300, -1e300],
    ("nextafter", 0): ["normal", "-normal"],
    ("nextafter", 1): ["normal"],
}
# Random-domain overrides for one input of a binary ufunc with an integer dtype.
INT_RANDOM_OVERRIDES = {
    ("power", 1): (0, 12),       # negative exponents raise for integer loops
    ("left_shift", 1): (-2, 70),
    ("right_shift", 1): (-2, 70),
}


def float_value(v, fi):
    if v == "normal":
        return float(fi.smallest_normal)
    if v == "-normal":
        return -float(fi.smallest_normal)
    return float(v)


def float_edges(d):
    fi = np.finfo(d)
    tiny = 1e-300 if d == "float64" else 1e-40
    return [0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 1.5, 2.5, -2.5, 3.0, tiny,
            float(fi.smallest_subnormal), -float(fi.smallest_subnormal),
            float(fi.smallest_normal), float(fi.max), -float(fi.max), 1e10, -1e10, 100.0,
            math.pi, math.e, math.nan, math.inf, -math.inf]


def float_subset(d):
    fi = np.finfo(d)
    return [0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.5, -2.5, 3.0, float(fi.smallest_subnormal),
            float(fi.max), -float(fi.max), math.nan, math.inf, -math.inf]


def int_edges(d):
    ii = np.iinfo(d)
    cand = [0, 1, -1, 2, -2, 3, 7, -7, ii.min, ii.max, ii.min + 1, ii.max - 1, 5, 13]
    return [int(v) for v in cand if ii.min <= v <= ii.max]


def int_subset(d):
    ii = np.iinfo(d)
    bits = ii.bits
    cand = [0, 1, -1, 2, -2, 3, 5, 7, -7, 13, ii.min, ii.min + 1, ii.max - 1, ii.max,
            bits - 1, bits, bits + 1]
    return [int(v) for v in cand if ii.min <= v <= ii.max]


def representable(vals, d):
    """Cast Python values to dtype d, dropping ints out of range and floats that overflow,
    then de-duplicate (bitwise: -0 and 0 stay distinct, one nan)."""
    out, seen = [], set()
    kind = np.dtype(d).kind
    for v in vals:
        if kind in "iu":
            if isinstance(v, float) and not v.is_integer():
                continue
            ii = np.iinfo(d)
            if not ii.min <= int(v) <= ii.max:
                continue
            x = np.array([int(v)], dtype=d)[0]
        elif kind == "f":
            if isinstance(v, str):
                v = float_value(v, np.finfo(d))
            with quiet():
                x = np.array([v], dtype=d)[0]
            if math.isfinite(v) and not np.isfinite(x):
                continue
        else:
            x = np.bool_(bool(v))
        if kind == "f":
            key = "nan" if np.isnan(x) else x.tobytes()
        else:
            key = repr(x)
        if key in seen:
            continue
        seen.add(key)
        out.append(x)
    return out


def random_values(rng, d, n, float_domain=None, int_range=None):
    kind = np.dtype(d).kind
    if kind == "b":
        return [np.bool_(x) for x in rng.integers(0, 2, n).astype(bool)]
    if kind in "iu":
        ii = np.iinfo(d)
        if int_range is not None:
            lo, hi = max(ii.min, int_range[0]), min(ii.max, int_range[1])
            return list(rng.integers(lo, hi, size=n, endpoint=True, dtype=d))
        half = n // 2
        full = list(rng.integers(ii.min, ii.max, size=half, endpoint=True, dtype=d))
        lo, hi = max(ii.min, -20), min(ii.max, 20)
        small = list(rng.integers(lo, hi, size=n - half, endpoint=True, dtype=d))
        return full + small
    spec = float_domain or ("u", -10, 10)
    if spec[0] == "u":
        raw = rng.uniform(spec[1], spec[2], n)
    elif spec[0] == "log":
        raw = 10.0 ** rng.uniform(spec[1], spec[2], n)
    else:
        raw = 10.0 ** rng.uniform(spec[1], spec[2], n) * rng.choice([-1.0, 1.0], n)
    with quiet():
        return list(np.array(raw, dtype=d))


def unary_inputs(npname, d):
    kind = np.dtype(d).kind
    rng = rng_for("unary", npname, d)
    if kind == "b":
        return [np.bool_(False), np.bool_(True)]
    if kind in "iu":
        vals = representable(int_edges(d), d)
        return vals + random_values(rng, d, 12)
    dom, extras = FLOAT_DOMAINS.get(npname, DEFAULT_FLOAT_DOMAIN)
    vals = representable(float_edges(d) + extras, d)
    return vals + random_values(rng, d, 12, float_domain=dom)


def binary_inputs(npname, ins):
    """Cartesian product of two edge subsets, then 40 seeded random pairs."""
    subsets = []
    for k, d in enumerate(ins):
        kind = np.dtype(d).kind
        base = ([False, True] if kind == "b" else
                int_subset(d) if kind in "iu" else float_subset(d))
        subsets.append(representable(base + BINARY_EXTRAS.get((npname, k), []), d))
    cols = [[], []]
    for a in subsets[0]:
        for b in subsets[1]:
            cols[0].append(a)
            cols[1].append(b)
    if not all(np.dtype(d).kind == "b" for d in ins):
        rng = rng_for("binary", npname, *ins)
        for k, d in enumerate(ins):
            cols[k] += random_values(rng, d, 40, int_range=INT_RANDOM_OVERRIDES.get((npname, k)))
    return cols


def call_loop(u, arrays, ins, outs):
    ins, outs = tuple(ins), tuple(outs)
    if (u.__name__, ins, outs) not in LOOP_CHARS:
        numbats_loops(u)
    sig = tuple(np.dtype(ch) for ch in LOOP_CHARS[(u.__name__, ins, outs)])
    with quiet():
        r = u(*arrays, signature=sig)
    r = r if isinstance(r, tuple) else (r,)
    got = tuple(np.asarray(x).dtype.name for x in r)
    if got != tuple(outs):
        raise AssertionError(f"{u.__name__} {loop_str(ins, outs)} gave {got}")
    return r


def elementwise_row(npname, u, ins, outs, skipped):
    if u.nin == 1:
        cols = [unary_inputs(npname, ins[0])]
    else:
        cols = binary_inputs(npname, ins)
    arrays = [np.array(c, dtype=d) for c, d in zip(cols, ins)]
    row = {"ufunc": npname, "types": loop_str(ins, outs)}
    try:
        results = call_loop(u, arrays, ins, outs)
        keep = list(range(len(arrays[0])))
        errors = []
    except (ValueError, ArithmeticError, TypeError) as whole:
        # One element can make the whole call raise (integer power with a negative
        # exponent): evaluate element by element, record the elements that raise.
        keep, errors, parts = [], [], []
        for i in range(len(arrays[0])):
            one = [a[i:i + 1] for a in arrays]
            try:
                parts.append(call_loop(u, one, ins, outs))
                keep.append(i)
            except (ValueError, ArithmeticError, TypeError) as e:
                errors.append({"inputs": [enc_value(a[i], d) for a, d in zip(arrays, ins)],
                               **enc_error(e)})
        if not keep:
            skipped.append({"ufunc": npname, "types": row["types"], **enc_error(whole)})
            return None
        results = tuple(np.concatenate([p[k] for p in parts]) for k in range(len(outs)))
    row["inputs"] = [[enc_value(a[i], d) for i in keep] for a, d in zip(arrays, ins)]
    row["outputs"] = [[enc_value(x, d) for x in r] for r, d in zip(results, outs)]
    if errors:
        row["errors"] = errors
    return row


def gufunc_row(npname, u, ins, outs, skipped):
    """matmul (4,5)@(5,3) and vecdot of (4,5)x(4,5): small exact values (products and sums
    are exact in every dtype, so BLAS summation order does not matter), one nan and one inf
    for float loops, int edges for integer loops (integer overflow wraps)."""
    rng = rng_for("gufunc", npname, *ins)
    shapes = {"matmul": ([4, 5], [5, 3]), "vecdot": ([4, 5], [4, 5])}[npname]
    arrays = []
    for k, (d, shape) in enumerate(zip(ins, shapes)):
        n = int(np.prod(shape))
        kind = np.dtype(d).kind
        if kind == "b":
            vals = rng.integers(0, 2, n).astype(bool)
        elif kind in "iu":
            ii = np.iinfo(d)
            lo, hi = max(ii.min, -8), min(ii.max, 8)
            vals = rng.integers(lo, hi, size=n, endpoint=True).astype(d)
            if k == 0:  # row 0 of the first operand: the dtype's extremes (wrap-around)
                vals[0], vals[1] = ii.max, ii.min
        else:
            vals = (rng.integers(-16, 16, size=n, endpoint=True) / 2).astype(d)
            if k == 0:  # row 1 has an inf, row 2 a nan; row 3 a -0
                vals[shape[1] + 1] = np.inf
                vals[2 * shape[1] + 2] = np.nan
                vals[3 * shape[1]] = -0.0
        arrays.append(np.array(vals, dtype=d).reshape(shape))
    row = {"ufunc": npname, "types": loop_str(ins, outs)}
    try:
        results = call_loop(u, arrays, ins, outs)
    except Exception as e:  # noqa: BLE001
        skipped.append({"ufunc": npname, "types": row["types"], **enc_error(e)})
        return None
    row["shapes"] = {"inputs": [list(a.shape) for a in arrays],
                     "outputs": [list(r.shape) for r in results]}
    row["inputs"] = [[enc_value(x, d) for x in a.reshape(-1)] for a, d in zip(arrays, ins)]
    row["outputs"] = [[enc_value(x, d) for x in r.reshape(-1)] for r, d in zip(results, outs)]
    return row


VALUE_NOTES = [
    "outputs are NumPy's for the whole input column at once (one call per loop); integer "
    "power falls back to one call per element, and the elements that raise are in 'errors'",
    "transcendental float loops (exp, log, sin, ..., float32 especially) use NumPy's SIMD "
    "code for the CPU in header.simd: compare them with a tolerance of a few ulp",
    "the sign of a zero result of fmax/fmin (and maximum/minimum) for equal zeros of "
    "opposite sign depends on NumPy's code path (fmax(0., -0.) gives 0. for a 1-element "
    "array and -0. for 8 or more elements on this CPU): do not test it strictly",
]


def make_values():
    rows, skipped = [], []
    for npname, _ in UFUNCS:
        u = ufunc(npname)
        for ins, outs in numbats_loops(u):
            if u.signature is not None:
                row = gufunc_row(npname, u, ins, outs, skipped)
            else:
                row = elementwise_row(npname, u, ins, outs, skipped)
            if row is not None:
                rows.append(row)
    return {"notes": VALUE_NOTES, "skipped": skipped, "loops": rows}


# ----------------------------------------------------------------------------- resolution

def res_shape(npname):
    return RESOLUTION_SHAPES.get(npname, RESOLUTION_DEFAULT_SHAPE)


def outcome(fn):
    """Run fn; the output dtype(s) and first value(s), or the error."""
    try:
        with quiet():
            r = fn()
    except Exception as e:  # noqa: BLE001 - NumPy's failure is the data
        return enc_error(e)
    r = r if isinstance(r, tuple) else (r,)
    arrs = [np.asarray(x) for x in r]
    res = {"dtypes": [a.dtype.name for a in arrs],
           # float16 values are encoded like the other floats (they are exact doubles)
           "values": [enc_value(a.reshape(-1)[0], a.dtype) if a.dtype.kind in "biuf"
                      else repr(a.reshape(-1)[0].item()) for a in arrs]}
    if any(a.dtype.name == "float16" for a in arrs):
        res["involvesFloat16"] = True
    if any(a.dtype.name not in DTYPE_SET and a.dtype.name != "float16" for a in arrs):
        res["unsupportedDtype"] = True
    return res


def make_resolution():
    dtype_rows, weak_rows = [], []
    for npname, _ in UFUNCS:
        u = ufunc(npname)
        shape = res_shape(npname)
        if u.nin == 1:
            for d in DTYPES:
                a = np.ones(shape, dtype=d)
                dtype_rows.append({"ufunc": npname, "args": [{"array": d}],
                                   "result": outcome(lambda: u(a))})
            for s in WEAK_SCALARS:
                weak_rows.append({"ufunc": npname, "args": [enc_weak(s)],
                                  "result": outcome(lambda: u(s))})
        else:
            for d1 in DTYPES:
                for d2 in DTYPES:
                    a, b = np.ones(shape, dtype=d1), np.ones(shape, dtype=d2)
                    dtype_rows.append({"ufunc": npname, "args": [{"array": d1}, {"array": d2}],
                                       "result": outcome(lambda: u(a, b))})
            for d in DTYPES:
                a = np.ones(shape, dtype=d)
                for s in WEAK_SCALARS:
                    weak_rows.append({"ufunc": npname, "args": [{"array": d}, enc_weak(s)],
                                      "result": outcome(lambda: u(a, s))})
                    weak_rows.append({"ufunc": npname, "args": [enc_weak(s), {"array": d}],
                                      "result": outcome(lambda: u(s, a))})
            for s1 in WEAK_SCALARS:
                for s2 in WEAK_SCALARS:
                    weak_rows.append({"ufunc": npname, "args": [enc_weak(s1), enc_weak(s2)],
                                      "result": outcome(lambda: u(s1, s2))})
    return {"arrays": "every {'array': d} argument is np.ones(shape, d), shape "
                      f"{RESOLUTION_DEFAULT_SHAPE} ({RESOLUTION_SHAPES} for the named "
                      "ufuncs); an 'out' kwarg is np.zeros of the same shape and the dtype "
                      "named; result.values holds the first element of each output",
            "dtypes": dtype_rows, "weak": weak_rows, "options": option_cases()}


# (ufunc, args, kwargs): args are dtype names (all-ones arrays) or Python scalars;
# kwargs may hold dtype, signature (list, None for unspecified), casting, out (dtype name).
OPTION_CASES = [
    ("add", ["int8", "int8"], {"dtype": "float32"}),
    ("add", ["int8", "int8"], {"dtype": "float64"}),
    ("add", ["int8", "int8"], {"dtype": "int16"}),
    ("add", ["int8", "int8"], {"dtype": "uint8"}),
    ("add", ["float64", "float64"], {"dtype": "int32"}),
    ("add", ["float64", "float64"], {"dtype": "int32", "casting": "unsafe"}),
    ("add", ["float64", "float64"], {"out": "int32"}),
    ("add", ["float64", "float64"], {"out": "int32", "casting": "unsafe"}),
    ("add", ["float64", "float64"], {"out": "float32"}),
    ("add", ["float64", "float64"], {"out": "float32", "casting": "safe"}),
    ("add", ["int8", "int8"], {"out": "int16"}),
    ("add", ["int8", "int8"], {"out": "int16", "casting": "no"}),
    ("add", ["int8", "int8"], {"out": "uint8"}),
    ("add", ["int8", "int8"], {"out": "uint8", "casting": "safe"}),
    ("add", ["int64", "int64"], {"out": "float32"}),
    ("add", ["int16", "int16"], {"out": "bool"}),
    ("add", ["int16", "int16"], {"out": "bool", "casting": "unsafe"}),
    ("add", ["int8", "float64"], {"casting": "safe"}),
    ("add", ["int8", "float64"], {"casting": "no"}),
    ("add", ["int8", "float64"], {"casting": "equiv"}),
    ("add", ["int8", "int8"], {"casting": "no"}),
    ("add", ["int8", "int16"], {"signature": ["int8", "int8", "int8"]}),
    ("add", ["int8", "int16"], {"signature": ["int8", "int8", "int8"], "casting": "safe"}),
    ("add", ["int8", "int16"], {"signature": ["int8", "int8", "int8"], "casting": "unsafe"}),
    ("add", ["int32", "int32"], {"signature": [None, None, "float64"]}),
    ("add", ["int32", "int32"], {"signature": ["float64", None, None]}),
    ("add", ["int32", "int32"], {"signature": [None, "float32", None]}),
    ("add", ["int8", "int8"], {"signature": ["int8", "int8", "int16"]}),
    ("add", ["float64", "float64"], {"signature": ["float32", "float32", "float32"]}),
    ("add", ["float64", "float64"], {"signature": ["int32", "int32", "int32"]}),
    ("add", ["int64", "uint64"], {"dtype": "int64"}),
    ("add", ["int64", "uint64"], {"dtype": "uint64"}),
    ("add", ["int8", 300], {"dtype": "int16"}),
    ("add", ["int8", 1.5], {"dtype": "int8"}),
    ("add", ["int8", 2], {"dtype": "float32"}),
    ("add", ["uint8", -1], {"dtype": "int16"}),
    ("add", ["bool", "bool"], {"dtype": "int8"}),
    ("subtract", ["bool", "bool"], {"dtype": "int8"}),
    ("sqrt", ["int8"], {"dtype": "float32"}),
    ("sqrt", ["int8"], {"dtype": "float64"}),
    ("sqrt", ["int8"], {"signature": ["float32", "float32"]}),
    ("sqrt", ["int8"], {"signature": ["float64", None]}),
    ("sqrt", ["int16"], {}),
    ("sqrt", ["float64"], {"dtype": "float32"}),
    ("sqrt", ["float64"], {"dtype": "float32", "casting": "safe"}),
    ("sqrt", ["int64"], {"dtype": "int64"}),
    ("sqrt", ["int8"], {"out": "float32"}),
    ("sqrt", ["int8"], {"out": "int8"}),
    ("sqrt", ["int8"], {"out": "int8", "casting": "unsafe"}),
    ("negative", ["uint8"], {"out": "int8"}),
    ("negative", ["float64"], {"out": "int64", "casting": "unsafe"}),
    ("negative", ["bool"], {"dtype": "int8"}),
    ("absolute", ["int8"], {"dtype": "float64"}),
    ("divide", ["int8", "int8"], {"dtype": "float32"}),
    ("divide", ["int64", "int64"], {"out": "int64"}),
    ("divide", ["int64", "int64"], {"out": "float32"}),
    ("divide", ["int64", "int64"], {"dtype": "int64"}),
    ("floor_divide", ["float32", "float32"], {"dtype": "int32"}),
    ("power", ["int8", "int8"], {"dtype": "float64"}),
    ("power", ["int8", -1], {}),
    ("power", ["int8", -1], {"dtype": "float64"}),
    ("power", ["float32", -1], {}),
    ("float_power", ["float32", "float32"], {"dtype": "float32"}),
    ("equal", ["int8", "int8"], {"dtype": "bool"}),
    ("equal", ["float64", "float64"], {"dtype": "float64"}),
    ("equal", ["int64", "uint64"], {}),
    ("equal", ["int8", "int8"], {"out": "int8"}),
    ("less", ["int8", 300], {}),
    ("less", ["uint8", -1], {}),
    ("less", ["int8", 2.5], {}),
    ("logical_and", ["float64", "float64"], {"dtype": "bool"}),
    ("logical_and", ["float64", "float64"], {"out": "float64"}),
    ("logical_not", ["int8"], {"out": "int8"}),
    ("isnan", ["int8"], {"dtype": "bool"}),
    ("isnan", ["float32"], {"out": "float32"}),
    ("left_shift", ["int8", "int8"], {"dtype": "int64"}),
    ("left_shift", ["float64", "float64"], {"dtype": "int64"}),
    ("left_shift", ["float64", "float64"], {"dtype": "int64", "casting": "unsafe"}),
    ("bitwise_and", ["bool", "int8"], {}),
    ("ldexp", ["float32", "int64"], {}),
    ("ldexp", ["float32", "uint64"], {}),
    ("ldexp", ["float64", 3], {}),
    ("ldexp", ["float32", 3], {}),
    ("ldexp", [2.0, "int8"], {}),
    ("frexp", ["float32"], {}),
    ("frexp", ["int8"], {"dtype": "float64"}),
    ("modf", ["int32"], {}),
    ("maximum", ["int8", "uint8"], {"out": "int8"}),
    ("maximum", ["int8", "uint8"], {"out": "int8", "casting": "safe"}),
    ("gcd", ["int8", "uint8"], {}),
    ("gcd", ["float64", "float64"], {}),
    ("matmul", ["int8", "int8"], {"dtype": "float64"}),
    ("matmul", ["float64", "float64"], {"out": "int32"}),
    ("matmul", ["float64", "float64"], {"out": "int32", "casting": "unsafe"}),
    ("matmul", ["int8", "float32"], {}),
    ("vecdot", ["int8", "int8"], {"dtype": "float32"}),
    ("vecdot", ["bool", "bool"], {}),
]


def option_cases():
    rows = []
    for npname, args, kwargs in OPTION_CASES:
        u = ufunc(npname)
        shape = res_shape(npname)
        call_args = [np.ones(shape, dtype=a) if isinstance(a, str) else a for a in args]
        call_kwargs = dict(kwargs)
        if "signature" in kwargs:
            call_kwargs["signature"] = tuple(kwargs["signature"])
        if "out" in kwargs:
            with quiet():
                probe = u(*[np.ones(shape, dtype=a) if isinstance(a, str) else a
                            for a in args], casting="unsafe")
            probe = probe if isinstance(probe, tuple) else (probe,)
            call_kwargs["out"] = np.zeros(np.asarray(probe[0]).shape, dtype=kwargs["out"])
        rows.append({"ufunc": npname,
                     "args": [{"array": a} if isinstance(a, str) else enc_weak(a) for a in args],
                     "kwargs": kwargs,
                     "result": outcome(lambda: u(*call_args, **call_kwargs))})
    return rows


# ----------------------------------------------------------------------------- methods

def A(values, dtype=None, shape=None):
    a = np.array(values, dtype=dtype)
    return a.reshape(shape) if shape is not None else a


class Tup:
    """A tuple of index arrays for ufunc.at."""
    def __init__(self, *items):
        self.items = items


def enc_arg(x):
    if isinstance(x, Tup):
        return {"tuple": [enc_arg(i) for i in x.items]}
    if isinstance(x, (bool, int, float)):
        return enc_weak(x)
    return enc_array(x)


def to_call(x):
    if isinstance(x, Tup):
        return tuple(to_call(i) for i in x.items)
    if isinstance(x, np.ndarray):
        return x.copy()
    return x


def enc_kwargs(kw):
    out = {}
    for k, v in kw.items():
        if k == "axis":
            out[k] = list(v) if isinstance(v, tuple) else v
        elif k == "where":
            out[k] = enc_array(np.asarray(v, dtype=bool))
        elif k == "initial":
            out[k] = enc_py(v)
        elif k == "dtype":
            out[k] = np.dtype(v).name
        elif k == "axes":
            out[k] = [list(t) for t in v]
        else:
            out[k] = v
    return out


def method_case(note, npname, method, args, kwargs=None):
    kwargs = kwargs or {}
    u = ufunc(npname)
    call_args = [to_call(a) for a in args]
    call_kwargs = dict(kwargs)
    if "where" in call_kwargs:
        call_kwargs["where"] = np.asarray(call_kwargs["where"], dtype=bool)
    try:
        with quiet():
            if method == "__call__":
                r = u(*call_args, **call_kwargs)
            else:
                r = getattr(u, method)(*call_args, **call_kwargs)
        if method == "at":
            result = enc_array(call_args[0])  # at works in place: the modified first argument
        elif isinstance(r, tuple):
            result = {"outputs": [enc_array(x) for x in r]}
        else:
            result = enc_array(r)
    except Exception as e:  # noqa: BLE001 - NumPy's failure is the data
        result = enc_error(e)
    return {"note": note, "ufunc": npname, "method": method,
            "args": [enc_arg(a) for a in args], "kwargs": enc_kwargs(kwargs), "result": result}


def make_methods():
    nan, inf = math.nan, math.inf
    X = np.arange(8).reshape((2, 2, 2))
    Y = np.arange(24).reshape((2, 3, 4))
    Yf = np.arange(24, dtype=np.float64).reshape((2, 3, 4))
    x44 = np.linspace(0, 15, 16).reshape(4, 4)
    i64 = "int64"
    c = []
    m = c.append

    # --- reduce: docstring examples
    m(method_case("doc: np.multiply.reduce([2,3,5])", "multiply", "reduce", [A([2, 3, 5])]))
    m(method_case("doc: np.add.reduce(X, 0)", "add", "reduce", [X], {"axis": 0}))
    m(method_case("doc: np.add.reduce(X) default axis 0", "add", "reduce", [X]))
    m(method_case("doc: np.add.reduce(X, 1)", "add", "reduce", [X], {"axis": 1}))
    m(method_case("doc: np.add.reduce(X, 2)", "add", "reduce", [X], {"axis": 2}))
    m(method_case("doc: np.add.reduce([10], initial=5)", "add", "reduce", [A([10])],
                  {"initial": 5}))
    m(method_case("doc: np.add.reduce(np.ones((2,2,2)), axis=(0,2), initial=10)", "add",
                  "reduce", [np.ones((2, 2, 2))], {"axis": (0, 2), "initial": 10}))
    m(method_case("doc: np.add.reduce(a, where=~np.isnan(a))", "add", "reduce",
                  [A([10., nan, 10])], {"where": [True, False, True]}))
    m(method_case("doc: np.minimum.reduce([], initial=np.inf)", "minimum", "reduce",
                  [A([], "float64")], {"initial": inf}))
    m(method_case("doc: np.minimum.reduce([[1.,2.],[3.,4.]], initial=10., where=[True,False])",
                  "minimum", "reduce", [A([[1., 2.], [3., 4.]])],
                  {"initial": 10.0, "where": [True, False]}))
    m(method_case("doc: np.minimum.reduce([]) raises", "minimum", "reduce", [A([], "float64")]))

    # --- reduce: axes
    for ax in [0, 1, 2, -1, -2, -3, (0, 1), (0, 2), (1, 2), (0, 1, 2), (), (2, 0), (-1, 0),
               None, 3, -4, (0, 0), (1, -2)]:
        m(method_case(f"add.reduce (2,3,4) axis={ax!r}", "add", "reduce", [Y], {"axis": ax}))
    for ax in [None, 1, (0, 2), ()]:
        m(method_case(f"add.reduce (2,3,4) axis={ax!r} keepdims", "add", "reduce", [Y],
                      {"axis": ax, "keepdims": True}))
    m(method_case("multiply.reduce (2,3,4) float axis=(0,2) initial=0.5", "multiply", "reduce",
                  [Yf], {"axis": (0, 2), "initial": 0.5}))
    m(method_case("maximum.reduce (2,3,4) axis=None", "maximum", "reduce", [Y], {"axis": None}))
    m(method_case("maximum.reduce (2,3,4) axis=(0,2) keepdims", "maximum", "reduce", [Y],
                  {"axis": (0, 2), "keepdims": True}))
    m(method_case("minimum.reduce (2,3,4) axis=-1", "minimum", "reduce", [Y], {"axis": -1}))
    where34 = (np.arange(12).reshape(3, 4) % 3 == 0)
    m(method_case("add.reduce (2,3,4) where (3,4) broadcast axis=None", "add", "reduce", [Y],
                  {"axis": None, "where": where34}))
    m(method_case("add.reduce (2,3,4) where (3,4) axis=1", "add", "reduce", [Y],
                  {"axis": 1, "where": where34}))
    m(method_case("maximum.reduce where without initial raises", "maximum", "reduce", [Y],
                  {"axis": 1, "where": where34}))
    m(method_case("maximum.reduce where with initial", "maximum", "reduce", [Y],
                  {"axis": 1, "where": where34, "initial": -1}))
    m(method_case("maximum.reduce where all False along an axis with initial", "maximum",
                  "reduce", [A([[1, 5], [3, 2]])],
                  {"axis": 1, "where": [[False, False], [False, True]], "initial": -10}))
    m(method_case("add.reduce where, keepdims, axis tuple", "add", "reduce", [Yf],
                  {"axis": (0, 2), "where": where34, "keepdims": True}))

    # --- reduce: dtypes
    m(method_case("add.reduce int8 (result dtype)", "add", "reduce", [A([100, 100, 100], "int8")]))
    m(method_case("add.reduce int8 dtype=int8 wraps", "add", "reduce",
                  [A([100, 100, 100], "int8")], {"dtype": "int8"}))
    m(method_case("add.reduce int8 dtype=int16", "add", "reduce", [A([100, 100], "int8")],
                  {"dtype": "int16"}))
    m(method_case("add.reduce uint8 (result dtype)", "add", "reduce", [A([200, 100], "uint8")]))
    m(method_case("add.reduce uint32 (result dtype)", "add", "reduce", [A([1, 2], "uint32")]))
    m(method_case("add.reduce bool (result dtype)", "add", "reduce",
                  [A([True, True, False], "bool")]))
    m(method_case("multiply.reduce uint8", "multiply", "reduce", [A([16, 16], "uint8")]))
    m(method_case("multiply.reduce int16", "multiply", "reduce", [A([300, 300], "int16")]))
    m(method_case("add.reduce float32 (result dtype)", "add", "reduce",
                  [A([0.1, 0.2], "float32")]))
    m(method_case("add.reduce float32 dtype=float64", "add", "reduce",
                  [A([0.1, 0.2], "float32")], {"dtype": "float64"}))
    m(method_case("add.reduce float64 dtype=int32", "add", "reduce", [A([1.5, 2.5])],
                  {"dtype": "int32"}))
    m(method_case("add.reduce int64 dtype=float32", "add", "reduce", [A([1, 2, 3])],
                  {"dtype": "float32"}))
    m(method_case("maximum.reduce int8 (result dtype)", "maximum", "reduce",
                  [A([-5, 3, 7], "int8")]))
    m(method_case("logical_and.reduce float64", "logical_and", "reduce", [A([1., 0.5, 0.])]))
    m(method_case("logical_or.reduce int8", "logical_or", "reduce", [A([0, 0, 3], "int8")]))
    m(method_case("equal.reduce bool", "equal", "reduce", [A([True, False, False])]))
    m(method_case("equal.reduce int64 raises", "equal", "reduce", [A([1, 1, 1])]))
    m(method_case("bitwise_and.reduce uint8", "bitwise_and", "reduce", [A([255, 15, 60], "uint8")]))
    m(method_case("bitwise_xor.reduce int16 axis=None 2-D", "bitwise_xor", "reduce",
                  [A([[1, 2], [4, 8]], "int16")], {"axis": None}))
    m(method_case("add.reduce int8 initial=300", "add", "reduce", [A([1, 2], "int8")],
                  {"initial": 300}))
    m(method_case("add.reduce int8 initial=1.5", "add", "reduce", [A([1, 2], "int8")],
                  {"initial": 1.5}))
    m(method_case("divide.reduce float64", "divide", "reduce", [A([8., 2., 2.])]))
    m(method_case("divide.reduce int64", "divide", "reduce", [A([8, 2, 2])]))
    m(method_case("power.reduce int64", "power", "reduce", [A([2, 3, 2])]))
    m(method_case("subtract.reduce int64", "subtract", "reduce", [A([10, 1, 2])]))
    m(method_case("subtract.reduce axis tuple raises (not reorderable)", "subtract", "reduce",
                  [Y], {"axis": (0, 1)}))
    m(method_case("subtract.reduce axis=None 2-D raises", "subtract", "reduce",
                  [A([[1, 2], [3, 4]])], {"axis": None}))
    m(method_case("subtract.reduce axis=None 1-D", "subtract", "reduce", [A([10, 1, 2])],
                  {"axis": None}))
    m(method_case("maximum.reduce nan propagates", "maximum", "reduce", [A([1., nan, 3.])]))
    m(method_case("minimum.reduce nan propagates", "minimum", "reduce", [A([nan, 1., 3.])]))
    m(method_case("fmax.reduce ignores nan", "fmax", "reduce", [A([1., nan, 3.])]))
    m(method_case("fmin.reduce all nan", "fmin", "reduce", [A([nan, nan])]))
    m(method_case("maximum.reduce signed zeros", "maximum", "reduce", [A([-0., 0.])]))
    m(method_case("maximum.reduce signed zeros reversed", "maximum", "reduce", [A([0., -0.])]))
    m(method_case("minimum.reduce signed zeros", "minimum", "reduce", [A([0., -0.])]))
    m(method_case("add.reduce [-0.]", "add", "reduce", [A([-0.])]))
    m(method_case("add.reduce -0 -0", "add", "reduce", [A([-0., -0.])]))
    m(method_case("add.reduce -0 -0 initial=-0.0", "add", "reduce", [A([-0., -0.])],
                  {"initial": -0.0}))
    m(method_case("add.accumulate -0 -0 (no identity start)", "add", "accumulate",
                  [A([-0., -0.])]))
    m(method_case("multiply.reduce -0", "multiply", "reduce", [A([-0.])]))
    m(method_case("add.reduce int8 dtype=int8 out of int8 range wraps", "add", "reduce",
                  [A([127, 1], "int8")], {"dtype": "int8"}))
    m(method_case("multiply.reduce int64 overflow wraps", "multiply", "reduce",
                  [A([2**62, 4])]))
    m(method_case("add.reduce uint64 big values", "add", "reduce",
                  [A([2**63, 2**63 - 1], "uint64")]))
    m(method_case("logaddexp.reduce", "logaddexp", "reduce", [A([0., 0., -inf])]))
    m(method_case("add.reduce 0-d (default axis=0)", "add", "reduce", [np.array(5)]))
    m(method_case("add.reduce 0-d axis=None", "add", "reduce", [np.array(5)], {"axis": None}))
    m(method_case("add.reduce 0-d axis=()", "add", "reduce", [np.array(5)], {"axis": ()}))
    m(method_case("negative.reduce raises (unary)", "negative", "reduce", [A([1, 2])]))
    m(method_case("divmod.reduce raises (two outputs)", "divmod", "reduce", [A([7, 2])]))
    m(method_case("ldexp.reduce raises", "ldexp", "reduce", [A([1., 2.])]))

    # --- reduce: empty arrays
    m(method_case("add.reduce empty float64", "add", "reduce", [A([], "float64")]))
    m(method_case("add.reduce empty int8", "add", "reduce", [A([], "int8")]))
    m(method_case("add.reduce empty bool", "add", "reduce", [A([], "bool")]))
    m(method_case("multiply.reduce empty", "multiply", "reduce", [A([], "float64")]))
    m(method_case("add.reduce (0,3) axis=0", "add", "reduce", [np.zeros((0, 3))], {"axis": 0}))
    m(method_case("add.reduce (0,3) axis=1", "add", "reduce", [np.zeros((0, 3))], {"axis": 1}))
    m(method_case("add.reduce (0,3) axis=None", "add", "reduce", [np.zeros((0, 3))],
                  {"axis": None}))
    m(method_case("maximum.reduce empty raises", "maximum", "reduce", [A([], "float64")]))
    m(method_case("maximum.reduce empty initial=-inf", "maximum", "reduce", [A([], "float64")],
                  {"initial": -inf}))
    m(method_case("maximum.reduce empty int8 initial=5", "maximum", "reduce", [A([], "int8")],
                  {"initial": 5}))
    m(method_case("maximum.reduce (0,3) axis=1 (empty result, ok)", "maximum", "reduce",
                  [np.zeros((0, 3))], {"axis": 1}))
    m(method_case("maximum.reduce (3,0) axis=1 raises", "maximum", "reduce",
                  [np.zeros((3, 0))], {"axis": 1}))
    m(method_case("maximum.reduce (3,0) axis=0 (empty result, ok)", "maximum", "reduce",
                  [np.zeros((3, 0))], {"axis": 0}))
    m(method_case("logical_and.reduce empty", "logical_and", "reduce", [A([], "bool")]))
    m(method_case("logical_or.reduce empty", "logical_or", "reduce", [A([], "bool")]))
    m(method_case("logical_and.reduce empty float64", "logical_and", "reduce",
                  [A([], "float64")]))
    m(method_case("bitwise_and.reduce empty int8", "bitwise_and", "reduce", [A([], "int8")]))
    m(method_case("bitwise_and.reduce empty uint8", "bitwise_and", "reduce", [A([], "uint8")]))
    m(method_case("bitwise_or.reduce empty uint16", "bitwise_or", "reduce", [A([], "uint16")]))
    m(method_case("gcd.reduce empty", "gcd", "reduce", [A([], i64)]))
    m(method_case("lcm.reduce empty raises", "lcm", "reduce", [A([], i64)]))
    m(method_case("gcd.reduce", "gcd", "reduce", [A([12, -18, 30])]))
    m(method_case("lcm.reduce", "lcm", "reduce", [A([4, -6, 10])]))
    m(method_case("logaddexp.reduce empty", "logaddexp", "reduce", [A([], "float64")]))
    m(method_case("subtract.reduce empty raises", "subtract", "reduce", [A([], "float64")]))
    m(method_case("subtract.reduce empty initial", "subtract", "reduce", [A([], "float64")],
                  {"initial": 3.0}))
    m(method_case("add.reduce empty keepdims", "add", "reduce", [np.zeros((2, 0))],
                  {"axis": 1, "keepdims": True}))

    # --- accumulate
    eye = np.eye(2)
    m(method_case("doc: np.add.accumulate([2,3,5])", "add", "accumulate", [A([2, 3, 5])]))
    m(method_case("doc: np.multiply.accumulate([2,3,5])", "multiply", "accumulate",
                  [A([2, 3, 5])]))
    m(method_case("doc: np.add.accumulate(I, 0)", "add", "accumulate", [eye], {"axis": 0}))
    m(method_case("doc: np.add.accumulate(I)", "add", "accumulate", [eye]))
    m(method_case("doc: np.add.accumulate(I, 1)", "add", "accumulate", [eye], {"axis": 1}))
    m(method_case("add.accumulate (2,3,4) axis=1", "add", "accumulate", [Y], {"axis": 1}))
    m(method_case("add.accumulate (2,3,4) axis=-1", "add", "accumulate", [Y], {"axis": -1}))
    m(method_case("add.accumulate axis=None 2-D raises", "add", "accumulate", [eye],
                  {"axis": None}))
    m(method_case("add.accumulate axis tuple raises", "add", "accumulate", [eye],
                  {"axis": (0, 1)}))
    m(method_case("add.accumulate axis out of bounds", "add", "accumulate", [eye], {"axis": 2}))
    m(method_case("add.accumulate int8 (result dtype)", "add", "accumulate",
                  [A([100, 100, 100], "int8")]))
    m(method_case("add.accumulate int8 dtype=int32", "add", "accumulate",
                  [A([100, 100, 100], "int8")], {"dtype": "int32"}))
    m(method_case("add.accumulate bool", "add", "accumulate", [A([True, True, False])]))
    m(method_case("multiply.accumulate uint8 (result dtype)", "multiply", "accumulate",
                  [A([16, 16, 3], "uint8")]))
    m(method_case("subtract.accumulate", "subtract", "accumulate", [A([10, 1, 2, 3])]))
    m(method_case("divide.accumulate float", "divide", "accumulate", [A([1., 2., 0., 4.])]))
    m(method_case("maximum.accumulate with nan", "maximum", "accumulate",
                  [A([1., nan, 3., 0.])]))
    m(method_case("fmax.accumulate with nan", "fmax", "accumulate", [A([nan, 1., nan, 0.])]))
    m(method_case("minimum.accumulate int16", "minimum", "accumulate",
                  [A([5, 3, 4, -1, 2], "int16")]))
    m(method_case("logical_or.accumulate bool", "logical_or", "accumulate",
                  [A([False, True, False])]))
    m(method_case("logical_and.accumulate int64", "logical_and", "accumulate",
                  [A([1, 2, 0])]))
    m(method_case("equal.accumulate bool", "equal", "accumulate", [A([True, False, False])]))
    m(method_case("add.accumulate empty", "add", "accumulate", [A([], "float64")]))
    m(method_case("maximum.accumulate empty", "maximum", "accumulate", [A([], "float64")]))
    m(method_case("add.accumulate 0-d raises", "add", "accumulate", [np.array(5)]))
    m(method_case("negative.accumulate raises", "negative", "accumulate", [A([1, 2])]))
    m(method_case("add.accumulate float32 dtype=float64", "add", "accumulate",
                  [A([0.1, 0.2, 0.3], "float32")], {"dtype": "float64"}))

    # --- reduceat
    m(method_case("doc: np.add.reduceat(np.arange(8),[0,4,1,5,2,6,3,7]) (full result; doc "
                  "shows [::2])", "add", "reduceat", [np.arange(8), A([0, 4, 1, 5, 2, 6, 3, 7])]))
    m(method_case("doc: np.add.reduceat(x, [0,3,1,2,0])", "add", "reduceat",
                  [x44, A([0, 3, 1, 2, 0])]))
    m(method_case("doc: np.multiply.reduceat(x, [0,3], 1)", "multiply", "reduceat",
                  [x44, A([0, 3])], {"axis": 1}))
    m(method_case("add.reduceat last index", "add", "reduceat", [np.arange(8), A([0, 7])]))
    m(method_case("add.reduceat equal indices", "add", "reduceat",
                  [np.arange(8), A([2, 2, 5, 5])]))
    m(method_case("add.reduceat index out of range", "add", "reduceat",
                  [np.arange(8), A([0, 8])]))
    m(method_case("add.reduceat negative index", "add", "reduceat", [np.arange(8), A([-1, 3])]))
    m(method_case("add.reduceat empty indices", "add", "reduceat",
                  [np.arange(8), A([], i64)]))
    m(method_case("maximum.reduceat", "maximum", "reduceat",
                  [A([3, 1, 4, 1, 5, 9, 2, 6]), A([0, 3, 6])]))
    m(method_case("subtract.reduceat", "subtract", "reduceat",
                  [A([10, 1, 2, 20, 3]), A([0, 3])]))
    m(method_case("add.reduceat axis=-1 2-D", "add", "reduceat", [x44, A([1, 3])],
                  {"axis": -1}))
    m(method_case("add.reduceat int8 dtype=int16", "add", "reduceat",
                  [A([100, 100, 100, 1], "int8"), A([0, 3])], {"dtype": "int16"}))
    m(method_case("add.reduceat int8 (result dtype)", "add", "reduceat",
                  [A([100, 100, 100, 1], "int8"), A([0, 3])]))
    m(method_case("add.reduceat bool", "add", "reduceat",
                  [A([True, True, False, True]), A([0, 2])]))
    m(method_case("add.reduceat 3-D axis=1", "add", "reduceat", [Y, A([0, 2, 1])], {"axis": 1}))
    m(method_case("negative.reduceat raises", "negative", "reduceat", [A([1, 2]), A([0])]))

    # --- outer
    AA = A([[1, 2, 3], [4, 5, 6]])
    BB = A([[1, 2, 3, 4]])
    m(method_case("doc: np.multiply.outer([1,2,3],[4,5,6])", "multiply", "outer",
                  [A([1, 2, 3]), A([4, 5, 6])]))
    m(method_case("doc: np.multiply.outer(A, B) (2,3)x(1,4)", "multiply", "outer", [AA, BB]))
    m(method_case("add.outer int and float", "add", "outer", [A([1, 2]), A([0.5, 1.5, 2.5])]))
    m(method_case("subtract.outer", "subtract", "outer", [A([1, 2, 3]), A([10, 20])]))
    m(method_case("subtract.outer uint8", "subtract", "outer",
                  [A([1, 2], "uint8"), A([3], "uint8")]))
    m(method_case("equal.outer", "equal", "outer", [A([1, 2, 3]), A([2, 3])]))
    m(method_case("divmod.outer (two outputs)", "divmod", "outer",
                  [A([7, -7]), A([2, -2, 3])]))
    m(method_case("add.outer with a scalar", "add", "outer", [2, A([1, 2])]))
    m(method_case("add.outer two scalars", "add", "outer", [2, 3]))
    m(method_case("add.outer dtype=float32", "add", "outer", [A([1, 2]), A([3, 4])],
                  {"dtype": "float32"}))
    m(method_case("maximum.outer nan", "maximum", "outer", [A([1., nan]), A([0., 2.])]))
    m(method_case("negative.outer raises", "negative", "outer", [A([1, 2]), A([1])]))
    m(method_case("matmul.outer raises", "matmul", "outer", [A([1, 2]), A([1, 2])]))

    # --- at
    m(method_case("doc: np.negative.at(a, [0,1])", "negative", "at",
                  [A([1, 2, 3, 4]), A([0, 1])]))
    m(method_case("doc: np.add.at(a, [0,1,2,2], 1)", "add", "at",
                  [A([1, 2, 3, 4]), A([0, 1, 2, 2]), 1]))
    m(method_case("doc: np.add.at(a, [0,1], b)", "add", "at",
                  [A([1, 2, 3, 4]), A([0, 1]), A([1, 2])]))
    m(method_case("multiply.at repeated", "multiply", "at",
                  [A([1, 2, 3, 4]), A([1, 1, 3, 1]), A([2, 3, 4, 5])]))
    m(method_case("maximum.at", "maximum", "at",
                  [A([1., 5., 3.]), A([0, 1, 0, 2]), A([4., 2., 6., nan])]))
    m(method_case("subtract.at negative indices", "subtract", "at",
                  [A([10, 20, 30]), A([-1, -3, -1]), 1]))
    m(method_case("add.at 2-D tuple indices", "add", "at",
                  [A([[1, 2, 3], [4, 5, 6]]), Tup(A([0, 1, 1]), A([0, 2, 2])), 10]))
    m(method_case("add.at 2-D row index, row value broadcast", "add", "at",
                  [A([[1, 2, 3], [4, 5, 6]]), A([1, 1, 0]), A([1, 10, 100])]))
    m(method_case("add.at int8 wraps", "add", "at", [A([120, 0], "int8"), A([0, 0]), 5]))
    m(method_case("add.at int8 with a float value (at casts unsafely)", "add", "at",
                  [A([1, 2], "int8"), A([0]), 1.5]))
    m(method_case("add.at index out of bounds raises", "add", "at",
                  [A([1, 2, 3]), A([3]), 1]))
    m(method_case("add.at without b raises", "add", "at", [A([1, 2, 3]), A([0])]))
    m(method_case("negative.at with b raises", "negative", "at", [A([1, 2, 3]), A([0]), 1]))
    m(method_case("add.at scalar index", "add", "at", [A([1., 2., 3.]), 2, 0.5]))
    m(method_case("add.at empty indices", "add", "at", [A([1., 2.]), A([], i64), 1.0]))
    m(method_case("divide.at float", "divide", "at", [A([8., 2., 3.]), A([0, 0]), 2.0]))

    # --- matmul / vecdot
    ma = A([[1, 0], [0, 1]])
    mb = A([[4, 1], [2, 2]])
    m(method_case("doc: matmul 2-D @ 2-D", "matmul", "__call__", [ma, mb]))
    m(method_case("doc: matmul 2-D @ 1-D", "matmul", "__call__", [ma, A([1, 2])]))
    m(method_case("doc: matmul 1-D @ 2-D", "matmul", "__call__", [A([1, 2]), ma]))
    m(method_case("doc: matmul (2,2,4)@(2,4,2)", "matmul", "__call__",
                  [np.arange(16).reshape((2, 2, 4)), np.arange(16).reshape((2, 4, 2))]))
    m(method_case("doc: matmul with a scalar raises", "matmul", "__call__", [A([1, 2]), 3]))
    m(method_case("matmul 1-D @ 1-D -> 0-d", "matmul", "__call__", [A([1, 2, 3]), A([4, 5, 6])]))
    m(method_case("matmul 1-D @ 3-D stack", "matmul", "__call__",
                  [A([1, 2]), np.arange(12).reshape((3, 2, 2))]))
    m(method_case("matmul 3-D stack @ 1-D", "matmul", "__call__",
                  [np.arange(12).reshape((3, 2, 2)), A([1, 2])]))
    m(method_case("matmul broadcast (2,1,3,4)@(5,4,2)", "matmul", "__call__",
                  [np.arange(24).reshape((2, 1, 3, 4)), np.arange(40).reshape((5, 4, 2)) - 20]))
    m(method_case("matmul float64 broadcast (2,1,3,4)@(5,4,2)", "matmul", "__call__",
                  [np.arange(24.).reshape((2, 1, 3, 4)) / 2,
                   (np.arange(40.).reshape((5, 4, 2)) - 20) / 4]))
    m(method_case("matmul float32", "matmul", "__call__",
                  [A([[0.5, 1.5], [2., -1.]], "float32"), A([[1., 2.], [3., 4.]], "float32")]))
    m(method_case("matmul int8 @ int8 wraps", "matmul", "__call__",
                  [A([[100, 100]], "int8"), A([[1], [1]], "int8")]))
    m(method_case("matmul int8 @ float32 -> promotion", "matmul", "__call__",
                  [A([[1, 2]], "int8"), A([[0.5], [0.25]], "float32")]))
    m(method_case("matmul int64 @ uint64", "matmul", "__call__",
                  [A([[1, 2]], "int64"), A([[3], [4]], "uint64")]))
    m(method_case("matmul bool", "matmul", "__call__",
                  [A([[True, False], [False, False]]), A([[True, True], [True, False]])]))
    m(method_case("matmul nan/inf", "matmul", "__call__",
                  [A([[inf, 1.], [nan, 0.], [inf, 0.]]), A([[1., 0.], [2., 1.]])]))
    m(method_case("matmul dtype=float32", "matmul", "__call__", [ma, mb], {"dtype": "float32"}))
    m(method_case("matmul shape mismatch raises", "matmul", "__call__",
                  [np.ones((2, 3)), np.ones((4, 2))]))
    m(method_case("matmul batch broadcast mismatch raises", "matmul", "__call__",
                  [np.ones((2, 2, 3)), np.ones((3, 3, 2))]))
    m(method_case("matmul 0-d raises", "matmul", "__call__", [np.array(2.), np.ones(2)]))
    m(method_case("matmul empty k", "matmul", "__call__", [np.ones((2, 0)), np.ones((0, 3))]))
    m(method_case("matmul empty n", "matmul", "__call__", [np.ones((0, 2)), np.ones((2, 3))]))
    m(method_case("matmul float64 @ int32 (promotion)", "matmul", "__call__",
                  [np.ones((2, 2)), A([[1, 2], [3, 4]], "int32")]))
    v = A([[0., 5., 0.], [0., 0., 10.], [0., 6., 8.]])
    m(method_case("doc: np.vecdot(v, n)", "vecdot", "__call__", [v, A([0., 0.6, 0.8])]))
    m(method_case("vecdot 1-D . 1-D -> 0-d", "vecdot", "__call__", [A([1, 2, 3]), A([4, 5, 6])]))
    m(method_case("vecdot broadcast (2,1,3).(4,3)", "vecdot", "__call__",
                  [np.arange(6).reshape((2, 1, 3)), np.arange(12).reshape((4, 3))]))
    m(method_case("vecdot int8 wraps", "vecdot", "__call__",
                  [A([100, 100], "int8"), A([1, 1], "int8")]))
    m(method_case("vecdot bool", "vecdot", "__call__",
                  [A([[True, False], [False, False]]), A([[True, True], [True, True]])]))
    m(method_case("vecdot int16 . float32", "vecdot", "__call__",
                  [A([1, 2], "int16"), A([0.5, 0.25], "float32")]))
    m(method_case("vecdot axis=0", "vecdot", "__call__",
                  [np.arange(6).reshape((3, 2)), np.arange(6).reshape((3, 2))], {"axis": 0}))
    m(method_case("vecdot shape mismatch raises", "vecdot", "__call__",
                  [np.ones(3), np.ones(4)]))
    m(method_case("vecdot scalar raises", "vecdot", "__call__", [np.ones(3), 2.0]))
    m(method_case("vecdot empty core -> 0", "vecdot", "__call__", [np.ones((2, 0)), np.ones(0)]))
    return {"cases": c}


# ----------------------------------------------------------------------------- main

FIXTURES = {
    "ufunc-meta": make_meta,
    "ufunc-values": make_values,
    "ufunc-resolution": make_resolution,
    "ufunc-methods": make_methods,
}


def simd_features():
    try:
        from numpy._core._multiarray_umath import (
            __cpu_baseline__, __cpu_dispatch__, __cpu_features__)
        found = [f for f in __cpu_dispatch__ if __cpu_features__.get(f)]
        return {"baseline": list(__cpu_baseline__), "dispatched": found}
    except Exception:  # noqa: BLE001 - informational only
        return None


def header(name):
    return {
        "generator": "scripts/ufunc-fixtures.py",
        "fixture": name,
        "numpy": np.__version__,
        "python": platform.python_version(),
        "machine": platform.machine(),
        # float results of transcendental loops can differ by an ulp between SIMD paths
        "simd": simd_features(),
        "seed": SEED,
    }


def dump(obj):
    """JSON with one row per line: diffs between NumPy versions stay readable."""
    parts = []
    for key, value in obj.items():
        if isinstance(value, list):
            rows = ",\n".join("    " + json.dumps(r, separators=(",", ":"), allow_nan=False)
                              for r in value)
            parts.append(f'  "{key}": [\n{rows}\n  ]' if value else f'  "{key}": []')
        else:
            parts.append(f'  "{key}": {json.dumps(value, allow_nan=False)}')
    return "{\n" + ",\n".join(parts) + "\n}\n"


# ----------------------------------------------------------------------------- self-check

def check_result(res):
    if "error" in res:
        assert isinstance(res["error"], str) and isinstance(res["message"], str), res
    elif "outputs" in res:
        for r in res["outputs"]:
            check_result(r)
    elif "dtypes" in res:
        assert len(res["dtypes"]) == len(res["values"]), res
        for v, d in zip(res["values"], res["dtypes"]):
            if d in DTYPE_SET or d == "float16":
                dec_value(v, d)
    else:
        a = dec_array(res)
        assert a.size == len(res["values"]), res


def same_values(x, y):
    """Equality that tells nan == nan and -0 != 0 for floats; == otherwise."""
    if x.shape != y.shape or x.dtype != y.dtype:
        return False
    if x.dtype.kind == "f":
        nx, ny = np.isnan(x), np.isnan(y)
        return bool(np.array_equal(nx, ny) and np.array_equal(x[~nx], y[~ny]) and
                    np.array_equal(np.signbit(x[~nx]), np.signbit(y[~ny])))
    return bool(np.array_equal(x, y))


def self_check(out):
    def load(name):
        with open(os.path.join(out, name + ".json"), encoding="utf-8") as f:
            return json.load(f)

    meta = load("ufunc-meta")
    assert [r["numpy"] for r in meta["ufuncs"]] == [n for n, _ in UFUNCS]
    loops_by = {}
    for r in meta["ufuncs"]:
        assert r["ntypes"] == len(r["types"]) == len(set(r["types"])), r["numpy"]
        for t in r["types"]:
            i, o = t.split("->")
            assert len(i.split(",")) == r["nin"] and len(o.split(",")) == r["nout"], t
            assert all(d in DTYPE_SET for d in i.split(",") + o.split(",")), t
        loops_by[r["numpy"]] = r["types"]

    values = load("ufunc-values")
    seen = {}
    nvals = 0
    for row in values["loops"]:
        u = ufunc(row["ufunc"])
        ins, outs = [s.split(",") for s in row["types"].split("->")]
        assert row["types"] in loops_by[row["ufunc"]], row["types"]
        seen.setdefault(row["ufunc"], []).append(row["types"])
        assert len(row["inputs"]) == u.nin and len(row["outputs"]) == u.nout
        if "shapes" in row:
            arrays = [dec_array({"dtype": d, "shape": s, "values": v})
                      for d, s, v in zip(ins, row["shapes"]["inputs"], row["inputs"])]
            expect = [dec_array({"dtype": d, "shape": s, "values": v})
                      for d, s, v in zip(outs, row["shapes"]["outputs"], row["outputs"])]
        else:
            n = len(row["inputs"][0])
            assert all(len(c) == n for c in row["inputs"] + row["outputs"]), row["types"]
            arrays = [dec_array({"dtype": d, "shape": [n], "values": v})
                      for d, v in zip(ins, row["inputs"])]
            expect = [dec_array({"dtype": d, "shape": [n], "values": v})
                      for d, v in zip(outs, row["outputs"])]
        nvals += len(row["inputs"][0])
        got = call_loop(u, arrays, ins, outs)  # replay the decoded inputs
        for g, e in zip(got, expect):
            assert same_values(np.asarray(g).reshape(e.shape), e), (row["ufunc"], row["types"])
    skipped = {(s["ufunc"], s["types"]) for s in values["skipped"]}
    for name, types in loops_by.items():
        assert sorted(seen.get(name, []) + [t for (n, t) in skipped if n == name]) == \
            sorted(types), name

    res = load("ufunc-resolution")
    for sec in ("dtypes", "weak", "options"):
        for row in res[sec]:
            check_result(row["result"])
    meth = load("ufunc-methods")
    for row in meth["cases"]:
        for a in row["args"]:
            if "dtype" in a:
                dec_array(a)
        check_result(row["result"])
    print(f"self-check ok: {len(meta['ufuncs'])} ufuncs, {len(values['loops'])} loops "
          f"({nvals} value rows), {len(values['skipped'])} skipped; resolution "
          f"{len(res['dtypes'])}+{len(res['weak'])}+{len(res['options'])} rows; "
          f"{len(meth['cases'])} method cases")


def main(argv):
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures")
    if "--out" in argv:
        i = argv.index("--out")
        out = argv[i + 1]
        argv = argv[:i] + argv[i + 2:]
    check_only = "--check" in argv
    argv = [a for a in argv if a != "--check"]
    names = argv or list(FIXTURES)
    unknown = [n for n in names if n not in FIXTURES]
    if unknown:
        sys.exit(f"unknown fixture(s) {unknown}; known: {list(FIXTURES)}")
    if not check_only:
        os.makedirs(out, exist_ok=True)
        for name in names:
            path = os.path.join(out, name + ".json")
            with open(path, "w", encoding="utf-8") as f:
                f.write(dump({"header": header(name), **FIXTURES[name]()}))
            print(f"wrote {os.path.normpath(path)} ({os.path.getsize(path)} bytes)")
    if all(os.path.exists(os.path.join(out, n + ".json")) for n in FIXTURES):
        self_check(out)


if __name__ == "__main__":
    main(sys.argv[1:])
