#pragma once
// Where a lock was taken (file:line), captured by default arguments at the caller.
//
// Not std::source_location: libstdc++ 12 only defines it when the compiler has
// __builtin_source_location, which clang 14 lacks, and the thread-safety check compiles these
// headers with clang. __builtin_FILE/__builtin_LINE as default arguments are evaluated at the
// call site by both compilers, exactly like source_location::current().

#include <cstdint>
#include <string>

namespace skiff::sync {

struct SourceSite {
    const char *file = nullptr; // static storage (a string literal), never freed
    uint32_t line = 0;

    static constexpr SourceSite current(const char *file = __builtin_FILE(), uint32_t line = __builtin_LINE())
    {
        return SourceSite{file, line};
    }
};

// "node/raft/RaftNode.cpp:120" (path relative to the source tree when it lies inside it).
std::string formatSite(SourceSite site);

} // namespace skiff::sync
