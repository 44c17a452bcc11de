#pragma once
// The Raft state machine proper (etcd-io/raft's `raft` struct): roles, terms, votes, replication,
// commit, ReadIndex, leadership transfer and membership. Deterministic: no clock (tick()), no I/O
// (messages are queued for the caller), randomness from a seeded Rng. Used through RawNode.

#include "common/Status.h"
#include "raft/Config.h"
#include "raft/ProgressTracker.h"
#include "raft/RaftLog.h"
#include "raft/ReadOnly.h"
#include "raft/Rng.h"
#include "raft/Role.h"

#include <memory>
#include <vector>

namespace skiff::raft {

class Raft {
public:
    static Result<std::unique_ptr<Raft>> create(const Config &config);

    void tick();
    // Feeds a message (from the network, or a local one such as MSG_HUP / MSG_PROP). Returns an
    // error for a proposal or read that cannot be accepted; network messages never fail.
    Status step(const Message &m);

    // Applies a committed configuration change; returns the new configuration.
    Result<ConfState> applyConfChange(const ConfChange &cc);
    // The persisted log advanced: a leader counts itself up to here.
    void onPersisted();
    // After applying: a leader in an auto-leave joint configuration proposes leaving it.
    void maybeAutoLeaveJoint();
    // Committed entries were handed to the application: they no longer count as uncommitted.
    void reduceUncommittedSize(uint64_t bytes);

    uint64_t id() const { return m_id; }
    uint64_t term() const { return m_term; }
    uint64_t vote() const { return m_vote; }
    uint64_t leader() const { return m_lead; }
    Role role() const { return m_role; }
    uint64_t leadTransferee() const { return m_leadTransferee; }
    uint64_t tickCount() const { return m_tickCount; }
    SoftState softState() const { return {m_lead, m_role}; }
    HardState hardState() const;
    RaftLog &log() { return m_log; }
    const RaftLog &log() const { return m_log; }
    const ProgressTracker &tracker() const { return m_tracker; }

    // Appends owed to followers are coalesced until the caller collects a Ready, so a burst of
    // proposals goes out as one MsgApp per follower instead of one per proposal.
    bool hasPendingAppends() const { return m_pendingAppends != PendingAppends::None && m_role == Role::Leader; }
    void flushAppends();
    const std::vector<Message> &messages() const { return m_msgs; }
    const std::vector<Message> &messagesAfterPersist() const { return m_msgsAfterPersist; }
    const std::vector<ReadState> &readStates() const { return m_readStates; }
    std::vector<Message> &messages() { return m_msgs; }
    std::vector<Message> &messagesAfterPersist() { return m_msgsAfterPersist; }
    std::vector<ReadState> &readStates() { return m_readStates; }

private:
    enum class CampaignType { PreElection, Election, Transfer };
    enum class PendingAppends { None, Entries, Commit };  // Commit: send even without entries

    explicit Raft(const Config &config);
    Status init();

    void send(Message m);
    void sendAppend(uint64_t to) { maybeSendAppend(to, true); }
    bool maybeSendAppend(uint64_t to, bool sendIfEmpty);
    void sendHeartbeat(uint64_t to, const std::string &ctx);
    void bcastAppend();
    void bcastHeartbeat(const std::string &ctx);
    void sendTimeoutNow(uint64_t to);
    bool maybeCommit();
    void reset(uint64_t term);
    bool appendEntries(std::vector<Entry> &ents);  // assigns term and index in place
    void tickElection();
    void tickHeartbeat();
    bool pastElectionTimeout() const { return m_electionElapsed >= m_randomizedElectionTimeout; }
    void resetRandomizedElectionTimeout();
    void becomeFollower(uint64_t term, uint64_t lead);
    void becomeCandidate();
    void becomePreCandidate();
    void becomeLeader();
    void hup(CampaignType t);
    void campaign(CampaignType t);
    VoteResult poll(uint64_t id, bool granted);
    bool promotable() const;
    bool hasUnappliedConfChanges() const;
    bool committedEntryInCurrentTerm() const;
    void abortLeaderTransfer() { m_leadTransferee = 0; }

    Status stepLeader(const Message &m);
    Status stepCandidate(const Message &m);
    Status stepFollower(const Message &m);
    Status leaderPropose(const Message &m);
    Status checkProposedEntry(const Entry &e) const;
    // Removes from `ents` the proposals whose copy is already in the log from index `first` on.
    Status dropResentCopies(std::vector<Entry> &ents, uint64_t first) const;
    Status leaderReadIndex(const Message &m);
    void handleAppendEntries(const Message &m);
    void handleHeartbeat(const Message &m);
    void handleSnapshot(const Message &m);
    bool restore(const Snapshot &snap);
    void sendReadIndexResponse(const Message &req, uint64_t readIndex);
    void releasePendingReadIndexMessages();
    void afterConfigChange();
    void handOffLeadership();
    Status applyConfChangeTo(ProgressTracker &tracker, const ConfChange &cc) const;

    uint64_t m_id;
    Config m_config;
    uint64_t m_term = 0;
    uint64_t m_vote = 0;
    uint64_t m_lead = 0;
    Role m_role = Role::Follower;
    RaftLog m_log;
    ProgressTracker m_tracker;
    ReadOnly m_readOnly;
    Rng m_rng;
    std::vector<Message> m_msgs;
    std::vector<Message> m_msgsAfterPersist;
    std::vector<ReadState> m_readStates;
    std::vector<Message> m_pendingReadIndexMessages;  // reads held until the leader commits in its term
    uint64_t m_leadTransferee = 0;
    PendingAppends m_pendingAppends = PendingAppends::None;
    uint64_t m_handOffAttempts = 0;  // rotates the target when a removed leader hands off
    uint64_t m_pendingConfIndex = 0;  // no conf change may be proposed until applied >= this
    uint64_t m_uncommittedSize = 0;
    int m_electionElapsed = 0;
    int m_heartbeatElapsed = 0;
    int m_randomizedElectionTimeout = 0;
    uint64_t m_tickCount = 0;
};

} // namespace skiff::raft
