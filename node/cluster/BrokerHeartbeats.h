#pragma once
// Broker heartbeats, both ends. This broker heartbeats the controller (the Raft leader) every
// broker.heartbeat.interval.ms once it is registered; the answer carries the leader's commit
// index, which is how a broker learns it has caught up (ClusterStatus::caughtUp). The controller
// answers every broker's heartbeat, and proposes FenceBroker / UnfenceBroker when BrokerLiveness
// decides (its controller duty). A leader records its own heartbeat without a frame.
//
// No sockets, no clock, no Raft node: frames leave through `send`, decisions through `propose`,
// and the caller passes the time, the applied image and what it knows of Raft, so it is tested
// without waiting. Raft thread only.

#include "cluster.pb.h"
#include "cluster/BrokerLease.h"
#include "cluster/BrokerLiveness.h"
#include "metadata.pb.h"
#include "metadata/MetadataImage.h"

#include <cstdint>
#include <functional>
#include <map>
#include <string>

namespace skiff::cluster {

class BrokerHeartbeats {
public:
    struct Hooks {
        std::function<void(uint64_t to, const PeerFrame &frame)> send;
        std::function<void(metadata::Command command)> propose;   // the caller tags it as its own
        // Leader only: ask a quorum to confirm this node still leads (a ReadIndex named after
        // `sequence`); the answer comes back through leadershipConfirmed.
        std::function<void(uint64_t sequence)> confirmLeadership;
    };
    // What the Ready loop knows of Raft when a heartbeat goes or comes.
    struct RaftView {
        uint64_t leader = 0;   // 0: none known
        bool isLeader = false;
        uint64_t commit = 0;
        uint64_t applied = 0;
    };

    BrokerHeartbeats(uint64_t self, std::string incarnation, int64_t intervalMs, int64_t sessionTimeoutMs, Hooks hooks);

    // ---- this broker's side
    bool due(int64_t nowMs) const { return nowMs - m_lastSentMs >= m_intervalMs; }
    // Heartbeats the leader now; nothing while no leader is known or `image` does not hold this
    // incarnation (not registered yet: nothing to keep alive), and then the next tick tries again.
    void send(const metadata::MetadataImage &image, const RaftView &raft, int64_t nowMs);
    void sendNow(const metadata::MetadataImage &image, const RaftView &raft, int64_t nowMs);
    void onReply(const BrokerHeartbeatReply &reply);
    // The ReadIndex asked for by confirmLeadership(sequence) was confirmed at `index`.
    void leadershipConfirmed(uint64_t sequence, uint64_t index);
    // This node applied up to `applied` (the lease waits for what the answers carried).
    void applied(uint64_t applied) { m_lease.applied(applied); }
    const BrokerLease &lease() const { return m_lease; }
    // Another leader (or none): caught up is unknown until it answers.
    void leaderChanged() { m_answered = false; }
    uint64_t leaderCommitAtHeartbeat() const { return m_leaderCommit; }
    bool answered() const { return m_answered; }

    // ---- the controller's side
    void becameLeader(int64_t nowMs) { m_liveness.becameLeader(nowMs); }
    // A heartbeat from `from`, answered with the leader's commit index and whether the broker is
    // fenced. It counts for liveness only from a member whose registered incarnation it names.
    // Nothing while this node does not lead: the broker learns better from Raft.
    void onHeartbeat(uint64_t from, const BrokerHeartbeat &heartbeat, bool member, const metadata::MetadataImage &image,
                     const RaftView &raft, int64_t nowMs);
    // Proposes the fencing and unfencing BrokerLiveness decides now.
    void proposeFencing(const metadata::MetadataImage &image, int64_t nowMs);
    // Ms since each registered broker's last heartbeat (brokers never heard from are absent).
    std::map<uint64_t, int64_t> heartbeatAgesMs(const metadata::MetadataImage &image, int64_t nowMs) const;

private:
    const uint64_t m_self;
    const std::string m_incarnation;
    const int64_t m_intervalMs;
    const Hooks m_hooks;
    void remember(uint64_t sequence, int64_t nowMs);
    void confirmed(uint64_t sequence, uint64_t commit);
    BrokerLiveness m_liveness;
    int64_t m_lastSentMs = -1000000;
    uint64_t m_nextSequence = 1;
    std::map<uint64_t, int64_t> m_sentAtMs;   // recent heartbeats (or leadership checks) by sequence
    BrokerLease m_lease;
    uint64_t m_leaderCommit = 0;   // from the last answer (own commit when leading)
    bool m_answered = false;
};

} // namespace skiff::cluster
