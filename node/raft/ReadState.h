#pragma once

#include <cstdint>
#include <string>

namespace skiff::raft {

// The answer to a readIndex() request: once the state machine has applied `index`, a read
// started at request time may be served linearizably.
struct ReadState {
    uint64_t index = 0;
    std::string requestCtx;  // the caller's context, unique per request
};

} // namespace skiff::raft
