#pragma once
// A point-in-time view of this node's part in the cluster, published by the Raft thread after
// every Ready-loop iteration and read by any thread (HTTP /ready, admin status) by pointer.

#include "cluster/ReplicaFetchTimes.h"
#include "raft/RaftStatus.h"
#include "raft/Role.h"

#include <QList>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace skiff::cluster {

struct PeerLinkStatus;

struct ClusterStatus {
    uint64_t nodeId = 0;
    raft::Role role = raft::Role::Follower;
    uint64_t term = 0;
    uint64_t vote = 0;
    uint64_t leaderId = 0;
    uint64_t commit = 0;
    uint64_t applied = 0;
    std::vector<uint64_t> voters;
    std::vector<uint64_t> learners;
    std::map<uint64_t, std::string> raftAddresses;
    uint64_t lastIndex = 0;
    uint64_t leadTransferee = 0;
    std::vector<raft::PeerStatus> progress;   // leader only: one per member, itself included
    std::map<uint64_t, ReplicaTimes> replicaTimes;   // leader only: the followers heard from this leadership

    // This broker as the controller sees it.
    bool registered = false;          // the applied image holds this node with this incarnation
    bool fenced = false;
    uint64_t leaderCommitAtHeartbeat = 0;   // from the last heartbeat answer (own commit when leading)
    bool heartbeatAnswered = false;
    bool caughtUp() const { return heartbeatAnswered && applied >= leaderCommitAtHeartbeat; }
    int64_t leaseRemainingMs = -1;    // how long the leadership lease still holds (BrokerLease); -1: not held
    // What RaftController::caughtUp() signals: this incarnation may serve Kafka clients. The rule
    // is readinessOf (Readiness.h); this is its yes/no.
    bool readyToServe() const;
    // Leader only: ms since each broker's last heartbeat (brokers never heard from are absent).
    std::map<uint64_t, int64_t> brokerHeartbeatAgeMs;

    // Ready loop health.
    uint64_t readyIterations = 0;     // ReadyLoopMetrics::iterations, as of this status
    int64_t maxLoopGapMs = 0;         // longest time between the starts of two Ready-loop iterations
    uint64_t leaderChanges = 0;
    uint64_t electionsStarted = 0;    // times this node became a (pre-)candidate
    uint64_t peerFramesRefused = 0;   // frames and proposals refused from peers (PeerAdmission, the core's checks)
    std::string haltReason;           // non-empty: the apply loop stopped on an error
    std::string storageFull;          // non-empty: the metadata log cannot be written (disk full), retrying

    struct Link {
        uint64_t peer = 0;
        std::string address;
        std::string state;            // Connecting, Handshaking, Up, Refused, Down
        std::string lastError;
        std::string direction;        // outbound (we dialled; what send() uses) or inbound
        int64_t sinceUnixMs = 0;      // when `state` was entered
        uint64_t bytesSent = 0;
        uint64_t bytesReceived = 0;
        uint64_t framesDropped = 0;
    };
    std::vector<Link> links;

    // Copies what Raft says of itself (role, term, leader, commit, configuration, progress).
    void setRaft(const raft::RaftStatus &raft);
    void setLinks(const QList<PeerLinkStatus> &links);
};

using ClusterStatusPtr = std::shared_ptr<const ClusterStatus>;

} // namespace skiff::cluster
