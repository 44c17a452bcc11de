#pragma once
// Whether this broker should receive traffic (HTTP /ready): a leader is known, this broker is
// registered with this process's incarnation and unfenced, and it has applied what the leader
// had committed at the last heartbeat. Otherwise the first unmet condition, in words.

#include "cluster/ClusterStatus.h"

#include <string>

namespace skiff::cluster {

struct Readiness {
    bool ready = false;
    std::string reason;   // empty when ready
};

Readiness readinessOf(const ClusterStatus &status);

} // namespace skiff::cluster
