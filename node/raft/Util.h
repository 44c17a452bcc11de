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

} // namespace skiff::raft
