#include "cluster/RaftController.h"

#include "cluster.pb.h"
#include "cluster/ClusterLog.h"
#include "cluster/CommandNarration.h"
#include "cluster/peer/PeerTransport.h"
#include "cluster/storage/DurableStorage.h"
#include "metadata.pb.h"
#include "metadata/MetadataSnapshotCodec.h"
#include "raft/EntryDispatch.h"
#include "raft/RawNode.h"

#include <QRandomGenerator>

#include <algorithm>
#include <filesystem>

namespace skiff::cluster {

using std::to_string;

namespace {

constexpr int64_t kJoinRetryMs = 1000;

std::string describe(const raft::ConfState &cs)
{
    auto list = [](const auto &ids) {
        std::string out;
        for (uint64_t id : ids)
            out += (out.empty() ? "" : ",") + to_string(id);
        return out.empty() ? std::string("none") : out;
    };
    std::string out = "voters " + list(cs.voters());
    if (!cs.learners().empty())
        out += ", learners " + list(cs.learners());
    if (!cs.voters_outgoing().empty())
        out += ", outgoing voters " + list(cs.voters_outgoing());
    return out;
}

bool contains(const google::protobuf::RepeatedField<uint64_t> &ids, uint64_t id)
{
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

// A single-server configuration change; `context` carries an added node's raft address.
raft::ConfChange singleChange(raft::ConfChangeType type, uint64_t node, const std::string &context = {})
{
    raft::ConfChange change;
    auto *c = change.add_changes();
    c->set_type(type);
    c->set_node_id(node);
    change.set_context(context);
    return change;
}

} // namespace

RaftController::RaftController(ClusterOptions options)
    : m_options(std::move(options)), m_reads(m_options.incarnationId), m_liveness(m_options.brokerSessionTimeoutMs),
      m_confState(std::make_unique<raft::ConfState>()),
      m_admission(m_options.nodeId, m_options.joinToken, m_confState.get()), m_tickTimer(this),   // parented: moves to the raft thread with us
      m_refusedMessages(core::LogFlood::RaftMessageRefused, lcCluster, this)
{
    m_status.store(std::make_shared<ClusterStatus>());
    m_tickTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_tickTimer, &QTimer::timeout, this, &RaftController::onTick);
}

RaftController::~RaftController() = default;

// ---- start-up -------------------------------------------------------------------------------

Status RaftController::openStorage()
{
    raft::ConfState bootstrap;
    if (m_options.joinAddress.empty()) {
        if (m_options.initialVoters.empty())
            bootstrap.add_voters(m_options.nodeId);
        for (const auto &[id, address] : m_options.initialVoters)
            bootstrap.add_voters(id);
    }   // a joiner starts with no configuration: it learns the cluster's from the leader's snapshot
    auto skipped = SkippedEntries::load(SkippedEntries::pathIn(m_options.dataDir));
    if (!skipped.isOk())
        return skipped.status();
    m_skipped = std::move(skipped.value());
    const std::string dir = m_options.dataDir + "/metadata/raft";
    auto storage = DurableStorage::open(dir, bootstrap);
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
        m_addresses[id] = address;

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
    auto node = raft::RawNode::create(config);
    if (!node.isOk())
        return node.status().withContext("starting the Raft node");
    m_node = std::move(node.value());
    const auto &hs = m_storage->hardState();
    qCInfo(lcCluster, "metadata log opened: snapshot at %llu, entries %llu..%llu, term %llu, commit %llu, %s",
           static_cast<unsigned long long>(snapshot->metadata().index()),
           static_cast<unsigned long long>(m_storage->firstIndex().value()),
           static_cast<unsigned long long>(m_storage->lastIndex().value()), static_cast<unsigned long long>(hs.term()),
           static_cast<unsigned long long>(hs.commit()), describe(*m_confState).c_str());
    return Status::ok();
}

void RaftController::start()
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
        emit clusterEvent(QStringLiteral("link-up"), QStringLiteral("link to node %1 is up").arg(peer));
    });
    connect(m_transport, &PeerTransport::linkDown, this, [this](uint64_t peer, const QString &reason) {
        emit clusterEvent(QStringLiteral("link-down"), QStringLiteral("link to node %1 is down: %2").arg(peer).arg(reason));
    });
    connect(m_transport, &PeerTransport::linkRefused, this, [this](uint64_t, const QString &reason) {
        emit clusterEvent(QStringLiteral("link-refused"), reason);
    });
    if (Status s = m_transport->listen(QString::fromStdString(m_options.raftHost), m_options.raftPort); !s.isOk()) {
        halt(QString::fromStdString(s.message()) + QStringLiteral(" (raft.listen)"));
        return;
    }
    for (const auto &[id, address] : m_addresses)
        if (id != m_options.nodeId)
            m_transport->setPeer(id, QString::fromStdString(address));
    if (!m_options.joinAddress.empty() && !contains(m_confState->voters(), m_options.nodeId)
        && !contains(m_confState->learners(), m_options.nodeId)) {
        // The member we were pointed at; its id is not known yet (0 = "whoever answers").
        m_transport->setPeer(0, QString::fromStdString(m_options.joinAddress));
        qCInfo(lcCluster, "joining the cluster through %s", m_options.joinAddress.c_str());
    }

    // Replays what the local log already holds as committed, before anyone reads the image.
    handleReady();
    if (!m_haltReason.isEmpty())
        return;
    m_started = true;
    // A cluster of one needs no election timeout to find its leader.
    if (m_confState->voters_size() == 1 && m_confState->voters(0) == m_options.nodeId && m_confState->learners().empty()
        && m_confState->voters_outgoing().empty()) {
        (void)m_node->campaign();
        handleReady();
    }
    publishImage();
    publishStatus();
    m_tickTimer.start(int(m_options.tickMs));
    qCInfo(lcCluster, "Raft loop running: node %llu, raft.listen %s, %s, applied %llu",
           static_cast<unsigned long long>(m_options.nodeId), self.raftAddress.c_str(), describe(*m_confState).c_str(),
           static_cast<unsigned long long>(m_applied));
    emit ready();
}

