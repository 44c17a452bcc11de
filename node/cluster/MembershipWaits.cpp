#include "cluster/MembershipWaits.h"

#include "cluster/Membership.h"
#include "metadata/MetadataController.h"

#include <utility>

namespace skiff::cluster {

namespace {
void answer(const QPointer<QObject> &context, MembershipWaits::Done done, Status status)
{
    metadata::replyOn(context, [done = std::move(done)](metadata::ApplyResult r) { done(r.status); }, {std::move(status)});
}
} // namespace

void MembershipWaits::add(Reached reached, std::string what, QPointer<QObject> context, Done done, int64_t deadlineMs)
{
    m_waits.push_back({std::move(reached), std::move(what), std::move(context), std::move(done), deadlineMs});
}

void MembershipWaits::settle(const Membership &membership, int64_t nowMs)
{
    // Taken out first: an answer runs on its caller's thread, but nothing here may re-enter.
    std::vector<Wait> waits = std::exchange(m_waits, {});
    for (Wait &w : waits) {
        if (w.reached(membership))
            answer(w.context, std::move(w.done), Status::ok());
        else if (nowMs >= w.deadlineMs)
            answer(w.context, std::move(w.done),
                   unavailable(w.what + " was not applied within the proposal timeout (lost with a leader change, "
                               "or no quorum): the configuration is " + membership.describe() + "; ask again"));
        else
            m_waits.push_back(std::move(w));
    }
}

void MembershipWaits::failAll(const Status &status)
{
    for (Wait &w : std::exchange(m_waits, {}))
        answer(w.context, std::move(w.done), status);
}

} // namespace skiff::cluster
