#!/usr/bin/env python3
"""Write test/fixtures/astype.json: NumPy's `astype` (unsafe casting) for all 121 dtype pairs.

Run from the repository root with NumPy 1.24 (here: /usr/bin/python3; a `python3` earlier on
PATH may carry another NumPy):  /usr/bin/python3 scripts/cast-fixtures.py
Deterministic and NumPy-only (NumPy 2.4 gives the same JSON apart from the version field).
The JSON is committed and read by test/runtime/cast-loops.test.ts and
test/dtype/convert-scalar.test.ts.

What is recorded, per source dtype:
  inputs[src]          the input vector (edge values that src can hold, plus its min/max)
  results[src][dst]    NumPy's result for a STRIDED source (a[::2] of a doubled array).
                       That is NumPy's scalar C cast (x86-64 cvtt* instructions), which is
                       also what a 1-element array gives. numbats' loops reproduce it for
                       every layout.
  contiguousDiffers[src][dst]
                       NumPy's result for a CONTIGUOUS source, recorded only where it differs
                       from the strided one. NumPy 1.24 auto-vectorises a few float->int
                       loops; for out-of-range inputs (undefined behaviour in C) the vector
                       body gives different bits than the scalar tail, so contiguous results
                       even depend on an element's position in the array. numbats does not
                       follow them (no position-independent rule would); they are kept here
                       so the difference stays documented and visible in review.

Encoding (so that JSON.parse is exact): bool -> true/false; int64/uint64 -> decimal
strings; other integers -> JSON numbers; floats -> JSON numbers (Python's repr of the
float64 value, exact; float32 values are widened exactly), except "nan", "inf", "-inf"
and "-0" as strings.
"""
import json
import math
import os
import sys
import warnings

import numpy as np

warnings.simplefilter('ignore')  # invalid-value / overflow warnings are the point here

DTYPES = ['bool', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64',
          'float32', 'float64']

F32_MAX = float(np.finfo(np.float32).max)
F32_TINY = float(np.finfo(np.float32).tiny)
F64_MAX = float(np.finfo(np.float64).max)

# Float inputs (as float64; float32 sources take np.float32(x) of each, dropping duplicates).
FLOAT_INPUTS = [
    math.nan, math.inf, -math.inf, 0.0, -0.0, 0.5, -0.5, 0.9999, -0.9999, 1.0, -1.0, 1.5,
    -1.5, 2.5, -2.5, 3.0, 127.0, 127.5, 128.0, -128.0, -128.5, -129.0, 255.0, 255.5, 256.0,
    300.0, -300.0, 32767.0, 32768.0, -32768.0, -32769.0, 65535.0, 65536.0, 65541.0, -65541.0,
    2.0**31 - 1, 2.0**31 - 0.5, 2.0**31, -2.0**31, -2.0**31 - 0.5, -2.0**31 - 1, 3e9, -3e9,
    2.0**32 - 1, 2.0**32 - 0.5, 2.0**32, 2.0**32 + 7, -2.0**32 - 7, 2.0**33 + 2**9,
    2.0**53 + 2, 2.0**53 + 1, -(2.0**53) - 2, 2.0**63 - 1024, 2.0**63, -2.0**63,
    -2.0**63 - 2048, 2.0**63 + 2048, 2.0**64 - 2048, 2.0**64, -2.0**64, 1e19, 1e20, -1e20,
    1e30, 1e39, -1e39, F32_MAX, -F32_MAX, F32_MAX * 1.0000001, 3.4028235677973362e+38,
    3.4028235677973366e+38, F32_TINY, F32_TINY / 2, 1e-45, 7e-46, 7.006492321624087e-46,
    7.006492321624088e-46, 1e-40, -1e-40, 5e-324, -5e-324, 2.2250738585072014e-308,
    F64_MAX, -F64_MAX, 0.1, 1 / 3, 16777217.0, 16777219.0, math.pi, -math.e,
]

