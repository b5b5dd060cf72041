//===- InputsTest.cpp - Discovery, repository, traces and the client APIs -===//
//
// Bad input is part of the spec: every malformed installation, repository
// entry or trace line is a clear error naming the item, and nothing is
// half-loaded.
//
//===----------------------------------------------------------------------===//

#include "ServeTestUtil.h"

#include "Installation.h"
#include "Repository.h"
#include "Server.h"
#include "Trace.h"
#include "npu_serve.h"

#include <gtest/gtest.h>

#include <cmath>

namespace npu::serve {
namespace {

using test::TempDir;

TEST(ServeDiscovery, AnnounceExpireAndScan) {
  std::string error;
  auto spec = parseInstallation(
      test::installationJson({{"a", "e1-package", "\"tier\": \"premium\""},
                              {"b", "single"}}),
      "inst.json", ".", error);
  ASSERT_TRUE(spec) << error;
  InProcessHosts hosts(*spec);
  Registry pool(kPsPerS);
  EXPECT_TRUE(pool.scan(hosts, hosts.hosts(), 0).empty());
  ASSERT_EQ(pool.chips().size(), 3u);
  EXPECT_EQ(pool.chips()[0].key(), "a/small");
  EXPECT_EQ(pool.chips()[0].tier, Tier::Premium);
  EXPECT_EQ(pool.chips()[2].key(), "b/npu0");
  EXPECT_EQ(pool.chips()[2].tier, Tier::Free);
  // Host b stops answering; a keeps announcing. After the time-to-live b's
  // chip leaves the pool, a's stay.
  hosts.setDown("b", true);
  EXPECT_EQ(pool.scan(hosts, hosts.hosts(), kPsPerS / 2),
            std::vector<std::string>{"b"});
  EXPECT_TRUE(pool.expire(kPsPerS).empty());
  EXPECT_EQ(pool.expire(kPsPerS + 1), std::vector<std::string>{"b/npu0"});
  EXPECT_TRUE(pool.chips()[0].present);
  EXPECT_FALSE(pool.chips()[2].present);
  // It comes back with its next announcement, under the same index.
  hosts.setDown("b", false);
  pool.scan(hosts, {"b"}, 2 * kPsPerS);
  EXPECT_TRUE(pool.chips()[2].present);
  EXPECT_EQ(pool.chips().size(), 3u);
}

TEST(ServeDiscovery, InstallationErrorsNameTheField) {
  auto check = [](const std::string &text, const std::string &expected) {
    std::string error;
    EXPECT_FALSE(parseInstallation(text, "inst.json", ".", error));
    EXPECT_EQ(error, expected);
  };
  check("{\"hosts\": []}", "inst.json: hosts: an installation needs at least "
                           "one host");
  check("{\"hosts\": [{\"name\": \"a\", \"system\": \"mesh-3x3\"}]}",
        "inst.json: hosts[0].system: unknown preset 'mesh-3x3' (known: "
        "single, e1-package, mesh-2x2, mesh-4x4)");
  check("{\"hosts\": [{\"name\": \"a\", \"system\": \"single\", \"tier\": "
        "\"gold\"}]}",
        "inst.json: hosts[0].tier: unknown tier 'gold' (expected free or "
        "premium)");
  check("{\"hosts\": [{\"name\": \"a\", \"system\": \"single\"}, {\"name\": "
        "\"a\", \"system\": \"single\"}]}",
        "inst.json: hosts[1].name: host 'a' is listed twice");
  check("{\"hosts\": [{\"name\": \"a\", \"system\": \"single\", \"colour\": "
        "1}]}",
        "inst.json: hosts[0].colour: unknown key");
  check("{\"hosts\": [{\"name\": \"a\", \"system\": \"single\", "
        "\"dram_bytes\": 1e300}]}",
        "inst.json: hosts[0].dram_bytes: expected an integer that fits in 64 "
        "bits, got 1e+300");
  std::string deep(100000, '[');
  std::string error;
  EXPECT_FALSE(parseInstallation(deep, "deep.json", ".", error));
  EXPECT_EQ(error, "deep.json: nested deeper than 64 levels");
}

TEST(ServeDiscovery, SystemFilesAreReadAndValidated) {
  TempDir dir;
  std::string error;
  // A file as `npu-translate --npu-export-system` writes it: one chip.
  dir.write("sys.json",
            "{\"name\": \"one\", \"chips\": [{\"id\": 0, \"name\": \"c\", "
            "\"kind\": \"general\", \"mac_rows\": 64, \"mac_cols\": 64, "
            "\"vector_lanes\": 64, \"sram_bytes\": 1048576, \"dram_bytes\": "
            "1073741824, \"dram_bytes_per_cycle\": 32, \"clock_mhz\": 500, "
            "\"power\": {\"active_mw\": 1000, \"idle_mw\": 100, \"off_mw\": 1, "
            "\"wake_cycles\": 10, \"wake_energy_nj\": 5}}], \"host\": "
            "{\"bandwidth_gbps\": 8, \"latency_ns\": 500}}");
  dir.write("inst.json",
            "{\"hosts\": [{\"name\": \"h\", \"system_file\": \"sys.json\"}]}");
  auto spec = readInstallationFile(dir.path() + "/inst.json", error);
  ASSERT_TRUE(spec) << error;
  EXPECT_EQ(spec->hosts[0].system.chips[0].clockMhz, 500);
  // rt::validate's invariants apply: a clock that does not divide 10^6.
  dir.write("bad.json",
            "{\"name\": \"one\", \"chips\": [{\"id\": 0, \"name\": \"c\", "
            "\"kind\": \"general\", \"mac_rows\": 64, \"mac_cols\": 64, "
            "\"vector_lanes\": 64, \"sram_bytes\": 1048576, \"dram_bytes\": "
            "1073741824, \"dram_bytes_per_cycle\": 32, \"clock_mhz\": 7, "
            "\"power\": {\"active_mw\": 1000, \"idle_mw\": 100, \"off_mw\": 1, "
            "\"wake_cycles\": 10, \"wake_energy_nj\": 5}}], \"host\": "
            "{\"bandwidth_gbps\": 8, \"latency_ns\": 500}}");
  dir.write("inst2.json",
            "{\"hosts\": [{\"name\": \"h\", \"system_file\": \"bad.json\"}]}");
  EXPECT_FALSE(readInstallationFile(dir.path() + "/inst2.json", error));
  EXPECT_NE(error.find("hosts[0].system_file: " + dir.path() +
                       "/bad.json: chips[0].clock_mhz: clock of 7 MHz"),
            std::string::npos)
      << error;
  // Special files are refused before they are read.
  EXPECT_FALSE(readInstallationFile("/dev/zero", error));
  EXPECT_EQ(error,
            "cannot read '/dev/zero': it is a character device, not a regular "
            "file");
}

TEST(ServeRepository, BadEntriesAreUnavailableWithTheReason) {
  TempDir dir;
  rt::SystemDesc single = rt::test::preset("single");
  std::vector<uint8_t> good = test::reluModel(single, 0, 16, 0, 0);
  dir.write("repo/ok/1/v.npub", good);
  dir.write("repo/ok/config.json",
            "{\"expected_rate_per_s\": 5, \"variants\": {\"v\": "
            "{\"accuracy\": 0.9}}}");
  // A second, good variant and a truncated one: the model keeps neither.
  dir.write("repo/broken/1/a.npub", good);
  dir.write("repo/broken/1/b.npub",
            std::vector<uint8_t>(good.begin(), good.begin() + 40));
  dir.write("repo/empty/1/readme.txt", std::string("no binary"));
  dir.write("repo/noversion/v.npub", good);
  dir.write("repo/badconfig/1/v.npub", good);
  dir.write("repo/badconfig/config.json", "{\"name\": \"other\"}");
  std::string error;
  auto repo = Repository::open(dir.path() + "/repo", error);
  ASSERT_TRUE(repo) << error;
  std::vector<std::string> errors = repo->loadAll();
  EXPECT_EQ(errors.size(), 4u);
  const ModelEntry *ok = repo->find("ok");
  EXPECT_EQ(ok->state, ModelState::Ready);
  EXPECT_EQ(*ok->expectedRate, 5);
  EXPECT_EQ(*ok->variants[0].accuracy, 0.9);
  const ModelEntry *broken = repo->find("broken");
  EXPECT_EQ(broken->state, ModelState::Unavailable);
  EXPECT_TRUE(broken->variants.empty());
  EXPECT_NE(broken->reason.find(dir.path() + "/repo/broken/1/b.npub: "),
            std::string::npos)
      << broken->reason;
  EXPECT_EQ(repo->find("empty")->reason,
            "no .npub file in " + dir.path() + "/repo/empty/1");
  EXPECT_EQ(repo->find("noversion")->reason,
            "no version directory (" + dir.path() + "/repo/noversion/<N>/)");
  EXPECT_NE(repo->find("badconfig")->reason.find(
                "name: names model 'other' but the directory is 'badconfig'"),
            std::string::npos);
  // Unload keeps the variants alive for whoever still points at them.
  const Variant *v = &ok->variants[0];
  EXPECT_EQ(repo->unload("ok"), "");
  EXPECT_EQ(repo->find("ok")->reason, "unloaded");
  EXPECT_EQ(v->name, "v");
  EXPECT_EQ(repo->load("ok"), "");
  EXPECT_EQ(repo->find("ok")->state, ModelState::Ready);
}

struct TraceWorld {
  TempDir dir;
  std::optional<Repository> repo;
  TraceWorld() {
    dir.write("repo/m/1/v.npub",
              test::reluModel(rt::test::preset("single"), 0, 16, 0, 0));
    std::string error;
    repo = Repository::open(dir.path() + "/repo", error);
    repo->loadAll();
  }
  std::string parse(const std::string &text) {
    std::string error;
    std::optional<Trace> t =
        parseTrace(text, "t.jsonl", dir.path(), *repo, error);
    return t ? "" : error;
  }
};

TEST(ServeTrace, EveryBadLineIsNamed) {
  TraceWorld w;
  const std::string ok =
      "{\"type\": \"infer\", \"id\": \"r0\", \"t_ps\": 5, \"model\": \"m\", "
      "\"slo_ps\": 100}\n";
  EXPECT_EQ(w.parse(ok), "");
  EXPECT_NE(w.parse(ok + "{\"type\": \"infer\", \"id\": \n").find("t.jsonl:2: "
                                                                    "invalid JSON"),
            std::string::npos);
  EXPECT_EQ(w.parse(ok + "{\"type\": \"infer\", \"id\": \"r1\", \"t_ps\": 6, "
                         "\"model\": \"x\", \"slo_ps\": 1}\n"),
            "t.jsonl:2: model: unknown model 'x' (not in repository '" +
                w.dir.path() + "/repo')");
  EXPECT_EQ(w.parse(ok + "{\"type\": \"infer\", \"id\": \"r1\", \"t_ps\": 9, "
                         "\"model\": \"m\", \"deadline_ps\": 8}\n"),
            "t.jsonl:2: deadline_ps: deadline 8 ps is not after the arrival 9 "
            "ps (in the past)");
  EXPECT_EQ(w.parse(ok + "{\"type\": \"infer\", \"id\": \"r1\", \"t_ps\": 4, "
                         "\"model\": \"m\", \"slo_ps\": 8}\n"),
            "t.jsonl:2: t_ps: 4 is before the previous line's 5: arrivals "
            "must be in order");
  EXPECT_EQ(w.parse(ok + ok), "t.jsonl:2: id: 'r0' is used twice");
  EXPECT_EQ(w.parse("{\"type\": \"infer\", \"id\": \"r1\", \"t_ps\": 4, "
                    "\"model\": \"m\", \"slo_ps\": 8, \"prio\": 1}\n"),
            "t.jsonl:1: prio: unknown key");
  EXPECT_EQ(w.parse("{\"type\": \"infer\", \"id\": \"r1\", \"t_ps\": 4, "
                    "\"model\": \"m\", \"slo_ps\": 8, \"priority\": -2}\n"),
            "t.jsonl:1: priority: must be in [0, 1000] (1 is the highest, 0 "
            "the default), got -2");
  EXPECT_EQ(w.parse("{\"type\": \"infer\", \"id\": \"r1\", \"t_ps\": 4, "
                    "\"model\": \"m\", \"slo_ps\": 8, \"inputs\": {\"x\": "
                    "\"missing.npy\"}}\n"),
            "t.jsonl:1: inputs.x: cannot open '" + w.dir.path() +
                "/missing.npy': No such file or directory");
  EXPECT_EQ(w.parse("{\"type\": \"reboot\", \"id\": \"r1\", \"t_ps\": 4, "
                    "\"model\": \"m\"}\n"),
            "t.jsonl:1: type: unknown line type 'reboot' (header, infer, "
            "allocate, fail)");
  EXPECT_EQ(w.parse("{\"type\": \"fail\", \"id\": \"f\", \"t_ps\": 4}\n"),
            "t.jsonl:1: host: missing");
  EXPECT_EQ(w.parse("{\"type\": \"fail\", \"id\": \"f\", \"t_ps\": 4, "
                    "\"host\": \"h\", \"detect_ps\": -1}\n"),
            "t.jsonl:1: detect_ps: must be >= 0 and end before 2^61 ps");
  // A number past a double's range is an error, not an escaped exception
  // (found by the serve fuzzer).
  EXPECT_EQ(w.parse("{\"type\": \"infer\", \"id\": \"r1\", \"t_ps\": 4" +
                    std::string(400, '4') + "}\n"),
            "t.jsonl:1: invalid JSON: a number too large for a double");
  // Times far from 2^63: a start plus a latency never overflows.
  EXPECT_EQ(w.parse("{\"type\": \"infer\", \"id\": \"r1\", \"t_ps\": "
                    "9223372036854775000, \"model\": \"m\", \"slo_ps\": 8}\n"),
            "t.jsonl:1: t_ps: must be in [0, 2^61] ps");
  EXPECT_EQ(w.parse("{\"type\": \"infer\", \"id\": \"r1\", \"t_ps\": 4, "
                    "\"model\": \"m\", \"deadline_ps\": 4611686018427387904}\n"),
            "t.jsonl:1: deadline_ps: must be at most 2^61 ps");
}

TEST(ServeTrace, GeneratorIsSeededAndFollowsItsParameters) {
  TraceWorld w;
  w.dir.write("inst.json", test::installationJson({{"h", "single"}}));
  std::string error;
  auto spec = readInstallationFile(w.dir.path() + "/inst.json", error);
  InProcessHosts hosts(*spec);
  Registry pool(kPsPerS);
  pool.scan(hosts, hosts.hosts(), 0);
  TraceGenOptions o;
  o.seed = 7;
  o.requests = 4000;
  o.cv = 4;
  std::string a = generateTrace(*w.repo, pool, o, error);
  std::string b = generateTrace(*w.repo, pool, o, error);
  EXPECT_EQ(a, b);
  o.seed = 8;
  EXPECT_NE(a, generateTrace(*w.repo, pool, o, error));
  std::optional<Trace> t = parseTrace(a, "gen", ".", *w.repo, error);
  ASSERT_TRUE(t) << error;
  // Close to the expected count (Gamma renewal over the span).
  EXPECT_GT(t->entries.size(), 2000u);
  EXPECT_LT(t->entries.size(), 8000u);
  // The inter-arrival CV is far above Poisson's 1.
  double sum = 0, sq = 0;
  size_t n = t->entries.size() - 1;
  for (size_t i = 1; i < t->entries.size(); ++i) {
    double gap = double(t->entries[i].arrivalPs() - t->entries[i - 1].arrivalPs());
    sum += gap;
    sq += gap * gap;
  }
  double mean = sum / double(n);
  double cv = std::sqrt(sq / double(n) - mean * mean) / mean;
  EXPECT_GT(cv, 2.0);
  // SLO = 3 x the compiled latency.
  const Variant &v = w.repo->find("m")->variants[0];
  const InferenceRequest &r = t->entries[0].infer;
  EXPECT_EQ(r.deadlinePs - r.arrivalPs, 3 * v.latencyPs);
}

TEST(ServeClient, ServerAndCApiGiveRealOutputsAndExactTimes) {
  TempDir dir;
  rt::SystemDesc single = rt::test::preset("single");
  dir.write("repo/m/1/v.npub", test::reluModel(single, 0, 16, 0, 1600));
  std::string inst =
      dir.write("inst.json", test::installationJson({{"h", "single"}}));
  std::string error;
  auto server = Server::open(inst, dir.path() + "/repo",
                             PolicyConfig::exact(), error);
  ASSERT_TRUE(server) << error;
  InferenceRequest r;
  r.id = "r0";
  r.model = "m";
  r.arrivalPs = 0;
  r.deadlinePs = kPsPerS;
  std::vector<float> x = {-1, 2, -3, 4, 5, -6, 7, 8, 9, 10, -11, 12, 0, 1, 2, 3};
  r.inputs["x"] = rt::test::floatBytes(x);
  InferResponse response = server->infer(r);
  ASSERT_EQ(response.outcome, Outcome::Admitted) << response.reason;
  EXPECT_EQ(response.predictedCompletionPs, response.simulatedCompletionPs);
  EXPECT_TRUE(response.withinSlo);
  std::vector<float> y = rt::test::bytesToFloats(response.outputs.at("y"));
  for (size_t i = 0; i < x.size(); ++i)
    EXPECT_EQ(y[i], x[i] > 0 ? x[i] : 0) << i;
  // Unload, then a request for it is refused with the reason; load again
  // costs the weights' load over the host link, exactly.
  EXPECT_EQ(server->unload("m").freedBytes, 128 + 1600);
  r.id = "r1";
  r.arrivalPs = 10 * kPsPerUs;
  EXPECT_EQ(server->infer(r).reason, "model 'm' is unavailable: unloaded");
  LoadResponse load = server->load("m", 20 * kPsPerUs);
  EXPECT_EQ(load.error, "");
  EXPECT_EQ(load.copies, 1);
  EXPECT_EQ(load.bytes, 1600);
  EXPECT_EQ(load.readyPs, 20 * kPsPerUs + 1124 * 1000);

  // The same through the C API.
  npu_serve_server *c = nullptr;
  ASSERT_EQ(npu_serve_open(inst.c_str(), (dir.path() + "/repo").c_str(),
                           nullptr, &c),
            NPU_SERVE_OK)
      << npu_serve_last_error();
  npu_serve_tensor input = {"x", r.inputs["x"].data(), r.inputs["x"].size()};
  npu_serve_request request = {};
  request.id = "c0";
  request.model = "m";
  request.deadline_ps = kPsPerS;
  request.inputs = &input;
  request.num_inputs = 1;
  npu_serve_response *out = nullptr;
  ASSERT_EQ(npu_serve_infer(c, &request, &out), NPU_SERVE_OK);
  EXPECT_EQ(npu_serve_response_outcome(out), NPU_SERVE_ADMITTED);
  EXPECT_EQ(npu_serve_response_predicted_completion_ps(out),
            npu_serve_response_simulated_completion_ps(out));
  ASSERT_EQ(npu_serve_response_num_outputs(out), 1u);
  const char *name = nullptr;
  const void *data = nullptr;
  size_t size = 0;
  ASSERT_EQ(npu_serve_response_output(out, 0, &name, &data, &size),
            NPU_SERVE_OK);
  EXPECT_STREQ(name, "y");
  EXPECT_EQ(std::vector<uint8_t>(static_cast<const uint8_t *>(data),
                                 static_cast<const uint8_t *>(data) + size),
            response.outputs.at("y"));
  npu_serve_response_free(out);
  // Wrong input size: an error naming the input, no response.
  input.size = 3;
  EXPECT_EQ(npu_serve_infer(c, &request, &out), NPU_SERVE_INVALID_ARGUMENT);
  EXPECT_STREQ(npu_serve_last_error(),
               "input 'x' of model 'm' needs 64 bytes");
  npu_serve_free(c);
  EXPECT_EQ(npu_serve_open("/nonexistent.json", "/tmp", nullptr, &c),
            NPU_SERVE_INVALID_INPUT);
  EXPECT_STREQ(npu_serve_last_error(),
               "cannot open '/nonexistent.json': No such file or directory");
}

} // namespace
} // namespace npu::serve
