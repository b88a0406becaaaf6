"""NumPy side of the report's 'js-libraries' suite (bench/report/others.ts): float32
elementwise add and sin on 1e7 elements with out=. Prints {case: median ns per element}."""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'numpy'))
import numpy as np  # noqa: E402
from timing import median_ns  # noqa: E402

N = 10**7
x = np.linspace(0, 1, N, dtype=np.float32)
y = np.linspace(1, 2, N, dtype=np.float32)
out = np.empty(N, np.float32)
print(json.dumps({
    'add_f32': median_ns(lambda: np.add(x, y, out=out), N),
    'sin_f32': median_ns(lambda: np.sin(x, out=out), N),
}))
