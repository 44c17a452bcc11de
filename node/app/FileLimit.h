#pragma once
// The process's open-file limit (RLIMIT_NOFILE). Every client connection and every open log file
// takes a descriptor, and the usual soft limit (1024) is a guard for programs that use select(2);
// skiffd does not (Qt polls), so it raises its soft limit to the hard one when it starts.

#include <cstdint>
#include <string>

namespace skiff::app {

struct FileLimit {
    uint64_t softBefore = 0;   // as the process was started
    uint64_t soft = 0;         // now
    uint64_t hard = 0;
    std::string error;         // set when raising failed (the limit stays softBefore)
};

// Raises the soft limit to the hard limit and says what it did.
FileLimit raiseFileLimit();
// "1024", or "unlimited".
std::string describeFileLimit(uint64_t limit);

} // namespace skiff::app
