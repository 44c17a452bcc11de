#pragma once
// Everything the dashboard knows about one node: how the connection stands, the latest snapshot
// and a bounded history of samples.

#include "admin.pb.h"
#include "models/NodeSample.h"
#include "models/RingBuffer.h"
#include "net/NodeConnection.h"

#include <QString>

namespace skiff::gui {

struct NodeEntry {
    QString address;
    bool discovered = false;
    NodeConnection::State state = NodeConnection::State::Idle;
    QString error;               // why it is not streaming
    int failures = 0;            // failed attempts since it last streamed
    qint64 unreachableSinceMs = 0;   // the first failed attempt since it last streamed (local clock); 0: none
    // Its recent events (Subscribe with_history): not asked yet, received, or the node is too old
    // to keep them.
    enum class EventHistory { Awaited, Received, Unsupported };
    EventHistory eventHistory = EventHistory::Awaited;
    bool hasSnapshot = false;
    admin::StatusSnapshot latest;
    qint64 lastUpdateMs = 0;
    RingBuffer<NodeSample> history;

    bool streaming() const { return state == NodeConnection::State::Streaming && hasSnapshot; }
    // A node whose attempts failed since it last streamed (never answered, or lost), also while
    // the next attempt is under way: shown as unreachable until one succeeds.
    bool unreachable() const
    {
        return failures > 0 && (state == NodeConnection::State::Backoff || state == NodeConnection::State::Connecting);
    }
    QString label() const
    {
        return hasSnapshot ? QStringLiteral("node %1").arg(latest.node_id()) : address;
    }
};

} // namespace skiff::gui
