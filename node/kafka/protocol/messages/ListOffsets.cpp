#include "kafka/protocol/messages/ListOffsets.h"

#include "kafka/protocol/Serde.h"

namespace skiff::kafka {

template <class IO>
void serde(IO &io, ListOffsetsRequest &m, int16_t v)
{
    io.i32(m.replicaId);
    if (v >= 2)
        io.i8(m.isolationLevel);
    io.array(m.topics, [v](auto &io, ListOffsetsRequest::Topic &t) {
        io.string(t.name);
        io.array(t.partitions, [v](auto &io, ListOffsetsRequest::Partition &p) {
            io.i32(p.partitionIndex);
            if (v >= 4)
                io.i32(p.currentLeaderEpoch);
            io.i64(p.timestamp);
            io.noTags();
        });
        io.noTags();
    });
    if (v >= 10)
        io.i32(m.timeoutMs);
    io.noTags();
}

template <class IO>
void serde(IO &io, ListOffsetsResponse &m, int16_t v)
{
    if (v >= 2)
        io.i32(m.throttleTimeMs);
    io.array(m.topics, [v](auto &io, ListOffsetsResponse::Topic &t) {
        io.string(t.name);
        io.array(t.partitions, [v](auto &io, ListOffsetsResponse::Partition &p) {
            io.i32(p.partitionIndex);
            io.i16(p.errorCode);
            io.i64(p.timestamp);
            io.i64(p.offset);
            if (v >= 4)
                io.i32(p.leaderEpoch);
            io.noTags();
        });
        io.noTags();
    });
    io.noTags();
}

SKIFF_KAFKA_MESSAGE(ListOffsetsRequest)
SKIFF_KAFKA_MESSAGE(ListOffsetsResponse)

} // namespace skiff::kafka
