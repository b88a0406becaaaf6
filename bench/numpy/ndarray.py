"""NumPy side of bench/ndarray.bench.ts: prints {case: median ns per element} as JSON."""
import json

import numpy as np
from timing import median_ns

N = 10**7


a = np.arange(N, dtype=np.float64)
m = np.arange(2000 * 2000, dtype=np.float64).reshape(2000, 2000)
out = {
    'copy': median_ns(lambda: a.copy(), N),
    'astype_f32': median_ns(lambda: a.astype(np.float32), N),
    'strided_copy': median_ns(lambda: a[::2].copy(), N // 2),
    'transpose_copy': median_ns(lambda: m.T.copy(), 2000 * 2000),
}
print(json.dumps(out))
