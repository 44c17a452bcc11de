// RaftController's public mutators: each posts itself to the raft thread (the thread contract in
// RaftController.h) and answers on the caller's context. The Ready loop is in RaftController.cpp.
#include "cluster/RaftController.h"

#include "cluster.pb.h"
#include "cluster/ClusterLog.h"
#include "cluster/QuorumView.h"
#include "cluster/peer/PeerTransport.h"
#include "metadata.pb.h"
#include "raft/RawNode.h"

#include <algorithm>

namespace skiff::cluster {

void RaftController::post(std::function<void()> call)
{
    QMetaObject::invokeMethod(this, std::move(call), Qt::QueuedConnection);
}

void RaftController::start()
{
    post([this]() { startLoop(); });
}

void RaftController::stop(QObject *context, std::function<void()> done)
{
    post([this, ctx = QPointer<QObject>(context), done = std::move(done)]() mutable {
        stopLoop();
        metadata::postTo(ctx, std::move(done));
    });
}

void RaftController::heartbeatNow()
{
    post([this]() { sendHeartbeatNow(); });
}

void RaftController::reloadTls()
{
    post([this]() { m_transport->reloadTls(QStringLiteral("SIGHUP")); });
}

void RaftController::submit(const metadata::Command &command, QObject *context,
                            std::function<void(metadata::ApplyResult)> done)
{
    post([this, copy = command, ctx = QPointer<QObject>(context), done = std::move(done)]() mutable {
        if (!m_started || !m_haltReason.isEmpty()) {
            metadata::replyOn(ctx, std::move(done),
                              {unavailable(m_haltReason.isEmpty() ? "metadata is still loading"
                                                                  : "the metadata loop stopped: " + m_haltReason.toStdString())});
            return;
        }
        const uint64_t id = m_proposals.add(ctx, std::move(done), nowMs() + m_options.proposalTimeoutMs);
        auto *tag = copy.mutable_tag();
        tag->set_origin_node(m_options.nodeId);
        tag->set_origin_incarnation(m_options.incarnationId);
        tag->set_request_id(id);
        // Any copy that can be committed lands after what is committed now (ProposalTracker.h).
        m_proposals.track(id, copy.SerializeAsString(), m_node->status().commit + 1);
        sendProposals();
    });
}

void RaftController::sendProposals()
{
    if (!m_node || !m_started || !m_haltReason.isEmpty() || m_proposals.pending() == 0)
        return;
    const raft::RaftStatus status = m_node->status();
    const ProposalTracker::Route route{status.leader, status.term};
    // A frame for a peer whose link is down would be dropped: held until the link is up or
    // another leader is known.
    if (route.leader != m_options.nodeId && m_linksDown.contains(route.leader))
        return;
    // A copy lost on the way (a leader transferring leadership drops proposals) goes again
    // after an election timeout; a copy that arrived is dropped by the leader.
    const int64_t resendAfterMs = std::max<int64_t>(500, m_options.electionTicks * m_options.tickMs);
    bool proposed = false;
    for (ProposalTracker::Outgoing &p : m_proposals.due(route, nowMs(), resendAfterMs)) {
        Status s = m_node->propose(std::move(p.data), p.firstPossibleIndex);
        if (s.isOk()) {
            m_proposals.sent(p.id, route, nowMs());
            proposed = true;
        } else if (s.code() != StatusCode::Unavailable) {
            m_proposals.fail(p.id, s);   // refused for good: the data, or this node's membership
        }
        // Unavailable (campaigning, a transfer under way, the uncommitted limit): sent again at
        // the next turn of the loop, until the deadline.
    }
    if (proposed)
        scheduleReady();
}

void RaftController::describeQuorum(QObject *context, std::function<void(Result<metadata::QuorumDescription>)> done)
{
    post([this, ctx = QPointer<QObject>(context), done = std::move(done)]() mutable {
        if (!m_started || !m_haltReason.isEmpty()) {
            replyOn(ctx, std::move(done),
                    unavailable(m_haltReason.isEmpty() ? "metadata is still loading"
                                                       : "the metadata loop stopped: " + m_haltReason.toStdString()));
            return;
        }
        // The published status is this loop's latest: it already holds every answer stepped.
        const ClusterStatusPtr status = clusterStatus();
        if (status->role == raft::Role::Leader || status->leaderId == 0) {
            replyOn(ctx, std::move(done), cluster::describeQuorum(*status, unixNowMs()));   // or: no leader known
            return;
        }
        PeerFrame ask;
        ask.mutable_quorum_request()->set_request_id(
            m_quorumRequests.add(ctx, std::move(done), nowMs() + m_options.proposalTimeoutMs));
        sendFrame(status->leaderId, ask);
    });
}

void RaftController::transferLeadership(uint64_t to, QObject *context, std::function<void(Status)> done)
{
    post([this, to, ctx = QPointer<QObject>(context), done = std::move(done)]() mutable {
        Status s = m_node ? m_node->transferLeader(to) : unavailable("the Raft node is not running");
        scheduleReady();
        metadata::replyOn(ctx, [done = std::move(done)](metadata::ApplyResult r) { done(r.status); }, {s});
    });
}

void RaftController::handOffLeadership(int64_t timeoutMs, QObject *context, std::function<void()> done)
{
    post([this, timeoutMs, ctx = QPointer<QObject>(context), done = std::move(done)]() mutable {
        if (!m_node || !m_started || !m_haltReason.isEmpty() || !m_isLeader || m_handOff) {
            metadata::postTo(ctx, std::move(done));
            return;
        }
        // The voter with the longest log takes over soonest (the leader first brings it up to
        // date); one whose link is down could not hear the TimeoutNow.
        const raft::RaftStatus status = m_node->status();
        uint64_t to = 0, bestMatch = 0;
        for (const raft::PeerStatus &peer : status.progress) {
            const bool voter = std::find(status.voters.begin(), status.voters.end(), peer.id) != status.voters.end();
            if (peer.id == m_options.nodeId || !voter || !peer.recentActive || m_linksDown.contains(peer.id))
                continue;
            if (to == 0 || peer.match > bestMatch) {
                to = peer.id;
                bestMatch = peer.match;
            }
        }
        if (to == 0) {
            qCInfo(lcCluster, "stopping the metadata leader: no other voter is reachable to take over");
            metadata::postTo(ctx, std::move(done));
            return;
        }
        if (Status s = m_node->transferLeader(to); !s.isOk()) {
            qCWarning(lcCluster, "stopping the metadata leader without handing over: %s", s.toString().c_str());
            metadata::postTo(ctx, std::move(done));
            return;
        }
        qCInfo(lcCluster, "stopping: handing metadata leadership to node %llu (log at %llu of %llu)",
               static_cast<unsigned long long>(to), static_cast<unsigned long long>(bestMatch),
               static_cast<unsigned long long>(status.lastIndex));
        m_handOff = HandOff{to, nowMs() + timeoutMs, ctx, std::move(done)};
        scheduleReady();
    });
}

void RaftController::endHandOff(bool handedOff)
{
    if (!m_handOff)
        return;
    HandOff h = std::move(*m_handOff);
    m_handOff.reset();
    if (handedOff)
        qCInfo(lcCluster, "this node no longer leads the metadata quorum (handed to node %llu)",
               static_cast<unsigned long long>(h.to));
    else
        qCWarning(lcCluster, "metadata leadership not handed over in time (to node %llu); stopping anyway: the "
                             "others elect a leader after their election timeout",
                  static_cast<unsigned long long>(h.to));
    metadata::postTo(h.context, std::move(h.done));
}

void RaftController::linearizableRead(QObject *context, std::function<void(Status, metadata::ImagePtr)> done)
{
    post([this, ctx = QPointer<QObject>(context), done = std::move(done)]() mutable {
        const std::string readContext = m_reads.nextContext();
        Status s = m_node ? m_node->readIndex(readContext) : unavailable("the Raft node is not running");
        if (!s.isOk()) {
            metadata::replyOn(ctx, std::move(done), s, nullptr);
            return;
        }
        m_reads.add(readContext, ctx, std::move(done), nowMs() + m_options.proposalTimeoutMs);
        scheduleReady();
    });
}

void RaftController::addNode(uint64_t node, const std::string &raftAddress, QObject *context,
                             std::function<void(Status)> done)
{
    proposeConfChange(Membership::addLearner(node, raftAddress),
                      [node](const Membership &m) { return m.isMember(node); }, "the addition of node " + std::to_string(node),
                      context, std::move(done));
}

void RaftController::removeNode(uint64_t node, QObject *context, std::function<void(Status)> done)
{
    proposeConfChange(Membership::removal(node), [node](const Membership &m) { return !m.isMember(node); },
                      "the removal of node " + std::to_string(node), context, std::move(done));
}

void RaftController::proposeConfChange(const raft::ConfChange &change, MembershipWaits::Reached reached, std::string what,
                                       QObject *context, std::function<void(Status)> done)
{
    post([this, change, reached = std::move(reached), what = std::move(what), ctx = QPointer<QObject>(context),
          done = std::move(done)]() mutable {
        Status s = m_node ? m_node->proposeConfChange(change) : unavailable("the Raft node is not running");
        scheduleReady();
        if (!s.isOk()) {
            metadata::replyOn(ctx, [done = std::move(done)](metadata::ApplyResult r) { done(r.status); }, {s});
            return;
        }
        m_membershipWaits.add(std::move(reached), std::move(what), ctx, std::move(done),
                              nowMs() + m_options.proposalTimeoutMs);
    });
}

} // namespace skiff::cluster
