#!/usr/bin/env python3
"""Write test/fixtures/gpu-special-values.json: NumPy's float32 results of every float32
elementwise built-in (one or two inputs, one output) on special inputs, read by
test/gpu/special-values.ts (the gpu target's special-value contract, on lavapipe under Node
and on SwiftShader in Chromium).

Run from the repository root:  python3 scripts/gpu-special-fixtures.py
Deterministic (no random inputs); needs NumPy 2. The ufuncs are the rows of the built-in
table (src/builtins/generated/ufuncs.json) with a float32 loop of one or two float32 inputs
and one output; the test runs those the gpu target has a kernel for.

Inputs: UNARY for one-input ufuncs (signed zeros, infinities, NaN, subnormals, the smallest
normal, huge and tiny values, the overflow and underflow edges of exp/exp2/sinh/cosh, the
domain edges 1 +- ulp and -1 +- ulp, halves for the rounding functions); for two-input
ufuncs every pair of BINARY (the same kinds of values, fewer of each).

File: {"header": {...}, "unary": [inputs], "binary": [[xs], [ys]], "ufuncs": [{name, types,
out: [results, in input order], ftz?: {index: result}, alt?: {index: result}}]}. A value is encoded as in
scripts/ufunc-fixtures.py: a JSON number (the exact float64 of the float32), or "nan",
"inf", "-inf", "-0"; bool results are true/false.

`ftz` lists the elements where it differs from `out`: the result with subnormal inputs flushed to a
zero of their sign and a subnormal result flushed likewise, which WGSL allows a GPU to
return instead (WGSL spec, "Floating point accuracy": subnormals may be flushed). `alt` lists
the elements where NumPy itself answers differently for a one-element array (its scalar loop)
than in the long array (its SIMD loop): fmax(0, -0) is 0 or -0 by the path; either is NumPy's.
"""
import json
import math
import os
import platform
import sys
import warnings

import numpy as np

if int(np.__version__.split(".")[0]) < 2:
    sys.exit(f"scripts/gpu-special-fixtures.py needs NumPy >= 2; found {np.__version__}")
warnings.simplefilter("ignore")

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "test", "fixtures", "gpu-special-values.json")
TABLE = os.path.join(ROOT, "src", "builtins", "generated", "ufuncs.json")

F32 = np.float32
TINY = float(np.finfo(F32).smallest_subnormal)   # 2^-149
NORM = float(np.finfo(F32).smallest_normal)      # 2^-126
MAX = float(np.finfo(F32).max)
UP1 = float(np.nextafter(F32(1), F32(2)))        # 1 + 2^-23
DN1 = float(np.nextafter(F32(1), F32(0)))        # 1 - 2^-24
PI = float(F32(math.pi))

SPECIAL = [0.0, -0.0, math.inf, -math.inf, math.nan]
UNARY = SPECIAL + [
    1.0, -1.0, 0.5, -0.5, 2.0, -2.0, 2.5, -2.5, 3.0, 10.0, -10.0, PI, -PI, PI / 2,
    TINY, -TINY, 1e-40, -1e-40, NORM, -NORM, 1e-30, -1e-30, 1e-7, MAX, -MAX, 1e30, -1e30, 1e10, -1e10,
    # exp / exp2 / sinh / cosh overflow and underflow edges
    88.72283, 88.72284, 89.0, 89.41, 89.42, -87.33654, -103.97, -104.0, -150.0,
    127.0, 128.0, -126.0, -149.0, -149.5, -151.0,
    # domain edges of log1p, arcsin, arccos, arccosh, arctanh
    UP1, DN1, -UP1, -DN1,
    # rounding: halves and the last fractional float32s
    0.49999997, -0.49999997, 8388607.5, -8388607.5, 16777216.0,
]
BINARY1 = SPECIAL + [1.0, -1.0, 0.5, -0.5, 2.0, -2.0, 3.0, -3.0, 2.5, TINY, -1e-40, NORM,
                     1e-30, 1e30, MAX, -MAX, 88.7, -100.0]


def f32(xs):
    return np.array(xs, dtype=F32)


def enc(v):
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    f = float(v)
    if math.isnan(f):
        return "nan"
    if math.isinf(f):
        return "inf" if f > 0 else "-inf"
    if f == 0 and math.copysign(1.0, f) < 0:
        return "-0"
    return f


def flush(a):
    """Subnormals to a zero of their sign (what a GPU may do with an input or a result)."""
    a = np.array(a)
    if a.dtype != F32:
        return a
    sub = (a != 0) & (np.abs(a) < F32(NORM))
    return np.where(sub, np.copysign(F32(0), a), a).astype(F32)


def same(a, b):
    """Bitwise-equal results, any NaN matching any NaN."""
    if a.dtype == np.bool_:
        return bool(np.all(a == b))
    return bool(np.all((a.view(np.uint32) == b.view(np.uint32)) | (np.isnan(a) & np.isnan(b))))


def rows():
    with open(TABLE, encoding="utf-8") as f:
        table = json.load(f)["ufuncs"]
    un = f32(UNARY)
    bx = f32([x for x in BINARY1 for _ in BINARY1])
    by = f32([y for _ in BINARY1 for y in BINARY1])
    for r in table:
        loops = [t for t in r["types"] if t.split("->")[0] in ("float32", "float32,float32")
                 and len(t.split("->")[1].split(",")) == 1 and t.split("->")[1] in ("float32", "bool")]
        if r["nout"] != 1 or not loops:
            continue
        u = getattr(np, r["numpy"])
        ins = [un] if r["nin"] == 1 else [bx, by]
        with np.errstate(all="ignore"):
            sig = tuple(np.dtype(t) for t in loops[0].replace("->", ",").split(","))
            out = u(*ins, signature=sig)
            ftz = flush(u(*[flush(x) for x in ins], signature=sig))
            one = np.concatenate([u(*[x[i:i + 1] for x in ins], signature=sig) for i in range(len(out))])
        row = {"name": r["numpy"], "types": loops[0], "out": [enc(v) for v in out]}
        differ = [i for i in range(len(out)) if not same(out[i:i + 1], ftz[i:i + 1])]
        if differ:
            row["ftz"] = {str(i): enc(ftz[i]) for i in differ}
        differ = [i for i in range(len(out)) if not same(out[i:i + 1], one[i:i + 1])]
        if differ:
            row["alt"] = {str(i): enc(one[i]) for i in differ}
        yield row


def main():
    data = {
        "header": {"generator": "scripts/gpu-special-fixtures.py", "numpy": np.__version__,
                   "python": platform.python_version(), "machine": platform.machine()},
        "unary": [enc(v) for v in f32(UNARY)],
        "binary": [[enc(v) for v in f32([x for x in BINARY1 for _ in BINARY1])],
                   [enc(v) for v in f32([y for _ in BINARY1 for y in BINARY1])]],
        "ufuncs": list(rows()),
    }
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(data, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {OUT}: {len(data['ufuncs'])} ufuncs")


if __name__ == "__main__":
    main()
