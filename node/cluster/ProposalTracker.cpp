#include "cluster/ProposalTracker.h"

namespace skiff::cluster {

size_t ProposalTracker::expire(int64_t nowMs)
{
    return PendingReplies::expire(nowMs, {unavailable("the metadata change was not committed in time (leader change "
                                                      "or no quorum); it may still be applied later; retry")});
}

} // namespace skiff::cluster
