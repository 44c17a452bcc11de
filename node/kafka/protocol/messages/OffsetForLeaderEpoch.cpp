#include "kafka/protocol/messages/OffsetForLeaderEpoch.h"

#include "kafka/protocol/Serde.h"

namespace skiff::kafka {

template <class IO>
void serde(IO &io, OffsetForLeaderEpochRequest &m, int16_t v)
{
    if (v >= 3)
        io.i32(m.replicaId);
    io.array(m.topics, [v](auto &io, OffsetForLeaderEpochRequest::Topic &t) {
        io.string(t.topic);
        io.array(t.partitions, [v](auto &io, OffsetForLeaderEpochRequest::Partition &p) {
            io.i32(p.partition);
            if (v >= 2)
                io.i32(p.currentLeaderEpoch);
            io.i32(p.leaderEpoch);
            io.noTags();
        });
        io.noTags();
    });
    io.noTags();
}

template <class IO>
void serde(IO &io, OffsetForLeaderEpochResponse &m, int16_t v)
{
    if (v >= 2)
        io.i32(m.throttleTimeMs);
    io.array(m.topics, [v](auto &io, OffsetForLeaderEpochResponse::Topic &t) {
        io.string(t.topic);
        io.array(t.partitions, [v](auto &io, OffsetForLeaderEpochResponse::EpochEndOffset &p) {
            io.i16(p.errorCode);
            io.i32(p.partition);
            if (v >= 1)
                io.i32(p.leaderEpoch);
            io.i64(p.endOffset);
            io.noTags();
        });
        io.noTags();
    });
    io.noTags();
}

SKIFF_KAFKA_MESSAGE(OffsetForLeaderEpochRequest)
SKIFF_KAFKA_MESSAGE(OffsetForLeaderEpochResponse)

} // namespace skiff::kafka
