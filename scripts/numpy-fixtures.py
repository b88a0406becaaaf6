#!/usr/bin/env python3
"""Write numbats' NumPy reference fixtures (test/fixtures/*.json) from NumPy itself.

Why: numbats promises NumPy's dtype rules and broadcasting exactly. Rather than typing the
expected answers by hand, the tests compare against tables that NumPy computed. This script
is the only place those tables come from; it uses the standard library and numpy only, does
no I/O besides writing the fixture files, and its output is deterministic (same NumPy, same
bytes).

Usage:
    python3 scripts/numpy-fixtures.py              # write every fixture file
    python3 scripts/numpy-fixtures.py casting      # only the named ones (file stem)
    python3 scripts/numpy-fixtures.py --out DIR    # somewhere else than test/fixtures

Reference semantics are NumPy 2 (NEP 50: Python scalars are "weak"). Run it with a
NumPy >= 2 when one is available. Under NumPy 1.24 the script switches the promotion state
to 'weak', which emulates NEP 50 closely but not exactly: result_type of two dtypes and a
Python scalar differs when one dtype is bool (or a Python bool is present) and the scalar
is an int, and when a <=16-bit integer meets float32 and a Python float
(result_type(bool, int8, 1): 1.24-weak int64, NumPy 2 int8; result_type(int8, float32, 2.5):
float64 vs float32). promotion, casting and broadcast fixtures are identical under both.
Each file's header records the NumPy version and promotion state it was made with.

Adding a fixture: write one `make_<name>()` returning a dict of sections, and register it
in FIXTURES. `main` adds the header and writes `<name>.json`.

Encodings shared by the files:
  * a dtype is its NumPy name ("int8");
  * an argument to result_type is {"dtype": name} (a np.dtype), {"array": name} (an array
    of that dtype; NumPy puts dtypes before arrays and scalars when it promotes),
    {"int": "300"} (a Python int, as a decimal string so that big values stay exact),
    {"float": "2.5"} (a Python float, repr(); "nan", "inf", "-inf" included) or
    {"bool": true};
  * an outcome is {"dtype": name} or {"raises": ExceptionType, "message": str}.
    A dtype of "object" means NumPy fell back to object arrays (numbats has none).
"""

import itertools
import json
import os
import platform
import random
import sys
import warnings

import numpy as np

# NumPy 1.2x: opt in to NEP 50 (the NumPy 2 default). NumPy 2 has no switch.
if hasattr(np, "_set_promotion_state"):
    np._set_promotion_state("weak")
    PROMOTION_STATE = "weak (np._set_promotion_state, NumPy 1.x emulation of NEP 50)"
else:
    PROMOTION_STATE = "weak (NEP 50, NumPy 2 default)"

# numbats' dtypes in NumPy type-number order (the order of src/dtype/dtypes.ts).
DTYPES = ["bool", "int8", "uint8", "int16", "uint16", "int32", "uint32",
          "int64", "uint64", "float32", "float64"]
CASTING_MODES = ["no", "equiv", "safe", "same_kind", "unsafe"]

# The weak Python scalars of the brief, then values at every integer dtype's edges (they
# decide whether a weak int overflows), then ints at the edge of float64's range (Python
# raises converting 2**1024 - 2**970 to float: it rounds to infinity).
WEAK_SCALARS = [
    0, 1, -1, 2, 300, -300, 2**40, 2.5, -0.5, float("nan"), float("inf"), float("-inf"),
    True, False,
    127, 128, -128, -129, 255, 256, 32767, 32768, -32768, -32769, 65535, 65536,
    2**31 - 1, 2**31, -2**31, -2**31 - 1, 2**32 - 1, 2**32, 2**53, 2**53 + 1,
    2**63 - 1, 2**63, -2**63, -2**63 - 1, 2**64 - 1, 2**64,
    2**1024 - 2**970 - 1, 2**1024 - 2**970, -2**1024,
]


def encode_scalar(x):
    """A Python scalar as a fixture argument (see the module docstring)."""
    if isinstance(x, bool):
        return {"bool": x}
    if isinstance(x, int):
        return {"int": str(x)}
    return {"float": repr(x)}


def outcome(fn):
    """Run fn and record its dtype, or the exception NumPy raised."""
    try:
        with warnings.catch_warnings():
            # float32 + 1e300-style overflow warns; the dtype is what we record.
            warnings.simplefilter("ignore")
            return {"dtype": str(np.dtype(fn()))}
    except Exception as e:  # noqa: BLE001 - any NumPy failure is data here
        return {"raises": type(e).__name__, "message": str(e).splitlines()[0]}


