#pragma once
// Configuration of one Raft node. Plain data; validate() before use (RawNode::create does).

#include "common/Status.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>

namespace skiff::raft {

class Storage;

enum class ReadOnlyOption {
    Safe,       // ReadIndex confirmed by a heartbeat round to a quorum (linearizable, always)
    LeaseBased, // trusts the leader lease (needs checkQuorum; unsafe under unbounded clock drift)
};

struct Config {
    uint64_t id = 0;                 // this node, non-zero
    int electionTick = 10;           // followers campaign after [electionTick, 2*electionTick) ticks
    int heartbeatTick = 1;           // leader heartbeats every heartbeatTick ticks; < electionTick
    Storage *storage = nullptr;      // not owned; must outlive the node
    uint64_t applied = 0;            // last index the state machine had applied at restart
    uint64_t maxSizePerMsg = 1 << 20;                        // bytes of entries per MsgApp (>=1 entry)
    uint64_t maxCommittedSizePerReady = std::numeric_limits<uint64_t>::max();
    size_t maxInflightMsgs = 256;    // MsgApp in flight per follower in replicate state
    uint64_t maxUncommittedEntriesSize = 0;  // leader refuses proposals beyond this; 0 = unlimited
    bool checkQuorum = true;         // a leader that has not heard from a quorum steps down
    bool preVote = true;             // pre-election so a rejoining node cannot inflate terms
    ReadOnlyOption readOnlyOption = ReadOnlyOption::Safe;
    bool disableProposalForwarding = false;  // followers reject proposals instead of forwarding
    // A leader removed from the voters hands leadership to the most up-to-date voter (which
    // campaigns at once) and so steps down; false: it keeps leading without counting itself.
    bool stepDownOnRemoval = true;
    uint64_t randomSeed = 0;         // seeds the election-timeout RNG (mixed with id)
    // The application's check of a NORMAL entry's data, run by a leader before it appends a
    // proposal (its own or one a follower forwarded): what could not be applied once committed
    // must never enter the log, or every node would stop at it. Unset: any data is taken.
    std::function<Status(const std::string &data)> validateProposal;
    // The application's identity of a proposal it may send more than once (a follower forwards
    // it again when the leader it went to is lost): the same non-empty string for every copy of
    // one proposal, empty for data that is never resent. A proposal that names the first index
    // any copy can occupy (Message::first_possible_index) is appended by a leader only when no
    // entry of its log from that index on has the same identity, and refused when its log was
    // compacted past that index: at most one copy is ever committed (leaderPropose says why).
    std::function<std::string(const std::string &data)> proposalIdentity;

    Status validate() const;
};

} // namespace skiff::raft
