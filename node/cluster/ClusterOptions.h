#pragma once
// What the Raft controller needs to know about its node, taken from NodeConfig at start.

#include "net/TlsFiles.h"

#include <cstdint>
#include <map>
#include <string>

namespace skiff::cluster {

struct ClusterOptions {
    uint64_t nodeId = 1;
    std::string clusterId;
    std::string incarnationId;     // new at every process start
    std::string buildVersion;      // shown to peers in the handshake
    std::string dataDir;           // the Raft log and snapshot live in <dataDir>/metadata
    std::string raftHost;
    uint16_t raftPort = 0;
    std::map<uint64_t, std::string> initialVoters;   // id -> raft address; empty: this node alone (or joining)
    std::string joinAddress;       // non-empty: join the cluster a member of which listens there
    // cluster.join.token: what a joiner presents in its Hello, and what members admit a non-member
    // by. Empty on a member: nobody joins by --join (skiffctl add-node still admits a node).
    std::string joinToken;
    // raft.ssl.enable: peer links over mutual TLS with these files (node/cluster/peer/README.md).
    bool tls = false;
    net::TlsFiles tlsFiles;
    int64_t tickMs = 50;
    int electionTicks = 10;
    int heartbeatTicks = 1;
    int64_t brokerHeartbeatIntervalMs = 500;
    int64_t brokerSessionTimeoutMs = 3000;
    int64_t proposalTimeoutMs = 5000;
    uint64_t snapshotEntries = 10000;
    uint64_t snapshotKeepEntries = 1000;   // entries kept behind a snapshot for slow followers
};

} // namespace skiff::cluster
