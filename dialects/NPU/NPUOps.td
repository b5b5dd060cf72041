//===- NPUOps.td - NPU graph-level operations --------------*- tablegen -*-===//
//
// Layer operations that real CNN / MLP / attention models need, with value
// semantics on ranked tensors, and the structural operations of partitioned
// programs. Images are NCHW, weights OIHW (IOHW for conv_transpose2d), as in
// ONNX.
//
//===----------------------------------------------------------------------===//

#ifndef NPU_DIALECT_NPU_NPUOPS_TD
#define NPU_DIALECT_NPU_NPUOPS_TD

include "NPU/NPUDialect.td"
include "NPU/NPUAttrs.td"
include "mlir/IR/OpBase.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"

//===----------------------------------------------------------------------===//
// Type constraints.
//===----------------------------------------------------------------------===//

defvar NPU_FloatTypes = [F32, F16, BF16];
def NPU_FloatTensor : RankedTensorOf<NPU_FloatTypes>;
def NPU_FloatTensor1D : TensorRankOf<NPU_FloatTypes, [1]>;
def NPU_FloatTensor4D : TensorRankOf<NPU_FloatTypes, [4]>;
def NPU_QuantTensor : RankedTensorOf<[I8, UI8]>;
defvar NPU_AnyTensor = AnyRankedTensor;

//===----------------------------------------------------------------------===//
// Convolution and matrix products.
//===----------------------------------------------------------------------===//

