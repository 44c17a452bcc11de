#pragma once
// Turns what the dashboard has seen into alerts: a pure function of the model and the time, so
// every rule is testable with scripted snapshots.

#include "admin.pb.h"
#include "models/Alert.h"

#include <QString>

#include <optional>
#include <vector>

namespace skiff::gui {

class ClusterModel;

class HealthAnalyzer {
public:
    static constexpr qint64 kChurnWindowMs = 60'000;
    static constexpr uint64_t kChurnTermChanges = 3;      // this many term changes in the window
    static constexpr qint64 kEventAlertMemoryMs = 10 * 60'000;   // stalls/inversions stay this long

    static std::vector<Alert> analyze(const ClusterModel &model, qint64 nowMs);

    // Events that raise an alert for kEventAlertMemoryMs: a stalled loop, a lock-order inversion
    // or self-deadlock (by the kind the node set, never by words in its name).
    static bool raisesAlert(admin::EventKind kind);

    // Why `disk` raises an alert: less than `freePercent` of it is free for the node; nullopt when
    // it has enough (or reports no size).
    static std::optional<QString> lowDisk(const admin::DiskUsage &disk, int freePercent);
};

} // namespace skiff::gui
