//===- NPUAttrs.td - NPU system description attributes -----*- tablegen -*-===//
//
// The system description as IR: `#npu.system` holds chips, links and the
// host link. Its verifier converts it to npu::rt::SystemDesc and runs the one
// shared validation (runtime/include/npu/rt/Target.h), so a description is
// checked the same way whether it comes from IR text, a preset or a file.
//
//===----------------------------------------------------------------------===//

#ifndef NPU_DIALECT_NPU_NPUATTRS_TD
#define NPU_DIALECT_NPU_NPUATTRS_TD

include "NPU/NPUDialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

//===----------------------------------------------------------------------===//
// Parameters printed as bracketed lists, so they can sit inside struct(...).
//===----------------------------------------------------------------------===//

class NPU_IntListParameter<string desc>
    : OptionalArrayRefParameter<"int64_t", desc> {
  let parser = [{ ::mlir::npu::detail::parseIntList($_parser) }];
  let printer = [{ ::mlir::npu::detail::printIntList($_printer, $_self) }];
}

class NPU_AttrListParameter<string attr, string desc>
    : OptionalArrayRefParameter<attr, desc> {
  let parser =
      [{ ::mlir::npu::detail::parseAttrList<}] # attr # [{>($_parser) }];
  let printer = [{ ::mlir::npu::detail::printAttrList($_printer, $_self) }];
}

class NPU_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<NPU_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

def NPU_PowerAttr : NPU_Attr<"Power", "power"> {
  let summary = "Power model of one chip";
  let description = [{
    Power per state in milliwatts, and the cost of waking from the low-power
    state (E3, M4).

    ```mlir
    #npu.power<active_mw = 2500, idle_mw = 400, off_mw = 15,
               wake_cycles = 10000, wake_energy_nj = 20000>
    ```
  }];
  let parameters = (ins "int64_t":$active_mw, "int64_t":$idle_mw,
                        "int64_t":$off_mw, "int64_t":$wake_cycles,
                        "int64_t":$wake_energy_nj);
  let assemblyFormat = "`<` struct(params) `>`";
}

def NPU_ChipAttr : NPU_Attr<"Chip", "chip"> {
  let summary = "One chip of the system";
  let description = [{
    A chip's kind and capabilities (D2), MAC array, vector unit, memories,
    clock and power model. `coord` is its position in a mesh (M1).

    ```mlir
    #npu.chip<id = 0, name = "small", kind = "general",
              caps = ["dense", "conv", "activation", "fp32"],
              mac_rows = 256, mac_cols = 256, vector_lanes = 256,
              sram_bytes = 4194304, dram_bytes = 1073741824,
              dram_bytes_per_cycle = 64, clock_mhz = 1000,
              power = #npu.power<...>>
    ```
  }];
  let parameters = (ins "int64_t":$id, StringRefParameter<"chip name">:$name,
                        StringRefParameter<"chip kind">:$kind,
                        "::mlir::ArrayAttr":$caps, "int64_t":$mac_rows,
                        "int64_t":$mac_cols, "int64_t":$vector_lanes,
                        "int64_t":$sram_bytes, "int64_t":$dram_bytes,
                        "int64_t":$dram_bytes_per_cycle, "int64_t":$clock_mhz,
                        NPU_PowerAttr:$power,
                        NPU_IntListParameter<"mesh coordinates">:$coord);
  let assemblyFormat = "`<` struct(params) `>`";
}

def NPU_LinkAttr : NPU_Attr<"Link", "link"> {
  let summary = "A bidirectional chip-to-chip link";
  let description = [{
    ```mlir
    #npu.link<a = 0, b = 1, bandwidth_gbps = 64, latency_ns = 100>
    ```
  }];
  let parameters = (ins "int64_t":$a, "int64_t":$b, "int64_t":$bandwidth_gbps,
                        "int64_t":$latency_ns);
  let assemblyFormat = "`<` struct(params) `>`";
}

def NPU_HostLinkAttr : NPU_Attr<"HostLink", "host"> {
  let summary = "The link between host memory and the chips (M5)";
  let description = [{
    ```mlir
    #npu.host<bandwidth_gbps = 16, latency_ns = 1000>
    ```
  }];
  let parameters = (ins "int64_t":$bandwidth_gbps, "int64_t":$latency_ns);
  let assemblyFormat = "`<` struct(params) `>`";
}

