#!/usr/bin/env python3
"""NumPy as the oracle for the NDArray core: views, reprs and ranges.

Writes test/fixtures/views.json, test/fixtures/repr.json and test/fixtures/ranges.json.
Deterministic; needs only NumPy >= 2 (the reference semantics): python3 scripts/ndarray-fixtures.py. The JS tests read the JSON: CI needs no Python.
"""
import json
import math
import os

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures')


def enc(x):
    """JSON-safe scalar: non-finite floats and 64-bit integers as strings."""
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (np.integer, int)):
        return int(x) if abs(int(x)) <= 2**53 else str(int(x))
    x = float(x)
    if math.isnan(x):
        return 'nan'
    if math.isinf(x):
        return 'inf' if x > 0 else '-inf'
    return x


def nested(a):
    if a.ndim == 0:
        return enc(a[()])
    return [nested(a[i]) for i in range(a.shape[0])]


def to_index(spec):
    if spec is None:
        return None
    if isinstance(spec, int):
        return spec
    if spec == '...':
        return Ellipsis
    if ':' not in spec:
        return int(spec)
    parts = [int(p) if p.strip() else None for p in spec.split(':')]
    return slice(*parts)


def apply(a, steps):
    for op, arg in steps:
        if op == 'slice':
            a = a[tuple(to_index(s) for s in arg)]
        elif op == 'transpose':
            a = a.transpose(arg) if arg is not None else a.T
        elif op == 'reshape':
            a = a.reshape(arg)
        elif op == 'copy':
            a = a.copy()
        elif op == 'ravel':
            a = a.ravel()
        else:
            raise ValueError(op)
    return a


VIEW_CASES = [
    ('reverse 1-d', [4], []),
    ('negative step', [10], [['slice', ['::-1']]]),
    ('negative step with bounds', [10], [['slice', ['8:2:-2']]]),
    ('clamped bounds', [10], [['slice', ['-100:100']]]),
    ('empty slice', [10], [['slice', ['5:2']]]),
    ('negative step empty', [10], [['slice', ['2:5:-1']]]),
    ('2-d mixed', [3, 4], [['slice', ['1:', '::-2']]]),
    ('integer index drops axis', [3, 4], [['slice', [-1]]]),
    ('new axis', [3, 4], [['slice', [None, 0]]]),
    ('ellipsis', [2, 3, 4], [['slice', ['...', 1]]]),
    ('ellipsis with new axis', [2, 3, 4], [['slice', [0, '...', None]]]),
    ('transpose', [2, 3, 4], [['transpose', None]]),
    ('transpose axes', [2, 3, 4], [['transpose', [1, 0, 2]]]),
    ('transpose of a slice', [4, 6], [['slice', ['1:3', '::-2']], ['transpose', None]]),
    ('slice of a transpose', [4, 6], [['transpose', None], ['slice', ['::2', '1:']]]),
    ('reshape contiguous', [2, 3, 4], [['reshape', [4, -1]]]),
    ('reshape of a non-contiguous view', [4, 6], [['slice', [':', '::2']], ['reshape', [-1]]]),
    ('reshape of a transpose', [2, 3, 4], [['transpose', None], ['reshape', [6, 4]]]),
    ('reshape of a reversed view', [12], [['slice', ['::-1']], ['reshape', [3, 4]]]),
    ('reshape keeping a view', [2, 3, 4], [['slice', [':', ':', '::2']], ['reshape', [2, 3, 2]]]),
    ('reshape splitting a strided dim', [8, 3], [['slice', ['::2']], ['reshape', [2, 2, 3]]]),
    ('reshape with size-1 dims', [6], [['reshape', [1, 2, 1, 3, 1]]]),
    ('ravel of a transpose', [3, 4], [['transpose', None], ['ravel', None]]),
    ('reshape to 0-d', [1], [['reshape', []]]),
    ('deep chain', [4, 5, 6], [['slice', ['::-1', '1:4', '::3']], ['transpose', [2, 0, 1]], ['slice', [':', '1:', 0]], ['reshape', [-1]]]),
]


