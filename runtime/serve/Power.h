//===- Power.h - Chip power states in admission and in energy ---*- C++ -*-===//
//
// M4 (docs/serving.md, "Power"): a chip is active while it runs, idle while
// on and waiting, and off (the system description's low-power state, which
// keeps its DRAM: the weights stay loaded) once it has been idle for the
// idle window. Work for an off chip first wakes it: wake_cycles of the
// chip's clock and wake_energy_nj, both from the system description. The
// orchestrator and the simulated execution apply the same rule, so a wake
// is in every prediction, and the energy report integrates the same states.
//
// The window is a policy: never (chips stay on, the default), a fixed time,
// or the break-even time per chip, wake energy / (idle - off power): staying
// on for longer than that costs more than a wake (the ski-rental rule, at
// most twice the energy of an oracle that knows the next arrival).
//
// A chip waiting for work it has been given stays on: the rule is applied
// when work is asked of the chip, and work asked while the chip is still
// busy is queued behind it without a wake.
//
// The system descriptions have no clocked-down state (no DVFS operating
// points), so there is none here.
//
//===----------------------------------------------------------------------===//

#ifndef NPU_SERVE_POWER_H
#define NPU_SERVE_POWER_H

#include "Types.h"

#include "npu/rt/Target.h"

#include <optional>
#include <string>

namespace npu::serve {

struct PowerPolicy {
  enum class Window : uint8_t { Never, Fixed, BreakEven } mode = Window::Never;
  Ps fixedPs = 0;

  /// The idle window of `chip`, or nullopt when it never powers down.
  std::optional<Ps> window(const rt::ChipDesc &chip) const {
    switch (mode) {
    case Window::Never:
      return std::nullopt;
    case Window::Fixed:
      return fixedPs;
    case Window::BreakEven: {
      int64_t saved = chip.power.idleMw - chip.power.offMw;
      // fJ / mW = ps.
      return saved <= 0 ? 0 : chip.power.wakeEnergyNj * 1000000 / saved;
    }
    }
    return std::nullopt;
  }
  static Ps wakePs(const rt::ChipDesc &chip) {
    return chip.power.wakeCycles * chip.picosecondsPerCycle();
  }
  static int64_t wakeEnergyFj(const rt::ChipDesc &chip) {
    return chip.power.wakeEnergyNj * 1000000;
  }
  /// Whether a chip free since `freePs` is off when work is asked of it at
  /// `t`: it has been idle for the window by then. Work asked before the
  /// chip is free is queued behind its work, so it never waits for a wake.
  bool off(const rt::ChipDesc &chip, Ps freePs, Ps t) const {
    std::optional<Ps> w = window(chip);
    return w && t > freePs && t - freePs >= *w;
  }
  /// When a chip free since `freePs` can start work asked of it at `t`:
  /// max(t, freePs), plus the wake when it is off by then.
  Ps readyAt(const rt::ChipDesc &chip, Ps freePs, Ps t,
             bool *woke = nullptr) const {
    Ps avail = t > freePs ? t : freePs;
    bool isOff = off(chip, freePs, avail);
    if (woke)
      *woke = isOff;
    return isOff ? avail + wakePs(chip) : avail;
  }

  /// "never", "break-even" or a time in ns; false on anything else.
  bool parse(const std::string &text);
  std::string describe() const;
};

/// One stretch of a chip's time taken by work, as the execution replayed
/// it: a run (its energy is the run's measurement) or a load (the chip is
/// on, at idle power); `wakeAtPs` >= 0 when the chip was woken for it then.
struct Activity {
  Ps startPs = 0;
  Ps endPs = 0;
  Ps wakeAtPs = -1;
  bool load = false;
};

/// A chip's energy outside its runs over [0, endPs]: idle (on, waiting),
/// off, wakes, and loads (on, at idle power). Reporting figures, in double
/// (an hour of idle at a few watts is past 2^63 fJ).
struct PowerEnergy {
  double idleFj = 0;
  double offFj = 0;
  double wakeFj = 0;
  double loadFj = 0;
  int64_t wakes = 0;
  Ps idlePs = 0;
  Ps offPs = 0;
  Ps workPs = 0;
};

/// Integrates a chip's states between its activities (sorted here) from 0
/// (every chip starts on) to `endPs`, by `policy`.
PowerEnergy integrate(std::vector<Activity> activities,
                      const rt::ChipDesc &chip, const PowerPolicy &policy,
                      Ps endPs);

} // namespace npu::serve

#endif // NPU_SERVE_POWER_H