void RaftController::stop()
{
    m_tickTimer.stop();
    if (m_transport) {
        m_transport->deleteLater();
        m_transport = nullptr;
    }
    m_proposals.failAll(unavailable("the node is shutting down"));
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
    emit clusterEvent(QStringLiteral("halted"), reason);
    m_proposals.failAll(unavailable("the metadata loop stopped: " + reason.toStdString()));
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
    while (m_node->hasReady()) {
        lap(clock);
        raft::Ready rd = m_node->ready();
        if (rd.softState)
            onSoftState(*rd.softState);
        if (rd.hardState && rd.hardState->term() != m_term) {
            m_term = rd.hardState->term();
            emit clusterEvent(QStringLiteral("term"), QStringLiteral("term %1").arg(m_term));
        }
        send(rd.messages);   // a leader's appends and heartbeats may leave before its own write
        sendUs += lap(clock);
        if (Status s = persist(rd); !s.isOk()) {
            halt(QStringLiteral("metadata log write failed: %1").arg(QString::fromStdString(s.toString())));
            return;
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
    m_reads.serve({}, m_applied, image());
    maybeSnapshot();
    publishStatus();
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
        if (auto event = narrateApplied(command, result,
                                        {e.index(), isOwnProposal(command), m_options.brokerSessionTimeoutMs}))
            emit clusterEvent(event->kind, event->text);
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
    *m_confState = next.value();
    for (const auto &c : change.changes()) {
        const uint64_t id = c.node_id();
        if (c.type() == raft::REMOVE_NODE) {
            qCInfo(lcCluster, "node %llu removed from the cluster", static_cast<unsigned long long>(id));
            if (m_isLeader && m_stateMachine.image()->broker(id)) {
                // A node that left the cluster leaves the broker registry with it.
                metadata::Command command;
                command.mutable_remove_broker()->set_broker_id(id);
                proposeInternal(command);
            }
            if (id == m_options.nodeId) {
                qCWarning(lcCluster, "this node was removed from the cluster; it no longer votes or receives metadata");
            } else {
                m_addresses.erase(id);
                if (m_transport)
                    m_transport->removePeer(id);
            }
        } else if (!change.context().empty()) {
            setAddress(id, change.context());
        }
    }
    qCInfo(lcCluster, "configuration change in entry %llu applied: %s", static_cast<unsigned long long>(entry.index()),
           describe(*m_confState).c_str());
    emit clusterEvent(QStringLiteral("configuration"), QString::fromStdString(describe(*m_confState)));
    return Status::ok();
}

void RaftController::setAddress(uint64_t node, const std::string &address)
{
    m_addresses[node] = address;
    if (m_transport && node != m_options.nodeId)
        m_transport->setPeer(node, QString::fromStdString(address));
}

Status RaftController::restoreSnapshot(const raft::Snapshot &snapshot)
{
    const uint64_t index = snapshot.metadata().index();
    *m_confState = snapshot.metadata().conf_state();
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
        setAddress(id, address);
    qCInfo(lcCluster, "metadata restored from the snapshot at index %llu: %s", static_cast<unsigned long long>(index),
           describe(*m_confState).c_str());
    return Status::ok();
}

std::string RaftController::encodeSnapshot(const std::map<uint64_t, std::string> &addresses) const
{
    return metadata::encodeSnapshotPayload(*m_stateMachine.image(), addresses);
}

void RaftController::maybeSnapshot()
{
    if (m_applied < m_lastSnapshotIndex + m_options.snapshotEntries)
        return;
    Status s = m_storage->snapshotAndCompact(m_applied, *m_confState, encodeSnapshot(m_addresses),
                                             m_options.snapshotKeepEntries);
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
        emit clusterEvent(QStringLiteral("election"), QStringLiteral("node %1 starts an election (%2)")
                                                          .arg(m_options.nodeId).arg(raft::roleName(soft.role)));
    }
    if (soft.role != m_role) {
        m_role = soft.role;
        emit clusterEvent(QStringLiteral("role"), QStringLiteral("node %1 is now %2").arg(m_options.nodeId).arg(raft::roleName(soft.role)));
    }
    const bool wasLeader = m_isLeader;
    m_isLeader = soft.role == raft::Role::Leader;
    if (m_isLeader && !wasLeader)
        m_liveness.becameLeader(nowMs());
    if (soft.leader == m_leader)
        return;
    m_leader = soft.leader;
    ++m_counters.leaderChanges;
    m_heartbeatAnswered = false;
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
    emit clusterEvent(QStringLiteral("leader"), m_leader ? QStringLiteral("leader is node %1 in term %2").arg(m_leader).arg(term)
                                                         : QStringLiteral("no leader known in term %1").arg(term));
    emit leaderChanged(m_leader, term);
    if (m_leader != 0)
        QMetaObject::invokeMethod(this, &RaftController::heartbeatNow, Qt::QueuedConnection);
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
    if (m_node) {
        const raft::RaftStatus rs = m_node->status();
        status->role = rs.role;
        status->term = rs.term;
        status->vote = rs.vote;
        status->leaderId = rs.leader;
        status->commit = rs.commit;
        status->voters = rs.voters;
        status->learners = rs.learners;
        status->lastIndex = rs.lastIndex;
        status->leadTransferee = rs.leadTransferee;
        status->progress = rs.progress;
    }
    status->applied = m_applied;
    status->raftAddresses = m_addresses;
    const auto image = m_stateMachine.image();
    const metadata::BrokerInfo *me = image->broker(m_options.nodeId);
    status->registered = me && me->incarnationId == m_options.incarnationId;
    status->fenced = me && me->fenced;
    status->leaderCommitAtHeartbeat = m_leaderCommitAtHeartbeat;
    status->heartbeatAnswered = m_heartbeatAnswered;
    if (m_isLeader) {
        for (const auto &[id, broker] : image->brokers)
            if (const int64_t last = m_liveness.lastHeartbeatMs(id); last >= 0)
                status->brokerHeartbeatAgeMs[id] = nowMs() - last;
    }
    if (m_transport) {
        for (const PeerLinkStatus &l : m_transport->linkStatus()) {
            ClusterStatus::Link &link = status->links.emplace_back();
            link.peer = l.peerId;
            link.address = l.address.toStdString();
            link.state = peerLinkStateName(l.state);
            link.lastError = l.lastError.toStdString();
            link.direction = peerLinkDirectionName(l.direction);
            link.sinceUnixMs = l.since.isValid() ? l.since.toMSecsSinceEpoch() : 0;
            link.bytesSent = l.bytesSent;
            link.bytesReceived = l.bytesReceived;
            link.framesDropped = l.framesDropped;
        }
    }
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
    m_node->tick();
    m_proposals.expire(now);
    m_reads.expire(now);
    if (now - m_lastHeartbeatSentMs >= m_options.brokerHeartbeatIntervalMs)
        sendHeartbeat();
    if (m_isLeader)
        controllerDuties();
    if (!m_options.joinAddress.empty() && m_leader == 0 && !contains(m_confState->voters(), m_options.nodeId)
        && !contains(m_confState->learners(), m_options.nodeId) && now - m_lastJoinRequestMs >= kJoinRetryMs) {
        m_lastJoinRequestMs = now;
        PeerFrame frame;
        frame.mutable_join_request()->set_node_id(m_options.nodeId);
        frame.mutable_join_request()->set_raft_address(m_options.raftHost + ":" + to_string(m_options.raftPort));
        m_transport->send(0, frame);
    }
    handleReady();
}

void RaftController::heartbeatNow()
{
    m_lastHeartbeatSentMs = -1000000;
    sendHeartbeat();
    publishStatus();
}

void RaftController::sendHeartbeat()
{
    if (!m_started || m_leader == 0)
        return;
    const auto image = m_stateMachine.image();
    const metadata::BrokerInfo *me = image->broker(m_options.nodeId);
    if (!me || me->incarnationId != m_options.incarnationId)
        return;   // not registered yet: nothing to keep alive
    m_lastHeartbeatSentMs = nowMs();
    if (m_isLeader) {
        const uint64_t commit = m_node->status().commit;
        m_liveness.heartbeat(m_options.nodeId, m_options.incarnationId, m_applied, commit, nowMs());
        m_leaderCommitAtHeartbeat = commit;
        m_heartbeatAnswered = true;
        return;
    }
    PeerFrame frame;
    auto *hb = frame.mutable_broker_heartbeat();
    hb->set_broker_id(m_options.nodeId);
    hb->set_incarnation_id(m_options.incarnationId);
    hb->set_applied_index(m_applied);
    m_transport->send(m_leader, frame);
}

void RaftController::controllerDuties()
{
    const auto image = m_stateMachine.image();
    for (const auto &d : m_liveness.check(*image, nowMs())) {
        metadata::Command command;
        if (d.fence) {
            command.mutable_fence_broker()->set_broker_id(d.broker);
            command.mutable_fence_broker()->set_incarnation_id(d.incarnation);
        } else {
            command.mutable_unfence_broker()->set_broker_id(d.broker);
            command.mutable_unfence_broker()->set_incarnation_id(d.incarnation);
        }
        proposeInternal(command);
    }
    // Learners that caught up become voters (one change at a time; the core refuses the rest).
    const raft::RaftStatus rs = m_node->status();
    for (const raft::PeerStatus &p : rs.progress) {
        if (!p.isLearner || p.match < rs.commit)
            continue;
        if (m_node->proposeConfChange(singleChange(raft::ADD_VOTER, p.id)).isOk())
            qCInfo(lcCluster, "learner %llu caught up (match %llu); proposing it as a voter",
                   static_cast<unsigned long long>(p.id), static_cast<unsigned long long>(p.match));
        break;
    }
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
        scheduleReady();
        return;
    }
    case PeerFrame::kBrokerHeartbeat:
        onBrokerHeartbeat(from, frame);
        return;
    case PeerFrame::kBrokerHeartbeatReply:
        m_leaderCommitAtHeartbeat = frame.broker_heartbeat_reply().leader_commit();
        m_heartbeatAnswered = true;
        publishStatus();
        return;
    case PeerFrame::kJoinRequest:
        onJoinRequest(from, frame);
        return;
    case PeerFrame::kJoinReply: {
        const JoinReply &r = frame.join_reply();
        if (r.accepted()) {
            qCInfo(lcCluster, "join accepted by node %llu: catching up as a learner",
                   static_cast<unsigned long long>(r.leader_id()));
        } else if (!r.leader_raft_address().empty()) {
            qCInfo(lcCluster, "join: asking the leader, node %llu at %s", static_cast<unsigned long long>(r.leader_id()),
                   r.leader_raft_address().c_str());
            m_transport->setPeer(0, QString::fromStdString(r.leader_raft_address()));
        } else {
            qCInfo(lcCluster, "join not accepted yet: %s", r.error().c_str());
        }
        return;
    }
    default:
        qCWarning(lcCluster, "unexpected frame from node %llu (body %d); ignored", static_cast<unsigned long long>(from),
                  int(frame.body_case()));
        return;
    }
}

