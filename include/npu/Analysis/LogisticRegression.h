//===- LogisticRegression.h - Deterministic linear classifiers --*- C++ -*-===//
//
// Multinomial logistic regression with an L2 penalty, trained by full-batch
// L-BFGS. The early-exit pass trains one such classifier per candidate exit
// on the activations of a calibration set, and the classifier's weights end
// up in the compiled binary: the compiler must be reproducible, so the
// training is deterministic to the bit. There is no randomness, every sum is
// accumulated in double in a fixed order within one thread (large problems
// share the work among the host's cores, each sum whole on one of them), and
// the same inputs give the same weights on every run and every host (with
// the same binary).
//
//===----------------------------------------------------------------------===//

#ifndef NPU_ANALYSIS_LOGISTICREGRESSION_H
#define NPU_ANALYSIS_LOGISTICREGRESSION_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <vector>

namespace npu::ml {

/// How to train. The defaults suit a few thousand samples of a few hundred
/// features.
struct LogisticRegressionOptions {
  /// Lambda of the objective
  ///   mean cross-entropy + l2/2 * ||W||^2
  /// (the biases are not penalised). With `standardize`, W is the weight
  /// matrix in the standardised feature space, so the penalty treats every
  /// feature alike whatever its unit. Must be non-negative.
  double l2 = 1e-3;
  /// The most L-BFGS iterations (each one line search). Must be non-negative.
  int maxIterations = 300;
  /// Training has converged when the largest absolute component of the
  /// objective's gradient falls below this. Must be non-negative. Training
  /// also stops, unconverged, when rounding leaves no step that lowers the
  /// objective or shrinks the gradient.
  double tolerance = 1e-7;
  /// Train on features standardised by the training set's mean and standard
  /// deviation (a constant feature keeps a deviation of 1), then fold the
  /// standardisation into the returned weights and biases. Features of very
  /// different scales or large offsets otherwise make the problem
  /// ill-conditioned and L-BFGS slow to converge.
  bool standardize = true;
  /// Threads sharing each evaluation of the objective (at most 64); 0: the
  /// host's cores (at most 8) on problems of at least 2^22
  /// sample-features, else one. The result is the same bits whatever the
  /// number.
  unsigned threads = 0;
};

/// A trained linear classifier in the original feature space: the logit of
/// class k is b[k] + sum_j W[k][j] x[j].
struct LinearClassifier {
  int64_t numFeatures = 0;
  int64_t numClasses = 0;
  /// W, [numClasses][numFeatures], row-major.
  std::vector<float> weights;
  /// b, [numClasses].
  std::vector<float> bias;

  /// Writes the numClasses logits of `features` (numFeatures values) to
  /// `out`. Each is accumulated in double in feature order, so the result
  /// does not depend on the compiler's vectorisation.
  void logits(const float *features, float *out) const;
  /// The class of the largest logit; the lowest such index on ties.
  int64_t predict(const float *features) const;
};

/// How training went.
struct TrainingReport {
  /// L-BFGS iterations run.
  int iterations = 0;
  /// The final value of the objective (in the standardised space when
  /// standardising, where it is minimised).
  double loss = 0;
  /// The fraction of the training samples the returned classifier predicts
  /// right.
  double trainAccuracy = 0;
  /// True when the gradient's max-norm fell below the tolerance.
  bool converged = false;
};

/// Trains a classifier on `numSamples` samples of `numFeatures` features
/// (`features`, row-major) whose classes are `labels` (each in
/// [0, numClasses)). Fails, naming the culprit, on empty or mismatched
/// inputs, an out-of-range label, a non-finite feature or a bad option.
/// Training that does not converge is not an error: `report` says so.
llvm::Expected<LinearClassifier> trainLogisticRegression(
    llvm::ArrayRef<float> features, int64_t numSamples, int64_t numFeatures,
    llvm::ArrayRef<int32_t> labels, int64_t numClasses,
    const LogisticRegressionOptions &options, TrainingReport *report = nullptr);

} // namespace npu::ml

#endif // NPU_ANALYSIS_LOGISTICREGRESSION_H
