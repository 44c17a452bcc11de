// Raft::step and the per-role message handlers (split from Raft.cpp to keep files small).
#include "raft/Raft.h"

#include "raft/Storage.h"
#include "raft/Util.h"

#include <algorithm>
#include <limits>
#include <set>
#include <string>

namespace skiff::raft {

using std::to_string;

// ---- step ------------------------------------------------------------------------------------

Status Raft::step(const Message &m)
{
    const MessageType t = m.type();
    if (m.term() == 0) {
        // local message (or a forwarded proposal / read)
    } else if (m.term() > m_term) {
        if (t == MSG_VOTE || t == MSG_PRE_VOTE) {
            const bool force = m.context() == kCampaignTransfer;
            const bool inLease = m_config.checkQuorum && m_lead != kNone && m_electionElapsed < m_config.electionTick;
            // We heard from a live leader within the election timeout: a vote request now comes
            // from a node that was partitioned away, and must not disrupt the cluster.
            if (!force && inLease)
                return Status::ok();
        }
        if (t == MSG_PRE_VOTE) {
            // Never change our term in response to a pre-vote.
        } else if (t == MSG_PRE_VOTE_RESP && !m.reject()) {
            // We bump our term when we win the pre-election, not when one vote arrives.
        } else if (t == MSG_APP || t == MSG_HEARTBEAT || t == MSG_SNAP) {
            becomeFollower(m.term(), m.from());
        } else {
            becomeFollower(m.term(), kNone);
        }
    } else if (m.term() < m_term) {
        if ((m_config.checkQuorum || m_config.preVote) && (t == MSG_HEARTBEAT || t == MSG_APP)) {
            // A stale leader (e.g. after a partition): answering with our higher term makes it
            // step down. Without this it could keep a follower from campaigning forever.
            Message resp;
            resp.set_type(MSG_APP_RESP);
            resp.set_to(m.from());
            send(std::move(resp));
        } else if (t == MSG_PRE_VOTE) {
            Message resp;
            resp.set_type(MSG_PRE_VOTE_RESP);
            resp.set_to(m.from());
            resp.set_term(m_term);
            resp.set_reject(true);
            send(std::move(resp));
        }
        return Status::ok();
    }

    switch (t) {
    case MSG_HUP:
        hup(m_config.preVote ? CampaignType::PreElection : CampaignType::Election);
        return Status::ok();
    case MSG_VOTE:
    case MSG_PRE_VOTE: {
        const bool canVote = m_vote == m.from() || (m_vote == kNone && m_lead == kNone) ||
                             (t == MSG_PRE_VOTE && m.term() > m_term);
        Message resp;
        resp.set_type(voteResponseType(t));
        resp.set_to(m.from());
        if (canVote && m_log.isUpToDate(m.index(), m.log_term())) {
            // Grant with the requester's term: a pre-vote grant is for the term it would use.
            resp.set_term(m.term());
            if (t == MSG_VOTE) {
                m_electionElapsed = 0;
                m_vote = m.from();
            }
        } else {
            resp.set_term(m_term);
            resp.set_reject(true);
        }
        send(std::move(resp));
        return Status::ok();
    }
    default:
        break;
    }
    switch (m_role) {
    case Role::Leader: return stepLeader(m);
    case Role::Candidate:
    case Role::PreCandidate: return stepCandidate(m);
    case Role::Follower: return stepFollower(m);
    }
    return Status::ok();
}

Status Raft::stepLeader(const Message &m)
{
    switch (m.type()) {
    case MSG_BEAT:
        bcastHeartbeat(m_readOnly.lastPendingRequestCtx());
        return Status::ok();
    case MSG_CHECK_QUORUM:
        // A removed leader handing off stays until a voter takes over: it may hold entries the
        // remaining voters need, and it can neither commit nor serve reads meanwhile.
        if (!m_tracker.quorumActive(m_id) && m_tracker.isVoter(m_id)) {
            becomeFollower(m_term, kNone);
            return Status::ok();
        }
        for (auto &[id, pr] : m_tracker.progressMap())
            if (id != m_id)
                pr.setRecentActive(false);
        return Status::ok();
    case MSG_PROP: return leaderPropose(m);
    case MSG_READ_INDEX: return leaderReadIndex(m);
    default: break;
    }

    Progress *pr = m_tracker.progress(m.from());
    if (pr == nullptr)
        return Status::ok();  // not (or no longer) a member
    switch (m.type()) {
    case MSG_APP_RESP:
        pr->markContact(m_tickCount);
        if (m.reject()) {
            uint64_t nextProbe = m.reject_hint();
            if (m.log_term() > 0)
                nextProbe = m_log.findConflictByTerm(m.reject_hint(), m.log_term()).first;
            if (pr->maybeDecrTo(m.index(), nextProbe)) {
                if (pr->state() == ProgressState::Replicate)
                    pr->becomeProbe();
                sendAppend(m.from());
            }
        } else {
            const bool oldPaused = pr->isPaused();
            if (pr->maybeUpdate(m.index())) {
                if (pr->state() == ProgressState::Probe) {
                    pr->becomeReplicate();
                } else if (pr->state() == ProgressState::Snapshot && pr->match() + 1 >= m_log.firstIndex()) {
                    // The follower caught up from the snapshot and our log covers the rest.
                    pr->becomeProbe();
                    pr->becomeReplicate();
                } else if (pr->state() == ProgressState::Replicate) {
                    pr->inflights().freeLE(m.index());
                }
                if (maybeCommit()) {
                    releasePendingReadIndexMessages();
                    m_pendingAppends = PendingAppends::Commit;  // tell followers the new commit
                } else if (oldPaused) {
                    sendAppend(m.from());
                }
                while (maybeSendAppend(m.from(), false)) {
                }
                if (m.from() == m_leadTransferee && pr->match() == m_log.lastIndex())
                    sendTimeoutNow(m.from());
            }
        }
        return Status::ok();
    case MSG_HEARTBEAT_RESP: {
        pr->markContact(m_tickCount);
        pr->resume();
        if (pr->state() == ProgressState::Replicate && pr->inflights().full())
            pr->inflights().freeFirstOne();
        if (pr->match() < m_log.lastIndex())
            sendAppend(m.from());
        if (m_readOnly.option() != ReadOnlyOption::Safe || m.context().empty())
            return Status::ok();
        const std::set<uint64_t> *acks = m_readOnly.recvAck(m.from(), m.context());
        if (acks == nullptr || m_tracker.voteResult(*acks) != VoteResult::Won)
            return Status::ok();
        for (auto &rs : m_readOnly.advance(m.context()))
            sendReadIndexResponse(rs.request, rs.index);
        return Status::ok();
    }
    case MSG_SNAP_STATUS:
        if (pr->state() != ProgressState::Snapshot)
            return Status::ok();
        if (m.reject())
            pr->becomeSnapshot(0);  // forget the failed snapshot: probe from match+1
        pr->becomeProbe();
        // Wait for the next heartbeat response before probing again.
        pr->pauseProbe();
        return Status::ok();
    case MSG_UNREACHABLE:
        if (pr->state() == ProgressState::Replicate)
            pr->becomeProbe();
        return Status::ok();
    case MSG_TRANSFER_LEADER: {
        if (pr->isLearner())
            return invalidArgument("leadership transfer to node " + to_string(m.from()) +
                                   " refused: it is a learner; promote it to voter first");
        const uint64_t transferee = m.from();
        if (m_leadTransferee != kNone) {
            if (m_leadTransferee == transferee)
                return Status::ok();  // already in progress
            abortLeaderTransfer();
        }
        if (transferee == m_id)
            return Status::ok();  // already the leader
        // The transfer must finish within an election timeout (tickHeartbeat aborts it).
        m_electionElapsed = 0;
        m_leadTransferee = transferee;
        if (pr->match() == m_log.lastIndex())
            sendTimeoutNow(transferee);
        else
            sendAppend(transferee);
        return Status::ok();
    }
    default:
        return Status::ok();
    }
}

// Only NORMAL entries the application can decode and CONF_CHANGE entries may be proposed; NOOP
// entries are the leader's own (becomeLeader), never a proposal's.
Status Raft::checkProposedEntry(const Entry &e) const
{
    switch (e.type()) {
    case ENTRY_NORMAL:
        return m_config.validateProposal ? m_config.validateProposal(e.data()) : Status::ok();
    case ENTRY_CONF_CHANGE:
        return Status::ok();   // decoded and dry-run below
    default:
        return invalidArgument("an entry of type " + to_string(int(e.type())) +
                               " cannot be proposed (only NORMAL and CONF_CHANGE entries can)");
    }
}

Status Raft::leaderPropose(const Message &m)
{
    if (m.entries_size() == 0)
        return invalidArgument("proposal has no entries");
    if (m_tracker.progress(m_id) == nullptr || !m_tracker.isVoter(m_id))
        return failedPrecondition("proposal dropped: leader " + to_string(m_id) +
                                  " was removed from the configuration; send it to the new leader");
    if (m_leadTransferee != kNone)
        return unavailable("proposal dropped: leadership is being transferred from " + to_string(m_id) + " to " +
                           to_string(m_leadTransferee) + "; retry against the new leader");
    if (m.from() != m_id && m_tracker.progress(m.from()) == nullptr)
        return failedPrecondition("proposal refused: it was forwarded by node " + to_string(m.from()) +
                                  ", which is not a member of the configuration");
    std::vector<Entry> ents(m.entries().begin(), m.entries().end());
    if (Status s = dropResentCopies(ents, m.first_possible_index()); !s.isOk())
        return s.withContext("proposal from node " + to_string(m.from()) + " refused");
    if (ents.empty())
        return Status::ok();   // already in the log: that copy answers its proposer once committed
    int confChangeAt = -1;
    for (size_t i = 0; i < ents.size(); ++i) {
        if (Status s = checkProposedEntry(ents[i]); !s.isOk())
            return s.withContext("proposal from node " + to_string(m.from()) + " refused");
        if (ents[i].type() != ENTRY_CONF_CHANGE)
            continue;
        if (confChangeAt >= 0 || m_pendingConfIndex > m_log.applied())
            return failedPrecondition("configuration change refused: the previous change (or this leader's first "
                                      "entry of term " + to_string(m_term) + ") at index " +
                                      to_string(m_pendingConfIndex) + " is not applied yet (applied " +
                                      to_string(m_log.applied()) + "); retry after it is applied");
        ConfChange cc;
        if (!cc.ParseFromString(ents[i].data()))
            return invalidArgument("configuration change proposal does not decode as a ConfChange");
        for (const auto &c : cc.changes()) {
            if (c.type() == ADD_VOTER && m_tracker.isLearner(c.node_id())) {
                // Promote only a learner that has caught up: a lagging new voter could cost the
                // cluster its quorum until it catches up.
                const Progress *lp = m_tracker.progress(c.node_id());
                if (lp == nullptr || lp->match() < m_log.committed())
                    return failedPrecondition("promotion of learner " + to_string(c.node_id()) +
                                              " refused: it has not caught up (match " +
                                              to_string(lp ? lp->match() : 0) + ", commit " +
                                              to_string(m_log.committed()) + "); retry once it has");
            }
        }
        // Dry run on a copy: refuse now what could not be applied once committed.
        ProgressTracker trial = m_tracker;
        if (Status st = applyConfChangeTo(trial, cc); !st.isOk())
            return st.withContext("configuration change refused");
        confChangeAt = int(i);
    }
    if (!appendEntries(ents))
        return unavailable("proposal dropped: leader " + to_string(m_id) + " has more than " +
                           to_string(m_config.maxUncommittedEntriesSize) +
                           " bytes of uncommitted entries; retry after they commit");
    if (confChangeAt >= 0)
        m_pendingConfIndex = ents[size_t(confChangeAt)].index();
    if (m_pendingAppends == PendingAppends::None)
        m_pendingAppends = PendingAppends::Entries;
    return Status::ok();
}

// A follower sends a proposal again when the leader it went to is lost (or its link dropped),
// so one proposal can reach leaders several times. Why at most one copy is ever committed, when
// every leader appends a copy only if no entry of its log in [first, last] has its identity:
// * every copy that can be committed lands at an index >= first: `first` is one past a commit
//   index the proposer knew, and a leader that can still commit anything holds every committed
//   entry (a stale leader of an older term holds fewer, but a majority has moved past its term);
// * say copies at i < j were both committed. The leader of term T_j that appended the copy at j
//   had, by Log Matching, the committed log's entries 1..j-1 in its log at that moment (its own
//   entries never change while it leads), among them the copy at i >= first: it would have found
//   it and dropped its copy. A leader whose log no longer reaches back to `first` (compacted
//   into a snapshot) cannot look, so it refuses; the proposer retries or times out.
// A dropped copy is not lost: the copy in the log is committed or, if this leader loses it, the
// proposer sends it again to the next leader, which checks again.
Status Raft::dropResentCopies(std::vector<Entry> &ents, uint64_t first) const
{
    if (first == 0 || !m_config.proposalIdentity)
        return Status::ok();
    if (std::none_of(ents.begin(), ents.end(), [&](const Entry &e) {
            return e.type() == ENTRY_NORMAL && !m_config.proposalIdentity(e.data()).empty();
        }))
        return Status::ok();
    if (first < m_log.firstIndex())
        return unavailable("a resent proposal may have a copy at index " + to_string(first) +
                           " or later, which leader " + to_string(m_id) + " has compacted (first index " +
                           to_string(m_log.firstIndex()) + "); it cannot rule out a duplicate");
    std::set<std::string> inLog;
    if (first <= m_log.lastIndex()) {
        auto logged = m_log.slice(first, m_log.lastIndex() + 1, std::numeric_limits<uint64_t>::max());
        if (!logged.isOk())
            return logged.status();
        for (const Entry &e : logged.value())
            if (e.type() == ENTRY_NORMAL)
                if (std::string id = m_config.proposalIdentity(e.data()); !id.empty())
                    inLog.insert(std::move(id));
    }
    if (inLog.empty())
        return Status::ok();
    std::erase_if(ents, [&](const Entry &e) {
        return e.type() == ENTRY_NORMAL && inLog.contains(m_config.proposalIdentity(e.data()));
    });
    return Status::ok();
}

bool Raft::appendEntries(std::vector<Entry> &ents)
{
    uint64_t li = m_log.lastIndex();
    uint64_t size = 0;
    for (size_t i = 0; i < ents.size(); ++i) {
        ents[i].set_term(m_term);
        ents[i].set_index(li + 1 + i);
        size += ents[i].data().size();
    }
    if (m_config.maxUncommittedEntriesSize > 0 && m_uncommittedSize > 0 && size > 0 &&
        m_uncommittedSize + size > m_config.maxUncommittedEntriesSize)
        return false;
    m_uncommittedSize += size;
    // The leader counts itself towards the commit quorum only once these are durable (onPersisted).
    m_log.append(ents);
    return true;
}

void Raft::reduceUncommittedSize(uint64_t bytes)
{
    m_uncommittedSize = bytes > m_uncommittedSize ? 0 : m_uncommittedSize - bytes;
}

Status Raft::leaderReadIndex(const Message &m)
{
    if (m.entries_size() != 1)
        return invalidArgument("read index request must carry exactly one context entry");
    if (!m_tracker.isVoter(m_id))
        return unavailable("read index dropped: leader " + to_string(m_id) +
                           " was removed from the configuration and is handing off leadership; retry");
    if (m_tracker.isSingleton() && m_tracker.isVoter(m_id)) {
        sendReadIndexResponse(m, m_log.committed());
        return Status::ok();
    }
    // Until an entry of this term commits, our commit index may be behind the true one.
    if (!committedEntryInCurrentTerm()) {
        m_pendingReadIndexMessages.push_back(m);
        return Status::ok();
    }
    if (m_readOnly.option() == ReadOnlyOption::Safe) {
        m_readOnly.addRequest(m_log.committed(), m);
        m_readOnly.recvAck(m_id, m.entries(0).data());
        bcastHeartbeat(m.entries(0).data());
    } else {
        sendReadIndexResponse(m, m_log.committed());
    }
    return Status::ok();
}

void Raft::sendReadIndexResponse(const Message &req, uint64_t readIndex)
{
    if (req.from() == kNone || req.from() == m_id) {
        m_readStates.push_back({readIndex, req.entries(0).data()});
        return;
    }
    Message resp;
    resp.set_type(MSG_READ_INDEX_RESP);
    resp.set_to(req.from());
    resp.set_index(readIndex);
    *resp.mutable_entries() = req.entries();
    send(std::move(resp));
}

void Raft::releasePendingReadIndexMessages()
{
    if (m_pendingReadIndexMessages.empty() || !committedEntryInCurrentTerm())
        return;
    auto pending = std::move(m_pendingReadIndexMessages);
    m_pendingReadIndexMessages.clear();
    for (const Message &m : pending)
        (void)leaderReadIndex(m);
}

Status Raft::stepCandidate(const Message &m)
{
    const MessageType myResp = m_role == Role::PreCandidate ? MSG_PRE_VOTE_RESP : MSG_VOTE_RESP;
    switch (m.type()) {
    case MSG_PROP:
        return unavailable("proposal dropped: node " + to_string(m_id) + " is campaigning in term " +
                           to_string(m_term) + " and knows no leader; retry after the election");
    case MSG_READ_INDEX:
        return unavailable("read index dropped: node " + to_string(m_id) + " is campaigning and knows no leader");
    case MSG_TRANSFER_LEADER:
        return unavailable("leadership transfer dropped: node " + to_string(m_id) + " knows no leader");
    case MSG_APP:
        becomeFollower(m.term(), m.from());
        handleAppendEntries(m);
        return Status::ok();
    case MSG_HEARTBEAT:
        becomeFollower(m.term(), m.from());
        handleHeartbeat(m);
        return Status::ok();
    case MSG_SNAP:
        becomeFollower(m.term(), m.from());
        handleSnapshot(m);
        return Status::ok();
    default:
        break;
    }
    if (m.type() == myResp) {
        switch (poll(m.from(), !m.reject())) {
        case VoteResult::Won:
            if (m_role == Role::PreCandidate)
                campaign(CampaignType::Election);
            else
                becomeLeader();
            break;
        case VoteResult::Lost:
            // Lost the (pre-)election: wait as a follower; our term already reflects any higher one.
            becomeFollower(m_term, kNone);
            break;
        case VoteResult::Pending: break;
        }
    }
    return Status::ok();
}

Status Raft::stepFollower(const Message &m)
{
    switch (m.type()) {
    case MSG_PROP: {
        if (m_lead == kNone)
            return unavailable("proposal dropped: node " + to_string(m_id) + " knows no leader in term " +
                               to_string(m_term) + "; retry after an election");
        if (m_config.disableProposalForwarding)
            return failedPrecondition("proposal dropped: node " + to_string(m_id) + " is a follower (leader is " +
                                      to_string(m_lead) +
                                      ") and proposal forwarding is disabled; send it to the leader");
        Message fwd = m;
        fwd.set_to(m_lead);
        send(std::move(fwd));
        return Status::ok();
    }
    case MSG_APP:
        m_electionElapsed = 0;
        m_lead = m.from();
        handleAppendEntries(m);
        return Status::ok();
    case MSG_HEARTBEAT:
        m_electionElapsed = 0;
        m_lead = m.from();
        handleHeartbeat(m);
        return Status::ok();
    case MSG_SNAP:
        m_electionElapsed = 0;
        m_lead = m.from();
        handleSnapshot(m);
        return Status::ok();
    case MSG_TRANSFER_LEADER: {
        if (m_lead == kNone)
            return unavailable("leadership transfer dropped: node " + to_string(m_id) + " knows no leader");
        Message fwd = m;
        fwd.set_to(m_lead);
        send(std::move(fwd));
        return Status::ok();
    }
    case MSG_TIMEOUT_NOW:
        // The leader asked us to take over: campaign at once, skipping the pre-vote.
        hup(CampaignType::Transfer);
        return Status::ok();
    case MSG_READ_INDEX: {
        if (m_lead == kNone)
            return unavailable("read index dropped: node " + to_string(m_id) + " knows no leader in term " +
                               to_string(m_term) + "; retry after an election");
        Message fwd = m;
        fwd.set_to(m_lead);
        send(std::move(fwd));
        return Status::ok();
    }
    case MSG_READ_INDEX_RESP:
        if (m.entries_size() == 1)
            m_readStates.push_back({m.index(), m.entries(0).data()});
        return Status::ok();
    default:
        return Status::ok();
    }
}

void Raft::handleAppendEntries(const Message &m)
{
    Message resp;
    resp.set_type(MSG_APP_RESP);
    resp.set_to(m.from());
    if (m.index() < m_log.committed()) {
        resp.set_index(m_log.committed());
        send(std::move(resp));
        return;
    }
    std::vector<Entry> ents(m.entries().begin(), m.entries().end());
    if (auto last = m_log.maybeAppend(m.index(), m.log_term(), m.commit(), ents)) {
        resp.set_index(*last);
    } else {
        // Reject with a hint (largest index whose term <= the leader's prev term) so the leader
        // can skip a whole term of mismatching entries per round trip.
        const uint64_t hintIndex = std::min(m.index(), m_log.lastIndex());
        auto [idx, term] = m_log.findConflictByTerm(hintIndex, m.log_term());
        resp.set_index(m.index());
        resp.set_reject(true);
        resp.set_reject_hint(idx);
        resp.set_log_term(term);
    }
    send(std::move(resp));
}

void Raft::handleHeartbeat(const Message &m)
{
    m_log.commitTo(m.commit());
    Message resp;
    resp.set_type(MSG_HEARTBEAT_RESP);
    resp.set_to(m.from());
    resp.set_context(m.context());
    send(std::move(resp));
}

void Raft::handleSnapshot(const Message &m)
{
    Message resp;
    resp.set_type(MSG_APP_RESP);
    resp.set_to(m.from());
    if (restore(m.snapshot()))
        resp.set_index(m_log.lastIndex());
    else
        resp.set_index(m_log.committed());
    send(std::move(resp));
}

bool Raft::restore(const Snapshot &snap)
{
    const auto &md = snap.metadata();
    if (md.index() <= m_log.committed())
        return false;
    if (m_role != Role::Follower) {
        // Only a follower accepts a snapshot; this cannot happen with a valid leader.
        becomeFollower(m_term + 1, kNone);
        return false;
    }
    // The snapshot may predate our (re-)addition, so we need not be in its configuration: it
    // comes from the current leader, and the entries after it (including the change adding us)
    // follow by replication. Refusing it, as etcd does, livelocks a re-added node whenever the
    // leader's only snapshot is older than the re-add.
    const ConfState &cs = md.conf_state();
    if (m_log.matchTerm(md.index(), md.term())) {
        // We already have the entries: just fast-forward the commit.
        m_log.commitTo(md.index());
        return false;
    }
    m_log.restore(snap);
    m_tracker.reset(cs, m_log.lastIndex() + 1);
    return true;
}

} // namespace skiff::raft
