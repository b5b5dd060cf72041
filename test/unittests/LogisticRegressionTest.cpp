//===- LogisticRegressionTest.cpp - npu/Analysis/LogisticRegression.h -----===//
//
// The trainer against what can be known without it: separable blobs are
// separated; a symmetric two-point problem has a closed-form solution; the
// gradient, recomputed here from the returned float weights, vanishes at the
// solution (in the original and in the standardised space); training twice
// gives the same bits; the folded standardisation predicts as a classifier
// trained on manually standardised features does, even for a feature with a
// mean of 1000 and a deviation of 0.001. Then every rejected input.
//
// The random data comes from std::mt19937 (its output is specified by the
// standard) through a Box-Muller transform written here, because
// std::normal_distribution differs between standard libraries.
//
//===----------------------------------------------------------------------===//

#include "npu/Analysis/LogisticRegression.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <vector>

using npu::ml::LinearClassifier;
using npu::ml::LogisticRegressionOptions;
using npu::ml::TrainingReport;
using npu::ml::trainLogisticRegression;

namespace {

/// Standard normal samples from a fixed-seed mt19937, the same on every
/// standard library.
class Normal {
public:
  explicit Normal(uint32_t seed) : engine(seed) {}

  double operator()() {
    if (hasSpare) {
      hasSpare = false;
      return spare;
    }
    // Uniforms in (0, 1]: log never sees 0.
    double u1 = (static_cast<double>(engine()) + 1.0) / 4294967296.0;
    double u2 = (static_cast<double>(engine()) + 1.0) / 4294967296.0;
    double radius = std::sqrt(-2.0 * std::log(u1));
    double angle = 2.0 * M_PI * u2;
    spare = radius * std::sin(angle);
    hasSpare = true;
    return radius * std::cos(angle);
  }

  std::mt19937 &uniform() { return engine; }

private:
  std::mt19937 engine;
  double spare = 0;
  bool hasSpare = false;
};

struct Dataset {
  int64_t numSamples = 0, numFeatures = 0, numClasses = 0;
  std::vector<float> features;
  std::vector<int32_t> labels;
};

/// `perClass` samples around each of `centers` (one row of numFeatures
/// coordinates per class), with deviation `sigma`.
Dataset makeBlobs(const std::vector<std::vector<double>> &centers,
                  int64_t perClass, double sigma, uint32_t seed) {
  Normal normal(seed);
  Dataset data;
  data.numClasses = centers.size();
  data.numFeatures = centers[0].size();
  for (int64_t i = 0; i < perClass; ++i)
    for (int64_t c = 0; c < data.numClasses; ++c) {
      for (double center : centers[c])
        data.features.push_back(static_cast<float>(center + sigma * normal()));
      data.labels.push_back(c);
      ++data.numSamples;
    }
  return data;
}

llvm::Expected<LinearClassifier> train(const Dataset &data,
                                       const LogisticRegressionOptions &options,
                                       TrainingReport *report = nullptr) {
  return trainLogisticRegression(data.features, data.numSamples,
                                 data.numFeatures, data.labels, data.numClasses,
                                 options, report);
}

/// The gradient of mean cross-entropy + l2/2 ||W||^2 at `classifier`, for
/// features transformed by (x - mean) / deviation and the weights W' =
/// W * deviation that classify the transformed features as `classifier`
/// does the original ones. Computed apart from the trainer: class-major, in
/// the original order of the samples, without any of its shortcuts.
std::vector<double> gradientAt(const LinearClassifier &classifier,
                               const Dataset &data, double l2,
                               const std::vector<double> &mean,
                               const std::vector<double> &deviation) {
  int64_t n = data.numSamples, d = data.numFeatures, k = data.numClasses;
  std::vector<double> weights(k * d), bias(k);
  for (int64_t c = 0; c < k; ++c) {
    bias[c] = classifier.bias[c];
    for (int64_t j = 0; j < d; ++j) {
      weights[c * d + j] = classifier.weights[c * d + j] * deviation[j];
      bias[c] += classifier.weights[c * d + j] * mean[j];
    }
  }
  std::vector<double> grad(k * d + k, 0.0);
  for (int64_t i = 0; i < n; ++i) {
    std::vector<double> z(d), logit(k);
    for (int64_t j = 0; j < d; ++j)
      z[j] = (data.features[i * d + j] - mean[j]) / deviation[j];
    double largest = -INFINITY;
    for (int64_t c = 0; c < k; ++c) {
      logit[c] = bias[c];
      for (int64_t j = 0; j < d; ++j)
        logit[c] += weights[c * d + j] * z[j];
      largest = std::max(largest, logit[c]);
    }
    double total = 0;
    for (int64_t c = 0; c < k; ++c)
      total += std::exp(logit[c] - largest);
    for (int64_t c = 0; c < k; ++c) {
      double residual = std::exp(logit[c] - largest) / total -
                        (data.labels[i] == c ? 1.0 : 0.0);
      for (int64_t j = 0; j < d; ++j)
        grad[c * d + j] += residual * z[j] / n;
      grad[k * d + c] += residual / n;
    }
  }
  for (int64_t p = 0; p < k * d; ++p)
    grad[p] += l2 * weights[p];
  return grad;
}

double maxAbs(const std::vector<double> &v) {
  double largest = 0;
  for (double x : v)
    largest = std::max(largest, std::fabs(x));
  return largest;
}

/// The training set's per-feature mean and deviation, as the trainer
/// standardises (a zero deviation becomes 1).
void moments(const Dataset &data, std::vector<double> &mean,
             std::vector<double> &deviation) {
  int64_t n = data.numSamples, d = data.numFeatures;
  mean.assign(d, 0.0);
  deviation.assign(d, 0.0);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < d; ++j)
      mean[j] += data.features[i * d + j] / static_cast<double>(n);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < d; ++j) {
      double delta = data.features[i * d + j] - mean[j];
      deviation[j] += delta * delta / static_cast<double>(n);
    }
  for (double &s : deviation)
    s = s > 0 ? std::sqrt(s) : 1.0;
}