# Integer inputs (each integer source keeps those it can hold, plus its own min and max).
INT_INPUTS = [
    0, 1, -1, 2, -2, 3, 7, 100, 127, 128, -128, -129, 200, 255, 256, 300, -300, 32767, 32768,
    -32768, -32769, 65535, 65536, 65541, -65541, 2**24 + 1, 2**24 + 3, 2**31 - 1, 2**31,
    -2**31, -2**31 - 1, 3_000_000_000, 2**32 - 1, 2**32, 2**32 + 7, -2**32 - 7, 2**53 + 1,
    2**53 + 3, -(2**53 + 1), 2**60 + 2**36 + 1, -(2**60 + 2**36 + 1), 2**62 + 2**38 + 1,
    2**63 - 512, 2**63 - 1, -2**63, 2**63, 2**63 + 1025, 2**63 + 2**11 + 1, 2**63 + 2**39 + 1,
    2**64 - 1025, 2**64 - 1, 123456789, -123456789, 0x5555_5555_5555_5555,
]


def inputs_for(src):
    if src == 'bool':
        return np.array([False, True, True, False, True], dtype=np.bool_)
    if src in ('float32', 'float64'):
        out, seen = [], set()
        for x in FLOAT_INPUTS:
            v = np.array([x], dtype=np.float64).astype(src)[0]
            key = v.tobytes()
            if key not in seen:
                seen.add(key)
                out.append(v)
        return np.array(out, dtype=src)
    info = np.iinfo(src)
    vals = [v for v in INT_INPUTS if info.min <= v <= info.max]
    for v in (info.min, info.max, info.min + 1, info.max - 1):
        if v not in vals:
            vals.append(int(v))
    return np.array(vals, dtype=src)


def encode(v, dtype):
    if dtype == 'bool':
        return bool(v)
    if dtype in ('int64', 'uint64'):
        return str(int(v))
    if dtype in ('float32', 'float64'):
        f = float(v)
        if math.isnan(f):
            return 'nan'
        if math.isinf(f):
            return 'inf' if f > 0 else '-inf'
        if f == 0 and math.copysign(1.0, f) < 0:
            return '-0'
        return f
    return int(v)


def same(a, b):
    """Bitwise equality, except that any NaN equals any NaN (payloads are not specified)."""
    if a.dtype.kind == 'f':
        both_nan = np.isnan(a) & np.isnan(b)
        return bool(np.all(both_nan | (a.view(f'u{a.itemsize}') == b.view(f'u{b.itemsize}'))))
    return bool(np.array_equal(a, b))


def main():
    if not np.__version__.startswith('1.24.'):
        print(f'warning: NumPy {np.__version__}; the reference is NumPy 1.24 (/usr/bin/python3)',
              file=sys.stderr)
    inputs, results, differs = {}, {}, {}
    for src in DTYPES:
        a = inputs_for(src)
        n = len(a)
        inputs[src] = [encode(v, src) for v in a]
        results[src] = {}
        for dst in DTYPES:
            # Strided: every other element of a doubled copy, so NumPy's strided loop runs.
            strided = np.repeat(a, 2)[::2].astype(dst)
            # One element at a time: the scalar path; must agree with the strided loop.
            single = np.concatenate([a[k:k + 1].astype(dst) for k in range(n)])
            assert same(strided, single), (src, dst)
            results[src][dst] = [encode(v, dst) for v in strided]
            # Contiguous: each value repeated 64 times in a row, so that it is converted by the
            # vector body wherever the loop is vectorised; take the first copy of each value.
            contiguous = np.repeat(a, 64).astype(dst)[::64]
            if not same(contiguous, strided):
                differs.setdefault(src, {})[dst] = [encode(v, dst) for v in contiguous]
    doc = {
        'generator': 'scripts/cast-fixtures.py',
        'numpy': np.__version__,
        'machine': 'x86-64',
        'dtypes': DTYPES,
        'inputs': inputs,
        'results': results,
        'contiguousDiffers': differs,
    }
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    path = os.path.join(root, 'test', 'fixtures', 'astype.json')
    with open(path, 'w') as f:
        json.dump(doc, f, indent=None, separators=(',', ':'))
        f.write('\n')
    pairs = ', '.join(f'{s}->{d}' for s in differs for d in differs[s])
    print(f'wrote {path}: {len(DTYPES) ** 2} pairs; contiguous differs for: {pairs or "none"}')


if __name__ == '__main__':
    main()
