#include "cluster/RaftController.h"

#include "cluster.pb.h"
#include "cluster/ClusterLog.h"
#include "cluster/CommandNarration.h"
#include "cluster/QuorumView.h"
#include "cluster/peer/PeerTransport.h"
#include "cluster/storage/DurableStorage.h"
#include "metadata.pb.h"
#include "metadata/MetadataSnapshotCodec.h"
#include "raft/EntryDispatch.h"
#include "raft/RawNode.h"

#include <QDateTime>
#include <QRandomGenerator>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <string_view>

namespace skiff::cluster {

using std::to_string;

RaftController::RaftController(ClusterOptions options)
    : m_options(std::move(options)), m_reads(m_options.incarnationId),
      m_heartbeats(m_options.nodeId, m_options.incarnationId, m_options.brokerHeartbeatIntervalMs,
                   m_options.brokerSessionTimeoutMs,
                   {[this](uint64_t to, const PeerFrame &frame) { sendFrame(to, frame); },
                    [this](metadata::Command command) { proposeInternal(std::move(command)); },
                    [this](uint64_t sequence) { confirmLeadership(sequence); }}),
      m_membership(m_options,
                   {[this](uint64_t node, const std::string &address) {
                        if (m_transport)
                            m_transport->setPeer(node, QString::fromStdString(address));
                    },
                    [this](uint64_t node) {
                        if (m_transport)
                            m_transport->removePeer(node);
                    },
                    [this](uint64_t to, const PeerFrame &frame) { sendFrame(to, frame); },
                    [this](const raft::ConfChange &change) { return m_node->proposeConfChange(change); },
                    [this](const std::map<uint64_t, std::string> &addresses) { return snapshotForJoiner(addresses); }}),
      m_admission(m_options.nodeId, m_options.joinToken, &m_membership.configuration()), m_tickTimer(this),   // parented: moves to the raft thread with us
      m_refusedMessages(core::LogFlood::RaftMessageRefused, lcCluster, this)
{
    m_status.store(std::make_shared<ClusterStatus>());
    publishLease(INT64_MIN);   // no partition is led before the first answered heartbeat
    m_tickTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_tickTimer, &QTimer::timeout, this, &RaftController::onTick);
}

RaftController::~RaftController() = default;

// ---- start-up -------------------------------------------------------------------------------

Status RaftController::openStorage()
{
    auto skipped = SkippedEntries::load(SkippedEntries::pathIn(m_options.dataDir));
    if (!skipped.isOk())
        return skipped.status();
    m_skipped = std::move(skipped.value());
    const std::string dir = m_options.dataDir + "/metadata/raft";
    auto storage = DurableStorage::open(dir, m_membership.bootstrap());
    if (!storage.isOk())
        return storage.status().withContext("opening the metadata log in " + dir);
    m_storage = std::move(storage.value());
    m_walFsync.store(&m_storage->fsyncLatency());
    if (m_storage->tornBytesDropped() > 0)
        qCWarning(lcCluster, "metadata log: dropped a torn tail of %llu bytes (a crash during a write)",
                  static_cast<unsigned long long>(m_storage->tornBytesDropped()));

    auto snapshot = m_storage->snapshot();
    if (!snapshot.isOk())
        return snapshot.status();
    SKIFF_RETURN_IF_ERROR(restoreSnapshot(snapshot.value()));
    // The configured peers are the operator's latest word on where the initial voters live.
    for (const auto &[id, address] : m_options.initialVoters)
        m_membership.setAddress(id, address);

    raft::Config config;
    config.id = m_options.nodeId;
    config.electionTick = m_options.electionTicks;
    config.heartbeatTick = m_options.heartbeatTicks;
    config.storage = m_storage.get();
    config.applied = snapshot->metadata().index();
    config.checkQuorum = true;
    config.preVote = true;
    config.randomSeed = QRandomGenerator::system()->generate64();
    // Nothing enters the log that the state machine could not apply: an entry every node refuses
    // once committed would stop every node, at every restart.
    config.validateProposal = [](const std::string &data) -> Status {
        metadata::Command command;
        if (!command.ParseFromString(data) || command.command_case() == metadata::Command::COMMAND_NOT_SET)
            return invalidArgument("the proposed entry is not a metadata command this build knows");
        return Status::ok();
    };
    // A proposal a client waits for (a request id in its tag) may be forwarded again when its
    // leader is lost; the leader appends a copy only if none is in its log (ProposalTracker.h).
    config.proposalIdentity = [](const std::string &data) -> std::string {
        metadata::Command command;
        if (!command.ParseFromString(data) || command.tag().request_id() == 0)
            return {};
        const metadata::ProposalTag &tag = command.tag();
        return to_string(tag.origin_node()) + "/" + tag.origin_incarnation() + "/" + to_string(tag.request_id());
    };
    auto node = raft::RawNode::create(config);
    if (!node.isOk())
        return node.status().withContext("starting the Raft node");
    m_node = std::move(node.value());
    const auto &hs = m_storage->hardState();
    m_committedAtStart = hs.commit();
    qCInfo(lcCluster, "metadata log opened: snapshot at %llu, entries %llu..%llu, term %llu, commit %llu, %s",
           static_cast<unsigned long long>(snapshot->metadata().index()),
           static_cast<unsigned long long>(m_storage->firstIndex().value()),
           static_cast<unsigned long long>(m_storage->lastIndex().value()), static_cast<unsigned long long>(hs.term()),
           static_cast<unsigned long long>(hs.commit()), m_membership.describe().c_str());
    return Status::ok();
}