void RaftController::refusePeer(const std::string &reason)
{
    ++m_counters.peerFramesRefused;
    // Each reason is logged the first time; a peer that repeats it (a follower whose log was lost
    // refuses every heartbeat) is summed up every 10 s. The limiter bounds the reasons it tracks.
    if (m_refusedMessages.warning(reason, "refused from a peer: " + reason))
        emit clusterEvent(QStringLiteral("link-refused"), QString::fromStdString(reason));
}

void RaftController::onBrokerHeartbeat(uint64_t from, const PeerFrame &frame)
{
    if (!m_isLeader)
        return;   // the broker heartbeats whoever it thinks leads; it learns better from Raft
    const BrokerHeartbeat &hb = frame.broker_heartbeat();
    const auto image = m_stateMachine.image();
    const metadata::BrokerInfo *broker = image->broker(hb.broker_id());
    const uint64_t commit = m_node->status().commit;
    const bool member = contains(m_confState->voters(), hb.broker_id()) || contains(m_confState->learners(), hb.broker_id());
    if (broker && member && broker->incarnationId == hb.incarnation_id())
        m_liveness.heartbeat(hb.broker_id(), hb.incarnation_id(), hb.applied_index(), commit, nowMs());
    PeerFrame reply;
    reply.mutable_broker_heartbeat_reply()->set_leader_commit(commit);
    reply.mutable_broker_heartbeat_reply()->set_fenced(!broker || broker->fenced);
    m_transport->send(from, reply);
}

