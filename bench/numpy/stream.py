"""NumPy side of bench/stream.ts: STREAM-style kernels on 1e7 float64 with out= (triad needs a
temporary for 3 b). Prints {case: median ns per element} as JSON."""
import json

import numpy as np
from timing import median_ns

N = 10**7

a = np.arange(N) / N
b = 1 + np.arange(N) / N
c = np.empty(N)
t = np.empty(N)

res = {
    'copy': median_ns(lambda: np.copyto(c, a), N),
    'scale': median_ns(lambda: np.multiply(a, 3.0, out=c), N),
    'add': median_ns(lambda: np.add(a, b, out=c), N),
    'triad': median_ns(lambda: np.add(a, np.multiply(b, 3.0, out=t), out=c), N),
    'sum': median_ns(lambda: np.add.reduce(a), N),
    # einsum: one thread (np.dot would call a BLAS that may use several)
    'dot': median_ns(lambda: np.einsum('i,i->', a, b), N),
}
print(json.dumps(res))
