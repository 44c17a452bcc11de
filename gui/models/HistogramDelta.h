#pragma once
// What happened between two snapshots of one cumulative histogram (the node sends running
// totals): the samples recorded in between, their largest and their percentiles, to bucket
// precision.

#include "admin.pb.h"

#include <cstdint>
#include <optional>

namespace skiff::gui {

class HistogramDelta {
public:
    // The upper bound (µs) of the highest bucket that grew from `before` to `after`; nullopt when
    // nothing was recorded or the two do not belong to one run (a bucket shrank: the node
    // restarted, or the layouts differ). The overflow bucket answers with `after`'s max.
    static std::optional<int64_t> largestMicros(const admin::Histogram &before, const admin::Histogram &after);
    // A quantile of the samples in between is admin::intervalQuantileMicros (admin/TrafficRates.h),
    // the rule skiffctl top uses too.
};

} // namespace skiff::gui
