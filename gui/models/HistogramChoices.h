#pragma once
// The latency histograms one StatusSnapshot offers the histogram chart: the Ready loop's interval
// and each of its phases, metadata WAL and partition-log fsync when measured, and every tracked lock's wait and hold time.

#include "admin.pb.h"

#include <QString>

#include <vector>

namespace skiff::gui {

struct HistogramChoice {
    QString key;     // stable across snapshots, e.g. "loop", "phase:apply", "wal", "log", "wait:raft"
    QString label;   // for the picker
    QString what;    // for the line of figures above the bars
    const admin::Histogram *histogram = nullptr;   // into the snapshot it came from
};

class HistogramChoices {
public:
    static std::vector<HistogramChoice> of(const admin::StatusSnapshot &snapshot);
    // What to show first: the most contended lock's waits (a hold only when nothing waited),
    // else the Ready loop's interval. Empty when the snapshot offers nothing.
    static QString mostInteresting(const admin::StatusSnapshot &snapshot);
};

} // namespace skiff::gui
