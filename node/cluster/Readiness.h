#pragma once
// Whether this broker should receive traffic (HTTP /ready): a leader is known, this broker is
// registered with this process's incarnation and unfenced, and it has applied what the leader
// had committed at the last heartbeat. Otherwise the first unmet condition, in words.

#include "cluster/ClusterStatus.h"

#include <string>
#include <string_view>

namespace skiff::cluster {

struct Readiness {
    bool ready = false;
    std::string reason;   // empty when ready
};

Readiness readinessOf(const ClusterStatus &status);

// The node as a whole (/ready, the admin status): the cluster side, then the node's own start-up
// state, which must be "ready" too (an empty state is not known and not held against it).
Readiness nodeReadiness(const ClusterStatus &status, std::string_view startupState);

} // namespace skiff::cluster
