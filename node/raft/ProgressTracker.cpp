#include "raft/ProgressTracker.h"

#include <algorithm>
#include <string>
#include <vector>

namespace skiff::raft {

using std::to_string;

namespace {
uint64_t majorityCommitted(const std::set<uint64_t> &voters, const std::map<uint64_t, Progress> &progress)
{
    if (voters.empty())
        return UINT64_MAX;  // an empty half agrees to anything (min() with the other half decides)
    std::vector<uint64_t> matches;
    matches.reserve(voters.size());
    for (uint64_t id : voters) {
        auto it = progress.find(id);
        matches.push_back(it == progress.end() ? 0 : it->second.match());
    }
    std::sort(matches.begin(), matches.end(), std::greater<>());
    return matches[voters.size() / 2];  // the quorum-th largest (quorum = n/2+1)
}

VoteResult majorityVote(const std::set<uint64_t> &voters, const std::map<uint64_t, bool> &votes)
{
    if (voters.empty())
        return VoteResult::Won;
    int granted = 0, rejected = 0;
    for (uint64_t id : voters) {
        auto it = votes.find(id);
        if (it != votes.end())
            (it->second ? granted : rejected)++;
    }
    const int q = int(voters.size()) / 2 + 1;
    if (granted >= q)
        return VoteResult::Won;
    if (int(voters.size()) - rejected < q)
        return VoteResult::Lost;
    return VoteResult::Pending;
}

VoteResult joint(VoteResult a, VoteResult b)
{
    if (a == VoteResult::Lost || b == VoteResult::Lost)
        return VoteResult::Lost;
    if (a == VoteResult::Won && b == VoteResult::Won)
        return VoteResult::Won;
    return VoteResult::Pending;
}

std::map<uint64_t, bool> asVotes(const std::set<uint64_t> &acks)
{
    std::map<uint64_t, bool> v;
    for (uint64_t id : acks)
        v[id] = true;
    return v;
}
} // namespace

void ProgressTracker::reset(const ConfState &cs, uint64_t nextIndex)
{
    m_incoming.clear();
    m_outgoing.clear();
    m_learners.clear();
    m_learnersNext.clear();
    m_progress.clear();
    m_votes.clear();
    m_autoLeave = cs.auto_leave();
    for (uint64_t id : cs.voters_outgoing()) {
        m_outgoing.insert(id);
        ensureProgress(id, nextIndex, false);
    }
    for (uint64_t id : cs.voters()) {
        m_incoming.insert(id);
        ensureProgress(id, nextIndex, false);
    }
    for (uint64_t id : cs.learners()) {
        m_learners.insert(id);
        ensureProgress(id, nextIndex, true);
    }
    for (uint64_t id : cs.learners_next()) {
        m_learnersNext.insert(id);
        ensureProgress(id, nextIndex, false);
    }
}

ConfState ProgressTracker::confState() const
{
    ConfState cs;
    for (uint64_t id : m_incoming)
        cs.add_voters(id);
    for (uint64_t id : m_learners)
        cs.add_learners(id);
    for (uint64_t id : m_outgoing)
        cs.add_voters_outgoing(id);
    for (uint64_t id : m_learnersNext)
        cs.add_learners_next(id);
    cs.set_auto_leave(m_autoLeave);
    return cs;
}

std::set<uint64_t> ProgressTracker::voters() const
{
    std::set<uint64_t> all = m_incoming;
    all.insert(m_outgoing.begin(), m_outgoing.end());
    return all;
}

Progress *ProgressTracker::progress(uint64_t id)
{
    auto it = m_progress.find(id);
    return it == m_progress.end() ? nullptr : &it->second;
}

void ProgressTracker::ensureProgress(uint64_t id, uint64_t nextIndex, bool learner)
{
    auto it = m_progress.find(id);
    if (it != m_progress.end()) {
        it->second.setLearner(learner);
        return;
    }
    auto [ins, _] = m_progress.emplace(id, Progress(nextIndex, m_maxInflight, learner));
    // A new member counts as active so that CheckQuorum does not depose the leader before the
    // member had a chance to respond.
    ins->second.setRecentActive(true);
}

void ProgressTracker::makeVoter(uint64_t id, uint64_t nextIndex)
{
    m_learners.erase(id);
    m_learnersNext.erase(id);
    m_incoming.insert(id);
    ensureProgress(id, nextIndex, false);  // promotion keeps what a learner already caught up
}

void ProgressTracker::makeLearner(uint64_t id, uint64_t nextIndex)
{
    if (m_learners.count(id))
        return;
    m_incoming.erase(id);
    if (m_outgoing.count(id)) {
        // Still a voter of the outgoing half: becomes a learner only when the joint state ends.
        m_learnersNext.insert(id);
        ensureProgress(id, nextIndex, false);
    } else {
        m_learners.insert(id);
        ensureProgress(id, nextIndex, true);
    }
}

void ProgressTracker::removeNode(uint64_t id)
{
    m_incoming.erase(id);
    m_learners.erase(id);
    m_learnersNext.erase(id);
    if (!m_outgoing.count(id)) {
        m_progress.erase(id);
        m_votes.erase(id);
    }
}

Status ProgressTracker::applyChanges(const ConfChange &cc, uint64_t nextIndex)
{
    for (const auto &c : cc.changes()) {
        if (c.node_id() == 0)
            return invalidArgument("conf change: node id 0 is reserved");
        switch (c.type()) {
        case ADD_VOTER: makeVoter(c.node_id(), nextIndex); break;
        case ADD_LEARNER: makeLearner(c.node_id(), nextIndex); break;
        case REMOVE_NODE: removeNode(c.node_id()); break;
        default:
            return invalidArgument("conf change: unknown change type " + to_string(int(c.type())) + " for node " +
                                   to_string(c.node_id()));
        }
    }
    if (m_incoming.empty())
        return invalidArgument("conf change: removes all voters");
    return checkInvariants();
}

Status ProgressTracker::checkInvariants() const
{
    for (uint64_t id : m_learners)
        if (isVoter(id))
            return internalError("conf change: node " + to_string(id) + " is both voter and learner");
    for (uint64_t id : m_learnersNext)
        if (!m_outgoing.count(id) || m_incoming.count(id))
            return internalError("conf change: learner-next " + to_string(id) + " is not an outgoing-only voter");
    for (uint64_t id : voters())
        if (!m_progress.count(id))
            return internalError("conf change: voter " + to_string(id) + " has no progress");
    return Status::ok();
}

Status ProgressTracker::applySimple(const ConfChange &cc, uint64_t nextIndex)
{
    if (isJoint())
        return failedPrecondition("conf change: a simple change cannot be applied in a joint configuration; "
                                  "leave it first");
    ProgressTracker next = *this;
    SKIFF_RETURN_IF_ERROR(next.applyChanges(cc, nextIndex));
    size_t changed = 0;
    for (uint64_t id : next.m_incoming)
        changed += m_incoming.count(id) ? 0 : 1;
    for (uint64_t id : m_incoming)
        changed += next.m_incoming.count(id) ? 0 : 1;
    if (changed > 1)
        return invalidArgument("conf change: more than one voter changes; use a joint change");
    *this = std::move(next);
    return Status::ok();
}

Status ProgressTracker::enterJoint(const ConfChange &cc, bool autoLeave, uint64_t nextIndex)
{
    if (isJoint())
        return failedPrecondition("conf change: already in a joint configuration; leave it first");
    if (m_incoming.empty())
        return failedPrecondition("conf change: cannot make a zero-voter configuration joint");
    ProgressTracker next = *this;
    next.m_outgoing = m_incoming;
    SKIFF_RETURN_IF_ERROR(next.applyChanges(cc, nextIndex));
    next.m_autoLeave = autoLeave;
    *this = std::move(next);
    return Status::ok();
}

Status ProgressTracker::leaveJoint()
{
    if (!isJoint())
        return failedPrecondition("conf change: leave-joint requested but the configuration is not joint");
    for (uint64_t id : m_learnersNext) {
        m_learners.insert(id);
        if (Progress *pr = progress(id))
            pr->setLearner(true);
    }
    m_learnersNext.clear();
    for (uint64_t id : m_outgoing) {
        if (!m_incoming.count(id) && !m_learners.count(id)) {
            m_progress.erase(id);
            m_votes.erase(id);
        }
    }
    m_outgoing.clear();
    m_autoLeave = false;
    return checkInvariants();
}

uint64_t ProgressTracker::committed() const
{
    if (m_incoming.empty() && m_outgoing.empty())
        return 0;
    const uint64_t c = std::min(majorityCommitted(m_incoming, m_progress), majorityCommitted(m_outgoing, m_progress));
    return c == UINT64_MAX ? 0 : c;
}

bool ProgressTracker::quorumActive(uint64_t self) const
{
    std::set<uint64_t> active;
    for (uint64_t id : voters()) {
        auto it = m_progress.find(id);
        if (id == self || (it != m_progress.end() && it->second.recentActive()))
            active.insert(id);
    }
    return voteResult(active) == VoteResult::Won;
}

void ProgressTracker::recordVote(uint64_t id, bool granted)
{
    m_votes.emplace(id, granted);  // the first vote of a node counts
}

VoteResult ProgressTracker::tallyVotes() const
{
    return joint(majorityVote(m_incoming, m_votes), majorityVote(m_outgoing, m_votes));
}

VoteResult ProgressTracker::voteResult(const std::set<uint64_t> &acks) const
{
    const auto votes = asVotes(acks);
    return joint(majorityVote(m_incoming, votes), majorityVote(m_outgoing, votes));
}

} // namespace skiff::raft
