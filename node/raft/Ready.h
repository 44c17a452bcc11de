#pragma once
// Everything the application must do after driving the node, in this order:
//   1. persist hardState, entries and snapshot (fsync if mustSync);
//   2. send persistedMessages (they vouch for what step 1 made durable: append acks, votes);
//      `messages` may be sent at any time, even before step 1 (a leader's appends, heartbeats);
//   3. apply snapshot, then committedEntries, to the state machine; serve readStates;
//   4. call RawNode::advance(ready).

#include "raft/ReadState.h"
#include "raft/Role.h"
#include "raft.pb.h"

#include <optional>
#include <vector>

namespace skiff::raft {

struct Ready {
    std::optional<SoftState> softState;    // set when leader or role changed
    std::optional<HardState> hardState;    // set when term, vote or commit changed
    std::vector<ReadState> readStates;
    std::vector<Entry> entries;            // to append to stable storage
    std::optional<Snapshot> snapshot;      // to persist and apply
    std::vector<Entry> committedEntries;   // to apply, in order
    std::vector<Message> messages;         // may be sent now
    std::vector<Message> persistedMessages;  // only after entries/hardState/snapshot are durable
    bool mustSync = false;                 // term, vote or entries changed: fsync before step 2
};

} // namespace skiff::raft
