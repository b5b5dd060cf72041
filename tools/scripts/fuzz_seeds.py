#!/usr/bin/python3
#===- fuzz_seeds.py - Seed inputs of every libFuzzer target ---------------===#
#
#   fuzz_seeds.py BUILD OUTDIR [NAME ...]
#
# Writes OUTDIR/NAME/ for each fuzzer NAME (all by default; see
# docs/fuzzing.md), filled with real inputs: files under test/, files the
# build's tools write in this run (binaries from npu-translate, systems from
# npu-translate --npu-export-system), ONNX's own test data and Debian's
# Fashion-MNIST. Seeds are written afresh on every run (nothing generated is
# committed); what libFuzzer learns goes to a separate corpus directory.
#
# The checkpoint fuzzer writes its own seeds when it starts (NPU_FUZZ_SEEDS),
# from the Fashion-MNIST binary written here into OUTDIR/loader.
#
#===----------------------------------------------------------------------===#
import glob
import gzip
import os
import shutil
import struct
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ONNX_NODE = "/usr/share/libonnx-testdata/data/node"
FMNIST = "/usr/share/datasets/fashion-mnist"


def src(*parts):
    return os.path.join(ROOT, *parts)


def run(*cmd, stdin=None):
    return subprocess.run(cmd, check=True, input=stdin,
                          stdout=subprocess.PIPE).stdout


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def copy_all(paths, out):
    for path in paths:
        shutil.copy(path, os.path.join(out, os.path.basename(path)))


#===------------------------------------------------------------------------===#
# .npub binaries: the shipped examples, compiled by this build.
#===------------------------------------------------------------------------===#

def npubs(build, out):
    translate = os.path.join(build, "bin", "npu-translate")
    opt = os.path.join(build, "bin", "npu-opt")
    for name, mlir in [("conv1", "test/models/conv1-isa.mlir"),
                       ("cascade", "test/Tools/npu-run/cascade-stream.mlir"),
                       ("roundtrip", "test/Target/Binary/roundtrip.mlir")]:
        run(translate, "--npu-to-binary", src(mlir), "-o",
            os.path.join(out, name + ".npub"))
    isa = run(opt, src("test/models/fmnist-cnn.mlir"),
              "--npu-compile=system=e1-package chip=1")
    write(os.path.join(out, "fmnist.npub"),
          run(translate, "--npu-to-binary", stdin=isa))


#===------------------------------------------------------------------------===#
# ONNX models: the importer's test models and some of ONNX's node tests.
#===------------------------------------------------------------------------===#

ONNX_CASES = [
    "test_conv_with_strides_padding", "test_gemm_all_attributes",
    "test_resize_upsample_sizes_nearest", "test_slice_neg",
    "test_reshape_negative_dim", "test_averagepool_2d_pads",
    "test_softmax_axis_1", "test_convtranspose_pads", "test_clip_splitbounds",
    "test_constantofshape_int_zeros",
]


def onnx_models(build, out):
    for model in ["cnn", "shape_chain", "opset9", "opset13", "dynamic",
                  "unsupported"]:
        run(sys.executable, src("test/Target/ONNX/gen_models.py"), model,
            os.path.join(out, model + ".onnx"))
    for case in ONNX_CASES:
        shutil.copy(os.path.join(ONNX_NODE, case, "model.onnx"),
                    os.path.join(out, case + ".onnx"))


#===------------------------------------------------------------------------===#
# System descriptions: the test files and every preset as exported.
#===------------------------------------------------------------------------===#

def systems(build, out):
    copy_all(glob.glob(src("test/Target/Inputs/*.json")) +
             glob.glob(src("test/Reliability/Inputs/*.json")) +
             glob.glob(src("test/benchmarks/systems/*.json")), out)
    opt = os.path.join(build, "bin", "npu-opt")
    translate = os.path.join(build, "bin", "npu-translate")
    for preset in ["single", "e1-package", "mesh-2x2", "mesh-4x4"]:
        module = run(opt, "--npu-set-system=system=" + preset,
                     stdin=b"module {}")
        write(os.path.join(out, "preset-" + preset + ".json"),
              run(translate, "--npu-export-system", stdin=module))


