//===- GemmPeak.cpp - The host's measured single-precision GEMM peak ------===//
//
// Multiplies square f32 matrices with Eigen (the library the simulator's
// kernels use) and prints the best achieved GFLOP/s, the reference for the
// simulator's "MAC/s vs host peak" benchmark.
//
//===----------------------------------------------------------------------===//

#include <Eigen/Core>

#include <algorithm>
#include <chrono>
#include <cstdio>

int main() {
  const int n = 1024;
  Eigen::MatrixXf a = Eigen::MatrixXf::Random(n, n);
  Eigen::MatrixXf b = Eigen::MatrixXf::Random(n, n);
  Eigen::MatrixXf c(n, n);
  double best = 0;
  for (int rep = 0; rep < 5; ++rep) {
    auto start = std::chrono::steady_clock::now();
    c.noalias() = a * b;
    std::chrono::duration<double> s = std::chrono::steady_clock::now() - start;
    best = std::max(best, 2.0 * n * n * n / s.count());
  }
  // Keep the result observable.
  std::printf("host_gemm_gflops %.2f (Eigen, %dx%dx%d f32, %d thread(s), "
              "checksum %.3f)\n",
              best / 1e9, n, n, n, Eigen::nbThreads(), c(0, 0));
  return 0;
}