# Spellings to ask np.dtype about: numbats' canonical names and aliases, and names NumPy
# accepts that numbats deliberately does not (numbats' alias list is in src/dtype/dtypes.ts).
ALIAS_CANDIDATES = DTYPES + [
    "b1", "i1", "u1", "i2", "u2", "i4", "u4", "i8", "u8", "f4", "f8", "bool_", "boolean",
    "int", "float", "double", "single", "byte", "ubyte", "short", "intp", "?", "i", "f", "d",
    "<f8", "=i4", "float16", "f2", "complex64", "c8", "F8", "float128", "object", "",
]


def make_promotion():
    """np.promote_types for every ordered pair of dtypes (121 rows), and the dtype facts
    (kind, item size, short code, type-number order) and alias spellings behind them."""
    aliases = []
    for a in ALIAS_CANDIDATES:
        try:
            aliases.append({"alias": a, "dtype": np.dtype(a).name})
        except TypeError:
            aliases.append({"alias": a, "dtype": None})
    return {
        "pairs": [{"a": a, "b": b, "result": str(np.promote_types(a, b))}
                  for a in DTYPES for b in DTYPES],
        "dtypes": [{"name": d, "kind": np.dtype(d).kind, "itemSize": np.dtype(d).itemsize,
                    "shortCode": np.dtype(d).str[1:], "typeNum": np.dtype(d).num}
                   for d in DTYPES],
        "aliases": aliases,
    }


def make_casting():
    """np.can_cast for every ordered pair of dtypes and every casting mode (605 rows)."""
    return {"cases": [{"from": a, "to": b, "casting": c,
                       "result": bool(np.can_cast(a, b, casting=c))}
                      for a in DTYPES for b in DTYPES for c in CASTING_MODES]}


def make_result_type_weak():
    """np.result_type with weak Python scalars; and whether an operation accepts them."""
    array_scalar = []
    for d in DTYPES:
        arr = np.zeros(2, dtype=d)
        for s in WEAK_SCALARS:
            array_scalar.append({
                "dtype": d,
                "scalar": encode_scalar(s),
                "resultType": outcome(lambda: np.result_type(arr, s)),
                "resultTypeReversed": outcome(lambda: np.result_type(s, arr)),
                # NumPy 2 checks that a weak int fits when the operation runs, not in
                # result_type: np.add is the witness of that check.
                "add": outcome(lambda: np.add(arr, s).dtype),
            })

    # Only scalars: single values (value-based in NumPy: result_type(2**63) is uint64),
    # ordered pairs of representatives, and every triple over int/float/bool.
    reps = [0, -1, 2**63, 2**64, -2**63 - 1, 2.5, float("nan"), True, False]
    combos = [[s] for s in WEAK_SCALARS]
    combos += [list(p) for p in itertools.product(reps, repeat=2)]
    combos += [list(p) for p in itertools.product([1, 2.5, True], repeat=3)]
    scalar_only = [{"args": [encode_scalar(s) for s in c],
                    "resultType": outcome(lambda: np.result_type(*c))} for c in combos]

    # Several operands: two dtypes and one weak scalar in every order, and one dtype with
    # two weak scalars in every position. NumPy 2 promotes the strong dtypes first and then
    # applies the weak scalars, whatever the argument order.
    mixed = []
    for a, b in itertools.product(DTYPES, DTYPES):
        for s in [1, 2.5, True]:
            for order in itertools.permutations([("d", a), ("d", b), ("s", s)]):
                mixed.append(order)
    for d in DTYPES:
        for s, t in itertools.product([1, 2.5, True], repeat=2):
            for pos in range(3):
                order = [("s", s), ("s", t)]
                order.insert(pos, ("d", d))
                mixed.append(tuple(order))
    mixed_rows = [result_type_row(list(order)) for order in mixed]

    # Random sequences of 1-5 operands (fixed seed): NumPy's promotion of several dtypes is
    # not a left fold (result_type(int8, uint16, float32) is float32 although
    # promote_types(promote_types(int8, uint16), float32) is float64), so longer mixes of
    # dtypes, arrays and scalars are sampled too.
    rng = random.Random(20240607)
    pool = ([("d", d) for d in DTYPES] + [("a", d) for d in DTYPES]
            + [("s", s) for s in [0, 1, -1, 300, 2**63, 2.5, float("nan"), True, False]])
    sequences = [result_type_row([rng.choice(pool) for _ in range(rng.randint(1, 5))])
                 for _ in range(1000)]
    # And every ordered triple of dtypes, where those non-associative cases live.
    triples = [result_type_row([("d", a), ("d", b), ("d", c)])
               for a, b, c in itertools.product(DTYPES, repeat=3)]
    return {"arrayScalar": array_scalar, "scalarOnly": scalar_only, "mixed": mixed_rows,
            "dtypeTriples": triples, "sequences": sequences}


