#include "cluster/Readiness.h"

namespace skiff::cluster {

Readiness readinessOf(const ClusterStatus &s)
{
    if (!s.haltReason.empty())
        return {false, "the metadata loop stopped: " + s.haltReason};
    if (!s.storageFull.empty())
        return {false, "the metadata log cannot be written (retrying until space returns): " + s.storageFull};
    if (s.leaderId == 0)
        return {false, "no metadata leader is known (term " + std::to_string(s.term) + ")"};
    if (!s.registered)
        return {false, "this broker is not registered yet"};
    if (s.fenced)
        return {false, "this broker is fenced by the controller (no heartbeat within broker.session.timeout.ms)"};
    if (!s.heartbeatAnswered)
        return {false, "waiting for the controller to answer a heartbeat"};
    if (s.applied < s.leaderCommitAtHeartbeat)
        return {false, "catching up: applied " + std::to_string(s.applied) + " of " + std::to_string(s.leaderCommitAtHeartbeat)
                           + " committed at the leader"};
    if (s.leaseRemainingMs < 0)
        return {false, "no leadership lease: no heartbeat answered recently enough that the controller cannot have "
                       "fenced this broker (cluster/BrokerLease.h)"};
    return {true, {}};
}

bool ClusterStatus::readyToServe() const
{
    return readinessOf(*this).ready;
}

Readiness nodeReadiness(const ClusterStatus &status, std::string_view startupState)
{
    Readiness r = readinessOf(status);
    if (r.ready && !startupState.empty() && startupState != "ready")
        r = {false, "the node is " + std::string(startupState)};
    return r;
}

} // namespace skiff::cluster
