//===- Power.cpp - Power policy options and the energy of chip states -----===//

#include "Power.h"

#include <algorithm>
#include <cstdlib>

namespace npu::serve {

bool PowerPolicy::parse(const std::string &text) {
  if (text == "never") {
    mode = Window::Never;
    return true;
  }
  if (text == "break-even") {
    mode = Window::BreakEven;
    return true;
  }
  if (text.empty() || text.size() > 12 ||
      text.find_first_not_of("0123456789") != std::string::npos)
    return false;
  mode = Window::Fixed;
  fixedPs = std::strtoll(text.c_str(), nullptr, 10) * kPsPerNs;
  return true;
}

std::string PowerPolicy::describe() const {
  switch (mode) {
  case Window::Never:
    return "never";
  case Window::BreakEven:
    return "break-even";
  case Window::Fixed:
    return std::to_string(fixedPs / kPsPerNs) + " ns";
  }
  return "?";
}

PowerEnergy integrate(std::vector<Activity> acts, const rt::ChipDesc &chip,
                      const PowerPolicy &policy, Ps endPs) {
  std::sort(acts.begin(), acts.end(), [](const Activity &a, const Activity &b) {
    return a.startPs < b.startPs;
  });
  PowerEnergy e;
  const rt::PowerModel &p = chip.power;
  std::optional<Ps> window = policy.window(chip);
  auto idle = [&](Ps d) {
    if (d > 0) {
      e.idlePs += d;
      e.idleFj += double(d) * double(p.idleMw); // mW x ps = fJ
    }
  };
  auto off = [&](Ps d) {
    if (d > 0) {
      e.offPs += d;
      e.offFj += double(d) * double(p.offMw);
    }
  };
  Ps cursor = 0;
  for (const Activity &a : acts) {
    if (a.wakeAtPs >= 0 && window) {
      idle(std::min(*window, a.wakeAtPs - cursor));
      off(a.wakeAtPs - cursor - *window);
      e.wakes += 1;
      e.wakeFj += double(PowerPolicy::wakeEnergyFj(chip));
      idle(a.startPs - a.wakeAtPs - PowerPolicy::wakePs(chip));
    } else {
      idle(a.startPs - cursor);
    }
    Ps start = std::max(cursor, a.startPs);
    Ps work = std::max<Ps>(0, a.endPs - start);
    e.workPs += work;
    if (a.load)
      e.loadFj += double(work) * double(p.idleMw);
    cursor = std::max(cursor, a.endPs);
  }
  Ps rest = endPs - cursor;
  if (rest > 0) {
    Ps on = window ? std::min(*window, rest) : rest;
    idle(on);
    off(rest - on);
  }
  return e;
}

} // namespace npu::serve