def views():
    cases = []
    for name, shape, steps in VIEW_CASES:
        base = np.arange(int(np.prod(shape)), dtype=np.float64).reshape(shape)
        r = apply(base, steps)
        cases.append({'name': name, 'shape': shape, 'steps': steps, 'result': {'shape': list(r.shape), 'values': nested(r)}})
    return {'numpy': np.__version__, 'cases': cases}


def repr_cases():
    arrs = [
        ('floats with padding', np.array([0.1, 0.25])),
        ('integral floats', np.array([1.0, 2.0, 3.0])),
        ('mixed sign floats', np.array([-1.5, 2.0])),
        ('arange wraps lines', np.arange(30)),
        ('linspace', np.linspace(0, 1, 5)),
        ('scientific', np.array([1e10, 1.5e-5])),
        ('small values', np.array([1e-5, 1.0])),
        ('non-finite', np.array([np.nan, np.inf, -1.5, -np.inf])),
        ('only nan', np.array([np.nan])),
        ('float32 shortest', np.array([0.3, 1 / 3, 2.5], dtype=np.float32)),
        ('rounded to 8 digits', np.array([0.1 + 0.2, 1 / 3])),
        ('int8 dtype shown', np.array([-1, 2, 100], dtype=np.int8)),
        ('uint64 large', np.array([0, 2**64 - 1], dtype=np.uint64)),
        ('bool', np.array([True, False, True])),
        ('all true', np.array([True, True])),
        ('2-d', np.arange(6).reshape(2, 3)),
        ('3-d', np.arange(8).reshape(2, 2, 2)),
        ('0-d int', np.array(5)),
        ('0-d float', np.array(2.5)),
        ('0-d float32', np.array(2.5, dtype=np.float32)),
        ('empty float', np.zeros(0)),
        ('empty int32', np.zeros(0, dtype=np.int32)),
        ('empty 2-d', np.zeros((0, 3))),
        ('summarised 1-d', np.arange(2000)),
        ('summarised 2-d', np.arange(2000.0).reshape(40, 50)),
        ('wide floats wrap', np.linspace(0, 1, 12)),
        ('float32 2-d dtype wrap', np.linspace(0, 1, 20, dtype=np.float32).reshape(2, 10)),
        ('negative zero', np.array([-0.0, 1.0])),
        ('int16 2-d', np.array([[1, -300], [2, 4]], dtype=np.int16)),
    ]
    cases = []
    for name, a in arrs:
        cases.append({'name': name, 'dtype': str(a.dtype), 'shape': list(a.shape), 'values': nested(a.ravel()), 'repr': repr(a)})
    return {'numpy': np.__version__, 'cases': cases}


def ranges():
    cases = []
    for args in [(5,), (1, 2, 0.25), (0, 1, 0.1), (10, 0, -3), (-3, 3), (0, 5, 2), (5, 1), (0.5, 4)]:
        r = np.arange(*args)
        cases.append({'fn': 'arange', 'args': list(args), 'dtype': str(r.dtype), 'values': nested(r)})
    for args, kw in [((0, 1, 5), {}), ((0, 1, 5), {'endpoint': False}), ((2, 3, 1), {}), ((2, 3, 0), {}),
                     ((-1, 1, 7), {}), ((0, 10, 4), {'dtype': 'int32'}), ((-5, 5, 4), {'dtype': 'int64'}), ((1, 1, 3), {})]:
        r = np.linspace(*args, **kw)
        cases.append({'fn': 'linspace', 'args': list(args), 'options': kw, 'dtype': str(r.dtype), 'values': nested(r)})
    return {'numpy': np.__version__, 'cases': cases}


def main():
    assert int(np.__version__.split('.')[0]) >= 2, 'NumPy 2 semantics are the reference'
    for name, fn in [('views', views), ('repr', repr_cases), ('ranges', ranges)]:
        path = os.path.join(OUT, name + '.json')
        with open(path, 'w') as f:
            json.dump(fn(), f, indent=1)
            f.write('\n')
        print('wrote', path)


if __name__ == '__main__':
    main()