std::string errorOf(llvm::Expected<LinearClassifier> result) {
  if (result)
    return "success";
  return llvm::toString(result.takeError());
}

TEST(LogisticRegressionTest, SeparatesGaussianBlobs) {
  Dataset data = makeBlobs({{0.0, 0.0}, {4.0, 0.0}, {0.0, 4.0}},
                           /*perClass=*/100, /*sigma=*/0.7, /*seed=*/42);
  TrainingReport report;
  auto classifier = train(data, LogisticRegressionOptions(), &report);
  ASSERT_TRUE(static_cast<bool>(classifier))
      << llvm::toString(classifier.takeError());
  EXPECT_TRUE(report.converged);
  EXPECT_GT(report.iterations, 0);
  EXPECT_GE(report.trainAccuracy, 0.95);

  // The report's accuracy is the returned classifier's.
  int64_t correct = 0;
  for (int64_t i = 0; i < data.numSamples; ++i)
    correct += classifier->predict(&data.features[i * 2]) == data.labels[i];
  EXPECT_DOUBLE_EQ(report.trainAccuracy,
                   static_cast<double>(correct) / data.numSamples);
  // And it generalises: fresh samples of the same blobs.
  Dataset test = makeBlobs({{0.0, 0.0}, {4.0, 0.0}, {0.0, 4.0}}, 100, 0.7, 7);
  int64_t testCorrect = 0;
  for (int64_t i = 0; i < test.numSamples; ++i)
    testCorrect += classifier->predict(&test.features[i * 2]) == test.labels[i];
  EXPECT_GE(testCorrect, 0.95 * test.numSamples);
}

// x = -1 is class 0, x = +1 class 1. By symmetry W = (-w, w), b0 = b1, and
// the objective is log(1 + e^{-2w}) + l2 w^2, minimal where
// l2 w (1 + e^{2w}) = 1.
TEST(LogisticRegressionTest, MatchesClosedFormOfSymmetricPair) {
  const double l2 = 0.1;
  double lo = 0, hi = 1 / l2;
  for (int i = 0; i < 200; ++i) {
    double mid = 0.5 * (lo + hi);
    (l2 * mid * (1 + std::exp(2 * mid)) < 1 ? lo : hi) = mid;
  }
  double w = 0.5 * (lo + hi);

  Dataset data;
  data.numSamples = 2;
  data.numFeatures = 1;
  data.numClasses = 2;
  data.features = {-1.0f, 1.0f};
  data.labels = {0, 1};
  LogisticRegressionOptions options;
  options.l2 = l2;
  options.standardize = false;
  TrainingReport report;
  auto classifier = train(data, options, &report);
  ASSERT_TRUE(static_cast<bool>(classifier))
      << llvm::toString(classifier.takeError());
  EXPECT_TRUE(report.converged);
  EXPECT_NEAR(classifier->weights[1], w, 1e-6);
  EXPECT_NEAR(classifier->weights[0], -w, 1e-6);
  EXPECT_NEAR(classifier->bias[0] - classifier->bias[1], 0.0, 1e-6);
  EXPECT_NEAR(report.loss, std::log1p(std::exp(-2 * w)) + l2 * w * w, 1e-9);
}

