#include "cluster/QuorumRequests.h"

#include "metadata/MetadataController.h"

namespace skiff::cluster {

void replyOn(const QPointer<QObject> &context, QuorumRequests::Done done, Result<metadata::QuorumDescription> result)
{
    if (!done)
        return;
    metadata::postTo(context, [done = std::move(done), result = std::move(result)]() { done(result); });
}

void QuorumRequests::expire(int64_t nowMs)
{
    PendingReplies::expire(nowMs, unavailable("the metadata leader did not answer in time (leader change or link down); retry"));
}

} // namespace skiff::cluster
