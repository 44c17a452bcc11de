#include "cluster/ReadTracker.h"

#include "metadata/MetadataController.h"

#include <algorithm>

namespace skiff::cluster {

void ReadTracker::add(const std::string &context, QPointer<QObject> receiver, Done done, int64_t deadlineMs)
{
    m_reads[context] = {std::move(receiver), std::move(done), deadlineMs, 0};
}

void ReadTracker::serve(const std::vector<raft::ReadState> &states, uint64_t applied, const metadata::ImagePtr &image)
{
    for (const raft::ReadState &rs : states)
        if (auto it = m_reads.find(rs.requestCtx); it != m_reads.end())
            it->second.index = std::max<uint64_t>(rs.index, 1);
    for (auto it = m_reads.begin(); it != m_reads.end();) {
        if (it->second.index == 0 || it->second.index > applied) {
            ++it;
            continue;
        }
        Pending read = std::move(it->second);
        it = m_reads.erase(it);
        metadata::replyOn(read.receiver, std::move(read.done), Status::ok(), image);
    }
}

void ReadTracker::expire(int64_t nowMs)
{
    for (auto it = m_reads.begin(); it != m_reads.end();) {
        if (it->second.deadlineMs > nowMs) {
            ++it;
            continue;
        }
        Pending read = std::move(it->second);
        it = m_reads.erase(it);
        metadata::replyOn(read.receiver, std::move(read.done),
                          unavailable("the leader did not confirm the read in time; retry"), nullptr);
    }
}

} // namespace skiff::cluster
