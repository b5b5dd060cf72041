#!/usr/bin/env python3
#===- gen_models.py - Small ONNX models for the importer's lit tests ------===#
#
# Usage: gen_models.py NAME OUT.onnx. Builds the named model with
# onnx.helper (python3-onnx) at test time, so no binary model is committed.
# Weights come from a fixed seed.
#
#===----------------------------------------------------------------------===#
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

rng = np.random.default_rng(7)


def weight(name, *shape):
    return numpy_helper.from_array(
        rng.standard_normal(shape).astype(np.float32), name)


def ints(name, values):
    return numpy_helper.from_array(np.array(values, dtype=np.int64), name)


def model(nodes, inputs, outputs, inits=(), opset=13, ir=8):
    graph = helper.make_graph(nodes, "g", inputs, outputs, list(inits))
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    m.ir_version = ir
    return m


def t(name, shape, dtype=TensorProto.FLOAT):
    return helper.make_tensor_value_info(name, dtype, shape)


def cnn():
    """Conv/BN/Relu/MaxPool/Flatten/Gemm/Softmax, weights as initializers."""
    nodes = [
        helper.make_node("Conv", ["image", "w1", "b1"], ["c1"], name="conv1",
                         pads=[1, 1, 1, 1]),
        helper.make_node("BatchNormalization", ["c1", "s", "bb", "m", "v"],
                         ["n1"], name="bn1", epsilon=1e-3),
        helper.make_node("Relu", ["n1"], ["r1"], name="relu1"),
        helper.make_node("MaxPool", ["r1"], ["p1"], name="pool1",
                         kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Flatten", ["p1"], ["f"], name="flat"),
        helper.make_node("Gemm", ["f", "wfc", "bfc"], ["logits"], name="fc",
                         transB=1),
        helper.make_node("Softmax", ["logits"], ["probs"], name="softmax"),
    ]
    inits = [weight("w1", 8, 1, 3, 3), weight("b1", 8), weight("s", 8),
             weight("bb", 8), weight("m", 8),
             numpy_helper.from_array(np.full(8, 2.0, np.float32), "v"),
             weight("wfc", 10, 8 * 4 * 4), weight("bfc", 10)]
    return model(nodes, [t("image", [1, 1, 8, 8])], [t("probs", [1, 10])],
                 inits)


def shape_chain():
    """Reshape whose target shape is computed from Shape/Gather/Concat."""
    nodes = [
        helper.make_node("Shape", ["x"], ["s"]),
        helper.make_node("Gather", ["s", "zero"], ["n"], axis=0),
        helper.make_node("Unsqueeze", ["n", "axes0"], ["n1"]),
        helper.make_node("Concat", ["n1", "minus1"], ["target"], axis=0),
        helper.make_node("Cast", ["target"], ["target64"], to=7),
        helper.make_node("Reshape", ["x", "target64"], ["y"], name="flatten"),
        helper.make_node("Relu", ["y"], ["out"], name="relu"),
    ]
    inits = [ints("zero", 0), ints("axes0", [0]), ints("minus1", [-1])]
    return model(nodes, [t("x", [2, 3, 4])], [t("out", [2, 12])], inits)


def unsupported():
    """Two unsupported operators, an unsupported attribute, a good node."""
    nodes = [
        helper.make_node("Relu", ["x"], ["a"], name="ok"),
        helper.make_node("Erf", ["a"], ["b"], name="erf1"),
        helper.make_node("LpNormalization", ["b"], ["c"], name="lpnorm"),
        helper.make_node("Resize", ["x", "", "scales"], ["d"], name="resize",
                         mode="cubic"),
        helper.make_node("Add", ["c", "c"], ["y"], name="after"),
    ]
    scales = numpy_helper.from_array(
        np.array([1, 1, 2, 2], np.float32), "scales")
    return model(nodes, [t("x", [1, 2, 4, 4])],
                 [t("y", [1, 2, 4, 4]), t("d", [1, 2, 8, 8])], [scales])


def int_input():
    nodes = [helper.make_node("Relu", ["x"], ["y"], name="relu")]
    return model(nodes, [t("x", [4], TensorProto.INT32)],
                 [t("y", [4], TensorProto.INT32)], opset=14)


def dynamic():
    nodes = [helper.make_node("Relu", ["x"], ["y"], name="relu")]
    return model(nodes, [t("x", ["batch", 3, 8, 8])],
                 [t("y", ["batch", 3, 8, 8])])


def opset(version):
    """Operators whose inputs/attributes changed across opsets."""
    def build():
        if version < 11:
            clip = helper.make_node("Clip", ["x"], ["c"], min=-0.5, max=0.5)
            pad = helper.make_node("Pad", ["c"], ["p"],
                                   pads=[0, 0, 1, 2, 0, 0, 1, 2], value=1.5)
            inits = []
        else:
            clip = helper.make_node("Clip", ["x", "lo", "hi"], ["c"])
            pad = helper.make_node("Pad", ["c", "pads", "pv"], ["p"])
            inits = [numpy_helper.from_array(np.float32(-0.5), "lo"),
                     numpy_helper.from_array(np.float32(0.5), "hi"),
                     ints("pads", [0, 0, 1, 2, 0, 0, 1, 2]),
                     numpy_helper.from_array(np.array([1.5], np.float32),
                                             "pv")]
        if version < 10:
            sl = helper.make_node("Slice", ["p"], ["s"], starts=[1], ends=[5],
                                  axes=[3])
        else:
            sl = helper.make_node("Slice", ["p", "st", "en", "ax", "sp"],
                                  ["s"])
            inits += [ints("st", [1]), ints("en", [-1]), ints("ax", [3]),
                      ints("sp", [2])]
        if version < 13:
            sq = helper.make_node("Squeeze", ["s"], ["q"], axes=[0])
            red = helper.make_node("ReduceSum", ["q"], ["r"], axes=[1],
                                   keepdims=0)
        else:
            sq = helper.make_node("Squeeze", ["s", "ax0"], ["q"])
            red = helper.make_node("ReduceSum", ["q", "ax1"], ["r"],
                                   keepdims=0)
            inits += [ints("ax0", [0]), ints("ax1", [1])]
        sm = helper.make_node("Softmax", ["q"], ["y"], axis=1)
        nodes = [clip, pad, sl, sq, red, sm]
        width = 3 if version >= 10 else 4
        return model(nodes, [t("x", [1, 2, 3, 4])],
                     [t("y", [2, 5, width]), t("r", [2, width])], inits,
                     opset=version, ir=8 if version >= 13 else 6)
    return build


def sweep(version):
    """The same computation written for opset `version` (7-17), with the
    attribute-vs-input forms of that opset, and its numpy reference."""
    x = np.linspace(-2, 2, 2 * 3 * 4, dtype=np.float32).reshape(2, 3, 4)
    w = rng.standard_normal((4, 5)).astype(np.float32)
    b = rng.standard_normal((5,)).astype(np.float32)
    nodes, inits = [], [numpy_helper.from_array(w, "w"),
                        numpy_helper.from_array(b, "b")]

    def axes_input(name, values):
        inits.append(ints(name, values))
        return name

    nodes.append(helper.make_node("MatMul", ["x", "w"], ["mm"]))
    nodes.append(helper.make_node("Add", ["mm", "b"], ["ad"]))
    if version < 11:
        nodes.append(helper.make_node("Clip", ["ad"], ["cl"], min=-1.5, max=1.0))
    else:
        inits += [numpy_helper.from_array(np.float32(-1.5), "lo"),
                  numpy_helper.from_array(np.float32(1.0), "hi")]
        nodes.append(helper.make_node("Clip", ["ad", "lo", "hi"], ["cl"]))
    nodes.append(helper.make_node("Transpose", ["cl"], ["tr"], perm=[0, 2, 1]))
    if version < 11:
        nodes.append(helper.make_node("Pad", ["tr"], ["pd"],
                                      pads=[0, 1, 0, 0, 0, 2], value=0.25))
    else:
        inits.append(ints("pads", [0, 1, 0, 0, 0, 2]))
        inits.append(numpy_helper.from_array(np.float32(0.25), "pv"))
        nodes.append(helper.make_node("Pad", ["tr", "pads", "pv"], ["pd"]))
    if version < 10:
        nodes.append(helper.make_node("Slice", ["pd"], ["sl"], starts=[1],
                                      ends=[5], axes=[1]))
    else:
        nodes.append(helper.make_node(
            "Slice", ["pd", axes_input("st", [1]), axes_input("en", [5]),
                      axes_input("ax", [1])], ["sl"]))
    if version < 13:
        nodes.append(helper.make_node("Unsqueeze", ["sl"], ["us"], axes=[1]))
        nodes.append(helper.make_node("Squeeze", ["us"], ["sq"], axes=[1]))
        nodes.append(helper.make_node("ReduceSum", ["sq"], ["rs"], axes=[2],
                                      keepdims=1))
    else:
        nodes.append(helper.make_node("Unsqueeze", ["sl", axes_input("a1", [1])],
                                      ["us"]))
        nodes.append(helper.make_node("Squeeze", ["us", axes_input("a2", [1])],
                                      ["sq"]))
        nodes.append(helper.make_node("ReduceSum", ["sq", axes_input("a3", [2])],
                                      ["rs"], keepdims=1))
    nodes.append(helper.make_node("Sub", ["sq", "rs"], ["sb"]))
    nodes.append(helper.make_node("LeakyRelu", ["sb"], ["lr"], alpha=0.1))
    nodes.append(helper.make_node("Softmax", ["lr"], ["sm"], axis=2))
    nodes.append(helper.make_node("ReduceMean", ["lr"], ["rm"], axes=[1],
                                  keepdims=0))
    nodes.append(helper.make_node("HardSigmoid", ["rm"], ["hs"], alpha=0.3,
                                  beta=0.4))
    nodes.append(helper.make_node("Flatten", ["sm"], ["fl"], axis=1))
    nodes.append(helper.make_node("Concat", ["fl", "hs"], ["y"], axis=1))
    m = model(nodes, [t("x", [2, 3, 4])], [t("y", [2, 25])], inits,
              opset=version, ir=3 if version < 9 else 6 if version < 13 else 8)
    # IR 3 models list their initializers as graph inputs.
    if version < 9:
        for init in m.graph.initializer:
            m.graph.input.append(helper.make_tensor_value_info(
                init.name, init.data_type, list(init.dims)))

    # The reference.
    v = np.clip(x @ w + b, -1.5, 1.0).transpose(0, 2, 1)
    v = np.pad(v, [(0, 0), (1, 0), (0, 2)], constant_values=0.25)[:, 1:5, :]
    v = v - v.sum(axis=2, keepdims=True)
    v = np.where(v < 0, 0.1 * v, v)
    e = np.exp(v - v.max(axis=2, keepdims=True))
    sm = e / e.sum(axis=2, keepdims=True)
    hs = np.clip(0.3 * v.mean(axis=1) + 0.4, 0, 1)
    ref = np.concatenate([sm.reshape(2, -1), hs], axis=1).astype(np.float32)
    return m, x, ref


def pad_sum_overflow():
    """Pads whose sum with the dimension overflows int64."""
    big = 1 << 62
    return model([helper.make_node("Pad", ["x", "pads"], ["y"], name="pad")],
                 [t("x", [1, 2, 3, 4])], [t("y", ["a", "b", "c", "d"])],
                 [ints("pads", [0, big, 0, 0, 0, big, 0, 0])])


def pad_huge_output():
    """Every padded dimension fits in int64, their product does not."""
    return model([helper.make_node("Pad", ["x", "pads"], ["p"], name="pad"),
                  helper.make_node("Relu", ["p"], ["y"], name="relu")],
                 [t("x", [1, 2, 3, 4])], [t("y", ["a", "b", "c", "d"])],
                 [ints("pads", [0, 0, 0, 1 << 61, 0, 0, 0, 1 << 61])])


def huge_input():
    """A graph input of more than 2^63 elements."""
    return model([helper.make_node("Relu", ["x"], ["y"], name="relu")],
                 [t("x", [1 << 32, 1 << 32])], [t("y", ["a", "b"])])


def reshape_overflow():
    """A Reshape target whose known dims multiply past int64."""
    return model([helper.make_node("Reshape", ["x", "shape"], ["y"],
                                   name="reshape")],
                 [t("x", [2, 3])], [t("y", ["a", "b", "c"])],
                 [ints("shape", [1 << 40, 1 << 40, -1])])


def conv_same_overflow():
    """auto_pad SAME with a dilated window past int64."""
    return model([helper.make_node("Conv", ["x", "w"], ["y"], name="conv",
                                   auto_pad="SAME_UPPER",
                                   dilations=[1 << 62, 1])],
                 [t("x", [1, 1, 8, 8])], [t("y", ["a", "b", "c", "d"])],
                 [weight("w", 1, 1, 3, 3)])


def convtranspose_overflow():
    """A transposed convolution whose stride makes the output overflow."""
    return model([helper.make_node("ConvTranspose", ["x", "w"], ["y"],
                                   name="deconv", strides=[1 << 62, 1])],
                 [t("x", [1, 1, 8, 8])], [t("y", ["a", "b", "c", "d"])],
                 [weight("w", 1, 1, 3, 3)])


MODELS = {
    "pad_sum_overflow": pad_sum_overflow,
    "pad_huge_output": pad_huge_output,
    "huge_input": huge_input,
    "reshape_overflow": reshape_overflow,
    "conv_same_overflow": conv_same_overflow,
    "convtranspose_overflow": convtranspose_overflow,
    "cnn": cnn,
    "shape_chain": shape_chain,
    "unsupported": unsupported,
    "int_input": int_input,
    "dynamic": dynamic,
    "opset9": opset(9),
    "opset13": opset(13),
}

if __name__ == "__main__":
    name, out = sys.argv[1], sys.argv[2]
    if name.startswith("sweep"):
        # sweepN OUT.onnx INPUT.npy REFERENCE.npy
        m, x, ref = sweep(int(name[len("sweep"):]))
        np.save(sys.argv[3], x)
        np.save(sys.argv[4], ref)
    else:
        m = MODELS[name]()
    onnx.save(m, out)
