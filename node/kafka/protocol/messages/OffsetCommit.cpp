#include "kafka/protocol/messages/OffsetCommit.h"

#include "kafka/protocol/Serde.h"

namespace skiff::kafka {

template <class IO>
void serde(IO &io, OffsetCommitRequest &m, int16_t v)
{
    io.string(m.groupId);
    if (v >= 1) {
        io.i32(m.generationIdOrMemberEpoch);
        io.string(m.memberId);
    }
    if (v >= 7)
        io.nullableString(m.groupInstanceId);
    if (v >= 2 && v <= 4)
        io.i64(m.retentionTimeMs);
    io.array(m.topics, [v](auto &io, OffsetCommitRequest::Topic &t) {
        io.string(t.name);
        io.array(t.partitions, [v](auto &io, OffsetCommitRequest::Partition &p) {
            io.i32(p.partitionIndex);
            io.i64(p.committedOffset);
            if (v >= 6)
                io.i32(p.committedLeaderEpoch);
            if (v == 1)
                io.i64(p.commitTimestamp);
            io.nullableString(p.committedMetadata);
            io.noTags();
        });
        io.noTags();
    });
    io.noTags();
}

template <class IO>
void serde(IO &io, OffsetCommitResponse &m, int16_t v)
{
    if (v >= 3)
        io.i32(m.throttleTimeMs);
    io.array(m.topics, [](auto &io, OffsetCommitResponse::Topic &t) {
        io.string(t.name);
        io.array(t.partitions, [](auto &io, OffsetCommitResponse::Partition &p) {
            io.i32(p.partitionIndex);
            io.i16(p.errorCode);
            io.noTags();
        });
        io.noTags();
    });
    io.noTags();
}

SKIFF_KAFKA_MESSAGE(OffsetCommitRequest)
SKIFF_KAFKA_MESSAGE(OffsetCommitResponse)

} // namespace skiff::kafka
