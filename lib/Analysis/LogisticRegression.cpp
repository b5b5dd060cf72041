//===- LogisticRegression.cpp - Deterministic linear classifiers ----------===//
//
// Full-batch L-BFGS on the L2-penalised mean cross-entropy of a softmax
// model. The reproducibility argument is simple: no random numbers, and
// every floating-point sum has one fixed order written out in the loops
// below, whatever the compiler vectorises and however many threads share
// the work (each sum stays within one thread). The inner loops run over
// classes (the parameters are stored feature-major), so they vectorise
// without reassociating any sum.
//
//===----------------------------------------------------------------------===//

#include "npu/Analysis/LogisticRegression.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <thread>

using namespace npu::ml;

namespace {

/// L-BFGS keeps this many (step, gradient change) pairs.
constexpr int kHistory = 10;
/// Sufficient-decrease constant of the Armijo condition.
constexpr double kArmijo = 1e-4;
/// Objective values this close are equal to rounding: each cross-entropy is
/// a difference of logits of magnitude ~10 (an absolute error of ~1e-15
/// however small the loss), and the sums of a few thousand terms carry a
/// relative error of ~1e-14. Used as kFlat * max(1, |objective|).
constexpr double kFlat = 1e-13;
/// The line search halves the step at most this many times...
constexpr int kMaxHalvings = 30;
/// ... of which at most this many where the objective is flat to rounding.
constexpr int kMaxFlatHalvings = 4;
/// Training stops after this many steps in a row without progress.
constexpr int kMaxStalls = 3;

llvm::Error makeError(const std::string &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// A double as printf's %g writes it ("0.001", "nan", "-inf"); formatv's
/// default (fixed, 2 digits) would hide small values.
std::string formatNumber(double value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%g", value);
  return text;
}

double dot(const std::vector<double> &a, const std::vector<double> &b) {
  double sum = 0;
  for (size_t i = 0, e = a.size(); i != e; ++i)
    sum += a[i] * b[i];
  return sum;
}

double maxNorm(const std::vector<double> &v) {
  double norm = 0;
  for (double x : v)
    norm = std::max(norm, std::fabs(x));
  return norm;
}

/// The penalised mean cross-entropy and its gradient. The parameters are the
/// weights feature-major ([numFeatures][numClasses]) followed by the
/// numClasses biases.
///
/// Every sum has one order, whatever the number of threads: a logit sums
/// its features in index order, a weight's gradient sums the samples in
/// index order, the loss sums the samples in index order. Threads split the
/// samples for the logits and the features for the gradient, so each sum
/// stays within one thread. The kernels keep the classes padded to a
/// multiple of kLanes (zero weights, never read back) so their inner loops
/// have a fixed length and vectorise across classes, which reorders nothing.
class Objective {
public:
  Objective(const std::vector<double> &features, const int32_t *labels,
            int64_t numSamples, int64_t numFeatures, int64_t numClasses,
            double l2, unsigned requestedThreads)
      : features(features), labels(labels), numSamples(numSamples),
        numFeatures(numFeatures), numClasses(numClasses),
        padded((numClasses + kLanes - 1) / kLanes * kLanes), l2(l2),
        paddedWeights(numFeatures * padded), paddedGrad(numFeatures * padded),
        residuals(numSamples * padded), losses(numSamples) {
    // Threads pay off on large problems only; the result does not depend
    // on their number.
    unsigned hardware = std::max(1u, std::thread::hardware_concurrency());
    int64_t work = numSamples * numFeatures;
    threads = requestedThreads ? std::min(requestedThreads, 64u)
              : work < (int64_t{1} << 22) ? 1
                                          : std::min(hardware, 8u);
  }

  int64_t numParams() const { return (numFeatures + 1) * numClasses; }

  /// Returns the objective at `params` and writes its gradient to `grad`.
  double evaluate(const std::vector<double> &params,
                  std::vector<double> &grad) {
    const int64_t k = numClasses;
    const double *weights = params.data();
    const double *bias = weights + numFeatures * k;
    for (int64_t j = 0; j < numFeatures; ++j)
      std::copy(weights + j * k, weights + (j + 1) * k,
                paddedWeights.begin() + j * padded);

    // Logits, softmax, per-sample loss and residual p - onehot(label).
    parallel(numSamples, [&](int64_t begin, int64_t end) {
      if (padded == 8)
        forwardBlock<8>(bias, begin, end);
      else if (padded == 16)
        forwardBlock<16>(bias, begin, end);
      else
        forwardBlock<0>(bias, begin, end);
    });
    // The weights' gradient: sum over samples of residual x feature.
    std::fill(paddedGrad.begin(), paddedGrad.end(), 0.0);
    parallel(numFeatures, [&](int64_t begin, int64_t end) {
      if (padded == 8)
        backwardBlock<8>(begin, end);
      else if (padded == 16)
        backwardBlock<16>(begin, end);
      else
        backwardBlock<0>(begin, end);
    });

    double loss = 0;
    std::fill(grad.begin(), grad.end(), 0.0);
    double *gradWeights = grad.data();
    double *gradBias = gradWeights + numFeatures * k;
    for (int64_t i = 0; i < numSamples; ++i) {
      loss += losses[i];
      const double *r = residuals.data() + i * padded;
      for (int64_t c = 0; c < k; ++c)
        gradBias[c] += r[c];
    }
    for (int64_t j = 0; j < numFeatures; ++j)
      std::copy(paddedGrad.begin() + j * padded,
                paddedGrad.begin() + j * padded + k, gradWeights + j * k);

    double invSamples = 1.0 / static_cast<double>(numSamples);
    loss *= invSamples;
    double squaredNorm = 0;
    for (int64_t p = 0, e = numFeatures * k; p < e; ++p) {
      squaredNorm += weights[p] * weights[p];
      gradWeights[p] = gradWeights[p] * invSamples + l2 * weights[p];
    }
    for (int64_t c = 0; c < k; ++c)
      gradBias[c] *= invSamples;
    return loss + 0.5 * l2 * squaredNorm;
  }

private:
  /// The class padding of the kernels.
  static constexpr int64_t kLanes = 8;

  /// Runs `body(begin, end)` on `threads` contiguous slices of [0, n).
  template <typename Body>
  void parallel(int64_t n, Body body) {
    int64_t slices = std::min<int64_t>(threads, n);
    if (slices <= 1) {
      body(0, n);
      return;
    }
    std::vector<std::thread> workers;
    for (int64_t t = 1; t < slices; ++t)
      workers.emplace_back(body, n * t / slices, n * (t + 1) / slices);
    body(0, n / slices);
    for (std::thread &worker : workers)
      worker.join();
  }

  /// The forward pass of samples [begin, end). `P` is the padded class
  /// count when known at compile time, 0 otherwise.
  template <int64_t P>
  void forwardBlock(const double *bias, int64_t begin, int64_t end) {
    const int64_t p = P ? P : padded, k = numClasses;
    std::vector<double> logit(p);
    for (int64_t i = begin; i < end; ++i) {
      const double *x = features.data() + i * numFeatures;
      for (int64_t c = 0; c < p; ++c)
        logit[c] = c < k ? bias[c] : 0.0;
      if constexpr (P > 0) {
        // A fixed-size accumulator the compiler keeps in registers.
        double acc[P];
        std::copy(logit.begin(), logit.end(), acc);
        for (int64_t j = 0; j < numFeatures; ++j) {
          double xj = x[j];
          const double *w = paddedWeights.data() + j * P;
          for (int64_t c = 0; c < P; ++c)
            acc[c] += w[c] * xj;
        }
        std::copy(acc, acc + P, logit.begin());
      } else {
        for (int64_t j = 0; j < numFeatures; ++j) {
          double xj = x[j];
          const double *w = paddedWeights.data() + j * p;
          for (int64_t c = 0; c < p; ++c)
            logit[c] += w[c] * xj;
        }
      }
      // Softmax shifted by the largest logit, so no exp overflows.
      double maxLogit = logit[0];
      for (int64_t c = 1; c < k; ++c)
        maxLogit = std::max(maxLogit, logit[c]);
      double *r = residuals.data() + i * p;
      double sumExp = 0;
      for (int64_t c = 0; c < k; ++c) {
        r[c] = std::exp(logit[c] - maxLogit);
        sumExp += r[c];
      }
      int32_t label = labels[i];
      losses[i] = maxLogit + std::log(sumExp) - logit[label];
      double invSum = 1.0 / sumExp;
      for (int64_t c = 0; c < k; ++c)
        r[c] *= invSum;
      for (int64_t c = k; c < p; ++c)
        r[c] = 0.0;
      r[label] -= 1.0;
    }
  }

  /// The gradient rows of features [begin, end), samples in order.
  template <int64_t P>
  void backwardBlock(int64_t begin, int64_t end) {
    const int64_t p = P ? P : padded;
    int64_t i = 0;
    if constexpr (P > 0) {
      // Four samples per pass over the rows, added one after the other, so
      // each row is loaded and stored once per four samples.
      constexpr int64_t kBlock = 4;
      for (; i + kBlock <= numSamples; i += kBlock) {
        const double *x = features.data() + i * numFeatures;
        const double *r = residuals.data() + i * P;
        for (int64_t j = begin; j < end; ++j) {
          double acc[P];
          double *g = paddedGrad.data() + j * P;
          std::copy(g, g + P, acc);
          for (int64_t b = 0; b < kBlock; ++b) {
            double xj = x[b * numFeatures + j];
            for (int64_t c = 0; c < P; ++c)
              acc[c] += r[b * P + c] * xj;
          }
          std::copy(acc, acc + P, g);
        }
      }
    }
    for (; i < numSamples; ++i) {
      const double *x = features.data() + i * numFeatures;
      const double *r = residuals.data() + i * p;
      for (int64_t j = begin; j < end; ++j) {
        double xj = x[j];
        double *g = paddedGrad.data() + j * p;
        for (int64_t c = 0; c < p; ++c)
          g[c] += r[c] * xj;
      }
    }
  }

  const std::vector<double> &features;
  const int32_t *labels;
  int64_t numSamples, numFeatures, numClasses, padded;
  double l2;
  unsigned threads;
  std::vector<double> paddedWeights, paddedGrad, residuals, losses;
};

/// The L-BFGS memory: the last kHistory pairs, oldest first.
struct History {
  std::vector<std::vector<double>> steps, gradChanges;
  std::vector<double> rhos;

  void clear() {
    steps.clear();
    gradChanges.clear();
    rhos.clear();
  }

  void push(std::vector<double> step, std::vector<double> gradChange,
            double stepDotChange) {
    if (static_cast<int>(steps.size()) == kHistory) {
      steps.erase(steps.begin());
      gradChanges.erase(gradChanges.begin());
      rhos.erase(rhos.begin());
    }
    steps.push_back(std::move(step));
    gradChanges.push_back(std::move(gradChange));
    rhos.push_back(1.0 / stepDotChange);
  }

  /// The two-loop recursion: -H * grad for the inverse-Hessian estimate H
  /// the pairs define, starting from a scaled identity.
  std::vector<double> direction(const std::vector<double> &grad) const {
    size_t n = steps.size();
    std::vector<double> q(grad);
    std::vector<double> alpha(n);
    for (size_t m = n; m-- > 0;) {
      alpha[m] = rhos[m] * dot(steps[m], q);
      const std::vector<double> &y = gradChanges[m];
      for (size_t p = 0, e = q.size(); p != e; ++p)
        q[p] -= alpha[m] * y[p];
    }
    if (n != 0) {
      const std::vector<double> &y = gradChanges[n - 1];
      double gamma = 1.0 / (rhos[n - 1] * dot(y, y));
      for (double &v : q)
        v *= gamma;
    }
    for (size_t m = 0; m != n; ++m) {
      double beta = rhos[m] * dot(gradChanges[m], q);
      const std::vector<double> &s = steps[m];
      for (size_t p = 0, e = q.size(); p != e; ++p)
        q[p] += (alpha[m] - beta) * s[p];
    }
    for (double &v : q)
      v = -v;
    return q;
  }
};

llvm::Error validate(llvm::ArrayRef<float> features, int64_t numSamples,
                     int64_t numFeatures, llvm::ArrayRef<int32_t> labels,
                     int64_t numClasses,
                     const LogisticRegressionOptions &options) {
  if (numSamples == 0)
    return makeError("no samples");
  if (numSamples < 0)
    return makeError(
        llvm::formatv("negative number of samples {0}", numSamples));
  if (numFeatures == 0)
    return makeError("no features");
  if (numFeatures < 0)
    return makeError(
        llvm::formatv("negative number of features {0}", numFeatures));
  if (numClasses < 2)
    return makeError(
        llvm::formatv("need at least 2 classes, got {0}", numClasses));
  if (numClasses > std::numeric_limits<int32_t>::max())
    return makeError(llvm::formatv(
        "{0} classes are more than int32 labels can name", numClasses));
  if (static_cast<uint64_t>(numSamples) >
          features.size() / static_cast<uint64_t>(numFeatures) ||
      features.size() != static_cast<uint64_t>(numSamples) *
                             static_cast<uint64_t>(numFeatures))
    return makeError(llvm::formatv(
        "{0} feature values do not make {1} samples of {2} features",
        features.size(), numSamples, numFeatures));
  if (labels.size() != static_cast<uint64_t>(numSamples))
    return makeError(
        llvm::formatv("{0} labels for {1} samples", labels.size(), numSamples));
  if (!(options.l2 >= 0) || std::isinf(options.l2))
    return makeError(
        llvm::formatv("l2 must be finite and non-negative, got {0}",
                      formatNumber(options.l2)));
  if (options.maxIterations < 0)
    return makeError(llvm::formatv(
        "maxIterations must be non-negative, got {0}", options.maxIterations));
  if (!(options.tolerance >= 0))
    return makeError(llvm::formatv("tolerance must be non-negative, got {0}",
                                   formatNumber(options.tolerance)));
  for (int64_t i = 0; i < numSamples; ++i)
    if (labels[i] < 0 || labels[i] >= numClasses)
      return makeError(
          llvm::formatv("label {0} of sample {1} is out of range [0, {2})",
                        labels[i], i, numClasses));
  for (int64_t i = 0; i < numSamples; ++i)
    for (int64_t j = 0; j < numFeatures; ++j) {
      float value = features[i * numFeatures + j];
      if (!std::isfinite(value))
        return makeError(
            llvm::formatv("feature {0} of sample {1} is not finite ({2})", j, i,
                          formatNumber(value)));
    }
  return llvm::Error::success();
}

} // namespace

void LinearClassifier::logits(const float *features, float *out) const {
  for (int64_t c = 0; c < numClasses; ++c) {
    const float *w = weights.data() + c * numFeatures;
    double sum = bias[c];
    for (int64_t j = 0; j < numFeatures; ++j)
      sum += static_cast<double>(w[j]) * static_cast<double>(features[j]);
    out[c] = static_cast<float>(sum);
  }
}

int64_t LinearClassifier::predict(const float *features) const {
  llvm::SmallVector<float, 16> out(numClasses);
  logits(features, out.data());
  int64_t best = 0;
  for (int64_t c = 1; c < numClasses; ++c)
    if (out[c] > out[best])
      best = c;
  return best;
}

llvm::Expected<LinearClassifier> npu::ml::trainLogisticRegression(
    llvm::ArrayRef<float> features, int64_t numSamples, int64_t numFeatures,
    llvm::ArrayRef<int32_t> labels, int64_t numClasses,
    const LogisticRegressionOptions &options, TrainingReport *report) {
  if (llvm::Error error = validate(features, numSamples, numFeatures, labels,
                                   numClasses, options))
    return std::move(error);

  // The training features, standardised when asked: x' = (x - mean) / std.
  std::vector<double> mean(numFeatures, 0.0), stdDev(numFeatures, 1.0);
  if (options.standardize) {
    for (int64_t i = 0; i < numSamples; ++i)
      for (int64_t j = 0; j < numFeatures; ++j)
        mean[j] += features[i * numFeatures + j];
    for (double &m : mean)
      m /= static_cast<double>(numSamples);
    // Two passes: the mean first, so a large offset does not swamp a small
    // spread.
    std::vector<double> variance(numFeatures, 0.0);
    for (int64_t i = 0; i < numSamples; ++i)
      for (int64_t j = 0; j < numFeatures; ++j) {
        double d = features[i * numFeatures + j] - mean[j];
        variance[j] += d * d;
      }
    for (int64_t j = 0; j < numFeatures; ++j) {
      double deviation =
          std::sqrt(variance[j] / static_cast<double>(numSamples));
      stdDev[j] = deviation > 0 ? deviation : 1.0;
    }
  }
  std::vector<double> x(features.size());
  for (int64_t i = 0; i < numSamples; ++i)
    for (int64_t j = 0; j < numFeatures; ++j) {
      int64_t p = i * numFeatures + j;
      x[p] = (features[p] - mean[j]) / stdDev[j];
    }

  Objective objective(x, labels.data(), numSamples, numFeatures, numClasses,
                      options.l2, options.threads);
  int64_t numParams = objective.numParams();
  std::vector<double> params(numParams, 0.0), grad(numParams);
  std::vector<double> trial(numParams), trialGrad(numParams);
  double loss = objective.evaluate(params, grad);
  History history;
  int iterations = 0, stalls = 0;
  bool converged = false;
  // The flat-region rule below may accept a step that raises the objective
  // by rounding noise; measuring against the lowest value seen keeps such
  // steps from drifting upwards.
  double bestLoss = loss;
  while (true) {
    double gradNorm = maxNorm(grad);
    if (gradNorm < options.tolerance) {
      converged = true;
      break;
    }
    // Steps that neither lower the objective measurably nor shrink the
    // gradient mean the tolerance is below what rounding allows.
    if (iterations == options.maxIterations || stalls == kMaxStalls)
      break;

    std::vector<double> direction = history.direction(grad);
    double slope = dot(grad, direction);
    if (!(slope < 0)) {
      // Rounding made the estimate useless: restart from steepest descent.
      history.clear();
      direction = history.direction(grad);
      slope = dot(grad, direction);
    }
    // Without curvature information the step of -grad is a guess; cap it.
    double step = 1.0;
    if (history.steps.empty())
      step = std::min(1.0, 1.0 / std::sqrt(dot(grad, grad)));

    double noise = kFlat * std::max(1.0, std::fabs(bestLoss));
    // Backtracking from `step` until the Armijo condition holds. Close to
    // the minimum the objective is flat to rounding and its values cannot
    // rank steps; there a step that shrinks the gradient is taken instead.
    bool accepted = false;
    double trialLoss = 0, trialGradNorm = 0;
    int flatHalvings = 0;
    for (int halvings = 0; halvings <= kMaxHalvings; ++halvings) {
      for (int64_t p = 0; p < numParams; ++p)
        trial[p] = params[p] + step * direction[p];
      trialLoss = objective.evaluate(trial, trialGrad);
      trialGradNorm = maxNorm(trialGrad);
      bool flat = trialLoss <= bestLoss + noise;
      if (trialLoss <= loss + kArmijo * step * slope ||
          (flat && trialGradNorm < gradNorm)) {
        accepted = true;
        break;
      }
      // Shorter steps along a direction that is flat to rounding rarely
      // help; do not spend the whole search on them.
      if (flat && ++flatHalvings > kMaxFlatHalvings)
        break;
      step *= 0.5;
    }
    if (!accepted) {
      // No decrease along the quasi-Newton direction: retry along the
      // gradient; if that fails too, rounding has the last word.
      if (history.steps.empty())
        break;
      history.clear();
      continue;
    }

    std::vector<double> stepVec(numParams), gradChange(numParams);
    for (int64_t p = 0; p < numParams; ++p) {
      stepVec[p] = trial[p] - params[p];
      gradChange[p] = trialGrad[p] - grad[p];
    }
    double curvature = dot(stepVec, gradChange);
    // Keep the estimate positive definite: drop pairs without curvature.
    if (curvature > 1e-10 * dot(gradChange, gradChange))
      history.push(std::move(stepVec), std::move(gradChange), curvature);
    bool progress = bestLoss - trialLoss > noise || trialGradNorm < gradNorm;
    params.swap(trial);
    grad.swap(trialGrad);
    loss = trialLoss;
    bestLoss = std::min(bestLoss, loss);
    ++iterations;
    stalls = progress ? 0 : stalls + 1;
  }

  // Fold the standardisation: W = W' / std, b = b' - sum_j W[j] mean[j]. The
  // bias is computed from the weights as rounded to float, so their
  // rounding error is multiplied by (x - mean) rather than by x.
  LinearClassifier classifier;
  classifier.numFeatures = numFeatures;
  classifier.numClasses = numClasses;
  classifier.weights.resize(numClasses * numFeatures);
  classifier.bias.resize(numClasses);
  const double *weights = params.data();
  const double *bias = weights + numFeatures * numClasses;
  for (int64_t c = 0; c < numClasses; ++c) {
    double b = bias[c];
    for (int64_t j = 0; j < numFeatures; ++j) {
      float w = static_cast<float>(weights[j * numClasses + c] / stdDev[j]);
      classifier.weights[c * numFeatures + j] = w;
      b -= static_cast<double>(w) * mean[j];
    }
    classifier.bias[c] = static_cast<float>(b);
  }
  for (float v : classifier.weights)
    if (!std::isfinite(v))
      return makeError("a weight does not fit in float; train with "
                       "standardize off or rescale the features");
  for (float v : classifier.bias)
    if (!std::isfinite(v))
      return makeError("a bias does not fit in float; rescale the features");

  if (report) {
    int64_t correct = 0;
    for (int64_t i = 0; i < numSamples; ++i)
      if (classifier.predict(features.data() + i * numFeatures) == labels[i])
        ++correct;
    report->iterations = iterations;
    report->loss = loss;
    report->trainAccuracy =
        static_cast<double>(correct) / static_cast<double>(numSamples);
    report->converged = converged;
  }
  return classifier;
}
