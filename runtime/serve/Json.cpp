//===- Json.cpp - Checked reading of JSON documents -----------------------===//

#include "Json.h"

#include <cmath>

namespace npu::serve {

using nlohmann::json;

namespace {

std::string join(const std::string &path, const char *key) {
  return path.empty() ? std::string(key) : path + "." + key;
}

struct DepthExceeded {};

} // namespace

void JsonReader::fail(const std::string &path,
                      const std::string &message) const {
  throw JsonError{path, message};
}

void JsonReader::allowKeys(const json &value, const std::string &path,
                           std::initializer_list<const char *> keys) const {
  if (!value.is_object())
    fail(path.empty() ? "(root)" : path, "expected an object");
  for (auto it = value.begin(); it != value.end(); ++it) {
    bool known = false;
    for (const char *key : keys)
      known = known || it.key() == key;
    if (!known)
      fail(join(path, it.key().c_str()), "unknown key");
  }
}

const json &JsonReader::field(const json &value, const std::string &path,
                              const char *key) const {
  if (!value.is_object())
    fail(path.empty() ? "(root)" : path, "expected an object");
  auto it = value.find(key);
  if (it == value.end())
    fail(join(path, key), "missing");
  return *it;
}

bool JsonReader::exactInteger(const json &value, int64_t &out) {
  if (value.is_number_integer()) {
    if (value.is_number_unsigned() &&
        value.get<uint64_t>() > uint64_t(INT64_MAX))
      return false;
    out = value.get<int64_t>();
    return true;
  }
  if (value.is_number_float()) {
    double d = value.get<double>();
    // 2^63 itself does not fit; every double below it with no fraction does.
    if (!std::isfinite(d) || d != std::floor(d) || d >= 9223372036854775808.0 ||
        d < -9223372036854775808.0)
      return false;
    out = static_cast<int64_t>(d);
    return true;
  }
  return false;
}

int64_t JsonReader::integer(const json &value, const std::string &path,
                            const char *key) const {
  const json &v = field(value, path, key);
  int64_t out = 0;
  if (!exactInteger(v, out))
    fail(join(path, key), "expected an integer that fits in 64 bits, got " +
                              v.dump());
  return out;
}

double JsonReader::number(const json &value, const std::string &path,
                          const char *key) const {
  const json &v = field(value, path, key);
  if (!v.is_number() || !std::isfinite(v.get<double>()))
    fail(join(path, key), "expected a finite number, got " + v.dump());
  return v.get<double>();
}

std::string JsonReader::string(const json &value, const std::string &path,
                               const char *key) const {
  const json &v = field(value, path, key);
  if (!v.is_string())
    fail(join(path, key), "expected a string, got " + v.dump());
  return v.get<std::string>();
}

const json &JsonReader::array(const json &value, const std::string &path,
                              const char *key) const {
  const json &v = field(value, path, key);
  if (!v.is_array())
    fail(join(path, key), "expected an array");
  return v;
}

const json &JsonReader::object(const json &value, const std::string &path,
                               const char *key) const {
  const json &v = field(value, path, key);
  if (!v.is_object())
    fail(join(path, key), "expected an object");
  return v;
}

std::vector<int64_t> JsonReader::integers(const json &value,
                                          const std::string &path,
                                          const char *key) const {
  const json &v = array(value, path, key);
  std::vector<int64_t> out;
  for (size_t i = 0; i < v.size(); ++i) {
    int64_t x = 0;
    if (!exactInteger(v[i], x))
      fail(join(path, key) + "[" + std::to_string(i) + "]",
           "expected an integer that fits in 64 bits");
    out.push_back(x);
  }
  return out;
}

bool parseJsonValue(const std::string &text, json &out, std::string &error) {
  json::parser_callback_t depthCheck = [](int depth, json::parse_event_t,
                                          json &) {
    if (depth > kMaxJsonDepth)
      throw DepthExceeded{};
    return true;
  };
  try {
    out = json::parse(text, depthCheck);
  } catch (const DepthExceeded &) {
    error = "nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
    return false;
  } catch (const json::parse_error &e) {
    error = std::string("invalid JSON at byte ") + std::to_string(e.byte) +
            ": " + e.what();
    return false;
  } catch (const json::out_of_range &) {
    // nlohmann's message quotes the whole number; a hostile one is huge.
    error = "invalid JSON: a number too large for a double";
    return false;
  } catch (const json::exception &e) {
    error = std::string("invalid JSON: ") + e.what();
    return false;
  }
  return true;
}

bool parseJsonDocument(
    const std::string &text, const std::string &fileName, std::string &error,
    const std::function<void(const json &, JsonReader &)> &read) {
  json root;
  std::string why;
  if (!parseJsonValue(text, root, why)) {
    error = fileName + ": " + why;
    return false;
  }
  JsonReader reader;
  try {
    read(root, reader);
  } catch (const JsonReader::JsonError &e) {
    error = fileName + ": " + e.path + ": " + e.message;
    return false;
  } catch (const json::exception &e) {
    error = fileName + ": " + e.what();
    return false;
  }
  return true;
}

} // namespace npu::serve
