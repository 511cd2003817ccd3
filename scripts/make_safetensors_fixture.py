#!/usr/bin/env python3
"""Writes the safetensors interop fixtures used by Tests/ModelIOTests (SafeTensorsInteropTests).

Both files are produced by the Python `safetensors` package itself (tested with 0.8.0):
  reference.safetensors  - safetensors.numpy.save_file: F32 (incl. a scalar and an empty tensor),
                           F16 (incl. subnormals), an I64 batchnorm counter, metadata {"format": "pt"}
  bfloat16.safetensors   - numpy has no bfloat16, so the raw uint16 bit patterns are handed to the package's
                           lower-level serialize_file with dtype "bfloat16" (no hand-built header).

Usage (from anywhere):  pip install safetensors numpy && python3 scripts/make_safetensors_fixture.py
The Swift tests hard-code the same values; change both together.
"""
from pathlib import Path

import numpy as np
import safetensors
from safetensors.numpy import save_file

FIXTURES = Path(__file__).resolve().parent.parent / "Tests" / "ModelIOTests" / "Fixtures"


def reference_tensors():
    return {
        "conv.weight": (np.arange(18, dtype=np.float32) * 0.25 - 1).reshape(2, 1, 3, 3),
        "conv.bias": np.array([0.5, -0.125], dtype=np.float32),
        "dense.weight": (np.arange(12, dtype=np.float32) / 8 - 0.75).reshape(3, 4),
        # -0, the smallest float32 subnormal, the largest finite float32.
        "dense.bias": np.array([-0.0, 1e-45, 3.4028234663852886e38], dtype=np.float32),
        "scale": np.array(1.5, dtype=np.float32),
        "empty": np.zeros((0,), dtype=np.float32),
        # 1, -2.5, smallest normal, smallest subnormal, largest subnormal, -0, largest finite.
        "half": np.array([1.0, -2.5, 2.0**-14, 2.0**-24, 1023 * 2.0**-24, -0.0, 65504.0], dtype=np.float16),
        "bn.num_batches_tracked": np.array(7, dtype=np.int64),
    }


def bfloat16_bits():
    # 1, -2, smallest subnormal, largest subnormal, -0, largest finite, 0.10009765625.
    return np.array([0x3F80, 0xC000, 0x0001, 0x007F, 0x8000, 0x7F7F, 0x3DCD], dtype=np.uint16)


def main():
    FIXTURES.mkdir(parents=True, exist_ok=True)
    save_file(reference_tensors(), str(FIXTURES / "reference.safetensors"), metadata={"format": "pt"})

    bits = bfloat16_bits()
    spec = safetensors.TensorSpec(dtype="bfloat16", shape=list(bits.shape), data_ptr=bits.ctypes.data, data_len=bits.nbytes)
    safetensors.serialize_file({"brain": spec}, str(FIXTURES / "bfloat16.safetensors"), {"format": "pt"})
    print("wrote", FIXTURES / "reference.safetensors", "and", FIXTURES / "bfloat16.safetensors",
          "with safetensors", safetensors.__version__)


if __name__ == "__main__":
    main()
