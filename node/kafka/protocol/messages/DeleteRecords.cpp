#include "kafka/protocol/messages/DeleteRecords.h"

#include "kafka/protocol/Serde.h"

namespace skiff::kafka {

template <class IO>
void serde(IO &io, DeleteRecordsRequest &m, int16_t)
{
    io.array(m.topics, [](auto &io, DeleteRecordsRequest::Topic &t) {
        io.string(t.name);
        io.array(t.partitions, [](auto &io, DeleteRecordsRequest::Partition &p) {
            io.i32(p.partitionIndex);
            io.i64(p.offset);
            io.noTags();
        });
        io.noTags();
    });
    io.i32(m.timeoutMs);
    io.noTags();
}

template <class IO>
void serde(IO &io, DeleteRecordsResponse &m, int16_t)
{
    io.i32(m.throttleTimeMs);
    io.array(m.topics, [](auto &io, DeleteRecordsResponse::Topic &t) {
        io.string(t.name);
        io.array(t.partitions, [](auto &io, DeleteRecordsResponse::Partition &p) {
            io.i32(p.partitionIndex);
            io.i64(p.lowWatermark);
            io.i16(p.errorCode);
            io.noTags();
        });
        io.noTags();
    });
    io.noTags();
}

SKIFF_KAFKA_MESSAGE(DeleteRecordsRequest)
SKIFF_KAFKA_MESSAGE(DeleteRecordsResponse)

} // namespace skiff::kafka