void RaftController::startLoop()
{
    m_clock.start();
    if (Status s = openStorage(); !s.isOk()) {
        halt(QString::fromStdString(s.toString()));
        return;
    }

    PeerIdentity self;
    self.clusterId = m_options.clusterId;
    self.nodeId = m_options.nodeId;
    self.raftAddress = m_options.raftHost + ":" + to_string(m_options.raftPort);
    self.buildVersion = m_options.buildVersion;
    // Sent by every node that has it: a member added while this node's peers were down is then
    // still admitted by them before they learn of it.
    self.joinToken = m_options.joinToken;
    m_transport = new PeerTransport(self, this);
    m_transport->setAdmission([this](const Hello &hello) { return m_admission.admitLink(hello); });
    connect(m_transport, &PeerTransport::frameReceived, this, &RaftController::onFrame);
    connect(m_transport, &PeerTransport::linkUp, this, [this](uint64_t peer) {
        qCInfo(lcCluster, "peer link to node %llu is up", static_cast<unsigned long long>(peer));
        m_linksDown.erase(peer);
        m_proposals.resendTo(peer);   // a forward made while it was dialling was dropped
        scheduleReady();
        emit clusterEvent(admin::EVENT_KIND_LINK_UP, QStringLiteral("link to node %1 is up").arg(peer));
    });
    connect(m_transport, &PeerTransport::linkDown, this, [this](uint64_t peer, const QString &reason) {
        m_linksDown.insert(peer);
        m_proposals.resendTo(peer);   // what was in flight to it may be gone
        emit clusterEvent(admin::EVENT_KIND_LINK_DOWN, QStringLiteral("link to node %1 is down: %2").arg(peer).arg(reason));
    });
    connect(m_transport, &PeerTransport::linkRefused, this, [this](uint64_t, const QString &reason) {
        emit clusterEvent(admin::EVENT_KIND_LINK_REFUSED, reason);
    });
    if (m_options.tls) {
        if (Status s = m_transport->enableTls(m_options.tlsFiles); !s.isOk()) {
            halt(QString::fromStdString(s.message()) + QStringLiteral(" (raft.ssl.enable)"));
            return;
        }
    }
    if (Status s = m_transport->listen(QString::fromStdString(m_options.raftHost), m_options.raftPort); !s.isOk()) {
        halt(QString::fromStdString(s.message()) + QStringLiteral(" (raft.listen)"));
        return;
    }
    m_membership.connectPeers();

    // Replays what the local log already holds as committed, before anyone reads the image.
    handleReady();
    if (!m_haltReason.isEmpty())
        return;
    m_started = true;
    // A cluster of one needs no election timeout to find its leader.
    if (m_membership.isSoleVoter()) {
        (void)m_node->campaign();
        handleReady();
    }
    publishImage();
    publishStatus();
    m_tickTimer.start(int(m_options.tickMs));
    qCInfo(lcCluster, "Raft loop running: node %llu, raft.listen %s, %s, applied %llu",
           static_cast<unsigned long long>(m_options.nodeId), self.raftAddress.c_str(), m_membership.describe().c_str(),
           static_cast<unsigned long long>(m_applied));
    emit ready();
}

