#pragma once

namespace skiff::app {

// Startup is a visible state machine: every transition is logged (and, with the admin issue,
// reported in status). No state waits by blocking an event loop; each is left by a signal.
enum class NodeState {
    Starting,          // threads and their event loops are being started
    LoadingMetadata,   // the metadata snapshot and log are replayed on the raft thread
    OpeningLogs,       // partition logs are recovered on the Kafka thread
    WaitingForLeader,  // a metadata leader must be known before registering
    Registering,       // RegisterBroker proposed through the leader; waiting to see it applied here
    CatchingUp,        // registered; waiting to have applied what the leader had committed
    Listening,         // binding the Kafka listener
    Ready,
    Stopping,
    Failed,
};

const char *nodeStateName(NodeState state);

} // namespace skiff::app