#===------------------------------------------------------------------------===#
# Calibration data, packed as CalibrationFuzzer.cpp reads it: a 9-byte
# header (numClasses - 1, offset, count with 0 for all, size of the image
# file; little-endian), the image file, the label file.
#===------------------------------------------------------------------------===#

def pack(images, labels, classes=10, offset=0, count=0):
    return struct.pack("<BHHI", classes - 1, offset, count, len(images)) + \
        images + labels


def idx_prefix(path, count):
    """The first `count` entries of a gzip'd IDX file, as an IDX file."""
    data = gzip.decompress(read(path))
    dims = data[3]
    shape = list(struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims]))
    entry = 1
    for d in shape[1:]:
        entry *= d
    shape[0] = count
    start = 4 + 4 * dims
    return data[:4] + struct.pack(">" + "I" * dims, *shape) + \
        data[start:start + count * entry]


def gz(data):
    return gzip.compress(data, mtime=0)


def calibration(build, out):
    images = read(src("test/models/fmnist/check-images.npy"))
    labels = read(src("test/models/fmnist/check-labels.npy"))
    seeds = {
        "check-npy": pack(images, labels),
        "check-npy-gz": pack(gz(images), gz(labels)),
        "check-npy-slice": pack(images, labels, offset=3, count=5),
    }
    t10k = os.path.join(FMNIST, "t10k-images-idx3-ubyte.gz")
    if os.path.exists(t10k):
        images = idx_prefix(t10k, 8)
        labels = idx_prefix(os.path.join(FMNIST, "t10k-labels-idx1-ubyte.gz"),
                            8)
        seeds["t10k-idx"] = pack(images, labels)
        seeds["t10k-idx-gz"] = pack(gz(images), gz(labels))
        # The float32 [N, 1, 28, 28] form the early-exit tests calibrate on.
        with tempfile.TemporaryDirectory() as work:
            x, y = os.path.join(work, "x.npy"), os.path.join(work, "y.npy")
            run(sys.executable, src("tools/scripts/fmnist_data.py"), x, y,
                "--count", "4")
            seeds["t10k-npy-f32"] = pack(read(x), read(y))
    for name, data in seeds.items():
        write(os.path.join(out, name + ".seed"), data)


#===------------------------------------------------------------------------===#
# Tensor files: .npy from the tests and from NumPy in every layout the reader
# knows; .pb from ONNX's test data (one per data type) and from onnx.helper
# (typed fields instead of raw_data).
#===------------------------------------------------------------------------===#

def npy_files(build, out):
    import numpy as np
    copy_all(glob.glob(src("test/models/fmnist/*.npy")) +
             glob.glob(src("test/Reliability/Inputs/*.npy")), out)
    x = np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 7
    arrays = {
        "f16": x.astype(np.float16), "f64": x.astype(np.float64),
        "i8": (x * 7).astype(np.int8), "i16": (x * 7).astype(np.int16),
        "u16": (x * 7).astype(np.uint16), "i32": (x * 7).astype(np.int32),
        "u32": (x * 7).astype(np.uint32), "i64": (x * 7).astype(np.int64),
        "u64": (x * 7).astype(np.uint64), "bool": x > 1,
        "big-endian": x.astype(">f4"), "fortran": np.asfortranarray(x),
        "scalar": np.float32(3.5), "empty": np.zeros((0, 3), np.float32),
        # What np.save writes for ml_dtypes.bfloat16.
        "bf16": (x.view(np.uint32) >> 16).astype(np.uint16).view("V2"),
    }
    for name, array in arrays.items():
        np.save(os.path.join(out, name + ".npy"), array)
    with open(os.path.join(out, "v2.npy"), "wb") as f:
        np.lib.format.write_array(f, x, version=(2, 0))