void RaftController::stopLoop()
{
    m_tickTimer.stop();
    if (m_transport) {
        m_transport->deleteLater();
        m_transport = nullptr;
    }
    endHandOff(false);
    m_proposals.failAll(unavailable("the node is shutting down"));
    m_membershipWaits.failAll(unavailable("the node is shutting down"));
    m_quorumRequests.failAll(unavailable("the node is shutting down"));
    if (m_storage)
        if (Status s = m_storage->sync(); !s.isOk())
            qCWarning(lcCluster, "final sync of the metadata log failed: %s", s.toString().c_str());
    m_started = false;
}

void RaftController::halt(const QString &reason)
{
    if (!m_haltReason.isEmpty())
        return;
    m_haltReason = reason;
    m_tickTimer.stop();
    qCCritical(lcCluster, "metadata loop stopped: %s", qPrintable(reason));
    emit clusterEvent(admin::EVENT_KIND_HALTED, reason);
    endHandOff(false);
    m_proposals.failAll(unavailable("the metadata loop stopped: " + reason.toStdString()));
    m_membershipWaits.failAll(unavailable("the metadata loop stopped: " + reason.toStdString()));
    m_quorumRequests.failAll(unavailable("the metadata loop stopped: " + reason.toStdString()));
    publishStatus();
    emit failed(reason);
}

// ---- the Ready loop -------------------------------------------------------------------------

void RaftController::scheduleReady()
{
    if (m_readyScheduled)
        return;
    m_readyScheduled = true;
    QMetaObject::invokeMethod(this, &RaftController::handleReady, Qt::QueuedConnection);
}

metrics::HistogramSnapshot RaftController::walFsyncLatency() const
{
    metrics::Histogram *h = m_walFsync.load();
    return h ? h->snapshot() : metrics::HistogramSnapshot();
}

namespace {
// Microseconds since `from`, and moves `from` to now.
int64_t lap(std::chrono::steady_clock::time_point &from)
{
    const auto now = std::chrono::steady_clock::now();
    const int64_t us = std::chrono::duration_cast<std::chrono::microseconds>(now - from).count();
    from = now;
    return us;
}
} // namespace