// A feature that is always 0 carries nothing: W = 0 and the biases give the
// class frequencies, b1 - b0 = log(3 / 1).
TEST(LogisticRegressionTest, MatchesClosedFormWithoutSignal) {
  Dataset data;
  data.numSamples = 4;
  data.numFeatures = 1;
  data.numClasses = 2;
  data.features = {0.0f, 0.0f, 0.0f, 0.0f};
  data.labels = {1, 0, 1, 1};
  TrainingReport report;
  auto classifier = train(data, LogisticRegressionOptions(), &report);
  ASSERT_TRUE(static_cast<bool>(classifier))
      << llvm::toString(classifier.takeError());
  EXPECT_TRUE(report.converged);
  EXPECT_EQ(classifier->weights[0], 0.0f);
  EXPECT_EQ(classifier->weights[1], 0.0f);
  EXPECT_NEAR(classifier->bias[1] - classifier->bias[0], std::log(3.0), 1e-6);
  EXPECT_DOUBLE_EQ(report.trainAccuracy, 0.75);
}

TEST(LogisticRegressionTest, GradientVanishesAtSolution) {
  Dataset data;
  data.numFeatures = 1;
  data.numClasses = 2;
  data.features = {0.3f, -1.2f, 2.0f, 0.7f, -0.4f, 1.5f, 0.1f, -2.2f};
  data.labels = {1, 0, 1, 0, 0, 1, 1, 0};
  data.numSamples = data.labels.size();
  LogisticRegressionOptions options;
  options.l2 = 0.05;

  // Without standardisation the objective is the one of the original space.
  options.standardize = false;
  TrainingReport report;
  auto plain = train(data, options, &report);
  ASSERT_TRUE(static_cast<bool>(plain)) << llvm::toString(plain.takeError());
  EXPECT_TRUE(report.converged);
  std::vector<double> grad = gradientAt(*plain, data, options.l2, {0.0}, {1.0});
  EXPECT_LT(maxAbs(grad), 1e-5);
  // The data is not separable, so the solution is not the trivial one.
  EXPECT_GT(std::fabs(plain->weights[1]), 0.1f);

  // With it, the penalty is on the standardised weights: the gradient
  // vanishes there, not in the original space.
  options.standardize = true;
  auto standardised = train(data, options, &report);
  ASSERT_TRUE(static_cast<bool>(standardised))
      << llvm::toString(standardised.takeError());
  EXPECT_TRUE(report.converged);
  std::vector<double> mean, deviation;
  moments(data, mean, deviation);
  EXPECT_LT(
      maxAbs(gradientAt(*standardised, data, options.l2, mean, deviation)),
      1e-5);
  EXPECT_GT(maxAbs(gradientAt(*standardised, data, options.l2, {0.0}, {1.0})),
            1e-3);
}

TEST(LogisticRegressionTest, IsDeterministic) {
  Normal normal(1234);
  Dataset data;
  data.numSamples = 400;
  data.numFeatures = 12;
  data.numClasses = 4;
  for (int64_t i = 0; i < data.numSamples; ++i) {
    int32_t label = i % data.numClasses;
    for (int64_t j = 0; j < data.numFeatures; ++j)
      data.features.push_back(
          static_cast<float>(normal() + (j % data.numClasses == label)));
    data.labels.push_back(label);
  }
  TrainingReport first, second;
  auto a = train(data, LogisticRegressionOptions(), &first);
  auto b = train(data, LogisticRegressionOptions(), &second);
  ASSERT_TRUE(a && b);
  ASSERT_EQ(a->weights.size(), b->weights.size());
  ASSERT_EQ(a->bias.size(), b->bias.size());
  EXPECT_EQ(std::memcmp(a->weights.data(), b->weights.data(),
                        a->weights.size() * sizeof(float)),
            0);
  EXPECT_EQ(std::memcmp(a->bias.data(), b->bias.data(),
                        a->bias.size() * sizeof(float)),
            0);
  EXPECT_EQ(first.iterations, second.iterations);
  EXPECT_EQ(std::memcmp(&first.loss, &second.loss, sizeof(double)), 0);
}

