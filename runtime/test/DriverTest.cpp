//===- DriverTest.cpp - The npu-run command line, in-process --------------===//
//
// What lit tests cannot reach cheaply: every failure leaves no file behind
// and gives exactly one line on stderr; output names from the binary cannot
// escape the output directory. End-to-end behaviour (with binaries from
// npu-translate) is in test/Tools/npu-run.
//
//===----------------------------------------------------------------------===//

#include "Driver.h"
#include "TensorIO.h"
#include "TestBinary.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace npu::rt;
using namespace npu::rt::test;
using cost::DType;
using cost::Engine;
using cost::VectorOp;

namespace {

/// A scratch directory, removed (with its files) at the end of the test.
class Scratch {
public:
  Scratch() {
    char name[] = "/tmp/npurt-driver-XXXXXX";
    EXPECT_NE(mkdtemp(name), nullptr);
    dir = name;
  }
  ~Scratch() { removeTree(dir); }

  std::string path(const std::string &name) const { return dir + "/" + name; }

  void write(const std::string &name, const std::vector<uint8_t> &bytes) {
    ASSERT_EQ(io::writeFileAtomically(path(name), bytes), "");
  }

  /// The names in the directory, sorted.
  std::vector<std::string> list(const std::string &sub = "") const {
    std::vector<std::string> names;
    if (DIR *d = opendir((sub.empty() ? dir : path(sub)).c_str())) {
      while (dirent *e = readdir(d))
        if (std::string(e->d_name) != "." && std::string(e->d_name) != "..")
          names.push_back(e->d_name);
      closedir(d);
    }
    std::sort(names.begin(), names.end());
    return names;
  }

