#pragma once
// The configuration and the leader's Progress for every member, plus the votes of an election.
// A configuration is either simple (one voter set) or joint (incoming and outgoing voter sets,
// both of which must agree on every decision: commit, elections, quorum activity).

#include "common/Status.h"
#include "raft/Progress.h"
#include "raft.pb.h"

#include <cstdint>
#include <map>
#include <set>

namespace skiff::raft {

enum class VoteResult { Pending, Lost, Won };

class ProgressTracker {
public:
    explicit ProgressTracker(size_t maxInflight) : m_maxInflight(maxInflight) {}

    // Rebuilds membership from a ConfState; every member starts probing at nextIndex.
    void reset(const ConfState &cs, uint64_t nextIndex);
    ConfState confState() const;

    bool isJoint() const { return !m_outgoing.empty(); }
    bool autoLeave() const { return m_autoLeave; }
    // A voter of either half of a joint configuration.
    bool isVoter(uint64_t id) const { return m_incoming.count(id) != 0 || m_outgoing.count(id) != 0; }
    bool isLearner(uint64_t id) const { return m_learners.count(id) != 0 || m_learnersNext.count(id) != 0; }
    bool isMember(uint64_t id) const { return isVoter(id) || isLearner(id); }
    std::set<uint64_t> voters() const;  // union of incoming and outgoing
    const std::set<uint64_t> &incoming() const { return m_incoming; }
    const std::set<uint64_t> &outgoing() const { return m_outgoing; }
    const std::set<uint64_t> &learners() const { return m_learners; }
    bool isSingleton() const { return m_incoming.size() == 1 && m_outgoing.empty(); }

    Progress *progress(uint64_t id);
    std::map<uint64_t, Progress> &progressMap() { return m_progress; }
    const std::map<uint64_t, Progress> &progressMap() const { return m_progress; }

    // Configuration changes (etcd's confchange rules). On error nothing is changed.
    // simple: one voter may change; enterJoint: any changes, old voters become the outgoing set;
    // leaveJoint: drop the outgoing set, learnersNext become learners.
    Status applySimple(const ConfChange &cc, uint64_t nextIndex);
    Status enterJoint(const ConfChange &cc, bool autoLeave, uint64_t nextIndex);
    Status leaveJoint();

    // Highest index replicated on a majority of voters (of both halves when joint).
    uint64_t committed() const;
    // True if a majority of voters were recently active (the leader counts itself).
    bool quorumActive(uint64_t self) const;

    void resetVotes() { m_votes.clear(); }
    void recordVote(uint64_t id, bool granted);
    VoteResult tallyVotes() const;
    VoteResult voteResult(const std::set<uint64_t> &acks) const;

private:
    Status applyChanges(const ConfChange &cc, uint64_t nextIndex);
    void makeVoter(uint64_t id, uint64_t nextIndex);
    void makeLearner(uint64_t id, uint64_t nextIndex);
    void removeNode(uint64_t id);
    void ensureProgress(uint64_t id, uint64_t nextIndex, bool learner);
    Status checkInvariants() const;

    size_t m_maxInflight;
    std::set<uint64_t> m_incoming;
    std::set<uint64_t> m_outgoing;
    std::set<uint64_t> m_learners;
    std::set<uint64_t> m_learnersNext;  // voters in outgoing that become learners on leaving
    bool m_autoLeave = false;
    std::map<uint64_t, Progress> m_progress;
    std::map<uint64_t, bool> m_votes;
};

} // namespace skiff::raft