void RaftController::onJoinRequest(uint64_t from, const PeerFrame &frame)
{
    const JoinRequest &req = frame.join_request();
    PeerFrame reply;
    JoinReply *r = reply.mutable_join_reply();
    r->set_leader_id(m_leader);
    if (m_leader != 0 && m_addresses.count(m_leader))
        r->set_leader_raft_address(m_addresses[m_leader]);
    if (!m_isLeader) {
        r->set_error(m_leader == 0 ? "no leader is known yet" : "this node is not the leader");
        m_transport->send(from, reply);
        return;
    }
    const uint64_t id = req.node_id();
    if (contains(m_confState->voters(), id) || contains(m_confState->learners(), id)) {
        r->set_accepted(true);   // already a member: the learner is catching up (or done)
        m_transport->send(from, reply);
        return;
    }
    // The joiner starts with no configuration; a snapshot is what tells it the cluster's. Compact
    // so that the leader has to send one rather than the log from index 1.
    if (m_applied > m_lastSnapshotIndex) {
        auto addresses = m_addresses;
        addresses[id] = req.raft_address();
        if (Status s = m_storage->snapshotAndCompact(m_applied, *m_confState, encodeSnapshot(addresses), 0); !s.isOk()) {
            r->set_error("the leader could not snapshot its metadata: " + s.message());
            m_transport->send(from, reply);
            return;
        }
        m_lastSnapshotIndex = m_applied;
    }
    if (Status s = m_node->proposeConfChange(singleChange(raft::ADD_LEARNER, id, req.raft_address())); !s.isOk()) {
        r->set_error("cannot add node " + to_string(id) + " now: " + s.message());
        m_transport->send(from, reply);
        return;
    }
    qCInfo(lcCluster, "node %llu at %s asked to join: proposed as a learner", static_cast<unsigned long long>(id),
           req.raft_address().c_str());
    r->set_accepted(true);
    m_transport->send(from, reply);
    scheduleReady();
}

