#pragma once
// What an applied metadata command means to an operator: the log line and the cluster event, in
// one place, so that the Ready loop only applies and changing a message never means reading it.

#include "admin.pb.h"
#include "metadata/MetadataStateMachine.h"
#include "metadata.pb.h"

#include <QString>

#include <cstdint>
#include <vector>

namespace skiff::cluster {

struct ClusterEventText {
    admin::EventKind kind = admin::EVENT_KIND_UNSPECIFIED;
    QString text;
    admin::LeaderMoves leaderMoves;   // LEADER_ELECTED: which leaderships moved
};

struct NarrationContext {
    uint64_t index = 0;                // the entry that carried the command
    bool ownProposal = false;          // this node (this incarnation) proposed it
    int64_t brokerSessionTimeoutMs = 0;
};

// Logs what `command`, applied with `result`, did; returns the events to publish, in order: the
// broker's own (registered, fenced, unfenced) or the topic's (created, deleted, grown) and then
// at most one about the partitions the command changed (LEADER_ELECTED when a leader moved, else
// ISR_CHANGED), naming them, not one event per partition.
std::vector<ClusterEventText> narrateApplied(const metadata::Command &command, const metadata::ApplyResult &result,
                                               const NarrationContext &context);

} // namespace skiff::cluster