void RaftController::handleReady()
{
    m_readyScheduled = false;
    if (!m_node || !m_haltReason.isEmpty())
        return;
    auto clock = std::chrono::steady_clock::now();
    if (m_lastIterationStart.time_since_epoch().count() != 0) {
        const int64_t gapUs = std::chrono::duration_cast<std::chrono::microseconds>(clock - m_lastIterationStart).count();
        m_loopMetrics.intervalMicros.record(gapUs);
        m_counters.maxLoopGapMs = std::max(m_counters.maxLoopGapMs, gapUs / 1000);
    }
    m_lastIterationStart = clock;
    ++m_loopMetrics.iterations;
    int64_t persistUs = 0, sendUs = 0, applyUs = 0, advanceUs = 0;
    bool imageChanged = false;
    while (m_unpersisted || m_node->hasReady()) {
        lap(clock);
        const bool again = m_unpersisted.has_value();
        raft::Ready rd = again ? std::move(*m_unpersisted) : m_node->ready();
        m_unpersisted.reset();
        if (!again) {   // a Ready held for a full disk said these when it was first taken
            if (rd.softState)
                onSoftState(*rd.softState);
            if (rd.hardState && rd.hardState->term() != m_term) {
                m_term = rd.hardState->term();
                emit clusterEvent(admin::EVENT_KIND_TERM, QStringLiteral("term %1").arg(m_term));
            }
            send(rd.messages);   // a leader's appends and heartbeats may leave before its own write
            sendUs += lap(clock);
        }
        if (Status s = persist(rd); !s.isOk()) {
            if (isStorageFull(s)) {
                holdForStorage(std::move(rd), s);
                break;
            }
            halt(QStringLiteral("metadata log write failed: %1").arg(QString::fromStdString(s.toString())));
            return;
        }
        if (!m_storageFull.isEmpty()) {
            qCInfo(lcCluster, "metadata log writable again after %lld ms with the disk full; the loop goes on",
                   static_cast<long long>(m_storageFullSince.elapsed()));
            m_storageFull.clear();
        }
        persistUs += lap(clock);
        send(rd.persistedMessages);   // votes and append acks vouch for what persist() made durable
        sendUs += lap(clock);
        if (rd.snapshot) {
            if (Status s = restoreSnapshot(*rd.snapshot); !s.isOk()) {
                halt(QString::fromStdString(s.toString()));
                return;
            }
            imageChanged = true;
        }
        for (const raft::Entry &entry : rd.committedEntries) {
            if (Status s = applyEntry(entry, imageChanged); !s.isOk()) {
                // Committed, so every restart replays it: say how to get past it.
                halt(QStringLiteral("%1; every node that reaches this entry stops here. To look at it, stop the node "
                                    "and run 'skiffd --config FILE --metadata-show-entry %2'; to go on without it, "
                                    "'skiffd --config FILE --metadata-skip-entry %2:%3' (README: a halted metadata loop)")
                         .arg(QString::fromStdString(s.toString()))
                         .arg(entry.index())
                         .arg(entry.term()));
                return;
            }
        }
        if (imageChanged) {
            publishImage();   // before answering reads: they are served from the published image
            imageChanged = false;
        }
        // Proposers hear back only now: answered during apply, a client's next request (a
        // Metadata right after its CreateTopics) could reach the kafka thread before the image
        // that holds its change was published, and miss it.
        for (auto &[requestId, result] : m_appliedAnswers)
            m_proposals.complete(requestId, std::move(result));
        m_appliedAnswers.clear();
        leaseReadStates(rd.readStates);
        if (m_reads.pending())   // the published image is taken only for a read that waits
            m_reads.serve(rd.readStates, m_applied, image());
        m_loopMetrics.entriesApplied += rd.committedEntries.size();
        applyUs += lap(clock);
        m_node->advance(rd);
        advanceUs += lap(clock);
    }
    m_loopMetrics.persistMicros.record(persistUs);
    m_loopMetrics.sendMicros.record(sendUs);
    m_loopMetrics.applyMicros.record(applyUs);
    m_loopMetrics.advanceMicros.record(advanceUs);
    if (m_reads.pending())
        m_reads.serve({}, m_applied, image());
    maybeSnapshot();
    publishStatus();
    sendProposals();
}

void RaftController::holdForStorage(raft::Ready rd, const Status &why)
{
    m_unpersisted = std::move(rd);
    if (m_storageFull.isEmpty()) {
        m_storageFull = QString::fromStdString(why.message());
        m_storageFullSince.start();
        qCCritical(lcCluster, "metadata log write refused, the disk is full: %s; the Ready loop holds what it "
                              "could not write and retries every %d ms (nothing it vouches for is sent meanwhile)",
                   why.message().c_str(), kStorageFullRetryMs);
    }
    QTimer::singleShot(kStorageFullRetryMs, this, &RaftController::scheduleReady);
}

Status RaftController::persist(raft::Ready &rd)
{
    if (rd.snapshot)
        SKIFF_RETURN_IF_ERROR(m_storage->applySnapshot(*rd.snapshot));
    if (!rd.entries.empty() || rd.hardState)
        SKIFF_RETURN_IF_ERROR(m_storage->append(rd.entries, rd.hardState ? &*rd.hardState : nullptr));
    // Metadata writes are small and rare next to partition data: a blocking fdatasync here keeps
    // the ordering obvious (nothing that vouches for these bytes leaves before they are on disk).
    if (rd.mustSync)
        SKIFF_RETURN_IF_ERROR(m_storage->sync());
    return Status::ok();
}

