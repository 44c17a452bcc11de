#include "kafka/protocol/messages/DescribeQuorum.h"

#include "kafka/protocol/Serde.h"

namespace skiff::kafka {

template <class IO>
void serde(IO &io, DescribeQuorumRequest &m, int16_t)
{
    io.array(m.topics, [](auto &io, DescribeQuorumRequest::Topic &t) {
        io.string(t.topicName);
        io.array(t.partitions, [](auto &io, int32_t &partitionIndex) {
            io.i32(partitionIndex);
            io.noTags();
        });
        io.noTags();
    });
    io.noTags();
}

template <class IO>
void serde(IO &io, DescribeQuorumResponse &m, int16_t v)
{
    const auto replica = [v](auto &io, DescribeQuorumResponse::ReplicaState &r) {
        io.i32(r.replicaId);
        if (v >= 2)
            io.uuid(r.replicaDirectoryId);
        io.i64(r.logEndOffset);
        if (v >= 1) {
            io.i64(r.lastFetchTimestamp);
            io.i64(r.lastCaughtUpTimestamp);
        }
        io.noTags();
    };
    io.i16(m.errorCode);
    if (v >= 2)
        io.nullableString(m.errorMessage);
    io.array(m.topics, [&](auto &io, DescribeQuorumResponse::Topic &t) {
        io.string(t.topicName);
        io.array(t.partitions, [&](auto &io, DescribeQuorumResponse::Partition &p) {
            io.i32(p.partitionIndex);
            io.i16(p.errorCode);
            if (v >= 2)
                io.nullableString(p.errorMessage);
            io.i32(p.leaderId);
            io.i32(p.leaderEpoch);
            io.i64(p.highWatermark);
            io.array(p.currentVoters, replica);
            io.array(p.observers, replica);
            io.noTags();
        });
        io.noTags();
    });
    if (v >= 2) {
        io.array(m.nodes, [](auto &io, DescribeQuorumResponse::Node &n) {
            io.i32(n.nodeId);
            io.array(n.listeners, [](auto &io, DescribeQuorumResponse::Listener &l) {
                io.string(l.name);
                io.string(l.host);
                io.u16(l.port);
                io.noTags();
            });
            io.noTags();
        });
    }
    io.noTags();
}

SKIFF_KAFKA_MESSAGE(DescribeQuorumRequest)
SKIFF_KAFKA_MESSAGE(DescribeQuorumResponse)

} // namespace skiff::kafka
