#include "raft/Raft.h"

#include "raft/Limits.h"
#include "raft/Storage.h"
#include "raft/Util.h"

#include <algorithm>
#include <string>

namespace skiff::raft {

using std::to_string;

const char *roleName(Role role)
{
    switch (role) {
    case Role::Follower: return "follower";
    case Role::PreCandidate: return "pre-candidate";
    case Role::Candidate: return "candidate";
    case Role::Leader: return "leader";
    }
    return "?";
}

Result<std::unique_ptr<Raft>> Raft::create(const Config &config)
{
    SKIFF_RETURN_IF_ERROR(config.validate());
    std::unique_ptr<Raft> r(new Raft(config));
    SKIFF_RETURN_IF_ERROR(r->init());
    return r;
}

Raft::Raft(const Config &config)
    : m_id(config.id),
      m_config(config),
      m_log(config.storage, config.maxCommittedSizePerReady),
      m_tracker(config.maxInflightMsgs),
      m_readOnly(config.readOnlyOption),
      m_rng(config.randomSeed ^ (config.id * 0x9E3779B97F4A7C15ULL))
{
}

Status Raft::init()
{
    auto st = m_config.storage->initialState();
    if (!st.isOk())
        return st.status().withContext("raft node " + to_string(m_id) + ": reading initial state");
    const HardState &hs = st->hardState;
    m_tracker.reset(st->confState, m_log.lastIndex() + 1);
    if (hs.term() != 0 || hs.vote() != 0 || hs.commit() != 0) {
        if (hs.commit() < m_log.committed() || hs.commit() > m_log.lastIndex())
            return corruption("raft node " + to_string(m_id) + ": persisted commit " + to_string(hs.commit()) +
                              " is outside the stored log [" + to_string(m_log.committed()) + ", " +
                              to_string(m_log.lastIndex()) + "]; the log or hard state is damaged");
        if (hs.term() > kMaxTerm)
            return corruption("raft node " + to_string(m_id) + ": persisted term " + to_string(hs.term()) +
                              " is beyond the largest usable term " + to_string(kMaxTerm) +
                              "; the hard state is damaged, or a faulty peer's term was accepted by an older build");
        m_log.commitTo(hs.commit());
        m_term = hs.term();
        m_vote = hs.vote();
    }
    if (m_config.applied > 0) {
        if (m_config.applied > m_log.committed() || m_config.applied < m_log.applied())
            return invalidArgument("raft node " + to_string(m_id) + ": config applied " +
                                   to_string(m_config.applied) + " is outside [" + to_string(m_log.applied()) +
                                   ", commit " + to_string(m_log.committed()) + "]");
        m_log.appliedTo(m_config.applied);
    }
    becomeFollower(m_term, kNone);
    return Status::ok();
}

HardState Raft::hardState() const
{
    HardState hs;
    hs.set_term(m_term);
    hs.set_vote(m_vote);
    hs.set_commit(m_log.committed());
    return hs;
}

// ---- sending ---------------------------------------------------------------------------------

void Raft::send(Message m)
{
    if (m.from() == kNone)
        m.set_from(m_id);
    const MessageType t = m.type();
    if (t == MSG_VOTE || t == MSG_VOTE_RESP || t == MSG_PRE_VOTE || t == MSG_PRE_VOTE_RESP) {
        if (m.term() == 0)
            raftFatal("vote message of type " + to_string(int(t)) + " sent without a term");
    } else if (t != MSG_PROP && t != MSG_READ_INDEX) {
        // Forwarded proposals and reads keep term 0: the leader treats them as local.
        m.set_term(m_term);
    }
    if (needsPersistence(t))
        m_msgsAfterPersist.push_back(std::move(m));
    else
        m_msgs.push_back(std::move(m));
}

bool Raft::maybeSendAppend(uint64_t to, bool sendIfEmpty)
{
    Progress *pr = m_tracker.progress(to);
    if (pr == nullptr || to == m_id || pr->isPaused())
        return false;
    Message m;
    m.set_to(to);
    const uint64_t prevIndex = pr->next() - 1;
    auto prevTerm = m_log.term(prevIndex);
    auto ents = m_log.entries(pr->next(), m_config.maxSizePerMsg);
    if (ents.isOk() && ents->empty() && !sendIfEmpty)
        return false;
    if (!prevTerm || !ents.isOk()) {
        // What the follower needs was compacted: send a snapshot, but only to a live follower.
        if (!pr->recentActive())
            return false;
        auto snap = m_log.snapshot();
        if (!snap.isOk()) {
            if (isSnapshotTemporarilyUnavailable(snap.status()))
                return false;
            raftFatal("reading the snapshot for node " + to_string(to) + " failed: " + snap.status().toString());
        }
        if (snap->metadata().index() == 0)
            raftFatal("node " + to_string(to) + " needs a snapshot but the storage snapshot is empty");
        m.set_type(MSG_SNAP);
        pr->becomeSnapshot(snap->metadata().index());
        *m.mutable_snapshot() = std::move(snap).value();
    } else {
        m.set_type(MSG_APP);
        m.set_index(prevIndex);
        m.set_log_term(*prevTerm);
        m.set_commit(m_log.committed());
        auto &list = ents.value();
        if (!list.empty()) {
            const uint64_t last = list.back().index();
            if (pr->state() == ProgressState::Replicate) {
                pr->optimisticUpdate(last);
                pr->inflights().add(last);
            } else if (pr->state() == ProgressState::Probe) {
                pr->pauseProbe();
            }
        }
        auto *out = m.mutable_entries();
        out->Reserve(int(list.size()));
        for (auto &e : list)
            *out->Add() = std::move(e);
    }
    send(std::move(m));
    return true;
}

void Raft::sendHeartbeat(uint64_t to, const std::string &ctx)
{
    const Progress *pr = m_tracker.progress(to);
    // Never tell a follower to commit beyond what it is known to have.
    const uint64_t commit = std::min(pr ? pr->match() : 0, m_log.committed());
    Message m;
    m.set_type(MSG_HEARTBEAT);
    m.set_to(to);
    m.set_commit(commit);
    m.set_context(ctx);
    send(std::move(m));
}

void Raft::bcastAppend()
{
    for (auto &[id, pr] : m_tracker.progressMap())
        if (id != m_id)
            sendAppend(id);
}

void Raft::flushAppends()
{
    const PendingAppends pending = m_pendingAppends;
    m_pendingAppends = PendingAppends::None;
    if (pending == PendingAppends::None || m_role != Role::Leader)
        return;
    for (auto &[id, pr] : m_tracker.progressMap()) {
        if (id == m_id)
            continue;
        if (pending == PendingAppends::Commit)
            sendAppend(id);
        while (maybeSendAppend(id, false)) {
        }
    }
}

void Raft::bcastHeartbeat(const std::string &ctx)
{
    for (auto &[id, pr] : m_tracker.progressMap())
        if (id != m_id)
            sendHeartbeat(id, ctx);
}

void Raft::sendTimeoutNow(uint64_t to)
{
    Message m;
    m.set_type(MSG_TIMEOUT_NOW);
    m.set_to(to);
    send(std::move(m));
}

// ---- state transitions -----------------------------------------------------------------------

bool Raft::maybeCommit()
{
    return m_log.maybeCommit(m_tracker.committed(), m_term);
}

void Raft::reset(uint64_t term)
{
    if (m_term != term) {
        m_term = term;
        m_vote = kNone;
    }
    m_lead = kNone;
    m_electionElapsed = 0;
    m_heartbeatElapsed = 0;
    resetRandomizedElectionTimeout();
    abortLeaderTransfer();
    m_tracker.resetVotes();
    const uint64_t next = m_log.lastIndex() + 1;
    for (auto &[id, pr] : m_tracker.progressMap()) {
        const uint64_t contact = pr.lastContactTick();  // kept for status(): it is history, not state
        pr = Progress(next, m_config.maxInflightMsgs, pr.isLearner());
        pr.setLastContactTick(contact);
        if (id == m_id)
            pr.setMatch(m_log.stableLastIndex());  // only what is durable counts towards commit
    }
    m_pendingConfIndex = 0;
    m_pendingAppends = PendingAppends::None;
    m_uncommittedSize = 0;
    m_readOnly = ReadOnly(m_config.readOnlyOption);
    m_pendingReadIndexMessages.clear();
}

void Raft::resetRandomizedElectionTimeout()
{
    m_randomizedElectionTimeout = m_config.electionTick + int(m_rng.uniform(uint64_t(m_config.electionTick)));
}

void Raft::becomeFollower(uint64_t term, uint64_t lead)
{
    reset(term);
    m_lead = lead;
    m_role = Role::Follower;
}

void Raft::becomeCandidate()
{
    if (m_role == Role::Leader)
        raftFatal("invalid transition leader -> candidate");
    reset(m_term + 1);
    m_vote = m_id;
    m_role = Role::Candidate;
}

void Raft::becomePreCandidate()
{
    if (m_role == Role::Leader)
        raftFatal("invalid transition leader -> pre-candidate");
    // Neither term nor vote change: a pre-election must leave no trace if it fails.
    m_tracker.resetVotes();
    m_lead = kNone;
    m_role = Role::PreCandidate;
}

void Raft::becomeLeader()
{
    if (m_role == Role::Follower)
        raftFatal("invalid transition follower -> leader");
    reset(m_term);
    m_lead = m_id;
    m_role = Role::Leader;
    if (Progress *self = m_tracker.progress(m_id)) {
        self->becomeReplicate();
        self->setMatch(m_log.stableLastIndex());
    }
    std::vector<Entry> noop(1);
    noop[0].set_type(ENTRY_NOOP);
    appendEntries(noop);
    // No configuration change until the NOOP of this term is applied: a leader must commit an
    // entry of its own term before changing membership (Ongaro's 2015 single-server change fix).
    m_pendingConfIndex = m_log.lastIndex();
    bcastAppend();
}

bool Raft::promotable() const
{
    return m_tracker.isVoter(m_id) && !m_log.unstableSnapshot();
}

bool Raft::hasUnappliedConfChanges() const
{
    if (m_log.applied() >= m_log.committed())
        return false;
    auto ents = m_log.slice(std::max(m_log.applied() + 1, m_log.firstIndex()), m_log.committed() + 1,
                            std::numeric_limits<uint64_t>::max());
    if (!ents.isOk())
        return false;
    for (const Entry &e : ents.value())
        if (e.type() == ENTRY_CONF_CHANGE)
            return true;
    return false;
}

bool Raft::committedEntryInCurrentTerm() const
{
    return m_log.zeroTermOnErr(m_log.committed()) == m_term;
}

void Raft::hup(CampaignType t)
{
    if (m_role == Role::Leader || !promotable())
        return;
    // A committed but unapplied membership change might remove us or change the quorum.
    if (hasUnappliedConfChanges())
        return;
    campaign(t);
}

void Raft::campaign(CampaignType t)
{
    uint64_t term;
    MessageType voteMsg;
    if (t == CampaignType::PreElection) {
        becomePreCandidate();
        voteMsg = MSG_PRE_VOTE;
        term = m_term + 1;  // the term we would campaign in; ours stays unchanged
    } else {
        becomeCandidate();
        voteMsg = MSG_VOTE;
        term = m_term;
    }
    if (poll(m_id, true) == VoteResult::Won) {
        if (t == CampaignType::PreElection)
            campaign(CampaignType::Election);
        else
            becomeLeader();
        return;
    }
    for (uint64_t id : m_tracker.voters()) {
        if (id == m_id)
            continue;
        Message m;
        m.set_type(voteMsg);
        m.set_to(id);
        m.set_term(term);
        m.set_index(m_log.lastIndex());
        m.set_log_term(m_log.lastTerm());
        if (t == CampaignType::Transfer)
            m.set_context(kCampaignTransfer);
        send(std::move(m));
    }
}

VoteResult Raft::poll(uint64_t id, bool granted)
{
    m_tracker.recordVote(id, granted);
    return m_tracker.tallyVotes();
}

// ---- ticking ---------------------------------------------------------------------------------

void Raft::tick()
{
    ++m_tickCount;
    if (m_role == Role::Leader)
        tickHeartbeat();
    else
        tickElection();
}

void Raft::tickElection()
{
    ++m_electionElapsed;
    if (promotable() && pastElectionTimeout()) {
        m_electionElapsed = 0;
        Message m;
        m.set_type(MSG_HUP);
        m.set_from(m_id);
        (void)step(m);
    }
}

void Raft::tickHeartbeat()
{
    ++m_heartbeatElapsed;
    ++m_electionElapsed;
    if (m_electionElapsed >= m_config.electionTick) {
        m_electionElapsed = 0;
        if (m_config.checkQuorum) {
            Message m;
            m.set_type(MSG_CHECK_QUORUM);
            m.set_from(m_id);
            (void)step(m);
        }
        // A transfer that did not finish within an election timeout is abandoned.
        if (m_role == Role::Leader && m_leadTransferee != kNone)
            abortLeaderTransfer();
        // A leader that is no longer a voter keeps trying to hand off leadership.
        if (m_role == Role::Leader && !m_tracker.isVoter(m_id) && m_config.stepDownOnRemoval)
            handOffLeadership();
    }
    if (m_role != Role::Leader)
        return;
    if (m_heartbeatElapsed >= m_config.heartbeatTick) {
        m_heartbeatElapsed = 0;
        Message m;
        m.set_type(MSG_BEAT);
        m.set_from(m_id);
        (void)step(m);
    }
}

} // namespace skiff::raft
