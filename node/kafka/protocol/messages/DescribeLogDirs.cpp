#include "kafka/protocol/messages/DescribeLogDirs.h"

#include "kafka/protocol/Serde.h"

namespace skiff::kafka {

template <class IO>
void serde(IO &io, DescribeLogDirsRequest &m, int16_t)
{
    io.nullableArray(m.topics, true, [](auto &io, DescribeLogDirsRequest::Topic &t) {
        io.string(t.topic);
        io.int32Array(t.partitions);
        io.noTags();
    });
    io.noTags();
}

template <class IO>
void serde(IO &io, DescribeLogDirsResponse &m, int16_t v)
{
    io.i32(m.throttleTimeMs);
    if (v >= 3)
        io.i16(m.errorCode);
    io.array(m.results, [v](auto &io, DescribeLogDirsResponse::Result &r) {
        io.i16(r.errorCode);
        io.string(r.logDir);
        io.array(r.topics, [](auto &io, DescribeLogDirsResponse::Topic &t) {
            io.string(t.name);
            io.array(t.partitions, [](auto &io, DescribeLogDirsResponse::Partition &p) {
                io.i32(p.partitionIndex);
                io.i64(p.partitionSize);
                io.i64(p.offsetLag);
                io.boolean(p.isFutureKey);
                io.noTags();
            });
            io.noTags();
        });
        if (v >= 4) {
            io.i64(r.totalBytes);
            io.i64(r.usableBytes);
        }
        io.noTags();
    });
    io.noTags();
}

SKIFF_KAFKA_MESSAGE(DescribeLogDirsRequest)
SKIFF_KAFKA_MESSAGE(DescribeLogDirsResponse)

} // namespace skiff::kafka