def NPU_Conv2DOp : NPU_Op<"conv2d",
    [Pure, AllElementTypesMatch<["input", "weight", "output"]>]> {
  let summary = "2-D convolution, including grouped and depthwise";
  let description = [{
    `output[n, m, y, x] = bias[m] + sum over c, ky, kx of
    input[n, g*C/G + c, y*sy - pad_top + ky*dy, x*sx - pad_left + kx*dx] *
    weight[m, c, ky, kx]` with `g = m / (M/G)`. Input is NCHW, weight is
    `M x C/groups x KH x KW`, `pads` is `[top, left, bottom, right]`.
    Depthwise is `groups = C` with `M` a multiple of `C`.

    ```mlir
    %y = npu.conv2d %x, %w, %b {strides = array<i64: 2, 2>,
                                pads = array<i64: 1, 1, 1, 1>}
        : (tensor<1x3x32x32xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>)
        -> tensor<1x16x16x16xf32>
    ```
  }];
  let arguments = (ins NPU_FloatTensor4D:$input, NPU_FloatTensor4D:$weight,
                       Optional<NPU_FloatTensor1D>:$bias,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$pads,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilations,
                       DefaultValuedAttr<I64Attr, "1">:$groups);
  let results = (outs NPU_FloatTensor4D:$output);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def NPU_ConvTranspose2DOp : NPU_Op<"conv_transpose2d",
    [Pure, AllElementTypesMatch<["input", "weight", "output"]>]> {
  let summary = "2-D transposed convolution (ONNX ConvTranspose)";
  let description = [{
    Every input pixel scatters the kernel into the output:
    `output[n, g*M/G + m, y*sy - pad_top + ky*dy, x*sx - pad_left + kx*dx]
    += input[n, g*C/G + c, y, x] * weight[g*C/G + c, m, ky, kx]` over all
    `c < C/G`, `m < M/G`, `ky`, `kx`, then `bias[m]` is added. Input is NCHW;
    the weight keeps ONNX's ConvTranspose layout `C x M/groups x KH x KW`
    (input channels first). `pads` are `[top, left, bottom, right]` and
    crop the full result; `output_padding` adds rows and columns at the
    bottom and right (each less than its stride or its dilation), so
    `OH = sy*(H-1) + output_padding[0] + (KH-1)*dy + 1 - pad_top -
    pad_bottom`, and `OW` likewise. The output shape is not inferred from an
    ONNX `output_shape`: an importer turns that into `pads`.

    ```mlir
    %y = npu.conv_transpose2d %x, %w, %b {strides = array<i64: 2, 2>,
                                          pads = array<i64: 1, 1, 1, 1>,
                                          output_padding = array<i64: 1, 1>}
        : (tensor<1x16x8x8xf32>, tensor<16x8x3x3xf32>, tensor<8xf32>)
        -> tensor<1x8x16x16xf32>
    ```
  }];
  let arguments = (ins NPU_FloatTensor4D:$input, NPU_FloatTensor4D:$weight,
                       Optional<NPU_FloatTensor1D>:$bias,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$pads,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilations,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0}">:$output_padding,
                       DefaultValuedAttr<I64Attr, "1">:$groups);
  let results = (outs NPU_FloatTensor4D:$output);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def NPU_MatMulOp : NPU_Op<"matmul",
    [Pure, AllElementTypesMatch<["lhs", "rhs", "output"]>]> {
  let summary = "Matrix product with numpy semantics";
  let description = [{
    As `numpy.matmul` and ONNX MatMul: the last two dimensions are multiplied,
    leading (batch) dimensions broadcast; a 1-D operand is promoted to a
    matrix and the added dimension removed from the result.

    ```mlir
    %y = npu.matmul %a, %b : (tensor<4x8x16xf32>, tensor<16x32xf32>)
        -> tensor<4x8x32xf32>
    ```
  }];
  let arguments = (ins NPU_FloatTensor:$lhs, NPU_FloatTensor:$rhs);
  let results = (outs NPU_FloatTensor:$output);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def NPU_GemmOp : NPU_Op<"gemm",
    [Pure, AllElementTypesMatch<["a", "b", "output"]>]> {
  let summary = "General matrix multiply: alpha * op(A) * op(B) + beta * C";
  let description = [{
    As ONNX Gemm: `op(X)` is `X` or its transpose; `C` is optional and
    broadcasts to `M x N`.

    ```mlir
    %y = npu.gemm %a, %w, %bias {trans_b = true}
        : (tensor<1x64xf32>, tensor<10x64xf32>, tensor<10xf32>)
        -> tensor<1x10xf32>
    ```
  }];
  let arguments = (ins TensorRankOf<NPU_FloatTypes, [2]>:$a,
                       TensorRankOf<NPU_FloatTypes, [2]>:$b,
                       Optional<NPU_FloatTensor>:$c,
                       DefaultValuedAttr<F32Attr, "1.0f">:$alpha,
                       DefaultValuedAttr<F32Attr, "1.0f">:$beta,
                       DefaultValuedAttr<BoolAttr, "false">:$trans_a,
                       DefaultValuedAttr<BoolAttr, "false">:$trans_b);
  let results = (outs TensorRankOf<NPU_FloatTypes, [2]>:$output);
  let assemblyFormat = [{
    $a `,` $b (`,` $c^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Elementwise binary operations with numpy broadcasting.
//===----------------------------------------------------------------------===//

class NPU_BinaryOp<string mnemonic, string formula>
    : NPU_Op<mnemonic, [Pure, ResultsBroadcastableShape,
                        AllElementTypesMatch<["lhs", "rhs", "output"]>]> {
  let summary = "Elementwise " # formula # " with numpy broadcasting";
  let description = [{
    Computes `}] # formula # [{` elementwise. The operand shapes broadcast
    as in numpy (trailing dimensions aligned, size-1 dimensions stretched);
    the result has the broadcast shape.

    ```mlir
    %y = npu.}] # mnemonic # [{ %a, %b : (tensor<1x16x8x8xf32>, tensor<16x1x1xf32>)
        -> tensor<1x16x8x8xf32>
    ```
  }];
  let arguments = (ins NPU_FloatTensor:$lhs, NPU_FloatTensor:$rhs);
  let results = (outs NPU_FloatTensor:$output);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
}

def NPU_AddOp : NPU_BinaryOp<"add", "lhs + rhs">;
def NPU_SubOp : NPU_BinaryOp<"sub", "lhs - rhs">;
def NPU_MulOp : NPU_BinaryOp<"mul", "lhs * rhs">;
def NPU_DivOp : NPU_BinaryOp<"div", "lhs / rhs">;
def NPU_MaxOp : NPU_BinaryOp<"max", "max(lhs, rhs)">;
def NPU_MinOp : NPU_BinaryOp<"min", "min(lhs, rhs)">;
def NPU_PowOp : NPU_BinaryOp<"pow", "lhs ^ rhs">;
def NPU_PReluOp : NPU_BinaryOp<"prelu", "lhs < 0 ? lhs * rhs : lhs">;

//===----------------------------------------------------------------------===//
// Activations and other elementwise unary operations.
//===----------------------------------------------------------------------===//

class NPU_UnaryOp<string mnemonic, string formula, dag attrs = (ins)>
    : NPU_Op<mnemonic, [Pure, SameOperandsAndResultType]> {
  let summary = "Elementwise " # formula;
  let description = [{
    Computes `}] # formula # [{` for every element.

    ```mlir
    %y = npu.}] # mnemonic # [{ %x : tensor<1x16x8x8xf32>
    ```
  }];
  let arguments = !con((ins NPU_FloatTensor:$input), attrs);
  let results = (outs NPU_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def NPU_ReluOp : NPU_UnaryOp<"relu", "max(x, 0)">;
def NPU_SigmoidOp : NPU_UnaryOp<"sigmoid", "1 / (1 + exp(-x))">;
def NPU_TanhOp : NPU_UnaryOp<"tanh", "tanh(x)">;
def NPU_ExpOp : NPU_UnaryOp<"exp", "exp(x)">;
def NPU_SqrtOp : NPU_UnaryOp<"sqrt", "sqrt(x)">;
def NPU_HardSwishOp : NPU_UnaryOp<"hard_swish", "x * max(0, min(1, x / 6 + 1 / 2))">;
def NPU_LeakyReluOp : NPU_UnaryOp<"leaky_relu", "x < 0 ? alpha * x : x",
    (ins DefaultValuedAttr<F32Attr, "0.01f">:$alpha)>;
def NPU_HardSigmoidOp : NPU_UnaryOp<"hard_sigmoid",
    "max(0, min(1, alpha * x + beta))",
    (ins DefaultValuedAttr<F32Attr, "0.2f">:$alpha,
         DefaultValuedAttr<F32Attr, "0.5f">:$beta)>;
def NPU_GeluOp : NPU_UnaryOp<"gelu",
    "x / 2 * (1 + erf(x / sqrt(2))), or its tanh approximation",
    (ins DefaultValuedAttr<BoolAttr, "false">:$approximate)>;
def NPU_ClipOp : NPU_UnaryOp<"clip", "min(max(x, min), max)",
    (ins F32Attr:$min, F32Attr:$max)> {
  let hasVerifier = 1;
}

def NPU_SoftmaxOp : NPU_Op<"softmax", [Pure, SameOperandsAndResultType]> {
  let summary = "Softmax along one axis";
  let description = [{
    `exp(x - max) / sum(exp(x - max))` along `axis` (negative counts from the
    back).

    ```mlir
    %p = npu.softmax %logits {axis = -1 : i64} : tensor<1x10xf32>
    ```
  }];
  let arguments = (ins NPU_FloatTensor:$input,
                       DefaultValuedAttr<I64Attr, "-1">:$axis);
  let results = (outs NPU_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def NPU_BatchNormOp : NPU_Op<"batch_norm",
    [Pure, AllTypesMatch<["input", "output"]>,
     AllElementTypesMatch<["input", "scale", "bias", "mean", "variance"]>]> {
  let summary = "Batch normalization, inference form";
  let description = [{
    `scale[c] * (x - mean[c]) / sqrt(variance[c] + epsilon) + bias[c]` with
    `c` the channel (dimension 1) of an `N x C x ...` input.

    ```mlir
    %y = npu.batch_norm %x, %s, %b, %m, %v {epsilon = 1.0e-05 : f32}
        : tensor<1x16x8x8xf32>, tensor<16xf32>, tensor<16xf32>,
          tensor<16xf32>, tensor<16xf32>
    ```
  }];
  let arguments = (ins NPU_FloatTensor:$input, NPU_FloatTensor1D:$scale,
                       NPU_FloatTensor1D:$bias, NPU_FloatTensor1D:$mean,
                       NPU_FloatTensor1D:$variance,
                       DefaultValuedAttr<F32Attr, "1.0e-5f">:$epsilon);
  let results = (outs NPU_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $scale `,` $bias `,` $mean `,` $variance attr-dict `:`
    type($input) `,` type($scale) `,` type($bias) `,` type($mean) `,`
    type($variance)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Pooling and reductions.
//===----------------------------------------------------------------------===//

class NPU_Pool2DOp<string mnemonic, string what, dag extra = (ins)>
    : NPU_Op<mnemonic, [Pure, AllElementTypesMatch<["input", "output"]>]> {
  let summary = what # " over 2-D windows";
  let description = [{
    }] # what # [{ over `kernel` windows of an NCHW input, with `strides`,
    `pads` (`[top, left, bottom, right]`), `dilations` and `ceil_mode` as in
    ONNX.

    ```mlir
    %y = npu.}] # mnemonic # [{ %x {kernel = array<i64: 2, 2>,
                              strides = array<i64: 2, 2>}
        : tensor<1x16x8x8xf32> -> tensor<1x16x4x4xf32>
    ```
  }];
  let arguments = !con((ins NPU_FloatTensor4D:$input,
                       DenseI64ArrayAttr:$kernel,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$pads,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilations,
                       DefaultValuedAttr<BoolAttr, "false">:$ceil_mode), extra);
  let results = (outs NPU_FloatTensor4D:$output);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` type($output)
  }];
  let hasVerifier = 1;
}

def NPU_MaxPool2DOp : NPU_Pool2DOp<"max_pool2d", "Maximum">;
def NPU_AvgPool2DOp : NPU_Pool2DOp<"avg_pool2d", "Average",
    (ins DefaultValuedAttr<BoolAttr, "false">:$count_include_pad)>;

class NPU_GlobalPoolOp<string mnemonic, string what>
    : NPU_Op<mnemonic, [Pure, AllElementTypesMatch<["input", "output"]>]> {
  let summary = what # " over all spatial positions";
  let description = [{
    }] # what # [{ over `H x W` of an NCHW input; the result is `N x C x 1 x 1`.

    ```mlir
    %y = npu.}] # mnemonic # [{ %x : tensor<1x16x8x8xf32> -> tensor<1x16x1x1xf32>
    ```
  }];
  let arguments = (ins NPU_FloatTensor4D:$input);
  let results = (outs NPU_FloatTensor4D:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

def NPU_GlobalAvgPoolOp : NPU_GlobalPoolOp<"global_avg_pool", "Average">;
def NPU_GlobalMaxPoolOp : NPU_GlobalPoolOp<"global_max_pool", "Maximum">;

class NPU_ReduceOp<string mnemonic, string what>
    : NPU_Op<mnemonic, [Pure, AllElementTypesMatch<["input", "output"]>]> {
  let summary = what # " over a set of axes";
  let description = [{
    }] # what # [{ over `axes` (negative counts from the back). With
    `keepdims` the reduced dimensions stay with size 1.

    ```mlir
    %y = npu.}] # mnemonic # [{ %x {axes = array<i64: 2, 3>}
        : tensor<1x16x8x8xf32> -> tensor<1x16x1x1xf32>
    ```
  }];
  let arguments = (ins NPU_FloatTensor:$input, DenseI64ArrayAttr:$axes,
                       DefaultValuedAttr<BoolAttr, "true">:$keepdims);
  let results = (outs NPU_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

def NPU_ReduceMeanOp : NPU_ReduceOp<"reduce_mean", "Mean">;
def NPU_ReduceSumOp : NPU_ReduceOp<"reduce_sum", "Sum">;
def NPU_ReduceMaxOp : NPU_ReduceOp<"reduce_max", "Maximum">;

//===----------------------------------------------------------------------===//
// Layout operations.
//===----------------------------------------------------------------------===//

def NPU_ReshapeOp : NPU_Op<"reshape",
    [Pure, AllElementTypesMatch<["input", "output"]>]> {
  let summary = "Reinterpret a tensor with another static shape";
  let description = [{
    The element count must not change; the row-major element order is kept.

    ```mlir
    %y = npu.reshape %x : tensor<1x16x2x2xf32> -> tensor<1x64xf32>
    ```
  }];
  let arguments = (ins NPU_AnyTensor:$input);
  let results = (outs NPU_AnyTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def NPU_TransposeOp : NPU_Op<"transpose",
    [Pure, AllElementTypesMatch<["input", "output"]>]> {
  let summary = "Permute the dimensions of a tensor";
  let description = [{
    Result dimension `i` is input dimension `perm[i]`.

    ```mlir
    %y = npu.transpose %x {perm = array<i64: 0, 2, 3, 1>}
        : tensor<1x16x8x4xf32> -> tensor<1x8x4x16xf32>
    ```
  }];
  let arguments = (ins NPU_AnyTensor:$input, DenseI64ArrayAttr:$perm);
  let results = (outs NPU_AnyTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def NPU_ConcatOp : NPU_Op<"concat", [Pure]> {
  let summary = "Join tensors along one axis";
  let description = [{
    All inputs have the same rank, element type and sizes except along
    `axis`, where the result's size is their sum.

    ```mlir
    %y = npu.concat %a, %b {axis = 1 : i64}
        : (tensor<1x8x4x4xf32>, tensor<1x16x4x4xf32>) -> tensor<1x24x4x4xf32>
    ```
  }];
  let arguments = (ins Variadic<NPU_AnyTensor>:$inputs, I64Attr:$axis);
  let results = (outs NPU_AnyTensor:$output);
  let assemblyFormat = [{
    $inputs attr-dict `:` functional-type($inputs, results)
  }];
  let hasVerifier = 1;
}

def NPU_SliceOp : NPU_Op<"slice",
    [Pure, AllElementTypesMatch<["input", "output"]>]> {
  let summary = "Extract a strided box of a tensor";
  let description = [{
    For every dimension `d`, result index `i` reads input index
    `offsets[d] + i * strides[d]`; the result's shape is the box's size.

    ```mlir
    %y = npu.slice %x {offsets = array<i64: 0, 2>, strides = array<i64: 1, 2>}
        : tensor<4x10xf32> -> tensor<4x4xf32>
    ```
  }];
  let arguments = (ins NPU_AnyTensor:$input, DenseI64ArrayAttr:$offsets,
                       DenseI64ArrayAttr:$strides);
  let results = (outs NPU_AnyTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

def NPU_PadOp : NPU_Op<"pad",
    [Pure, AllElementTypesMatch<["input", "output"]>]> {
  let summary = "Pad a tensor with a constant, its reflection or its edge";
  let description = [{
    `pads` holds the amount added before every dimension, then after every
    dimension (ONNX order). `value` is used by `constant` mode.

    ```mlir
    %y = npu.pad %x {pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>}
        : tensor<1x3x8x8xf32> -> tensor<1x3x10x10xf32>
    ```
  }];
  let arguments = (ins NPU_AnyTensor:$input, DenseI64ArrayAttr:$pads,
                       DefaultValuedAttr<NPU_PadModeAttr,
                                         "::mlir::npu::PadMode::constant">:$mode,
                       DefaultValuedAttr<F32Attr, "0.0f">:$value);
  let results = (outs NPU_AnyTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

def NPU_ResizeOp : NPU_Op<"resize",
    [Pure, AllElementTypesMatch<["input", "output"]>]> {
  let summary = "Resize the spatial dimensions of an NCHW tensor";
  let description = [{
    Nearest or (bi)linear interpolation of `H x W` to the result's size, with
    ONNX's coordinate transformation and rounding modes. Batch and channel
    sizes do not change.

    ```mlir
    %y = npu.resize %x {mode = #npu.resize_mode<linear>}
        : tensor<1x16x8x8xf32> -> tensor<1x16x16x16xf32>
    ```
  }];
  let arguments = (ins NPU_FloatTensor4D:$input,
                       DefaultValuedAttr<NPU_ResizeModeAttr,
                           "::mlir::npu::ResizeMode::nearest">:$mode,
                       DefaultValuedAttr<NPU_CoordinateModeAttr,
                           "::mlir::npu::CoordinateMode::half_pixel">:$coordinate_mode,
                       DefaultValuedAttr<NPU_NearestModeAttr,
                           "::mlir::npu::NearestMode::round_prefer_floor">:$nearest_mode);
  let results = (outs NPU_FloatTensor4D:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Quantization.
//===----------------------------------------------------------------------===//

def NPU_QuantizeOp : NPU_Op<"quantize", [Pure]> {
  let summary = "Affine quantization of floats to 8-bit integers";
  let description = [{
    `saturate(round_half_even(x / scale) + zero_point)` into `i8` or `ui8`.

    ```mlir
    %q = npu.quantize %x {scale = 0.05 : f32, zero_point = 3 : i64}
        : tensor<1x16xf32> -> tensor<1x16xi8>
    ```
  }];
  let arguments = (ins NPU_FloatTensor:$input, F32Attr:$scale,
                       DefaultValuedAttr<I64Attr, "0">:$zero_point);
  let results = (outs NPU_QuantTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

def NPU_DequantizeOp : NPU_Op<"dequantize", [Pure]> {
  let summary = "Affine dequantization of 8-bit integers to floats";
  let description = [{
    `(q - zero_point) * scale`.

    ```mlir
    %x = npu.dequantize %q {scale = 0.05 : f32, zero_point = 3 : i64}
        : tensor<1x16xi8> -> tensor<1x16xf32>
    ```
  }];
  let arguments = (ins NPU_QuantTensor:$input, F32Attr:$scale,
                       DefaultValuedAttr<I64Attr, "0">:$zero_point);
  let results = (outs NPU_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Structure: per-chip programs, host IO, chip-to-chip transfers, exit gates.
//===----------------------------------------------------------------------===//

def NPU_ProgramOp : NPU_Op<"program",
    [Symbol, IsolatedFromAbove, SingleBlock, NoTerminator,
     HasParent<"::mlir::ModuleOp">]> {
  let summary = "The program of one chip";
  let description = [{
    The graph that chip `chip` of the module's `npu.system` runs. Values
    enter from the host through `npu.input` and from other chips through
    `npu.recv`, and leave through `npu.output` and `npu.send`. Each chip has
    at most one program.

    ```mlir
    npu.program @stage0 chip(0) {
      %x = npu.input "x" : tensor<1x64xf32>
      %y = npu.relu %x : tensor<1x64xf32>
      npu.send %y to chip(1) channel(0) : tensor<1x64xf32>
    }
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name,
                       ConfinedAttr<I64Attr, [IntNonNegative]>:$chip);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    $sym_name `chip` `(` $chip `)` attr-dict-with-keyword $body
  }];
  let hasVerifier = 1;
}

def NPU_InputOp : NPU_Op<"input", [HasParent<"ProgramOp">]> {
  let summary = "A tensor the host sends to this chip";
  let description = [{
    Brings the model input `name` from host memory into the chip (M5).

    ```mlir
    %x = npu.input "image" : tensor<1x1x28x28xf32>
    ```
  }];
  let arguments = (ins StrAttr:$name);
  let results = (outs NPU_AnyTensor:$output);
  let assemblyFormat = "$name attr-dict `:` type($output)";
  let hasVerifier = 1;
}

def NPU_OutputOp : NPU_Op<"output", [HasParent<"ProgramOp">]> {
  let summary = "A tensor this chip returns to the host";
  let description = [{
    Makes `value` the model output `name`. Output names are unique across
    the module.

    ```mlir
    npu.output "logits", %y : tensor<1x10xf32>
    ```
  }];
  let arguments = (ins StrAttr:$name, NPU_AnyTensor:$value);
  let assemblyFormat = "$name `,` $value attr-dict `:` type($value)";
  let hasVerifier = 1;
}

def NPU_SendOp : NPU_Op<"send", [HasParent<"ProgramOp">]> {
  let summary = "Send a tensor to another chip over the interconnect";
  let description = [{
    Pairs with exactly one `npu.recv` in the program of chip `chip`, from
    this chip, on the same `channel`, of the same type.

    ```mlir
    npu.send %act to chip(1) channel(0) : tensor<1x64x7x7xf32>
    ```
  }];
  let arguments = (ins NPU_AnyTensor:$value,
                       ConfinedAttr<I64Attr, [IntNonNegative]>:$chip,
                       ConfinedAttr<I64Attr, [IntNonNegative]>:$channel);
  let assemblyFormat = [{
    $value `to` `chip` `(` $chip `)` `channel` `(` $channel `)` attr-dict `:`
    type($value)
  }];
  let hasVerifier = 1;
}

def NPU_RecvOp : NPU_Op<"recv", [HasParent<"ProgramOp">]> {
  let summary = "Receive a tensor from another chip";
  let description = [{
    Pairs with exactly one `npu.send` (or escalating `npu.exit_gate`) in the
    program of chip `chip` on the same `channel`.

    ```mlir
    %act = npu.recv from chip(0) channel(0) : tensor<1x64x7x7xf32>
    ```
  }];
  let arguments = (ins ConfinedAttr<I64Attr, [IntNonNegative]>:$chip,
                       ConfinedAttr<I64Attr, [IntNonNegative]>:$channel);
  let results = (outs NPU_AnyTensor:$output);
  let assemblyFormat = [{
    `from` `chip` `(` $chip `)` `channel` `(` $channel `)` attr-dict `:`
    type($output)
  }];
  let hasVerifier = 1;
}

def NPU_ExitGateOp : NPU_Op<"exit_gate",
    [HasParent<"ProgramOp">, AttrSizedOperandSegments]> {
  let summary = "Early exit: answer here when confident, else go on";
  let description = [{
    Computes the confidence of `logits` (`max_prob`: the largest softmax
    probability; `margin`: the gap between the two largest; `entropy`: one
    minus the normalised entropy). If it reaches `threshold`, the answer
    becomes the model output `output` and this chip's program ends (E2):
    `answer` when given (e.g. the softmax of `logits`, so that an exit
    answers in the same form as the rest of the model), else `logits`.
    Otherwise, with `escalate`, `features` are sent to chip `chip` on
    `channel` (its program resumes from them) and this program ends; without
    `escalate`, this program continues (E5).

    ```mlir
    npu.exit_gate %logits, %features answer(%probs : tensor<1x10xf32>)
        measure(max_prob) threshold(0.9) output("class")
        escalate chip(1) channel(0) : tensor<1x10xf32>, tensor<1x32x7x7xf32>
    ```
  }];
  let arguments = (ins TensorRankOf<NPU_FloatTypes, [1, 2]>:$logits,
                       Optional<NPU_AnyTensor>:$features,
                       Optional<NPU_AnyTensor>:$answer,
                       NPU_ConfidenceMeasure:$measure, F32Attr:$threshold,
                       StrAttr:$output,
                       OptionalAttr<ConfinedAttr<I64Attr, [IntNonNegative]>>:$chip,
                       OptionalAttr<ConfinedAttr<I64Attr, [IntNonNegative]>>:$channel);
  let assemblyFormat = [{
    $logits (`,` $features^)? (`answer` `(` $answer^ `:` type($answer) `)`)?
    `measure` `(` $measure `)`
    `threshold` `(` $threshold `)` `output` `(` $output `)`
    (`escalate` `chip` `(` $chip^ `)` `channel` `(` $channel `)`)?
    attr-dict `:` type($logits) (`,` type($features)^)?
  }];
  let extraClassDeclaration = [{
    /// What an exit answers: `answer` when given, else `logits`.
    ::mlir::Value getAnswerOrLogits() {
      return getAnswer() ? getAnswer() : getLogits();
    }
  }];
  let hasVerifier = 1;
}

#endif // NPU_DIALECT_NPU_NPUOPS_TD
