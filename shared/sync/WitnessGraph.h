#pragma once
// Internal: the global graph of observed lock-order edges between lock classes, and report
// delivery. Only touched on slow paths: the first time an edge is seen, and when reporting.

#include "sync/SourceSite.h"
#include "sync/Witness.h"
#include "sync/WitnessReport.h"

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace skiff::sync::detail {

class LockClass;

extern std::atomic<bool> g_witnessEnabled;
extern std::atomic<WitnessAction> g_witnessAction;

class WitnessGraph {
public:
    static WitnessGraph &instance();

    // `held` (taken at heldSite) is held while `taking` is acquired at takingSite, and the
    // edge has not been checked before. Records the edge, or — if taking already reaches held
    // through recorded edges — returns the report and does not record it (as FreeBSD's witness
    // does, so one reversal does not make every later path look cyclic). Either way the edge
    // is marked checked: each reversed pair is reported once.
    std::optional<WitnessReport> checkEdge(LockClass &held, SourceSite heldSite, LockClass &taking,
                                           SourceSite takingSite, const std::string &thread);

private:
    struct Edge {
        uint32_t to;
        LockOrderStep step; // first sighting
    };
    // Edges of the path from -> ... -> to, or empty if `to` is unreachable.
    std::vector<const Edge *> findPath(uint32_t from, uint32_t to) const;

    std::mutex m_mutex;
    std::vector<std::vector<Edge>> m_edges; // indexed by LockClass::id()
};

// Sink, bounded list, then the configured action (Abort aborts here; Throw is up to the caller).
void deliverWitnessReport(const WitnessReport &report);

} // namespace skiff::sync::detail
