#include "kafka/protocol/messages/OffsetFetch.h"

#include "kafka/protocol/Serde.h"

namespace skiff::kafka {

namespace {

template <class IO>
void serdeTopic(IO &io, OffsetFetchRequest::Topic &t)
{
    io.string(t.name);
    io.int32Array(t.partitionIndexes);
    io.noTags();
}

template <class IO>
void serdeTopic(IO &io, OffsetFetchResponse::Topic &t, int16_t v)
{
    io.string(t.name);
    io.array(t.partitions, [v](auto &io, OffsetFetchResponse::Partition &p) {
        io.i32(p.partitionIndex);
        io.i64(p.committedOffset);
        if (v >= 5)
            io.i32(p.committedLeaderEpoch);
        io.nullableString(p.metadata);
        io.i16(p.errorCode);
        io.noTags();
    });
    io.noTags();
}

} // namespace

template <class IO>
void serde(IO &io, OffsetFetchRequest &m, int16_t v)
{
    if (v <= 7) {
        io.string(m.groupId);
        io.nullableArray(m.topics, v >= 2, [](auto &io, OffsetFetchRequest::Topic &t) { serdeTopic(io, t); });
    } else {
        io.array(m.groups, [](auto &io, OffsetFetchRequest::Group &g) {
            io.string(g.groupId);
            io.nullableArray(g.topics, true, [](auto &io, OffsetFetchRequest::Topic &t) { serdeTopic(io, t); });
            io.noTags();
        });
    }
    if (v >= 7)
        io.boolean(m.requireStable);
    io.noTags();
}

template <class IO>
void serde(IO &io, OffsetFetchResponse &m, int16_t v)
{
    if (v >= 3)
        io.i32(m.throttleTimeMs);
    if (v <= 7) {
        io.array(m.topics, [v](auto &io, OffsetFetchResponse::Topic &t) { serdeTopic(io, t, v); });
        if (v >= 2)
            io.i16(m.errorCode);
    } else {
        io.array(m.groups, [v](auto &io, OffsetFetchResponse::Group &g) {
            io.string(g.groupId);
            io.array(g.topics, [v](auto &io, OffsetFetchResponse::Topic &t) { serdeTopic(io, t, v); });
            io.i16(g.errorCode);
            io.noTags();
        });
    }
    io.noTags();
}

SKIFF_KAFKA_MESSAGE(OffsetFetchRequest)
SKIFF_KAFKA_MESSAGE(OffsetFetchResponse)

} // namespace skiff::kafka
