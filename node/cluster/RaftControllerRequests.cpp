// RaftController's public mutators: each posts itself to the raft thread (the thread contract in
// RaftController.h) and answers on the caller's context. The Ready loop is in RaftController.cpp.
#include "cluster/RaftController.h"

#include "cluster.pb.h"
#include "cluster/QuorumView.h"
#include "cluster/peer/PeerTransport.h"
#include "metadata.pb.h"
#include "raft/RawNode.h"

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
        if (Status s = m_node->propose(copy.SerializeAsString()); !s.isOk()) {
            m_proposals.fail(id, unavailable(s.message()));
            return;
        }
        scheduleReady();
    });
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
