//===- NPUDialect.td - NPU graph-level dialect -------------*- tablegen -*-===//
//
// The `npu` dialect: a model as a dataflow graph of layer operations on
// tensors (G1), and the structural operations that split it into one program
// per chip of a multi-NPU system (P7) with explicit transfers and early-exit
// gates (E2, E5).
//
//===----------------------------------------------------------------------===//

#ifndef NPU_DIALECT_NPU_NPUDIALECT_TD
#define NPU_DIALECT_NPU_NPUDIALECT_TD

include "mlir/IR/OpBase.td"

def NPU_Dialect : Dialect {
  let name = "npu";
  let cppNamespace = "::mlir::npu";
  let summary = "Graph-level operations for multi-NPU systems";
  let description = [{
    Layer operations with value semantics on ranked tensors (NCHW layout for
    images, as ONNX), plus `npu.program`, `npu.send`/`npu.recv` and
    `npu.exit_gate` for partitioned, early-exit programs. The target system is
    described by an `#npu.system` attribute attached to the module under the
    name `npu.system`.
  }];
  let useDefaultAttributePrinterParser = 1;
  let hasOperationAttrVerify = 1;
  let extraClassDeclaration = [{
    /// The name of the module attribute holding the `#npu.system`.
    static constexpr ::llvm::StringLiteral getSystemAttrName() {
      return ::llvm::StringLiteral("npu.system");
    }
    /// Module attributes listing the model's inputs and outputs
    /// (arrays of #npu.tensor, in binary order).
    static constexpr ::llvm::StringLiteral getInputsAttrName() {
      return ::llvm::StringLiteral("npu.inputs");
    }
    static constexpr ::llvm::StringLiteral getOutputsAttrName() {
      return ::llvm::StringLiteral("npu.outputs");
    }
    /// An op's chip when the user places it by hand (npu-partition).
    static constexpr ::llvm::StringLiteral getPlaceAttrName() {
      return ::llvm::StringLiteral("npu.place");
    }
    /// Module attribute: the partition's strategy, latency, interval and
    /// their lower bounds (npu-partition).
    static constexpr ::llvm::StringLiteral getPartitionAttrName() {
      return ::llvm::StringLiteral("npu.partition");
    }
    /// Module attribute: the calibrated early-exit table of a cascade
    /// (gates, return threshold, idle window; docs/binary-format.md).
    static constexpr ::llvm::StringLiteral getEarlyExitAttrName() {
      return ::llvm::StringLiteral("npu.early_exit");
    }

  private:
    void registerAttributes();
  public:
  }];
}

/// Base class of every `npu` operation.
class NPU_Op<string mnemonic, list<Trait> traits = []>
    : Op<NPU_Dialect, mnemonic, traits>;

#endif // NPU_DIALECT_NPU_NPUDIALECT_TD