// ---- requests from other threads ------------------------------------------------------------

void RaftController::submit(const metadata::Command &command, QObject *context,
                            std::function<void(metadata::ApplyResult)> done)
{
    auto copy = std::make_shared<metadata::Command>(command);
    QMetaObject::invokeMethod(this, [this, copy, ctx = QPointer<QObject>(context), done = std::move(done)]() mutable {
        if (!m_started || !m_haltReason.isEmpty()) {
            metadata::replyOn(ctx, std::move(done),
                              {unavailable(m_haltReason.isEmpty() ? "metadata is still loading"
                                                                  : "the metadata loop stopped: " + m_haltReason.toStdString())});
            return;
        }
        const uint64_t id = m_proposals.add(ctx, std::move(done), nowMs() + m_options.proposalTimeoutMs);
        auto *tag = copy->mutable_tag();
        tag->set_origin_node(m_options.nodeId);
        tag->set_origin_incarnation(m_options.incarnationId);
        tag->set_request_id(id);
        if (Status s = m_node->propose(copy->SerializeAsString()); !s.isOk()) {
            m_proposals.fail(id, unavailable(s.message()));
            return;
        }
        scheduleReady();
    }, Qt::QueuedConnection);
}

void RaftController::transferLeadership(uint64_t to, QObject *context, std::function<void(Status)> done)
{
    Status s = m_node ? m_node->transferLeader(to) : unavailable("the Raft node is not running");
    scheduleReady();
    metadata::replyOn(context, [done = std::move(done)](metadata::ApplyResult r) { done(r.status); }, {s});
}

