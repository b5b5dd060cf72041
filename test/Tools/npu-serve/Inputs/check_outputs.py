"""Compares npu-serve's output of request 'img' with models.py's numpy
reference of the cnn model on the same image."""
import os
import sys

import numpy as np

root = sys.argv[1]
got = np.load(os.path.join(root, 'out', 'img.output0.npy'))
want = np.load(os.path.join(root, 'cnn', 'expected_output0.npy'))
if got.shape == want.shape and np.allclose(got, want, rtol=1e-4, atol=1e-5):
    print('img: output0 matches the reference')
else:
    print('img: output0 FAIL: max diff %g' % np.max(np.abs(got - want)))
