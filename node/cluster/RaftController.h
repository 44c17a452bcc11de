#pragma once
// The metadata controller of a clustered node: the Raft Ready loop.
//
// It lives on its own thread (the "raft" thread) and alone owns the Raft node, its durable
// storage, the peer links and the metadata state machine. A QTimer drives tick(); peer frames
// arrive as queued events on the same thread; proposals from other threads are posted to it.
// Nobody else takes a lock it holds: readers take the published image or status by pointer.
//
// Each Ready-loop iteration: send what may go at once, persist entries and hard state (fsync
// when the Ready says so), send what needed persistence, apply committed entries by type
// (metadata commands to the state machine, configuration changes to Raft, an unknown type stops
// the loop loudly), publish the new image, advance.
//
// The concerns around the loop live beside it, each testable without sockets: ProposalTracker and
// ReadTracker answer proposals and ReadIndex reads; BrokerHeartbeats sends this broker's heartbeats
// and, on the leader, answers the others' and proposes fencing; Membership holds the
// configuration, the address book and joining; PeerAdmission decides who may speak;
// CommandNarration says what an applied command means; ReplicaFetchTimes, QuorumView and
// QuorumRequests answer Kafka's DescribeQuorum (a follower asks the leader); the snapshot payload
// codec is in node/metadata. This class wires them to the Raft node, the storage and the peer links.

#include "admin.pb.h"
#include "cluster/BrokerHeartbeats.h"
#include "cluster/ClusterOptions.h"
#include "cluster/ClusterStatus.h"
#include "cluster/Membership.h"
#include "cluster/MembershipWaits.h"
#include "cluster/PeerAdmission.h"
#include "cluster/ProposalTracker.h"
#include "cluster/QuorumRequests.h"
#include "cluster/ReadTracker.h"
#include "cluster/ReplicaFetchTimes.h"
#include "cluster/SkippedEntries.h"
#include "cluster/ReadyLoopMetrics.h"
#include "core/RateLimitedLog.h"
#include "metadata/MetadataController.h"
#include "metadata/MetadataStateMachine.h"
#include "raft/ReadState.h"
#include "raft/Ready.h"
#include "raft/Role.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QTimer>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>

namespace skiff::raft {
class ConfChange;
class ConfState;
class Entry;
class Message;
class RawNode;
class Snapshot;
struct Ready;
struct SoftState;
} // namespace skiff::raft

namespace skiff::cluster {

class DurableStorage;
class PeerFrame;
class PeerTransport;

// Thread contract. Every public member may be called on any thread. The mutators post themselves
// to the raft thread (the thread this object lives on) and return at once, even when called
// there, so no caller needs a wrapper; they take effect in the order they were called from one
// thread. Answers come back as a call posted to `context`'s thread (dropped if `context` is gone
// by then), or as signals, which reach receivers on their own threads. Everything private runs
// on the raft thread only.
class RaftController : public metadata::MetadataController {
    Q_OBJECT
public:
    explicit RaftController(ClusterOptions options);
    ~RaftController() override;

    // ---- readers: an atomic load, never a wait for the raft thread
    ClusterStatusPtr clusterStatus() const { return m_status.load(std::memory_order_acquire); }
    const ReadyLoopMetrics &readyLoopMetrics() const { return m_loopMetrics; }
    // The metadata WAL's fdatasync latency; empty until start() opened the log.
    metrics::HistogramSnapshot walFsyncLatency() const;

