//===- Json.h - Checked reading of JSON documents ---------------*- C++ -*-===//
//
// A thin layer over nlohmann-json for the serving layer's file formats:
// every field is read through JsonReader, which names the field's path in
// its error ("hosts[1].tier: expected a string"), rejects unknown keys, and
// accepts integers only when they are exact. Nesting deeper than
// kMaxJsonDepth is an error before anything is built.
//
//===----------------------------------------------------------------------===//

#ifndef NPU_SERVE_JSON_H
#define NPU_SERVE_JSON_H

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

namespace npu::serve {

/// The deepest nesting of arrays and objects a document may have.
constexpr int kMaxJsonDepth = 64;

/// Reads fields of a parsed document; throws JsonError on the first
/// problem (caught by parseJsonDocument).
class JsonReader {
public:
  struct JsonError {
    std::string path;
    std::string message;
  };

  [[noreturn]] void fail(const std::string &path,
                         const std::string &message) const;
  /// Fails on a key of `value` (an object) not in `keys`.
  void allowKeys(const nlohmann::json &value, const std::string &path,
                 std::initializer_list<const char *> keys) const;
  const nlohmann::json &field(const nlohmann::json &value,
                              const std::string &path, const char *key) const;
  int64_t integer(const nlohmann::json &value, const std::string &path,
                  const char *key) const;
  double number(const nlohmann::json &value, const std::string &path,
                const char *key) const;
  std::string string(const nlohmann::json &value, const std::string &path,
                     const char *key) const;
  const nlohmann::json &array(const nlohmann::json &value,
                              const std::string &path, const char *key) const;
  const nlohmann::json &object(const nlohmann::json &value,
                               const std::string &path, const char *key) const;
  std::vector<int64_t> integers(const nlohmann::json &value,
                                const std::string &path,
                                const char *key) const;

  /// `value` as an exact int64 (2.0 is 2; 2.5, 1e30 and strings are not).
  static bool exactInteger(const nlohmann::json &value, int64_t &out);
};

/// Parses `text` (depth-checked) and calls `read` on the root object. On any
/// syntax or field error returns false with `error` = "FILE: PATH: MESSAGE"
/// (or "FILE:LINE:COL: ..." for syntax).
bool parseJsonDocument(
    const std::string &text, const std::string &fileName, std::string &error,
    const std::function<void(const nlohmann::json &, JsonReader &)> &read);

/// Parses one JSON value with the depth check; returns false and sets
/// `error` (without a file name) on failure.
bool parseJsonValue(const std::string &text, nlohmann::json &out,
                    std::string &error);

} // namespace npu::serve

#endif // NPU_SERVE_JSON_H