def NPU_SystemAttr : NPU_Attr<"System", "system"> {
  let summary = "A multi-NPU system: chips, interconnect, host link";
  let description = [{
    Attached to a module as `npu.system`; every pass that needs a hardware
    fact reads it through `npu::rt::SystemDesc` (see `getSystemDesc`).
    `topology` is `"switch"` (links listed explicitly) or `"mesh"` (chips at
    `coord` on a `mesh_dims` grid, links only between neighbours).

    ```mlir
    module attributes {npu.system = #npu.system<
        name = "pair", topology = "switch",
        chips = [#npu.chip<...>, #npu.chip<...>],
        links = [#npu.link<a = 0, b = 1, bandwidth_gbps = 64, latency_ns = 100>],
        host = #npu.host<bandwidth_gbps = 16, latency_ns = 1000>>} {}
    ```
  }];
  let parameters = (ins StringRefParameter<"system name">:$name,
                        StringRefParameter<"topology">:$topology,
                        NPU_IntListParameter<"mesh extent">:$mesh_dims,
                        NPU_AttrListParameter<"ChipAttr", "chips">:$chips,
                        NPU_AttrListParameter<"LinkAttr", "links">:$links,
                        NPU_HostLinkAttr:$host);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

def NPU_TensorSigAttr : NPU_Attr<"TensorSig", "tensor"> {
  let summary = "A named model input or output and its type";
  let description = [{
    The entry and exit signature of a compiled module: the module attributes
    `npu.inputs` and `npu.outputs` are arrays of these, in the order of the
    binary's input and output tables. `npuisa.load_input` and
    `npuisa.store_output` name them.

    ```mlir
    #npu.tensor<"image" : tensor<1x1x28x28xf32>>
    ```
  }];
  let parameters = (ins StringRefParameter<"tensor name">:$name,
                        "::mlir::RankedTensorType":$type);
  let assemblyFormat = "`<` $name `:` $type `>`";
}

//===----------------------------------------------------------------------===//
// Enums used by operations.
//===----------------------------------------------------------------------===//

def NPU_ConfidenceMeasure : I32EnumAttr<"ConfidenceMeasure",
    "how an exit gate turns logits into a confidence in [0, 1]", [
      I32EnumAttrCase<"max_prob", 0>,
      I32EnumAttrCase<"margin", 1>,
      I32EnumAttrCase<"entropy", 2>]> {
  let cppNamespace = "::mlir::npu";
}

def NPU_PadMode : I32EnumAttr<"PadMode", "padding mode", [
      I32EnumAttrCase<"constant", 0>,
      I32EnumAttrCase<"reflect", 1>,
      I32EnumAttrCase<"edge", 2>]> {
  let cppNamespace = "::mlir::npu";
  let genSpecializedAttr = 0;
}
def NPU_PadModeAttr : EnumAttr<NPU_Dialect, NPU_PadMode, "pad_mode"> {
  let assemblyFormat = "`<` $value `>`";
}

def NPU_ResizeMode : I32EnumAttr<"ResizeMode", "resize interpolation", [
      I32EnumAttrCase<"nearest", 0>,
      I32EnumAttrCase<"linear", 1>]> {
  let cppNamespace = "::mlir::npu";
  let genSpecializedAttr = 0;
}
def NPU_ResizeModeAttr : EnumAttr<NPU_Dialect, NPU_ResizeMode, "resize_mode"> {
  let assemblyFormat = "`<` $value `>`";
}

def NPU_CoordinateMode : I32EnumAttr<"CoordinateMode",
    "how resize maps output to input coordinates (as ONNX)", [
      I32EnumAttrCase<"half_pixel", 0>,
      I32EnumAttrCase<"asymmetric", 1>,
      I32EnumAttrCase<"align_corners", 2>,
      I32EnumAttrCase<"pytorch_half_pixel", 3>]> {
  let cppNamespace = "::mlir::npu";
  let genSpecializedAttr = 0;
}
def NPU_CoordinateModeAttr : EnumAttr<NPU_Dialect, NPU_CoordinateMode, "coordinate_mode"> {
  let assemblyFormat = "`<` $value `>`";
}

def NPU_NearestMode : I32EnumAttr<"NearestMode",
    "rounding of nearest-neighbour resize (as ONNX)", [
      I32EnumAttrCase<"round_prefer_floor", 0>,
      I32EnumAttrCase<"round_prefer_ceil", 1>,
      I32EnumAttrCase<"floor", 2>,
      I32EnumAttrCase<"ceil", 3>]> {
  let cppNamespace = "::mlir::npu";
  let genSpecializedAttr = 0;
}
def NPU_NearestModeAttr : EnumAttr<NPU_Dialect, NPU_NearestMode, "nearest_mode"> {
  let assemblyFormat = "`<` $value `>`";
}

#endif // NPU_DIALECT_NPU_NPUATTRS_TD
