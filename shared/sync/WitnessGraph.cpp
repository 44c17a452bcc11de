#include "sync/WitnessGraph.h"
#include "sync/LockClass.h"

#include <algorithm>

namespace skiff::sync::detail {

WitnessGraph &WitnessGraph::instance()
{
    static auto *graph = new WitnessGraph; // leaked: locks may be taken during static destruction
    return *graph;
}

std::vector<const WitnessGraph::Edge *> WitnessGraph::findPath(uint32_t from, uint32_t to) const
{
    // Breadth-first, so the report shows the shortest established chain.
    const size_t n = m_edges.size();
    if (from >= n || to >= n)
        return {};
    std::vector<const Edge *> viaEdge(n, nullptr);
    std::vector<uint32_t> viaNode(n, 0);
    std::vector<bool> seen(n, false);
    std::vector<uint32_t> queue{from};
    seen[from] = true;
    for (size_t head = 0; head < queue.size(); ++head) {
        const uint32_t node = queue[head];
        for (const Edge &edge : m_edges[node]) {
            if (seen[edge.to])
                continue;
            seen[edge.to] = true;
            viaEdge[edge.to] = &edge;
            viaNode[edge.to] = node;
            if (edge.to == to) {
                std::vector<const Edge *> path;
                for (uint32_t at = to; at != from; at = viaNode[at])
                    path.push_back(viaEdge[at]);
                std::reverse(path.begin(), path.end());
                return path;
            }
            queue.push_back(edge.to);
        }
    }
    return {};
}

std::optional<WitnessReport> WitnessGraph::checkEdge(LockClass &held, SourceSite heldSite, LockClass &taking,
                                                     SourceSite takingSite, const std::string &thread)
{
    LockOrderStep attempted{held.name(), formatSite(heldSite), taking.name(), formatSite(takingSite), thread};
    std::lock_guard guard(m_mutex);
    if (held.hasCheckedSuccessor(taking.id()))
        return std::nullopt; // another thread got here first
    const size_t needed = std::max(held.id(), taking.id()) + 1;
    if (m_edges.size() < needed)
        m_edges.resize(needed);

    const std::vector<const Edge *> path = findPath(taking.id(), held.id());
    held.markCheckedSuccessor(taking.id());
    if (path.empty()) {
        m_edges[held.id()].push_back(Edge{taking.id(), std::move(attempted)});
        return std::nullopt;
    }

    WitnessReport report;
    report.kind = WitnessReportKind::OrderReversal;
    report.attempted = std::move(attempted);
    for (const Edge *edge : path)
        report.established.push_back(edge->step);

    const LockOrderStep &a = report.attempted;
    std::string text = "lock order reversal: \"" + a.heldClass + "\" -> \"" + a.takenClass
                       + "\" contradicts the established order \"" + a.takenClass + "\" -> ... -> \""
                       + a.heldClass + "\" (potential deadlock)\n";
    text += "  now:         thread " + a.thread + " holds \"" + a.heldClass + "\" (taken at " + a.heldSite
            + ") and takes \"" + a.takenClass + "\" at " + a.takenSite + "\n";
    for (const LockOrderStep &s : report.established) {
        text += "  established: thread " + s.thread + " held \"" + s.heldClass + "\" (taken at " + s.heldSite
                + ") and took \"" + s.takenClass + "\" at " + s.takenSite + "\n";
    }
    text.pop_back();
    report.text = std::move(text);
    return report;
}

} // namespace skiff::sync::detail
