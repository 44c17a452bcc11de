#pragma once
// Turns what the dashboard has seen into alerts: a pure function of the model and the time, so
// every rule is testable with scripted snapshots.

#include "models/Alert.h"

#include <vector>

namespace skiff::gui {

class ClusterModel;

class HealthAnalyzer {
public:
    static constexpr qint64 kChurnWindowMs = 60'000;
    static constexpr uint64_t kChurnTermChanges = 3;      // this many term changes in the window
    static constexpr qint64 kEventAlertMemoryMs = 10 * 60'000;   // stalls/inversions stay this long

    static std::vector<Alert> analyze(const ClusterModel &model, qint64 nowMs);

    // Event kinds that mean a stalled loop or a lock-order inversion. The node names them
    // "stall" and "lock-order-inversion"; variants are accepted so a renamed kind still alerts.
    static bool isStallKind(const QString &kind);
    static bool isInversionKind(const QString &kind);
};

} // namespace skiff::gui