void RaftController::linearizableRead(QObject *context, std::function<void(Status, metadata::ImagePtr)> done)
{
    const std::string ctx = m_reads.nextContext();
    Status s = m_node ? m_node->readIndex(ctx) : unavailable("the Raft node is not running");
    if (!s.isOk()) {
        QMetaObject::invokeMethod(context, [done = std::move(done), s]() { done(s, nullptr); }, Qt::QueuedConnection);
        return;
    }
    m_reads.add(ctx, QPointer<QObject>(context), std::move(done), nowMs() + m_options.proposalTimeoutMs);
    scheduleReady();
}

void RaftController::addNode(uint64_t node, const std::string &raftAddress, QObject *context,
                             std::function<void(Status)> done)
{
    proposeConfChange(singleChange(raft::ADD_LEARNER, node, raftAddress), context, std::move(done));
}

void RaftController::removeNode(uint64_t node, QObject *context, std::function<void(Status)> done)
{
    proposeConfChange(singleChange(raft::REMOVE_NODE, node), context, std::move(done));
}

void RaftController::proposeConfChange(const raft::ConfChange &change, QObject *context, std::function<void(Status)> done)
{
    Status s = m_node ? m_node->proposeConfChange(change) : unavailable("the Raft node is not running");
    scheduleReady();
    metadata::replyOn(context, [done = std::move(done)](metadata::ApplyResult r) { done(r.status); }, {s});
}

} // namespace skiff::cluster
