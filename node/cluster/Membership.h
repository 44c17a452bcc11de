#pragma once
// Who is in the metadata quorum and where they listen: the current configuration (voters,
// learners), the address book of members' raft addresses, and joining.
//
// A node started with --join starts with no configuration and asks the member it was pointed at
// to add it (JoinRequest), every second while it knows no leader and is not a member; a member
// that does not lead answers with the leader it knows. The leader snapshots first, so that the
// joiner learns the cluster from a snapshot rather than the log from index 1, then proposes it as
// a learner; once a learner has caught up the leader proposes it as a voter. Applied
// configuration changes update the address book and the peer links.
//
// No sockets and no Raft node: links are set and frames sent through hooks, configuration
// changes are proposed through a hook, and the caller passes what it knows of Raft. Raft thread
// only.

#include "cluster.pb.h"
#include "cluster/ClusterOptions.h"
#include "common/Status.h"
#include "metadata.pb.h"
#include "metadata/MetadataImage.h"
#include "raft.pb.h"
#include "raft/RaftStatus.h"

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace skiff::cluster {

class Membership {
public:
    struct Hooks {
        // Where the link to `node` dials; node 0 is the member a joiner was pointed at.
        std::function<void(uint64_t node, const std::string &address)> setPeer;
        std::function<void(uint64_t node)> removePeer;
        std::function<void(uint64_t to, const PeerFrame &frame)> send;
        std::function<Status(const raft::ConfChange &change)> proposeConfChange;
        // Makes sure what the leader sends a joiner first is a snapshot, holding `addresses`.
        std::function<Status(const std::map<uint64_t, std::string> &addresses)> snapshotForJoiner;
    };

    Membership(const ClusterOptions &options, Hooks hooks);

    // The configuration a new log starts with: the configured initial voters (this node alone if
    // none); none for a joiner, which learns the cluster's from the leader's snapshot.
    raft::ConfState bootstrap() const;

    // ---- what it knows
    // Stable for this object's life: PeerAdmission reads it by pointer.
    const raft::ConfState &configuration() const { return m_configuration; }
    bool isMember(uint64_t node) const;
    // This node is the only voter: it needs no election timeout to lead.
    bool isSoleVoter() const;
    std::string describe() const;   // "voters 1,2,3, learners 4"
    const std::map<uint64_t, std::string> &addresses() const { return m_addresses; }

    // ---- what it is told
    void setConfiguration(const raft::ConfState &configuration);
    void setAddress(uint64_t node, const std::string &address);
    // The links exist: dials every member, and the join address while this node is not one.
    void connectPeers();
    // Raft applied `change` in entry `index` and returned `next`: the address book and the links
    // follow. Returns what the leader proposes because of it (a node that left the cluster
    // leaves the broker registry with it).
    std::vector<metadata::Command> applied(const raft::ConfChange &change, const raft::ConfState &next, uint64_t index,
                                           bool isLeader, const metadata::MetadataImage &image);

    // ---- joining
    // The joiner's side: asks to be added while it is not a member and knows no leader.
    void askToJoinIfDue(uint64_t leader, int64_t nowMs);
    void onJoinReply(const JoinReply &reply);
    // The member's side. True when the joiner was proposed as a learner.
    bool onJoinRequest(uint64_t from, const JoinRequest &request, uint64_t leader, bool isLeader);
    // The leader's duty: a learner that caught up with the commit index is proposed as a voter
    // (one change at a time; the core refuses the rest).
    void promoteCaughtUpLearner(const raft::RaftStatus &status);

    // ---- the operator's changes (skiffctl add-node, remove-node)
    static raft::ConfChange addLearner(uint64_t node, const std::string &raftAddress);
    static raft::ConfChange removal(uint64_t node);

private:
    const uint64_t m_self;
    const std::string m_selfAddress;   // raft.listen as host:port
    const std::string m_joinAddress;
    const std::map<uint64_t, std::string> m_initialVoters;
    const Hooks m_hooks;
    raft::ConfState m_configuration;
    std::map<uint64_t, std::string> m_addresses;   // member id -> raft address
    int64_t m_lastJoinRequestMs = -1000000;
    bool m_joinLinkOpen = false;   // the link to "peer 0", the address joined through

    void openJoinLink(const std::string &address);
    // A member needs no join link: left open, it dials a member a second time, and the two links
    // to one address replace each other at the far end without end (seen in the fault bed).
    void closeJoinLinkOnceMember();
};

} // namespace skiff::cluster
