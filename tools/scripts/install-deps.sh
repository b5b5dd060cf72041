#!/usr/bin/env bash
#===- install-deps.sh - Install what the build needs, only if missing -----===#
#
# Idempotent: on a prepared machine it checks dpkg and returns in well under a
# second; on a bare Debian 12 machine it runs `apt-get update` once and
# installs the packages listed below (see shared TOOLCHAIN.md for why each).
#
#===----------------------------------------------------------------------===#
set -euo pipefail

packages=(
  # Compiler side: LLVM/MLIR 22. mlir-22-tools is needed because MLIR's CMake
  # config checks that every exported tool binary exists.
  llvm-22-dev llvm-22-tools libmlir-22-dev mlir-22-tools
  # Build: clang + lld link several times faster than g++ + bfd.
  cmake ninja-build clang-22 lld-22 ccache
  # libFuzzer and the sanitizer runtimes for the loader's fuzz target.
  libclang-rt-22-dev
  # Runtime side.
  libflatbuffers-dev flatbuffers-compiler libeigen3-dev
  libgtest-dev googletest
  # ONNX import: ONNX 1.12's C++ library (checker, shape inference) and
  # protobuf; ONNX's own node test data for the conformance harness.
  libonnx-dev libprotobuf-dev protobuf-compiler libonnx-testdata
  # Tests: numpy references of the end-to-end models (test/e2e/models.py).
  python3-numpy
  # The conformance harness reads ONNX TensorProto files and model inputs.
  python3-onnx
  # Calibration data: zlib reads gzip'd IDX calibration data.
  zlib1g-dev
  # Data: real Fashion-MNIST images for the demo and the early-exit work.
  dataset-fashion-mnist
  # Serving (runtime/serve): JSON formats, npu-serve's command line, the
  # Prometheus text exposition.
  nlohmann-json3-dev libcli11-dev prometheus-cpp-dev
  # Serving beyond one machine (runtime/serve/net): gRPC and its protoc
  # plugin; etcd's server and etcdctl (tests start their own members, never
  # the system service); etcd's .proto files with the two they import
  # (gogoproto, google.api annotations), for its C++ stubs.
  libgrpc++-dev protobuf-compiler-grpc etcd-server etcd-client
  golang-etcd-server-dev golang-github-gogo-protobuf-dev
  golang-github-grpc-ecosystem-grpc-gateway-dev
)

# Real-model tests: Node.js >= 18 and npm fetch the models and run the ONNX
# Runtime reference (tools/scripts/setup-ort.sh). Only when there is no node
# at all: NodeSource's nodejs bundles npm, and Debian's npm conflicts with it.
if ! command -v node >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