def result_type_row(operands):
    """One np.result_type call; operands are ("d", dtype), ("a", dtype) or ("s", scalar)."""
    args, encoded = [], []
    for k, v in operands:
        if k == "d":
            args.append(np.dtype(v))
            encoded.append({"dtype": v})
        elif k == "a":
            args.append(np.zeros(2, dtype=v))
            encoded.append({"array": v})
        else:
            args.append(v)
            encoded.append(encode_scalar(v))
    return {"args": encoded, "resultType": outcome(lambda: np.result_type(*args))}


# Broadcasting cases transcribed from NumPy's own tests,
# numpy/lib/tests/test_stride_tricks.py (NumPy 1.24.2). NumPy computes every result below;
# the lists only say which shapes to ask about.
_SAME_INPUT = [(), (1,), (3,), (0, 1), (0, 3), (1, 0), (3, 0), (1, 3), (3, 1), (3, 3)]
_COMPATIBLE_BY_ONES = [
    [(1,), (3,)], [(1, 3), (3, 3)], [(3, 1), (3, 3)], [(1, 3), (3, 1)], [(1, 1), (3, 3)],
    [(1, 1), (1, 3)], [(1, 1), (3, 1)], [(1, 0), (0, 0)], [(0, 1), (0, 0)],
    [(1, 0), (0, 1)], [(1, 1), (0, 0)], [(1, 1), (1, 0)], [(1, 1), (0, 1)],
]
_COMPATIBLE_BY_PREPENDING = [
    [(), (3,)], [(3,), (3, 3)], [(3,), (3, 1)], [(1,), (3, 3)], [(), (3, 3)],
    [(1, 1), (3,)], [(1,), (3, 1)], [(1,), (1, 3)], [(), (1, 3)], [(), (3, 1)],
    [(), (0,)], [(0,), (0, 0)], [(0,), (0, 1)], [(1,), (0, 0)], [(), (0, 0)],
    [(1, 1), (0,)], [(1,), (0, 1)], [(1,), (1, 0)], [(), (1, 0)], [(), (0, 1)],
]
_INCOMPATIBLE = [[(3,), (4,)], [(2, 3), (2,)], [(3,), (3,), (4,)], [(1, 3, 4), (2, 3, 3)]]
_BROADCAST_SHAPES_SUCCEEDS = [
    [], [()], [(7,)], [(1, 2), (2,)], [(1, 1)], [(1, 1), (3, 4)],
    [(6, 7), (5, 6, 1), (7,), (5, 1, 7)], [(5, 6, 1)], [(1, 3), (3, 1)],
    [(1, 0), (0, 0)], [(0, 1), (0, 0)], [(1, 0), (0, 1)], [(1, 1), (0, 0)],
    [(1, 1), (1, 0)], [(1, 1), (0, 1)], [(), (0,)], [(0,), (0, 0)], [(0,), (0, 1)],
    [(1,), (0, 0)], [(), (0, 0)], [(1, 1), (0,)], [(1,), (0, 1)], [(1,), (1, 0)],
    [(), (1, 0)], [(), (0, 1)], [(1,), (3,)], [2, (3, 2)],
    [(1, 2)] * 32, [(1, 2)] * 100, [(2,)] * 32,
]
_BROADCAST_SHAPES_RAISES = [
    [(3,), (4,)], [(2, 3), (2,)], [(3,), (3,), (4,)], [(1, 3, 4), (2, 3, 3)],
    [(1, 2), (3, 1), (3, 2), (10, 5)], [2, (2, 3)], [(2,)] * 32 + [(3,)] * 32,
]
# test_broadcast_to_succeeds / test_broadcast_to_raises: (array shape, target shape).
_BROADCAST_TO = [
    ((), (0,)), ((), (1,)), ((), (3,)), ((1,), (1,)), ((1,), (2,)), ((1,), (1, 2, 3)),
    ((3,), (3,)), ((3,), (1, 3)), ((3,), (2, 3)), ((0,), 0), ((1,), 1), ((1,), 2),
    ((1,), (0,)), ((1, 2), (0, 2)), ((2, 1), (2, 0)),
    ((0,), ()), ((1,), ()), ((3,), ()), ((3,), (1,)), ((3,), (2,)), ((3,), (4,)),
    ((1, 2), (2, 1)), ((1, 1), (1,)), ((1,), -1), ((1,), (-1,)), ((1, 2), (-1, 2)),
]


