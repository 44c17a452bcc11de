#include "kafka/protocol/messages/DescribeCluster.h"

#include "kafka/protocol/Serde.h"

namespace skiff::kafka {

template <class IO>
void serde(IO &io, DescribeClusterRequest &m, int16_t v)
{
    io.boolean(m.includeClusterAuthorizedOperations);
    if (v >= 1)
        io.i8(m.endpointType);
    io.noTags();
}

template <class IO>
void serde(IO &io, DescribeClusterResponse &m, int16_t v)
{
    io.i32(m.throttleTimeMs);
    io.i16(m.errorCode);
    io.nullableString(m.errorMessage);
    if (v >= 1)
        io.i8(m.endpointType);
    io.string(m.clusterId);
    io.i32(m.controllerId);
    io.array(m.brokers, [](auto &io, DescribeClusterResponse::Broker &b) {
        io.i32(b.brokerId);
        io.string(b.host);
        io.i32(b.port);
        io.nullableString(b.rack);
        io.noTags();
    });
    io.i32(m.clusterAuthorizedOperations);
    io.noTags();
}

SKIFF_KAFKA_MESSAGE(DescribeClusterRequest)
SKIFF_KAFKA_MESSAGE(DescribeClusterResponse)

} // namespace skiff::kafka