Status RaftController::applyEntry(const raft::Entry &entry, bool &imageChanged)
{
    if (m_skipped.contains(entry.index(), entry.term())) {
        qCWarning(lcCluster, "entry %llu (term %llu) skipped without effect, as the operator asked in %s",
                  static_cast<unsigned long long>(entry.index()), static_cast<unsigned long long>(entry.term()),
                  SkippedEntries::pathIn(m_options.dataDir).c_str());
        m_applied = entry.index();
        return Status::ok();
    }
    raft::EntryHandlers handlers;
    handlers.onNormal = [&](const raft::Entry &e) -> Status {
        metadata::Command command;
        if (!command.ParseFromString(e.data()) || command.command_case() == metadata::Command::COMMAND_NOT_SET)
            return corruption("entry " + to_string(e.index()) + " (term " + to_string(e.term())
                              + ") is NORMAL but holds no metadata command this build knows; refusing to apply "
                                "(written by a newer version, or corrupted)");
        metadata::ApplyResult result = m_stateMachine.apply(e.index(), command);
        imageChanged = true;
        for (const ClusterEventText &event :
             narrateApplied(command, result, {e.index(), isOwnProposal(command), m_options.brokerSessionTimeoutMs}))
            if (e.index() > m_committedAtStart)   // a replay is logged, but it is no news
                emit clusterEvent(event.kind, event.text, event.leaderMoves);
        if (isOwnProposal(command))
            m_appliedAnswers.emplace_back(command.tag().request_id(), std::move(result));
        return Status::ok();
    };
    handlers.onConfChange = [&](const raft::Entry &e, const raft::ConfChange &change) {
        return applyConfChange(e, change);
    };
    SKIFF_RETURN_IF_ERROR(raft::dispatchEntry(entry, handlers));
    m_applied = entry.index();
    return Status::ok();
}

Status RaftController::applyConfChange(const raft::Entry &entry, const raft::ConfChange &change)
{
    auto next = m_node->applyConfChange(change);
    if (!next.isOk())
        return next.status().withContext("applying the configuration change in entry " + to_string(entry.index()));
    for (metadata::Command &command :
         m_membership.applied(change, next.value(), entry.index(), m_isLeader, *m_stateMachine.image()))
        proposeInternal(std::move(command));
    if (entry.index() > m_committedAtStart)
        emit clusterEvent(admin::EVENT_KIND_CONFIGURATION, QString::fromStdString(m_membership.describe()));
    m_membershipWaits.settle(m_membership, nowMs());
    return Status::ok();
}

Status RaftController::restoreSnapshot(const raft::Snapshot &snapshot)
{
    const uint64_t index = snapshot.metadata().index();
    m_membership.setConfiguration(snapshot.metadata().conf_state());
    m_applied = std::max(m_applied, index);
    m_lastSnapshotIndex = index;
    if (snapshot.data().empty()) {
        if (index != 0)
            return corruption("metadata snapshot at index " + to_string(index) + " holds no state");
        return Status::ok();   // the bootstrap snapshot: configuration only
    }
    auto payload = metadata::decodeSnapshotPayload(snapshot.data(), index);
    if (!payload.isOk())
        return payload.status();
    m_stateMachine.restore(std::make_shared<metadata::MetadataImage>(std::move(payload->image)));
    for (const auto &[id, address] : payload->raftAddresses)
        m_membership.setAddress(id, address);
    qCInfo(lcCluster, "metadata restored from the snapshot at index %llu: %s", static_cast<unsigned long long>(index),
           m_membership.describe().c_str());
    m_membershipWaits.settle(m_membership, nowMs());
    return Status::ok();
}

std::string RaftController::encodeSnapshot(const std::map<uint64_t, std::string> &addresses) const
{
    return metadata::encodeSnapshotPayload(*m_stateMachine.image(), addresses);
}

Status RaftController::snapshotForJoiner(const std::map<uint64_t, std::string> &addresses)
{
    // Compacted up to what is applied, the leader has to send a snapshot rather than the log.
    if (m_applied <= m_lastSnapshotIndex)
        return Status::ok();
    SKIFF_RETURN_IF_ERROR(
        m_storage->snapshotAndCompact(m_applied, m_membership.configuration(), encodeSnapshot(addresses), 0));
    m_lastSnapshotIndex = m_applied;
    return Status::ok();
}

void RaftController::maybeSnapshot()
{
    if (m_unpersisted || m_applied < m_lastSnapshotIndex + m_options.snapshotEntries)
        return;
    Status s = m_storage->snapshotAndCompact(m_applied, m_membership.configuration(),
                                             encodeSnapshot(m_membership.addresses()), m_options.snapshotKeepEntries);
    if (!s.isOk()) {
        // Not fatal: the log just grows until the next attempt.
        qCWarning(lcCluster, "metadata snapshot at %llu failed: %s", static_cast<unsigned long long>(m_applied),
                  s.toString().c_str());
    } else {
        qCInfo(lcCluster, "metadata snapshot at index %llu written; log compacted",
               static_cast<unsigned long long>(m_applied));
    }
    m_lastSnapshotIndex = m_applied;
}

