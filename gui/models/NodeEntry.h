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
    bool hasSnapshot = false;
    admin::StatusSnapshot latest;
    qint64 lastUpdateMs = 0;
    RingBuffer<NodeSample> history;

    bool streaming() const { return state == NodeConnection::State::Streaming && hasSnapshot; }
    // A node that has never answered and failed at least once: shown as unreachable.
    bool unreachable() const { return state == NodeConnection::State::Backoff && failures > 0; }
    QString label() const
    {
        return hasSnapshot ? QStringLiteral("node %1").arg(latest.node_id()) : address;
    }
};

} // namespace skiff::gui
