#pragma once
// What the dashboard can say about a node it cannot reach, from what the others last saw of it:
// which node it is (the broker registry names each node's admin address), since when it has been
// gone, its last heartbeat as the controller heard it, whether it is fenced, and the partitions it
// led (those the metadata still names it leader of, and those whose leadership last moved away
// from it, as the nodes' LEADER_ELECTED events say). Derived, never stored: it follows the model.

#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>

namespace skiff::gui {

class ClusterModel;
struct NodeEntry;

struct UnreachableNode {
    uint64_t nodeId = 0;              // 0: no streaming node's registry names this address
    QString label;                    // "node 3", or the address when the id is not known
    qint64 sinceMs = 0;               // best known start of the absence (wall clock)
    bool sinceFromHeartbeat = false;  // sinceMs is the last heartbeat the controller heard
    std::optional<int64_t> lastHeartbeatAgeMs;   // only the controller knows
    std::optional<bool> fenced;       // not in any registry: unknown
    bool partitionsKnown = false;     // the partitions were polled at least once
    QStringList ledPartitions;        // "topic-partition", sorted
    uint32_t ledLeftOut = 0;          // moves an event did not list (a broker leading very many)

    static UnreachableNode of(const ClusterModel &model, const NodeEntry &node);
};

} // namespace skiff::gui
