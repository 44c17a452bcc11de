#include "ctl/StatusView.h"

#include "ctl/CtlCommon.h"

#include <map>

namespace skiff::ctl {
namespace {

std::string duration(int64_t ms)
{
    if (ms < 0)
        return "-";
    const int64_t s = ms / 1000;
    if (s < 120)
        return std::to_string(s) + "s";
    if (s < 7200)
        return std::to_string(s / 60) + "m" + std::to_string(s % 60) + "s";
    return std::to_string(s / 3600) + "h" + std::to_string((s / 60) % 60) + "m";
}

} // namespace

std::vector<std::pair<std::string, std::string>> statusRows(const admin::StatusSnapshot &s)
{
    size_t fenced = 0;
    for (const auto &b : s.brokers())
        fenced += b.fenced() ? 1 : 0;
    // peer -> "outbound/inbound" states
    std::map<uint64_t, std::pair<std::string, std::string>> linkStates;
    for (const auto &l : s.links())
        (l.direction() == "inbound" ? linkStates[l.peer()].second : linkStates[l.peer()].first) = l.state();
    std::string links;
    for (const auto &[peer, states] : linkStates)
        links += (links.empty() ? "" : " ") + std::to_string(peer) + ":" + (states.first.empty() ? "-" : states.first) +
                 "/" + (states.second.empty() ? "-" : states.second);
    return {
        {"node", std::to_string(s.node_id())},
        {"cluster", s.cluster_id()},
        {"state", s.startup_state().empty() ? "-" : s.startup_state()},
        {"ready", s.ready() ? "yes" : "no: " + s.ready_reason()},
        {"role", s.role()},
        {"leader", s.leader_id() ? std::to_string(s.leader_id()) : "none"},
        {"term", std::to_string(s.term())},
        {"vote", std::to_string(s.vote())},
        {"commit", std::to_string(s.commit())},
        {"applied", std::to_string(s.applied())},
        {"voters", idList(s.voters())},
        {"learners", idList(s.learners())},
        {"brokers", std::to_string(s.brokers_size()) + " (" + std::to_string(fenced) + " fenced)"},
        {"topics", std::to_string(s.topic_count()) + " (" + std::to_string(s.partition_count()) + " partitions)"},
        {"links out/in", links.empty() ? "-" : links},
        {"loop", std::to_string(s.ready_iterations()) + " iterations, max gap " + std::to_string(s.max_loop_gap_ms()) + " ms"},
        {"elections", std::to_string(s.elections_started()) + " started, " + std::to_string(s.leader_changes()) +
                          " leader changes"},
        {"halted", s.halt_reason().empty() ? "no" : s.halt_reason()},
        {"lease", !s.lease_reported()             ? "-"
                  : s.lease_remaining_ms() < 0 ? "not held: leads no partition until the controller answers"
                                               : "held (" + std::to_string(s.lease_remaining_ms()) + " ms left)"},
        {"version", s.build().version() + " (git " + s.build().git_hash() + ")"},
        {"built", s.build().build_time()},
        {"uptime", duration(s.server_time_unix_ms() - s.process_start_unix_ms())},
    };
}

std::string disagreement(const std::vector<admin::StatusSnapshot> &statuses)
{
    // (leader, term) -> the nodes that see it
    std::map<std::pair<uint64_t, uint64_t>, std::vector<uint64_t>> views;
    for (const auto &s : statuses)
        views[{s.leader_id(), s.term()}].push_back(s.node_id());
    if (views.size() <= 1)
        return {};
    std::string out = "nodes disagree:";
    bool first = true;
    for (const auto &[view, nodes] : views) {
        std::string who;
        for (uint64_t n : nodes)
            who += (who.empty() ? "" : ",") + std::to_string(n);
        out += std::string(first ? " " : "; ") + (nodes.size() == 1 ? "node " : "nodes ") + who +
               (nodes.size() == 1 ? " sees " : " see ") +
               (view.first ? "leader " + std::to_string(view.first) : std::string("no leader")) + " in term " +
               std::to_string(view.second);
        first = false;
    }
    return out;
}

} // namespace skiff::ctl
