#include "kafka/protocol/messages/ElectLeaders.h"

#include "kafka/protocol/Serde.h"

namespace skiff::kafka {

template <class IO>
void serde(IO &io, ElectLeadersRequest &m, int16_t v)
{
    if (v >= 1)
        io.i8(m.electionType);
    io.nullableArray(m.topicPartitions, true, [](auto &io, ElectLeadersRequest::TopicPartitions &t) {
        io.string(t.topic);
        io.int32Array(t.partitions);
        io.noTags();
    });
    io.i32(m.timeoutMs);
    io.noTags();
}

template <class IO>
void serde(IO &io, ElectLeadersResponse &m, int16_t v)
{
    io.i32(m.throttleTimeMs);
    if (v >= 1)
        io.i16(m.errorCode);
    io.array(m.replicaElectionResults, [](auto &io, ElectLeadersResponse::ReplicaElectionResult &t) {
        io.string(t.topic);
        io.array(t.partitionResult, [](auto &io, ElectLeadersResponse::PartitionResult &p) {
            io.i32(p.partitionId);
            io.i16(p.errorCode);
            io.nullableString(p.errorMessage);
            io.noTags();
        });
        io.noTags();
    });
    io.noTags();
}

SKIFF_KAFKA_MESSAGE(ElectLeadersRequest)
SKIFF_KAFKA_MESSAGE(ElectLeadersResponse)

} // namespace skiff::kafka
