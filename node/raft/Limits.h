#pragma once
// The largest term and index the core accepts from anywhere (the network, storage).
//
// Terms grow by one per election and indexes by one per entry: no real cluster comes near 2^62.
// The core computes term + 1 (campaign, pre-vote) and index + 1 + i (appends); a value near 2^64
// from a faulty peer would wrap to 0, and a term of 0 means "local message" to the core, which
// once made every node abort on a pre-vote "sent without a term" and abort again at each restart
// (the term was persisted). So such a value is refused where it enters, as the sender's fault.

#include "common/Status.h"
#include "raft.pb.h"

#include <cstdint>

namespace skiff::raft {

inline constexpr uint64_t kMaxTerm = uint64_t(1) << 62;
inline constexpr uint64_t kMaxIndex = uint64_t(1) << 62;

// Ok, or Corruption naming the field, its value and the limit. Checks every term and index a
// message carries (its own, its entries', its snapshot's).
Status checkMessageLimits(const Message &m);

} // namespace skiff::raft
