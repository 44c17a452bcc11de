#pragma once

#include <cstdint>

namespace skiff::raft {

enum class Role { Follower, PreCandidate, Candidate, Leader };
const char *roleName(Role role);

// Volatile state the application may want to observe (not persisted).
struct SoftState {
    uint64_t leader = 0;  // 0 = unknown
    Role role = Role::Follower;
    bool operator==(const SoftState &) const = default;
};

} // namespace skiff::raft