    // ---- mutators: posted to the raft thread
    // Opens storage, replays, starts links and the clock; then ready() or failed().
    void start();
    // Stops the clock and links and syncs the log; then `done` runs on `context`'s thread.
    void stop(QObject *context, std::function<void()> done);
    void submit(const metadata::Command &command, QObject *context,
                std::function<void(metadata::ApplyResult)> done) override;
    // Answered from the published status on the leader; a follower asks the leader (QuorumView.h).
    void describeQuorum(QObject *context, std::function<void(Result<metadata::QuorumDescription>)> done) override;
    // Sends this broker's heartbeat without waiting for the interval.
    void heartbeatNow();
    // Any thread (SIGHUP): peer links read their TLS files again, when raft.ssl.enable is set.
    void reloadTls();
    // Asks the leader to hand leadership to `to` (forwarded when this node is a follower).
    void transferLeadership(uint64_t to, QObject *context, std::function<void(Status)> done);
    // Before a clean stop: when this node leads, hands leadership to the most up-to-date voter
    // whose link is up (Raft's TimeoutNow: it campaigns at once), so proposals and reads move
    // on without waiting for an election timeout. `done` once another node leads, at once when
    // this node does not lead or no voter can take over (a cluster of one), or after `timeoutMs`.
    void handOffLeadership(int64_t timeoutMs, QObject *context, std::function<void()> done);
    // Removes `node` from the voters (the leader transfers leadership first if it is the one);
    // `done` once the applied configuration no longer has it.
    void removeNode(uint64_t node, QObject *context, std::function<void(Status)> done);
    // A linearizable read (ReadIndex): `done` gets an image that includes every change committed
    // before this call, on any node, or an error (no leader, not confirmed in time).
    void linearizableRead(QObject *context, std::function<void(Status, metadata::ImagePtr)> done);
    // Adds `node` at `raftAddress` as a learner (`done` once the applied configuration has it);
    // the leader promotes it once it has caught up.
    // (A node started with --join asks for this itself.)
    void addNode(uint64_t node, const std::string &raftAddress, QObject *context, std::function<void(Status)> done);

signals:
    void leaderChanged(quint64 leader, quint64 term);
    // This broker is registered, unfenced and has applied what the leader had committed at the
    // last heartbeat: what /ready reports and what start-up waits for.
    void caughtUp();
    // Something an operator wants to see in an event log. The kind (admin.proto's EventKind) is
    // set here, where the event is made: leader, role, term, election, broker registered, fenced,
    // unfenced, configuration, link up, down or refused, halted, topics created and deleted,
    // partitions created, leaders elected, ISRs changed; and from the rest of the node
    // (reportEvent): watchdog stall and miss, lock-order inversion, self-deadlock, partition
    // offline and online. `moves`: the leaderships a LEADER_ELECTED event moved.
    void clusterEvent(skiff::admin::EventKind kind, QString text, skiff::admin::LeaderMoves moves = {});

public:
    // Any thread: relays an event found elsewhere in the node (watchdog stalls, lock-order
    // inversions) to the same subscribers. Receivers are queued onto their own threads.
    void reportEvent(skiff::admin::EventKind kind, const QString &text) { emit clusterEvent(kind, text); }

private:
    // Runs `call` on the raft thread, after what is already queued there.
    void post(std::function<void()> call);
    void startLoop();
    void stopLoop();
    void sendHeartbeatNow();
    Status openStorage();
    void scheduleReady();
    void handleReady();
    Status persist(raft::Ready &rd);
    // persist() found the filesystem full: keep rd for the next turn and say so once.
    void holdForStorage(raft::Ready rd, const Status &why);
    static constexpr int kStorageFullRetryMs = 250;
    Status applyEntry(const raft::Entry &entry, bool &imageChanged);
    Status applyConfChange(const raft::Entry &entry, const raft::ConfChange &change);
    Status restoreSnapshot(const raft::Snapshot &snapshot);
    void maybeSnapshot();
    // The state machine's snapshot payload: the image and the member addresses given.
    std::string encodeSnapshot(const std::map<uint64_t, std::string> &addresses) const;
    Status snapshotForJoiner(const std::map<uint64_t, std::string> &addresses);
    // Posted like the public mutators (addNode and removeNode are this with a change built);
    // `done` runs once the configuration shows `reached` (MembershipWaits), or with the error.
    void proposeConfChange(const raft::ConfChange &change, MembershipWaits::Reached reached, std::string what,
                           QObject *context, std::function<void(Status)> done);
    void onSoftState(const raft::SoftState &soft);
    void onTick();
    void onFrame(uint64_t from, const PeerFrame &frame);
    // A follower answered an append or heartbeat: the leader notes when (ReplicaFetchTimes).
    void noteFollowerAnswer(uint64_t from, const raft::Message &m);
    // Logs a refused peer frame or proposal once per distinct reason (a faulty or hostile peer
    // repeats itself every tick) and counts every refusal.
    void refusePeer(const std::string &reason);
    BrokerHeartbeats::RaftView raftView() const;
    void confirmLeadership(uint64_t sequence);
    void leaseReadStates(const std::vector<raft::ReadState> &states);
    int64_t updateLease();   // publishes it; returns the ms it still holds (-1: not held)
    void controllerDuties();
    void proposeInternal(metadata::Command command);
    // Sends the proposals ProposalTracker says are due to the current leader (or proposes them
    // here when this node leads): after every loop turn, so a leader change, a new term or a
    // link that came back resends what the lost leader may not have appended.
    void sendProposals();
    // A pending handOffLeadership ends: another node leads, or the time ran out.
    void endHandOff(bool handedOff);
    bool isOwnProposal(const metadata::Command &command) const;
    void send(const std::vector<raft::Message> &messages);
    void sendFrame(uint64_t to, const PeerFrame &frame);
    void publishImage();
    void publishStatus();
    void halt(const QString &reason);
    int64_t nowMs() const { return m_clock.elapsed(); }
    // Wall-clock ms: what DescribeQuorum reports (Kafka's replica times are the leader's wall clock).
    static int64_t unixNowMs();

