#include "raft/Limits.h"

#include <string>

namespace skiff::raft {

using std::to_string;

namespace {
Status beyond(const Message &m, const std::string &field, uint64_t value, uint64_t limit)
{
    return corruption("a message of type " + to_string(int(m.type())) + " from node " + to_string(m.from()) + " has " +
                      field + " " + to_string(value) + ", beyond the largest usable value " + to_string(limit) +
                      "; the sender is faulty");
}
} // namespace

Status checkMessageLimits(const Message &m)
{
    if (m.term() > kMaxTerm)
        return beyond(m, "term", m.term(), kMaxTerm);
    if (m.log_term() > kMaxTerm)
        return beyond(m, "log term", m.log_term(), kMaxTerm);
    if (m.index() > kMaxIndex)
        return beyond(m, "index", m.index(), kMaxIndex);
    if (m.commit() > kMaxIndex)
        return beyond(m, "commit", m.commit(), kMaxIndex);
    if (m.reject_hint() > kMaxIndex)
        return beyond(m, "reject hint", m.reject_hint(), kMaxIndex);
    for (const Entry &e : m.entries()) {
        if (e.term() > kMaxTerm)
            return beyond(m, "an entry of term", e.term(), kMaxTerm);
        if (e.index() > kMaxIndex)
            return beyond(m, "an entry at index", e.index(), kMaxIndex);
    }
    if (m.has_snapshot()) {
        if (m.snapshot().metadata().term() > kMaxTerm)
            return beyond(m, "a snapshot of term", m.snapshot().metadata().term(), kMaxTerm);
        if (m.snapshot().metadata().index() > kMaxIndex)
            return beyond(m, "a snapshot at index", m.snapshot().metadata().index(), kMaxIndex);
    }
    return Status::ok();
}

} // namespace skiff::raft