// Threads split the samples (logits) and the features (gradient), never a
// sum: any number gives the bits of one. Both kernel widths (5 classes pad
// to 8 lanes, 10 to 16) and the generic one (20 classes pad to 24), with a
// sample count that is not a multiple of the gradient's block of 4.
TEST(LogisticRegressionTest, ThreadsDoNotChangeTheBits) {
  for (int64_t classes : {5, 10, 20}) {
    Normal normal(77 + classes);
    Dataset data;
    data.numSamples = 301;
    data.numFeatures = 23;
    data.numClasses = classes;
    for (int64_t i = 0; i < data.numSamples; ++i) {
      int32_t label = i % classes;
      for (int64_t j = 0; j < data.numFeatures; ++j)
        data.features.push_back(
            static_cast<float>(normal() + 0.5 * (j % classes == label)));
      data.labels.push_back(label);
    }
    LogisticRegressionOptions options;
    options.maxIterations = 40;
    options.threads = 1;
    TrainingReport oneReport;
    auto one = train(data, options, &oneReport);
    ASSERT_TRUE(!!one) << llvm::toString(one.takeError());
    for (unsigned threads : {2u, 3u, 7u}) {
      options.threads = threads;
      TrainingReport report;
      auto many = train(data, options, &report);
      ASSERT_TRUE(!!many) << llvm::toString(many.takeError());
      EXPECT_EQ(std::memcmp(one->weights.data(), many->weights.data(),
                            one->weights.size() * sizeof(float)),
                0)
          << classes << " classes, " << threads << " threads";
      EXPECT_EQ(std::memcmp(one->bias.data(), many->bias.data(),
                            one->bias.size() * sizeof(float)),
                0)
          << classes << " classes, " << threads << " threads";
      EXPECT_EQ(oneReport.iterations, report.iterations);
      EXPECT_EQ(std::memcmp(&oneReport.loss, &report.loss, sizeof(double)), 0);
    }
  }
}

// Feature 0 has mean 1000 and deviation 0.001 (a few dozen float ulps),
// feature 1 mean -3 and deviation 50; both carry the class. The folded
// classifier must agree with one trained on features standardised here.
TEST(LogisticRegressionTest, FoldedStandardisationMatchesManual) {
  Normal normal(99);
  Dataset raw;
  raw.numFeatures = 2;
  raw.numClasses = 3;
  for (int64_t i = 0; i < 600; ++i) {
    double u = normal(), v = normal();
    raw.features.push_back(static_cast<float>(1000.0 + 0.001 * u));
    raw.features.push_back(static_cast<float>(-3.0 + 50.0 * v));
    double score = u + 0.5 * v + 0.5 * normal();
    raw.labels.push_back(score < -0.5 ? 0 : score < 0.5 ? 1 : 2);
    ++raw.numSamples;
  }
  std::vector<double> mean, deviation;
  moments(raw, mean, deviation);
  Dataset manual = raw;
  for (int64_t i = 0; i < raw.numSamples; ++i)
    for (int64_t j = 0; j < raw.numFeatures; ++j)
      manual.features[i * 2 + j] = static_cast<float>(
          (raw.features[i * 2 + j] - mean[j]) / deviation[j]);

  LogisticRegressionOptions options;
  TrainingReport folded, plain;
  auto a = train(raw, options, &folded);
  options.standardize = false;
  auto b = train(manual, options, &plain);
  ASSERT_TRUE(a && b);
  EXPECT_TRUE(folded.converged);
  EXPECT_TRUE(plain.converged);
  EXPECT_GE(folded.trainAccuracy, 0.7);
  EXPECT_NEAR(folded.loss, plain.loss, 1e-6);

  // Logits (shifted to mean zero: softmax ignores a common offset) agree to
  // the rounding of the float biases, which are about -1e6 times the
  // standardised weight of feature 0: half an ulp each, so at most one ulp
  // after the shift. A wrong fold is off by orders of magnitude more.
  double ulp = 0;
  for (float b : a->bias)
    ulp = std::max<double>(ulp, std::nextafter(std::fabs(b), INFINITY) -
                                    std::fabs(b));
  EXPECT_GT(ulp, 0.01); // The case is as hard as intended.
  EXPECT_LT(ulp, 1.0);
  double tolerance = ulp + 1e-3;
  int64_t compared = 0;
  for (int64_t i = 0; i < raw.numSamples; ++i) {
    float la[3], lb[3];
    a->logits(&raw.features[i * 2], la);
    b->logits(&manual.features[i * 2], lb);
    double ca = (la[0] + la[1] + la[2]) / 3.0;
    double cb = (lb[0] + lb[1] + lb[2]) / 3.0;
    for (int c = 0; c < 3; ++c)
      EXPECT_NEAR(la[c] - ca, lb[c] - cb, tolerance) << "sample " << i;
    // Predictions agree wherever the margin exceeds that error.
    float sorted[3] = {lb[0], lb[1], lb[2]};
    std::sort(sorted, sorted + 3);
    if (sorted[2] - sorted[1] > 2 * tolerance) {
      EXPECT_EQ(a->predict(&raw.features[i * 2]),
                b->predict(&manual.features[i * 2]))
          << "sample " << i;
      ++compared;
    }
  }
  EXPECT_GT(compared, raw.numSamples / 2);
}