    const ClusterOptions m_options;
    std::unique_ptr<DurableStorage> m_storage;
    std::unique_ptr<raft::RawNode> m_node;
    PeerTransport *m_transport = nullptr;   // child of this; created on the raft thread
    metadata::MetadataStateMachine m_stateMachine;
    ProposalTracker m_proposals;
    struct HandOff {
        uint64_t to = 0;
        int64_t deadlineMs = 0;
        QPointer<QObject> context;
        std::function<void()> done;
    };
    std::optional<HandOff> m_handOff;              // handOffLeadership under way
    std::set<uint64_t> m_linksDown;                // peers whose outbound link went down (and is not up again)
    MembershipWaits m_membershipWaits;   // add_node / remove_node callers
    ReadTracker m_reads;
    QuorumRequests m_quorumRequests;               // DescribeQuorum asked of the leader for a client
    ReplicaFetchTimes m_fetchTimes;                // leader only: when each follower answered, caught up
    // Results of this node's proposals applied in the current Ready, answered once the image
    // that holds them is published.
    std::vector<std::pair<uint64_t, metadata::ApplyResult>> m_appliedAnswers;
    BrokerHeartbeats m_heartbeats;
    Membership m_membership;
    PeerAdmission m_admission;                     // reads m_membership.configuration()
    SkippedEntries m_skipped;                      // entries the operator told us to skip

    QTimer m_tickTimer;
    // A follower that cannot take the leader's messages (its log lost, or a faulty peer) refuses
    // one every tick: one line, then a count every 10 s.
    core::RateLimitedLog m_refusedMessages;
    QElapsedTimer m_clock;
    bool m_readyScheduled = false;
    bool m_started = false;
    QString m_haltReason;
    // A Ready whose persist() the filesystem refused (full): kept, and persisted again before
    // any newer Ready, every kStorageFullRetryMs and at every loop turn, until space returns.
    // Nothing it vouches for (votes, append acks, applied entries) leaves meanwhile; readiness
    // says why (m_storageFull).
    std::optional<raft::Ready> m_unpersisted;
    QString m_storageFull;
    QElapsedTimer m_storageFullSince;
    uint64_t m_applied = 0;
    // The commit index the log had when this process opened it: applying up to it replays what
    // an earlier run already reported, so it makes no events (they would carry today's time).
    uint64_t m_committedAtStart = 0;
    uint64_t m_lastSnapshotIndex = 0;
    uint64_t m_leader = 0;
    uint64_t m_term = 0;
    bool m_isLeader = false;
    raft::Role m_role = raft::Role::Follower;
    bool m_caughtUpSignalled = false;
    bool m_leaseHeld = false;
    int64_t m_lastTickMs = -1;
    ClusterStatus m_counters;   // leader changes, elections, largest loop gap: copied into each published status
    std::atomic<ClusterStatusPtr> m_status;
    ReadyLoopMetrics m_loopMetrics;
    std::atomic<metrics::Histogram *> m_walFsync{nullptr};
    std::chrono::steady_clock::time_point m_lastIterationStart;
};

} // namespace skiff::cluster
