// Membership changes and persistence feedback of Raft.
#include "raft/Raft.h"

#include "raft/Storage.h"
#include "raft/Util.h"

#include <algorithm>
#include <string>
#include <vector>

namespace skiff::raft {

using std::to_string;

// ---- membership ------------------------------------------------------------------------------

Status Raft::applyConfChangeTo(ProgressTracker &tracker, const ConfChange &cc) const
{
    const uint64_t next = m_log.lastIndex() + 1;
    if (cc.changes_size() == 0)
        return tracker.leaveJoint();  // an empty change means "leave the joint configuration"
    switch (cc.transition()) {
    case TRANSITION_AUTO:
        if (cc.changes_size() == 1)
            return tracker.applySimple(cc, next);
        return tracker.enterJoint(cc, true, next);
    case TRANSITION_JOINT_IMPLICIT: return tracker.enterJoint(cc, true, next);
    case TRANSITION_JOINT_EXPLICIT: return tracker.enterJoint(cc, false, next);
    default:
        return invalidArgument("conf change: unknown transition " + to_string(int(cc.transition())));
    }
}

Result<ConfState> Raft::applyConfChange(const ConfChange &cc)
{
    SKIFF_RETURN_IF_ERROR(applyConfChangeTo(m_tracker, cc).withContext("raft node " + to_string(m_id) +
                                                                         ": applying conf change"));
    afterConfigChange();
    return m_tracker.confState();
}

void Raft::maybeAutoLeaveJoint()
{
    // A joint configuration entered with auto-leave is left by the leader as soon as the entry
    // that entered it is applied.
    if (m_role != Role::Leader || !m_tracker.isJoint() || !m_tracker.autoLeave() ||
        m_log.applied() < m_pendingConfIndex || m_leadTransferee != kNone)
        return;
    Message m;
    m.set_type(MSG_PROP);
    m.set_from(m_id);
    Entry *e = m.add_entries();
    e->set_type(ENTRY_CONF_CHANGE);
    e->set_data(ConfChange().SerializeAsString());
    (void)leaderPropose(m);
}

void Raft::afterConfigChange()
{
    if (m_role != Role::Leader)
        return;
    if (m_leadTransferee != kNone && !m_tracker.isVoter(m_leadTransferee))
        abortLeaderTransfer();
    // The quorum may have changed: entries may now be committed.
    if (maybeCommit()) {
        releasePendingReadIndexMessages();
        bcastAppend();
    } else {
        for (auto &[id, pr] : m_tracker.progressMap())
            if (id != m_id)
                maybeSendAppend(id, false);
    }
    if (!m_tracker.isVoter(m_id) && m_config.stepDownOnRemoval)
        handOffLeadership();
}

void Raft::handOffLeadership()
{
    // A leader removed from the voters must not just fall silent: the remaining voters may not
    // know that the change committed (they may still use the old, possibly joint, configuration
    // in which our latest entries decide who can win). Hand leadership to the most up-to-date
    // voter; it campaigns at once on MsgTimeoutNow. Retried by tickHeartbeat until it works.
    std::vector<uint64_t> best;
    uint64_t bestMatch = 0;
    for (uint64_t id : m_tracker.voters()) {
        const Progress *pr = m_tracker.progress(id);
        if (id == m_id || pr == nullptr)
            continue;
        if (best.empty() || pr->match() > bestMatch) {
            best.assign(1, id);
            bestMatch = pr->match();
        } else if (pr->match() == bestMatch) {
            best.push_back(id);
        }
    }
    if (best.empty()) {
        becomeFollower(m_term, kNone);
        return;
    }
    const uint64_t target = best[m_handOffAttempts++ % best.size()];
    m_leadTransferee = target;
    m_electionElapsed = 0;
    if (m_tracker.progress(target)->match() == m_log.lastIndex())
        sendTimeoutNow(target);
    else
        sendAppend(target);
}

void Raft::onPersisted()
{
    if (m_role != Role::Leader)
        return;
    Progress *self = m_tracker.progress(m_id);
    if (self == nullptr)
        return;
    if (self->maybeUpdate(m_log.stableLastIndex()) && maybeCommit()) {
        releasePendingReadIndexMessages();
        m_pendingAppends = PendingAppends::Commit;
    }
}

} // namespace skiff::raft