void RaftController::onSoftState(const raft::SoftState &soft)
{
    if (soft.role == raft::Role::PreCandidate || soft.role == raft::Role::Candidate) {
        ++m_counters.electionsStarted;
        emit clusterEvent(admin::EVENT_KIND_ELECTION, QStringLiteral("node %1 starts an election (%2)")
                                                          .arg(m_options.nodeId).arg(raft::roleName(soft.role)));
    }
    if (soft.role != m_role) {
        m_role = soft.role;
        emit clusterEvent(admin::EVENT_KIND_ROLE, QStringLiteral("node %1 is now %2").arg(m_options.nodeId).arg(raft::roleName(soft.role)));
    }
    const bool wasLeader = m_isLeader;
    m_isLeader = soft.role == raft::Role::Leader;
    if (wasLeader && !m_isLeader)
        endHandOff(true);
    if (m_isLeader && !wasLeader) {
        m_heartbeats.becameLeader(nowMs());
        m_fetchTimes.clear();
    }
    if (soft.leader == m_leader)
        return;
    m_leader = soft.leader;
    ++m_counters.leaderChanges;
    m_heartbeats.leaderChanged();
    const uint64_t term = m_node->status().term;
    if (m_leader == 0)
        qCInfo(lcCluster, "no metadata leader known (term %llu)", static_cast<unsigned long long>(term));
    else
        qCInfo(lcCluster, "metadata leader is node %llu in term %llu%s", static_cast<unsigned long long>(m_leader),
               static_cast<unsigned long long>(term), m_isLeader ? " (this node)" : "");
    publishImage();   // Metadata responses name the controller
    // Store, then signal: a receiver that reads clusterStatus() on this signal, or on one queued
    // after it, must find the leader it was told of (a restarted node once missed the change and
    // waited for a leader forever).
    publishStatus();
    emit clusterEvent(admin::EVENT_KIND_LEADER, m_leader ? QStringLiteral("leader is node %1 in term %2").arg(m_leader).arg(term)
                                                         : QStringLiteral("no leader known in term %1").arg(term));
    emit leaderChanged(m_leader, term);
    if (m_leader != 0)
        heartbeatNow();
}

void RaftController::send(const std::vector<raft::Message> &messages)
{
    if (!m_transport)
        return;
    for (const raft::Message &m : messages) {
        PeerFrame frame;
        *frame.mutable_raft() = m;
        if (m_transport->send(m.to(), frame))
            continue;
        if (m.type() == raft::MSG_SNAP)
            m_node->reportSnapshot(m.to(), false);
        else if (m.type() == raft::MSG_APP)
            m_node->reportUnreachable(m.to());
    }
}

void RaftController::sendFrame(uint64_t to, const PeerFrame &frame)
{
    if (m_transport)   // none before start() and after stop()
        m_transport->send(to, frame);
}

void RaftController::publishImage()
{
    auto image = std::make_shared<metadata::MetadataImage>(*m_stateMachine.image());
    image->controllerId = m_leader;
    publish(std::move(image));
}

void RaftController::publishStatus()
{
    auto status = std::make_shared<ClusterStatus>(m_counters);
    status->readyIterations = m_loopMetrics.iterations.load();   // one counter, for /metrics and the status
    status->nodeId = m_options.nodeId;
    status->haltReason = m_haltReason.toStdString();
    status->storageFull = m_storageFull.toStdString();
    if (m_node)
        status->setRaft(m_node->status());
    status->applied = m_applied;
    status->raftAddresses = m_membership.addresses();
    const auto image = m_stateMachine.image();
    const metadata::BrokerInfo *me = image->broker(m_options.nodeId);
    status->registered = me && me->incarnationId == m_options.incarnationId;
    status->fenced = me && me->fenced;
    status->leaderCommitAtHeartbeat = m_heartbeats.leaderCommitAtHeartbeat();
    status->heartbeatAnswered = m_heartbeats.answered();
    if (m_isLeader) {
        status->brokerHeartbeatAgeMs = m_heartbeats.heartbeatAgesMs(*image, nowMs());
        status->replicaTimes = m_fetchTimes.times();
    }
    if (m_transport)
        status->setLinks(m_transport->linkStatus());
    status->leaseRemainingMs = updateLease();
    const bool isCaughtUp = status->readyToServe();
    m_status.store(status, std::memory_order_release);
    if (isCaughtUp && !m_caughtUpSignalled) {
        m_caughtUpSignalled = true;
        emit caughtUp();
    } else if (!isCaughtUp) {
        m_caughtUpSignalled = false;
    }
}

