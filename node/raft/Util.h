#pragma once
// Small helpers shared by the core's files.

#include "raft.pb.h"

#include <cstdint>
#include <string>
#include <vector>

namespace skiff::raft {

constexpr uint64_t kNone = 0;  // "no node": no leader, no vote

// Context of a MsgVote sent on MsgTimeoutNow: voters must not ignore it because of the leader lease.
inline constexpr char kCampaignTransfer[] = "CampaignTransfer";

// Keeps a prefix of ents whose total size is at most maxSize, but always at least one entry so
// a single oversized entry still makes progress.
void limitSize(std::vector<Entry> &ents, uint64_t maxSize);

uint64_t entrySize(const Entry &e);

// True for message types whose content vouches for durable state (an append ack, a vote) and
// which therefore may only leave the node after the Ready that produced them is persisted.
bool needsPersistence(MessageType type);

bool isLocalMessage(MessageType type);
bool isResponseMessage(MessageType type);
MessageType voteResponseType(MessageType voteType);

// Aborts with a message: an invariant of the core does not hold (a bug or corrupted storage that
// would otherwise silently break safety). Never used for caller errors.
[[noreturn]] void raftFatal(const std::string &message);

// An invariant a message from the network would have broken (a commit beyond our log, an append
// over committed entries): thrown by raftFatal instead of aborting while RawNode::step handles a
// received message, so a faulty or hostile peer gets its message refused instead of crashing the
// node. Everywhere else (local state, storage) a violation still aborts.
struct PeerInvariantViolation {
    std::string message;
};

// While alive on this thread, raftFatal throws PeerInvariantViolation.
class StepFromNetworkScope {
public:
    StepFromNetworkScope();
    ~StepFromNetworkScope();
    StepFromNetworkScope(const StepFromNetworkScope &) = delete;
    StepFromNetworkScope &operator=(const StepFromNetworkScope &) = delete;

private:
    bool m_previous;
};

} // namespace skiff::raft
