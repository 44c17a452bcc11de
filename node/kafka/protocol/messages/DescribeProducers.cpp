#include "kafka/protocol/messages/DescribeProducers.h"

#include "kafka/protocol/Serde.h"

namespace skiff::kafka {

template <class IO>
void serde(IO &io, DescribeProducersRequest &m, int16_t)
{
    io.array(m.topics, [](auto &io, DescribeProducersRequest::Topic &t) {
        io.string(t.name);
        io.int32Array(t.partitionIndexes);
        io.noTags();
    });
    io.noTags();
}

template <class IO>
void serde(IO &io, DescribeProducersResponse &m, int16_t)
{
    io.i32(m.throttleTimeMs);
    io.array(m.topics, [](auto &io, DescribeProducersResponse::Topic &t) {
        io.string(t.name);
        io.array(t.partitions, [](auto &io, DescribeProducersResponse::Partition &p) {
            io.i32(p.partitionIndex);
            io.i16(p.errorCode);
            io.nullableString(p.errorMessage);
            io.array(p.activeProducers, [](auto &io, DescribeProducersResponse::ProducerState &s) {
                io.i64(s.producerId);
                io.i32(s.producerEpoch);
                io.i32(s.lastSequence);
                io.i64(s.lastTimestamp);
                io.i32(s.coordinatorEpoch);
                io.i64(s.currentTxnStartOffset);
                io.noTags();
            });
            io.noTags();
        });
        io.noTags();
    });
    io.noTags();
}

SKIFF_KAFKA_MESSAGE(DescribeProducersRequest)
SKIFF_KAFKA_MESSAGE(DescribeProducersResponse)

} // namespace skiff::kafka
