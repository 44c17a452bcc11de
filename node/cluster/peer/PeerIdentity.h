#pragma once

#include <cstdint>
#include <string>

namespace skiff::cluster {

// Who this node is, as told to every peer in the handshake.
struct PeerIdentity {
    std::string clusterId;
    uint64_t nodeId = 0;
    std::string raftAddress;    // our raft.listen, host:port (":0" is replaced once bound)
    std::string buildVersion;   // "0.1.0 (git abc123)": shown in refusals so a stale binary is obvious
    std::string joinToken;      // sent in our Hello only when set: a node started with --join
};

} // namespace skiff::cluster