  std::string dir;

private:
  static void removeTree(const std::string &path) {
    if (DIR *d = opendir(path.c_str())) {
      while (dirent *e = readdir(d)) {
        std::string name = e->d_name;
        if (name != "." && name != "..")
          removeTree(path + "/" + name);
      }
      closedir(d);
      rmdir(path.c_str());
    } else {
      unlink(path.c_str());
    }
  }
};

/// A model whose output names try to leave the output directory.
std::vector<uint8_t> twoOutputBinary(const std::string &a,
                                     const std::string &b) {
  BinaryBuilder builder(preset("single"), "two");
  builder.input("x", DType::F32, {4})
      .output(a, DType::F32, {4})
      .output(b, DType::F32, {4});
  builder.program("p", 0)
      .loadInput(0, 0, 0, 16)
      .storeOutput(0, 0, 0, 16)
      .storeOutput(1, 0, 0, 16)
      .halt();
  return builder.finish();
}

std::vector<uint8_t> npyFloats(std::vector<int64_t> shape,
                               const std::vector<float> &values) {
  io::Tensor tensor;
  tensor.type = io::ElementType::F32;
  tensor.shape = std::move(shape);
  tensor.data = floatBytes(values);
  return io::encodeNpy(tensor);
}

struct Outcome {
  int status;
  std::string out, err;
};

Outcome runTool(const std::vector<std::string> &args) {
  Outcome outcome;
  outcome.status = driver::run(args, outcome.out, outcome.err);
  return outcome;
}

/// One line, "npu-run: error: ...", containing `part`.
void expectOneError(const Outcome &outcome, const std::string &part) {
  EXPECT_EQ(outcome.status, driver::kExitError);
  EXPECT_EQ(outcome.err.rfind("npu-run: error: ", 0), 0u) << outcome.err;
  EXPECT_EQ(std::count(outcome.err.begin(), outcome.err.end(), '\n'), 1)
      << outcome.err;
  EXPECT_NE(outcome.err.find(part), std::string::npos) << outcome.err;
  EXPECT_EQ(outcome.out, "");
}

TEST(Driver, UsageAndBadCommandLines) {
  Outcome help = runTool({"--help"});
  EXPECT_EQ(help.status, 0);
  EXPECT_EQ(help.out.rfind("USAGE: npu-run MODEL.npub", 0), 0u);

  expectOneError(runTool({}), "no model given");
  expectOneError(runTool({"a.npub", "b.npub"}),
                 "more than one model given ('a.npub' and 'b.npub')");
  expectOneError(runTool({"m.npub", "--report", "json"}),
                 "--report takes its format after '=': --report=json");
  expectOneError(runTool({"m.npub", "--frobnicate"}),
                 "unknown option '--frobnicate'");
  expectOneError(runTool({"m.npub", "--input"}),
                 "option '--input' needs a value");
  expectOneError(runTool({"m.npub", "--input", "x.npy"}),
                 "--input expects NAME=FILE, got 'x.npy'");
  expectOneError(runTool({"m.npub", "--output-format=csv"}),
                 "--output-format must be 'npy' or 'pb', not 'csv'");
  expectOneError(runTool({"m.npub", "--report=xml"}),
                 "--report must be 'table' or 'json', not 'xml'");
  expectOneError(runTool({"m.npub", "--check-budgets=yes"}),
                 "option '--check-budgets' takes no value");
  expectOneError(runTool({"m.npub", "--print-limit", "-3"}),
                 "--print-limit needs a non-negative integer");
  expectOneError(runTool({"/nonexistent.npub"}),
                 "cannot open '/nonexistent.npub'");
}

TEST(Driver, FailuresWriteNothing) {
  Scratch s;
  std::vector<uint8_t> model = twoOutputBinary("a", "b");
  s.write("m.npub", model);
  s.write("x.npy", npyFloats({4}, {1, 2, 3, 4}));
  s.write("x2.npy", npyFloats({2, 2}, {1, 2, 3, 4}));
  std::vector<std::string> before = s.list();

  std::vector<std::string> files = {"--output-dir",  s.path("out"),
                                    "--report-file", s.path("r.txt"),
                                    "--trace",       s.path("t.json")};
  auto with = [&](std::vector<std::string> args) {
    args.insert(args.end(), files.begin(), files.end());
    return args;
  };
  expectOneError(runTool(with({s.path("m.npub")})),
                 "missing input 'x' (f32[4]); pass --input x=FILE");
  expectOneError(
      runTool(with({s.path("m.npub"), "--input", "x=" + s.path("x2.npy")})),
      "input 'x' from '" + s.path("x2.npy") +
          "': expected f32[4], got f32[2, 2]");
  expectOneError(
      runTool(with({s.path("m.npub"), "--input", "x=" + s.path("x.npy"),
                    "--input", "x=" + s.path("x.npy")})),
      "input 'x' is given more than once (several files per input need "
      "--stream N)");
  expectOneError(
      runTool(with({s.path("m.npub"), "--input", "y=" + s.path("x.npy")})),
      "unknown input 'y' (the model's inputs: x f32[4])");
  std::vector<uint8_t> truncated(model.begin(), model.begin() + 100);
  s.write("bad.npub", truncated);
  expectOneError(
      runTool(with({s.path("bad.npub"), "--input", "x=" + s.path("x.npy")})),
      s.path("bad.npub") + ": ");
  // A file where the output directory should be.
  expectOneError(runTool({s.path("m.npub"), "--input", "x=" + s.path("x.npy"),
                          "--output-dir", s.path("x.npy") + "/out"}),
                 "cannot create output directory");

  // A report file that cannot be written: the outputs are not written
  // either, and the output directory made for them is gone.
  expectOneError(runTool({s.path("m.npub"), "--input", "x=" + s.path("x.npy"),
                          "--output-dir", s.path("new/out"), "--report-file",
                          s.path("no/such/dir/r.txt")}),
                 "cannot write '" + s.path("no/such/dir/r.txt") + "'");

  std::vector<std::string> after = s.list();
  after.erase(std::remove(after.begin(), after.end(), "bad.npub"), after.end());
  EXPECT_EQ(after, before);
}

TEST(Driver, OutputNamesStayInTheOutputDirectory) {
  Scratch s;
  s.write("m.npub", twoOutputBinary("../escape", "sub/dir"));
  s.write("x.npy", npyFloats({4}, {1, -2, 3, -4}));
  Outcome outcome =
      runTool({s.path("m.npub"), "--input", "x=" + s.path("x.npy"),
               "--output-dir", s.path("out"), "--output-format", "pb"});
  EXPECT_EQ(outcome.status, 0) << outcome.err;
  EXPECT_EQ(s.list("out"),
            (std::vector<std::string>{".._escape.pb", "sub_dir.pb"}));
  io::ReadResult read = io::readTensorFile(s.path("out/sub_dir.pb"));
  ASSERT_TRUE(read.ok()) << read.error;
  EXPECT_EQ(read.tensor->name, "sub/dir");
  EXPECT_EQ(bytesToFloats(read.tensor->data),
            (std::vector<float>{1, -2, 3, -4}));

  s.write("m2.npub", twoOutputBinary("a/b", "a_b"));
  expectOneError(runTool({s.path("m2.npub"), "--input", "x=" + s.path("x.npy"),
                          "--output-dir", s.path("out2")}),
                 "outputs 'a/b' and 'a_b' would both be written to 'a_b.npy'");
}

TEST(Driver, PrintsOutputsAndReportsMissingBudgets) {
  Scratch s;
  s.write("m.npub", twoOutputBinary("a", "b"));
  s.write("x.npy", npyFloats({4}, {0.5f, -2, 3, 1e10f}));
  Outcome outcome =
      runTool({s.path("m.npub"), "--input", "x=" + s.path("x.npy"),
               "--print-limit=3", "--check-budgets"});
  EXPECT_EQ(outcome.status, driver::kExitBudgetMismatch);
  EXPECT_EQ(outcome.out, "a: f32[4] = [0.5, -2, 3, ... (1 more)]\n"
                         "b: f32[4] = [0.5, -2, 3, ... (1 more)]\n");
  EXPECT_EQ(outcome.err,
            "npu-run: budget mismatch: chip 0 ('npu0'), program 'p', path "
            "'full': the binary has no budget for this path\n");
}

/// A model with two inputs added into one output: y = a + b.
std::vector<uint8_t> addBinary() {
  BinaryBuilder builder(preset("single"), "add");
  builder.input("a", DType::F32, {1, 2})
      .input("b", DType::F32, {1, 2})
      .output("y", DType::F32, {1, 2});
  VectorArgs add;
  add.kind = VectorOp::Add;
  add.a = 0;
  add.hasB = true;
  add.b = 64;
  add.bBcast = {2, 1};
  add.dst = 128;
  add.count = 2;
  builder.program("p", 0)
      .loadInput(0, 0, 0, 8)
      .loadInput(1, 0, 64, 8)
      .dmaIn(0, 0, 8)
      .dmaIn(64, 64, 8)
      .signal(0, Engine::DmaIn)
      .wait(0, Engine::Vector)
      .vector(add)
      .signal(1, Engine::Vector)
      .wait(1, Engine::DmaOut)
      .dmaOut(128, 128, 8)
      .storeOutput(0, 0, 128, 8)
      .halt();
  return builder.finish();
}

TEST(Driver, BatchesOfIndependentRuns) {
  Scratch s;
  s.write("m.npub", addBinary());
  // a: three inputs as [3, 2] (the signature [1, 2] without its leading
  // 1); b: as [3, 1, 2].
  s.write("a.npy", npyFloats({3, 2}, {1, 2, 3, 4, 5, 6}));
  s.write("b.npy", npyFloats({3, 1, 2}, {10, 0, 0, 20, 30, 0}));
  io::Tensor labels;
  labels.type = io::ElementType::I64;
  labels.shape = {3};
  labels.data = rawBytes(std::vector<int64_t>{0, 1, 1});
  s.write("labels.npy", io::encodeNpy(labels));
  Outcome outcome =
      runTool({s.path("m.npub"), "--batch", "a=" + s.path("a.npy"), "--batch",
               "b=" + s.path("b.npy"), "--labels", s.path("labels.npy"),
               "--output-dir", s.path("out"), "--report"});
  ASSERT_EQ(outcome.status, 0) << outcome.err;
  // y = [11, 2], [3, 24], [35, 6]: classes 0, 1, 0 against 0, 1, 1.
  EXPECT_NE(outcome.out.find("batch of 3 independent runs"), std::string::npos)
      << outcome.out;
  EXPECT_NE(outcome.out.find("accuracy: 2 of 3 inputs correct (0.666667)"),
            std::string::npos)
      << outcome.out;
  io::ReadResult y = io::readTensorFile(s.path("out/y.npy"));
  ASSERT_TRUE(y) << y.error;
  EXPECT_EQ(y.tensor->shape, (std::vector<int64_t>{3, 1, 2}));
  EXPECT_EQ(bytesToFloats(y.tensor->data),
            (std::vector<float>{11, 2, 3, 24, 35, 6}));

  // The batch files must agree on the number of inputs; the error names
  // both files and counts, and nothing is written.
  s.write("b2.npy", npyFloats({2, 2}, {0, 0, 0, 0}));
  expectOneError(
      runTool({s.path("m.npub"), "--batch", "a=" + s.path("a.npy"), "--batch",
               "b=" + s.path("b2.npy"), "--output-dir", s.path("none")}),
      "--batch 'b' from '" + s.path("b2.npy") +
          "' holds 2 inputs but --batch 'a' from '" + s.path("a.npy") +
          "' holds 3; every --batch must hold the same number");
  // A --batch of a name that is not an input, and one without inputs.
  expectOneError(runTool({s.path("m.npub"), "--batch", "c=" + s.path("a.npy")}),
                 "unknown input 'c' (the model's inputs: a f32[1, 2], b f32[1, "
                 "2])");
  s.write("empty.npy", npyFloats({0, 2}, {}));
  expectOneError(
      runTool({s.path("m.npub"), "--batch", "a=" + s.path("empty.npy"),
               "--batch", "b=" + s.path("b.npy")}),
      "holds no inputs (its first dimension is 0)");
  // --stream on a model with a stream budget works with --batch too, but
  // this one has none.
  expectOneError(runTool({s.path("m.npub"), "--batch", "a=" + s.path("a.npy"),
                          "--batch", "b=" + s.path("b.npy"), "--stream", "3"}),
                 "the model has no stream budget");
  EXPECT_EQ(s.list("none"), std::vector<std::string>{});

  // --labels needs one answering output.
  s.write("two.npub", twoOutputBinary("p", "q"));
  s.write("x.npy", npyFloats({2, 4}, {0, 0, 0, 0, 0, 0, 0, 0}));
  expectOneError(runTool({s.path("two.npub"), "--batch", "x=" + s.path("x.npy"),
                          "--labels", s.path("labels.npy")}),
                 "--labels needs a model with one output or an early-exit "
                 "table (this one has 2 outputs)");
}

} // namespace
