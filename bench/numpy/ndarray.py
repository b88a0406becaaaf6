"""NumPy side of bench/ndarray.bench.ts: prints {case: median ns per element} as JSON
(ns per call for the small-array cases)."""
import json

import numpy as np
from timing import median_ns

N = 10**7


a = np.arange(N, dtype=np.float64)
m = np.arange(2000 * 2000, dtype=np.float64).reshape(2000, 2000)
s = np.linspace(0, 1, 16)
out = {
    'copy': median_ns(lambda: a.copy(), N),
    'astype_f32': median_ns(lambda: a.astype(np.float32), N),
    'strided_copy': median_ns(lambda: a[::2].copy(), N // 2),
    'transpose_copy': median_ns(lambda: m.T.copy(), 2000 * 2000),
    # Per call (issue 16 item 2): a small array from a list, an element, a view.
    'array_small': median_ns(lambda: np.array([1, 2, 3])),
    'item_small': median_ns(lambda: s[3]),
    'slice_small': median_ns(lambda: s[1:5]),
}
print(json.dumps(out))