def _as_shape(s):
    """NumPy's tests sometimes pass a bare int for a 1-d shape."""
    return [s] if isinstance(s, int) else list(s)


def make_broadcast():
    """np.broadcast_shapes / np.broadcast_to on the cases of NumPy's stride-tricks tests."""
    groups = [("test_same", [[(10,), (10,)]]),  # arange(10) against arange(10)
              ("test_one_off", [[(1, 3), (3, 1)], [(3, 1), (1, 3)]]),
              ("test_same_input_shapes", [[s] * n for s in _SAME_INPUT for n in (1, 2, 3)])]
    for name, data in [("test_two_compatible_by_ones_input_shapes", _COMPATIBLE_BY_ONES),
                       ("test_two_compatible_by_prepending_ones_input_shapes",
                        _COMPATIBLE_BY_PREPENDING),
                       ("test_incompatible_shapes_raise_valueerror", _INCOMPATIBLE)]:
        # NumPy's tests also run each case reversed: broadcasting is symmetric.
        groups.append((name, [c for d in data for c in (d, d[::-1])]))
    groups.append(("test_broadcast_shapes_succeeds", _BROADCAST_SHAPES_SUCCEEDS))
    groups.append(("test_broadcast_shapes_raises", _BROADCAST_SHAPES_RAISES))

    cases = []
    for source, data in groups:
        for shapes in data:
            try:
                result = list(np.broadcast_shapes(*shapes))
            except ValueError:
                result = None
            cases.append({"source": source, "shapes": [_as_shape(s) for s in shapes],
                          "result": result})

    broadcast_to = []
    for shape, target in _BROADCAST_TO:
        try:
            result = list(np.broadcast_to(np.zeros(shape), target).shape)
        except ValueError:
            result = None
        broadcast_to.append({"shape": list(shape), "target": _as_shape(target),
                             "result": result})
    return {"cases": cases, "broadcastTo": broadcast_to}


FIXTURES = {
    "promotion": make_promotion,
    "casting": make_casting,
    "result-type-weak": make_result_type_weak,
    "broadcast": make_broadcast,
}


def header(name):
    return {
        "generator": "scripts/numpy-fixtures.py",
        "fixture": name,
        "numpy": np.__version__,
        "python": platform.python_version(),
        "promotionState": PROMOTION_STATE,
    }


def dump(obj):
    """JSON with one row per line: diffs between NumPy versions stay readable."""
    parts = []
    for key, value in obj.items():
        if isinstance(value, list):
            rows = ",\n".join("    " + json.dumps(r, separators=(", ", ": ")) for r in value)
            parts.append(f'  "{key}": [\n{rows}\n  ]' if value else f'  "{key}": []')
        else:
            parts.append(f'  "{key}": {json.dumps(value)}')
    return "{\n" + ",\n".join(parts) + "\n}\n"


def main(argv):
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures")
    if "--out" in argv:
        i = argv.index("--out")
        out = argv[i + 1]
        argv = argv[:i] + argv[i + 2:]
    names = argv or list(FIXTURES)
    unknown = [n for n in names if n not in FIXTURES]
    if unknown:
        sys.exit(f"unknown fixture(s) {unknown}; known: {list(FIXTURES)}")
    if hasattr(np, "_set_promotion_state"):
        print(f"warning: NumPy {np.__version__} only emulates NEP 50; result-type-weak.json "
              "will differ from NumPy 2 where a bool or small-int dtype meets another dtype "
              "and a Python scalar. Prefer a NumPy >= 2 interpreter.", file=sys.stderr)
    os.makedirs(out, exist_ok=True)
    for name in names:
        path = os.path.join(out, name + ".json")
        with open(path, "w", encoding="utf-8") as f:
            f.write(dump({"header": header(name), **FIXTURES[name]()}))
        print(f"wrote {os.path.normpath(path)}")


if __name__ == "__main__":
    main(sys.argv[1:])