TEST(LogisticRegressionTest, LogitsAccumulateInDouble) {
  LinearClassifier classifier;
  classifier.numFeatures = 3;
  classifier.numClasses = 3;
  classifier.weights = {1, 1, 1, 0, 0, 0, 0, 0, 0};
  classifier.bias = {0, 1, 1};
  // In float, 2^24 + 1 rounds back to 2^24 and the sum would be 0.
  float x[3] = {16777216.0f, 1.0f, -16777216.0f};
  float out[3];
  classifier.logits(x, out);
  EXPECT_EQ(out[0], 1.0f);
  EXPECT_EQ(out[1], 1.0f);
  // A three-way tie at 1: the lowest index wins.
  EXPECT_EQ(classifier.predict(x), 0);
  classifier.bias = {0, 2, 2};
  EXPECT_EQ(classifier.predict(x), 1);
}

TEST(LogisticRegressionTest, StopsAtMaxIterations) {
  Dataset data = makeBlobs({{0.0, 0.0}, {1.0, 0.0}, {0.0, 1.0}}, 50, 1.0, 3);
  LogisticRegressionOptions options;
  options.maxIterations = 2;
  TrainingReport report;
  auto classifier = train(data, options, &report);
  ASSERT_TRUE(static_cast<bool>(classifier));
  EXPECT_EQ(report.iterations, 2);
  EXPECT_FALSE(report.converged);

  options.maxIterations = 0;
  classifier = train(data, options, &report);
  ASSERT_TRUE(static_cast<bool>(classifier));
  EXPECT_EQ(report.iterations, 0);
  EXPECT_FALSE(report.converged);
  for (float w : classifier->weights)
    EXPECT_EQ(w, 0.0f);
  EXPECT_NEAR(report.loss, std::log(3.0), 1e-12);
}

TEST(LogisticRegressionTest, RejectsBadInputs) {
  std::vector<float> features = {0, 1, 2, 3, 4, 5};
  std::vector<int32_t> labels = {0, 1, 1};
  LogisticRegressionOptions options;
  auto run = [&](int64_t n, int64_t d, int64_t k) {
    return errorOf(trainLogisticRegression(features, n, d, labels, k, options));
  };
  EXPECT_EQ(run(3, 2, 2), "success");
  EXPECT_EQ(run(0, 2, 2), "no samples");
  EXPECT_EQ(run(-1, 2, 2), "negative number of samples -1");
  EXPECT_EQ(run(3, 0, 2), "no features");
  EXPECT_EQ(run(3, 2, 1), "need at least 2 classes, got 1");
  EXPECT_EQ(run(2, 2, 2), "6 feature values do not make 2 samples of 2 "
                          "features");
  EXPECT_EQ(run(3, 3, 2), "6 feature values do not make 3 samples of 3 "
                          "features");

  labels = {0, 1};
  EXPECT_EQ(run(3, 2, 2), "2 labels for 3 samples");
  labels = {0, 1, 2};
  EXPECT_EQ(run(3, 2, 2), "label 2 of sample 2 is out of range [0, 2)");
  labels = {0, -1, 1};
  EXPECT_EQ(run(3, 2, 2), "label -1 of sample 1 is out of range [0, 2)");
  labels = {0, 1, 1};

  features[3] = NAN;
  EXPECT_EQ(run(3, 2, 2), "feature 1 of sample 1 is not finite (nan)");
  features[3] = 3;
  features[4] = -INFINITY;
  EXPECT_EQ(run(3, 2, 2), "feature 0 of sample 2 is not finite (-inf)");
  features[4] = 4;

  options.l2 = -0.5;
  EXPECT_EQ(run(3, 2, 2), "l2 must be finite and non-negative, got -0.5");
  options.l2 = NAN;
  EXPECT_EQ(run(3, 2, 2), "l2 must be finite and non-negative, got nan");
  options.l2 = 0;
  EXPECT_EQ(run(3, 2, 2), "success");
  options.maxIterations = -1;
  EXPECT_EQ(run(3, 2, 2), "maxIterations must be non-negative, got -1");
  options.maxIterations = 300;
  options.tolerance = -1e-9;
  EXPECT_EQ(run(3, 2, 2), "tolerance must be non-negative, got -1e-09");
}

} // namespace
