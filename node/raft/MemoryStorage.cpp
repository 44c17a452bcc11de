#include "raft/MemoryStorage.h"

#include "raft/Util.h"

#include <string>

namespace skiff::raft {

using std::to_string;

MemoryStorage::MemoryStorage() : m_ents(1) {}

MemoryStorage::MemoryStorage(const ConfState &initial) : m_ents(1)
{
    *m_snapshot.mutable_metadata()->mutable_conf_state() = initial;
}

Result<InitialState> MemoryStorage::initialState() const
{
    return InitialState{m_hardState, m_snapshot.metadata().conf_state()};
}

Result<std::vector<Entry>> MemoryStorage::entries(uint64_t lo, uint64_t hi, uint64_t maxSize) const
{
    if (lo <= offset())
        return outOfRange("memory storage: entries from " + to_string(lo) + " are compacted (first index " +
                          to_string(offset() + 1) + ")");
    if (hi > last() + 1)
        return notFound("memory storage: entries up to " + to_string(hi) + " requested but last index is " +
                        to_string(last()));
    std::vector<Entry> out(m_ents.begin() + (lo - offset()), m_ents.begin() + (hi - offset()));
    limitSize(out, maxSize);
    return out;
}

Result<uint64_t> MemoryStorage::term(uint64_t i) const
{
    if (i < offset())
        return outOfRange("memory storage: term of " + to_string(i) + " is compacted (first index " +
                          to_string(offset() + 1) + ")");
    if (i > last())
        return notFound("memory storage: term of " + to_string(i) + " requested but last index is " +
                        to_string(last()));
    return m_ents[i - offset()].term();
}

Result<uint64_t> MemoryStorage::lastIndex() const { return last(); }

Result<uint64_t> MemoryStorage::firstIndex() const { return offset() + 1; }

Result<Snapshot> MemoryStorage::snapshot() const { return m_snapshot; }

Status MemoryStorage::applySnapshot(const Snapshot &snap)
{
    if (snap.metadata().index() < m_snapshot.metadata().index())
        return failedPrecondition("memory storage: snapshot at " + to_string(snap.metadata().index()) +
                                  " is older than the current one at " + to_string(m_snapshot.metadata().index()));
    m_snapshot = snap;
    m_ents.assign(1, Entry());
    m_ents[0].set_index(snap.metadata().index());
    m_ents[0].set_term(snap.metadata().term());
    return Status::ok();
}

Result<Snapshot> MemoryStorage::createSnapshot(uint64_t index, const ConfState *cs, std::string data)
{
    if (index <= m_snapshot.metadata().index())
        return failedPrecondition("memory storage: snapshot at " + to_string(index) + " is not newer than " +
                                  to_string(m_snapshot.metadata().index()));
    if (index > last())
        return outOfRange("memory storage: snapshot index " + to_string(index) + " is beyond last index " +
                          to_string(last()));
    m_snapshot.mutable_metadata()->set_index(index);
    m_snapshot.mutable_metadata()->set_term(m_ents[index - offset()].term());
    if (cs)
        *m_snapshot.mutable_metadata()->mutable_conf_state() = *cs;
    m_snapshot.set_data(std::move(data));
    return m_snapshot;
}

Status MemoryStorage::compact(uint64_t compactIndex)
{
    if (compactIndex <= offset())
        return Status::ok();  // already compacted that far
    if (compactIndex > last())
        return outOfRange("memory storage: compact to " + to_string(compactIndex) + " is beyond last index " +
                          to_string(last()));
    const size_t i = compactIndex - offset();
    Entry dummy;
    dummy.set_index(m_ents[i].index());
    dummy.set_term(m_ents[i].term());
    std::vector<Entry> rest;
    rest.reserve(m_ents.size() - i);
    rest.push_back(std::move(dummy));
    for (size_t k = i + 1; k < m_ents.size(); ++k)
        rest.push_back(std::move(m_ents[k]));
    m_ents.swap(rest);
    return Status::ok();
}

Status MemoryStorage::append(const std::vector<Entry> &ents)
{
    if (ents.empty())
        return Status::ok();
    const uint64_t first = offset() + 1;
    const uint64_t lastNew = ents.front().index() + ents.size() - 1;
    if (lastNew < first)
        return Status::ok();  // all of it is already compacted
    size_t skip = first > ents.front().index() ? first - ents.front().index() : 0;
    const uint64_t start = ents.front().index() + skip;
    if (start > last() + 1)
        return internalError("memory storage: append at " + to_string(start) + " leaves a gap after last index " +
                             to_string(last()));
    m_ents.resize(start - offset());  // drop the conflicting suffix
    for (size_t k = skip; k < ents.size(); ++k)
        m_ents.push_back(ents[k]);
    return Status::ok();
}

} // namespace skiff::raft