PB_CASES = [
    ("test_abs", "input_0"), ("test_add_uint8", "input_0"),
    ("test_clip_default_int8_inbounds", "input_0"),
    ("test_bitshift_left_uint16", "input_0"), ("test_max_int16", "input_0"),
    ("test_basic_convinteger", "output_0"), ("test_adagrad", "input_1"),
    ("test_and2d", "input_0"), ("test_cast_DOUBLE_to_FLOAT16", "output_0"),
    ("test_cast_FLOAT_to_BFLOAT16", "output_0"), ("test_bernoulli", "input_0"),
    ("test_bitshift_left_uint32", "input_0"),
    ("test_bitshift_left_uint64", "input_0"),
    ("test_cast_FLOAT_to_STRING", "output_0"),
]


def pb_files(build, out):
    import onnx
    from onnx import TensorProto, helper
    for case, name in PB_CASES:
        shutil.copy(os.path.join(ONNX_NODE, case, "test_data_set_0",
                                 name + ".pb"),
                    os.path.join(out, case + "-" + name + ".pb"))
    typed = {
        "float_data": helper.make_tensor("x", TensorProto.FLOAT, [2, 2],
                                         [0.5, -1.0, 2.0, 3.25]),
        "int32_data": helper.make_tensor("y", TensorProto.INT8, [3],
                                         [-128, 0, 127]),
        "int64_data": helper.make_tensor("z", TensorProto.INT64, [2],
                                         [-(1 << 40), 7]),
        "double_data": helper.make_tensor("d", TensorProto.DOUBLE, [1],
                                          [1e300]),
        "uint64_data": helper.make_tensor("u", TensorProto.UINT32, [2],
                                          [0, 4294967295]),
    }
    for name, tensor in typed.items():
        write(os.path.join(out, name + ".pb"), tensor.SerializeToString())


#===------------------------------------------------------------------------===#
# npu-serve's inputs: the first byte picks the reader (0 installation, 1
# price table, 2 trace, 3 config.json), as runtime/test/fuzz/
# ServeInputsFuzzer.cpp reads them; the model is "m", variant "v".
#===------------------------------------------------------------------------===#

def serve_inputs(build, out):
    inputs = src("test/Tools/npu-serve/Inputs")
    write(os.path.join(out, "installation.json"),
          b"\x00" + read(os.path.join(inputs, "installation.json")))
    write(os.path.join(out, "twin.json"),
          b"\x00" + b'{"hosts": [{"name": "t", "system_file": "twin.json"}]}')
    write(os.path.join(out, "prices.json"),
          b"\x01" + read(src("runtime/serve/prices.json")))
    # The shipped traces, renamed to the fuzzer's one model.
    for name in ("failure.jsonl", "backfill.jsonl", "power.jsonl",
                 "variants.jsonl", "preemption.jsonl"):
        text = read(os.path.join(inputs, name))
        for model in (b'"deep"', b'"fmnist"', b'"convs"'):
            text = text.replace(model, b'"m"')
        text = text.replace(b'"host": "a"', b'"host": "h"')
        text = text.replace(b'"host": "b"', b'"host": "h"')
        text = text.replace(b'"host": "t"', b'"host": "h"')
        write(os.path.join(out, "trace-" + name), b"\x02" + text)
    write(os.path.join(out, "config.json"),
          b"\x03" + b'{"expected_rate_per_s": 50, "variants": '
          b'{"v": {"accuracy": 0.91}}}')


SEEDERS = {
    "loader": npubs,
    "npub-disassembler": npubs,
    "onnx-import": onnx_models,
    "system-json": systems,
    "calibration": calibration,
    "npy": npy_files,
    "pb": pb_files,
    "serve": serve_inputs,
}


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: fuzz_seeds.py BUILD OUTDIR [NAME ...]")
    build, outdir, names = sys.argv[1], sys.argv[2], sys.argv[3:]
    for name in names or SEEDERS:
        if name not in SEEDERS:
            continue  # e.g. checkpoint: seeds itself.
        out = os.path.join(outdir, name)
        shutil.rmtree(out, ignore_errors=True)
        os.makedirs(out)
        SEEDERS[name](build, out)


if __name__ == "__main__":
    main()
