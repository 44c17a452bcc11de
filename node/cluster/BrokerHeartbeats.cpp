#include "cluster/BrokerHeartbeats.h"

namespace skiff::cluster {

BrokerHeartbeats::BrokerHeartbeats(uint64_t self, std::string incarnation, int64_t intervalMs, int64_t sessionTimeoutMs,
                                   Hooks hooks)
    : m_self(self), m_incarnation(std::move(incarnation)), m_intervalMs(intervalMs), m_hooks(std::move(hooks)),
      m_liveness(sessionTimeoutMs), m_lease(sessionTimeoutMs)
{
}

namespace {
// Answers older than this many heartbeats are no use to the lease (their send time is too old).
constexpr uint64_t kRememberedHeartbeats = 32;
} // namespace

void BrokerHeartbeats::remember(uint64_t sequence, int64_t nowMs)
{
    m_sentAtMs[sequence] = nowMs;
    while (!m_sentAtMs.empty() && m_sentAtMs.begin()->first + kRememberedHeartbeats <= sequence)
        m_sentAtMs.erase(m_sentAtMs.begin());
}

void BrokerHeartbeats::confirmed(uint64_t sequence, uint64_t commit)
{
    // Sequence 0: a controller from before the lease, which does not echo it. The answer is to
    // one of the heartbeats remembered; the oldest is the safe guess.
    auto it = sequence == 0 ? m_sentAtMs.begin() : m_sentAtMs.find(sequence);
    if (it == m_sentAtMs.end())
        return;
    m_lease.confirmed(it->second, commit);
    m_sentAtMs.erase(it);
}

void BrokerHeartbeats::send(const metadata::MetadataImage &image, const RaftView &raft, int64_t nowMs)
{
    if (raft.leader == 0)
        return;
    const metadata::BrokerInfo *me = image.broker(m_self);
    if (!me || me->incarnationId != m_incarnation)
        return;
    m_lastSentMs = nowMs;
    const uint64_t sequence = m_nextSequence++;
    remember(sequence, nowMs);
    if (raft.isLeader) {
        m_liveness.heartbeat(m_self, m_incarnation, raft.applied, raft.commit, nowMs);
        m_leaderCommit = raft.commit;
        m_answered = true;
        if (m_hooks.confirmLeadership)
            m_hooks.confirmLeadership(sequence);
        return;
    }
    PeerFrame frame;
    auto *hb = frame.mutable_broker_heartbeat();
    hb->set_broker_id(m_self);
    hb->set_incarnation_id(m_incarnation);
    hb->set_applied_index(raft.applied);
    hb->set_sequence(sequence);
    m_hooks.send(raft.leader, frame);
}

void BrokerHeartbeats::sendNow(const metadata::MetadataImage &image, const RaftView &raft, int64_t nowMs)
{
    m_lastSentMs = -1000000;   // if it cannot go now, the next tick sends it
    send(image, raft, nowMs);
}

void BrokerHeartbeats::onReply(const BrokerHeartbeatReply &reply)
{
    m_leaderCommit = reply.leader_commit();
    m_answered = true;
    if (!reply.fenced())
        confirmed(reply.sequence(), reply.leader_commit());
}

void BrokerHeartbeats::leadershipConfirmed(uint64_t sequence, uint64_t index)
{
    confirmed(sequence, index);
}

void BrokerHeartbeats::onHeartbeat(uint64_t from, const BrokerHeartbeat &heartbeat, bool member,
                                   const metadata::MetadataImage &image, const RaftView &raft, int64_t nowMs)
{
    if (!raft.isLeader)
        return;
    const metadata::BrokerInfo *broker = image.broker(heartbeat.broker_id());
    if (broker && member && broker->incarnationId == heartbeat.incarnation_id())
        m_liveness.heartbeat(heartbeat.broker_id(), heartbeat.incarnation_id(), heartbeat.applied_index(), raft.commit,
                             nowMs);
    PeerFrame reply;
    reply.mutable_broker_heartbeat_reply()->set_leader_commit(raft.commit);
    reply.mutable_broker_heartbeat_reply()->set_fenced(!broker || broker->fenced);
    reply.mutable_broker_heartbeat_reply()->set_sequence(heartbeat.sequence());
    m_hooks.send(from, reply);
}

void BrokerHeartbeats::proposeFencing(const metadata::MetadataImage &image, int64_t nowMs)
{
    for (const auto &d : m_liveness.check(image, nowMs)) {
        metadata::Command command;
        if (d.fence) {
            command.mutable_fence_broker()->set_broker_id(d.broker);
            command.mutable_fence_broker()->set_incarnation_id(d.incarnation);
        } else {
            command.mutable_unfence_broker()->set_broker_id(d.broker);
            command.mutable_unfence_broker()->set_incarnation_id(d.incarnation);
        }
        m_hooks.propose(std::move(command));
    }
}

std::map<uint64_t, int64_t> BrokerHeartbeats::heartbeatAgesMs(const metadata::MetadataImage &image, int64_t nowMs) const
{
    std::map<uint64_t, int64_t> ages;
    for (const auto &[id, broker] : image.brokers)
        if (const int64_t last = m_liveness.lastHeartbeatMs(id); last >= 0)
            ages[id] = nowMs - last;
    return ages;
}

} // namespace skiff::cluster