// ---- the clock ------------------------------------------------------------------------------

void RaftController::onTick()
{
    const int64_t now = nowMs();
    // A controller that was stopped (SIGSTOP, a frozen VM) heard no heartbeat meanwhile through
    // no fault of the brokers': they get a fresh session rather than all being fenced at once.
    if (m_isLeader && m_lastTickMs >= 0 && now - m_lastTickMs > m_options.brokerSessionTimeoutMs / 2) {
        qCWarning(lcCluster, "the Ready loop did not run for %lld ms; every broker gets a fresh session before "
                             "any is fenced", static_cast<long long>(now - m_lastTickMs));
        m_heartbeats.becameLeader(now);
    }
    m_lastTickMs = now;
    if (m_handOff && now >= m_handOff->deadlineMs)
        endHandOff(false);
    m_node->tick();
    m_proposals.expire(now);
    m_reads.expire(now);
    m_quorumRequests.expire(now);
    m_membershipWaits.settle(m_membership, now);
    if (m_heartbeats.due(now))
        m_heartbeats.send(*m_stateMachine.image(), raftView(), now);
    if (m_isLeader)
        controllerDuties();
    m_membership.askToJoinIfDue(m_leader, now);
    handleReady();
}

void RaftController::sendHeartbeatNow()
{
    if (m_started)
        m_heartbeats.sendNow(*m_stateMachine.image(), raftView(), nowMs());
    publishStatus();
}

BrokerHeartbeats::RaftView RaftController::raftView() const
{
    return {m_leader, m_isLeader, m_node->status().commit, m_applied};
}

// ---- the broker's lease (BrokerLease.h) ------------------------------------------------------

namespace {
const std::string kLeaseReadPrefix = "lease/";
} // namespace

void RaftController::confirmLeadership(uint64_t sequence)
{
    // Fails only while the leader has not committed in its term yet; the next heartbeat asks again.
    if (m_node && m_node->readIndex(kLeaseReadPrefix + to_string(sequence)).isOk())
        scheduleReady();   // a heartbeat sent outside the tick is confirmed now, not a tick later
}

void RaftController::leaseReadStates(const std::vector<raft::ReadState> &states)
{
    // Only the leader asks; a read state a follower got from a peer's answer is not its own, and
    // its context is parsed without trusting it.
    if (!m_isLeader)
        return;
    for (const raft::ReadState &rs : states) {
        if (!rs.requestCtx.starts_with(kLeaseReadPrefix))
            continue;
        const std::string_view digits = std::string_view(rs.requestCtx).substr(kLeaseReadPrefix.size());
        uint64_t sequence = 0;
        const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), sequence);
        if (error == std::errc() && end == digits.data() + digits.size())
            m_heartbeats.leadershipConfirmed(sequence, rs.index);
    }
}

int64_t RaftController::updateLease()
{
    m_heartbeats.applied(m_applied);
    const BrokerLease &lease = m_heartbeats.lease();
    const int64_t now = nowMs();
    const bool held = lease.held(now);
    // Published in the clock every thread reads (MetadataController::monotonicNowMs).
    publishLease(lease.expiresAtMs() == BrokerLease::kNever ? INT64_MIN
                                                            : m_clock.msecsSinceReference() + lease.expiresAtMs());
    if (held != m_leaseHeld) {
        if (held)
            qCInfo(lcCluster, "leadership lease held: the controller answered; this broker leads its partitions");
        else if (m_leaseHeld)
            qCWarning(lcCluster, "leadership lease expired: no answer from the controller for %lld ms; this broker "
                                 "may be fenced, so it leads nothing until the controller answers",
                      static_cast<long long>(lease.durationMs()));
        m_leaseHeld = held;
    }
    return held ? lease.expiresAtMs() - now : -1;
}

void RaftController::controllerDuties()
{
    m_heartbeats.proposeFencing(*m_stateMachine.image(), nowMs());
    m_membership.promoteCaughtUpLearner(m_node->status());
}

bool RaftController::isOwnProposal(const metadata::Command &command) const
{
    return command.tag().origin_node() == m_options.nodeId && command.tag().origin_incarnation() == m_options.incarnationId;
}

