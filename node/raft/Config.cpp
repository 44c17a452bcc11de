#include "raft/Config.h"

#include <string>

namespace skiff::raft {

Status Config::validate() const
{
    if (id == 0)
        return invalidArgument("raft config: id must be non-zero (0 means 'none' on the wire)");
    if (heartbeatTick <= 0)
        return invalidArgument("raft config: heartbeatTick must be > 0, got " + std::to_string(heartbeatTick));
    if (electionTick <= heartbeatTick)
        return invalidArgument("raft config: electionTick (" + std::to_string(electionTick) +
                               ") must be greater than heartbeatTick (" + std::to_string(heartbeatTick) + ")");
    if (storage == nullptr)
        return invalidArgument("raft config: storage must be set");
    if (maxInflightMsgs == 0)
        return invalidArgument("raft config: maxInflightMsgs must be > 0");
    if (readOnlyOption == ReadOnlyOption::LeaseBased && !checkQuorum)
        return invalidArgument("raft config: lease-based reads need checkQuorum=true (the lease is only "
                               "valid while the leader steps down on losing its quorum)");
    return Status::ok();
}

} // namespace skiff::raft
