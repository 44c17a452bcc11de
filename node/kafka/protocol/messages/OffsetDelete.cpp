#include "kafka/protocol/messages/OffsetDelete.h"

#include "kafka/protocol/Serde.h"

namespace skiff::kafka {

template <class IO>
void serde(IO &io, OffsetDeleteRequest &m, int16_t)
{
    io.string(m.groupId);
    io.array(m.topics, [](auto &io, OffsetDeleteRequest::Topic &t) {
        io.string(t.name);
        io.array(t.partitions, [](auto &io, OffsetDeleteRequest::Partition &p) { io.i32(p.partitionIndex); });
    });
}

template <class IO>
void serde(IO &io, OffsetDeleteResponse &m, int16_t)
{
    io.i16(m.errorCode);
    io.i32(m.throttleTimeMs);
    io.array(m.topics, [](auto &io, OffsetDeleteResponse::Topic &t) {
        io.string(t.name);
        io.array(t.partitions, [](auto &io, OffsetDeleteResponse::Partition &p) {
            io.i32(p.partitionIndex);
            io.i16(p.errorCode);
        });
    });
}

SKIFF_KAFKA_MESSAGE(OffsetDeleteRequest)
SKIFF_KAFKA_MESSAGE(OffsetDeleteResponse)

} // namespace skiff::kafka