void RaftController::proposeInternal(metadata::Command command)
{
    // Tagged with its origin but no request id: nobody waits for it, but the log says who decided.
    command.mutable_tag()->set_origin_node(m_options.nodeId);
    command.mutable_tag()->set_origin_incarnation(m_options.incarnationId);
    if (Status s = m_node->propose(command.SerializeAsString()); !s.isOk())
        qCDebug(lcCluster, "controller proposal dropped (retried later): %s", s.toString().c_str());
}

// ---- peer frames ----------------------------------------------------------------------------

void RaftController::onFrame(uint64_t from, const PeerFrame &frame)
{
    if (!m_node || !m_haltReason.isEmpty())
        return;
    if (Status s = m_admission.admitFrame(from, frame); !s.isOk()) {
        refusePeer(s.message());
        return;
    }
    switch (frame.body_case()) {
    case PeerFrame::kRaft: {
        const raft::Message &m = frame.raft();
        if (m.to() != m_options.nodeId) {
            m_refusedMessages.warning("misaddressed from node " + std::to_string(from),
                                      "dropping a raft message from node " + std::to_string(from) + " addressed to node " +
                                          std::to_string(m.to()) + " (this is node " + std::to_string(m_options.nodeId) + ")");
            return;
        }
        if (Status s = m_node->step(m); s.code() == StatusCode::Corruption)
            refusePeer(s.message());   // a faulty peer: its message is refused, we go on
        else if (!s.isOk() && m.type() == raft::MSG_PROP && m_isLeader)
            refusePeer(s.message());   // a proposal the leader would not append (a follower's is retried)
        else if (!s.isOk())
            qCDebug(lcCluster, "raft message from node %llu not taken: %s", static_cast<unsigned long long>(from),
                    s.toString().c_str());
        else
            noteFollowerAnswer(from, m);
        scheduleReady();
        return;
    }
    case PeerFrame::kBrokerHeartbeat: {
        const bool member = m_membership.isMember(frame.broker_heartbeat().broker_id());
        m_heartbeats.onHeartbeat(from, frame.broker_heartbeat(), member, *m_stateMachine.image(), raftView(), nowMs());
        return;
    }
    case PeerFrame::kBrokerHeartbeatReply:
        m_heartbeats.onReply(frame.broker_heartbeat_reply());
        publishStatus();
        return;
    case PeerFrame::kJoinRequest:
        if (m_membership.onJoinRequest(from, frame.join_request(), m_leader, m_isLeader))
            scheduleReady();
        return;
    case PeerFrame::kJoinReply:
        m_membership.onJoinReply(frame.join_reply());
        return;
    case PeerFrame::kQuorumRequest: {
        PeerFrame reply;
        *reply.mutable_quorum_reply() =
            toQuorumReply(frame.quorum_request().request_id(), cluster::describeQuorum(*clusterStatus(), unixNowMs()));
        sendFrame(from, reply);
        return;
    }
    case PeerFrame::kQuorumReply:
        m_quorumRequests.complete(frame.quorum_reply().request_id(), fromQuorumReply(frame.quorum_reply()));
        return;
    default:
        qCWarning(lcCluster, "unexpected frame from node %llu (body %d); ignored", static_cast<unsigned long long>(from),
                  int(frame.body_case()));
        return;
    }
}

void RaftController::noteFollowerAnswer(uint64_t from, const raft::Message &m)
{
    if (!m_isLeader || m.term() != m_term || (m.type() != raft::MSG_APP_RESP && m.type() != raft::MSG_HEARTBEAT_RESP))
        return;
    if (const auto progress = m_node->progressOf(from))
        m_fetchTimes.onAnswer(from, progress->match, m_node->lastIndex(), unixNowMs());
}

int64_t RaftController::unixNowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

void RaftController::refusePeer(const std::string &reason)
{
    ++m_counters.peerFramesRefused;
    // Each reason is logged the first time; a peer that repeats it (a follower whose log was lost
    // refuses every heartbeat) is summed up every 10 s. The limiter bounds the reasons it tracks.
    if (m_refusedMessages.warning(reason, "refused from a peer: " + reason))
        emit clusterEvent(admin::EVENT_KIND_LINK_REFUSED, QString::fromStdString(reason));
}

} // namespace skiff::cluster
