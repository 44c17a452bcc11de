#include "models/UnreachableNode.h"

#include "models/ClusterModel.h"

#include <algorithm>
#include <map>
#include <utility>

namespace skiff::gui {
namespace {

// The registry entry of the broker whose admin address is `address`, preferring the controller's
// (the only one that knows heartbeats), from nodes that stream now.
const admin::Broker *registryEntry(const ClusterModel &model, const QString &address, const NodeEntry *&seenBy)
{
    const admin::Broker *found = nullptr;
    for (const NodeEntry &n : model.nodes()) {
        if (!n.streaming())
            continue;
        for (const admin::Broker &b : n.latest.brokers()) {
            if (QString::fromStdString(b.admin_address()) != address)
                continue;
            if (!found || (b.heartbeat_known() && !found->heartbeat_known())) {
                found = &b;
                seenBy = &n;
            }
        }
    }
    return found;
}

const admin::Broker *registryEntryById(const ClusterModel &model, uint64_t id, const NodeEntry *&seenBy)
{
    const admin::Broker *found = nullptr;
    for (const NodeEntry &n : model.nodes()) {
        if (!n.streaming())
            continue;
        for (const admin::Broker &b : n.latest.brokers())
            if (b.id() == id && (!found || (b.heartbeat_known() && !found->heartbeat_known()))) {
                found = &b;
                seenBy = &n;
            }
    }
    return found;
}

} // namespace

UnreachableNode UnreachableNode::of(const ClusterModel &model, const NodeEntry &node)
{
    UnreachableNode out;
    const NodeEntry *seenBy = nullptr;
    const admin::Broker *broker = nullptr;
    if (node.hasSnapshot) {
        out.nodeId = node.latest.node_id();
        broker = registryEntryById(model, out.nodeId, seenBy);
    } else {
        broker = registryEntry(model, node.address, seenBy);
        if (broker)
            out.nodeId = broker->id();
    }
    out.label = out.nodeId ? QStringLiteral("node %1").arg(out.nodeId) : node.address;
    out.sinceMs = node.unreachableSinceMs;
    if (broker) {
        out.fenced = broker->fenced();
        if (broker->heartbeat_known()) {
            out.lastHeartbeatAgeMs = broker->last_heartbeat_age_ms();
            // The controller's clock, as of its last snapshot: the last time it heard the node.
            const qint64 lastHeard = seenBy->latest.server_time_unix_ms() - broker->last_heartbeat_age_ms();
            if (!out.sinceMs || lastHeard < out.sinceMs) {
                out.sinceMs = lastHeard;
                out.sinceFromHeartbeat = true;
            }
        }
    }

    out.partitionsKnown = model.hasPartitions();
    if (!out.nodeId || !out.partitionsKnown)
        return out;
    // The metadata still naming it (no other replica could take over), and those whose last
    // leadership move (the nodes' events, oldest first) took it away from it.
    std::map<std::pair<std::string, int32_t>, uint64_t> leaderNow;
    std::map<std::pair<std::string, int32_t>, bool> led;
    for (const admin::Partition &p : model.partitions().partitions()) {
        leaderNow[{p.topic(), p.partition()}] = p.assigned_leader();
        if (p.assigned_leader() == out.nodeId)
            led[{p.topic(), p.partition()}] = true;
    }
    std::map<std::pair<std::string, int32_t>, uint64_t> lastMoveFrom;
    for (const EventEntry *e : model.eventsByTime()) {
        if (e->event.event_kind() != admin::EVENT_KIND_LEADER_ELECTED)
            continue;
        for (const admin::PartitionMove &m : e->event.leader_moves().moves())
            lastMoveFrom[{m.topic(), m.partition()}] = m.from();
        if (e->event.leader_moves().left_out() > 0)
            out.ledLeftOut = std::max(out.ledLeftOut, e->event.leader_moves().left_out());
    }
    for (const auto &[partition, from] : lastMoveFrom) {
        const auto now = leaderNow.find(partition);
        if (from == out.nodeId && now != leaderNow.end() && now->second != out.nodeId)
            led[partition] = true;
    }
    for (const auto &[partition, yes] : led)
        out.ledPartitions << QStringLiteral("%1-%2").arg(QString::fromStdString(partition.first)).arg(partition.second);
    return out;
}

} // namespace skiff::gui
