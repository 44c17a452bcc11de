#include "kafka/protocol/messages/Metadata.h"

#include "kafka/protocol/Serde.h"

namespace skiff::kafka {

template <class IO>
void serde(IO &io, MetadataRequest &m, int16_t v)
{
    io.nullableArray(m.topics, v >= 1, [v](auto &io, MetadataRequest::Topic &t) {
        if (v >= 10)
            io.uuid(t.topicId);
        io.nullableString(t.name, v >= 10);
        io.noTags();
    });
    if (v >= 4)
        io.boolean(m.allowAutoTopicCreation);
    if (v >= 8 && v <= 10)
        io.boolean(m.includeClusterAuthorizedOperations);
    if (v >= 8)
        io.boolean(m.includeTopicAuthorizedOperations);
    io.noTags();
}

template <class IO>
void serde(IO &io, MetadataResponse &m, int16_t v)
{
    if (v >= 3)
        io.i32(m.throttleTimeMs);
    io.array(m.brokers, [v](auto &io, MetadataResponse::Broker &b) {
        io.i32(b.nodeId);
        io.string(b.host);
        io.i32(b.port);
        if (v >= 1)
            io.nullableString(b.rack);
        io.noTags();
    });
    if (v >= 2)
        io.nullableString(m.clusterId);
    if (v >= 1)
        io.i32(m.controllerId);
    io.array(m.topics, [v](auto &io, MetadataResponse::Topic &t) {
        io.i16(t.errorCode);
        io.nullableString(t.name, v >= 12);
        if (v >= 10)
            io.uuid(t.topicId);
        if (v >= 1)
            io.boolean(t.isInternal);
        io.array(t.partitions, [v](auto &io, MetadataResponse::Partition &p) {
            io.i16(p.errorCode);
            io.i32(p.partitionIndex);
            io.i32(p.leaderId);
            if (v >= 7)
                io.i32(p.leaderEpoch);
            io.int32Array(p.replicaNodes);
            io.int32Array(p.isrNodes);
            if (v >= 5)
                io.int32Array(p.offlineReplicas);
            io.noTags();
        });
        if (v >= 8)
            io.i32(t.topicAuthorizedOperations);
        io.noTags();
    });
    if (v >= 8 && v <= 10)
        io.i32(m.clusterAuthorizedOperations);
    io.noTags();
}

SKIFF_KAFKA_MESSAGE(MetadataRequest)
SKIFF_KAFKA_MESSAGE(MetadataResponse)

} // namespace skiff::kafka
