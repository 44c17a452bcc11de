#include "kafka/group/ConsumerProtocol.h"

#include "kafka/protocol/ByteReader.h"

namespace skiff::kafka::group {

std::vector<std::string> subscriptionTopics(std::string_view subscription)
{
    // int16 version, then an array of topic names; user data and owned partitions follow.
    std::vector<std::string> topics;
    ByteReader r(subscription);
    r.readInt16();
    const int32_t n = r.readArrayLength();
    for (int32_t i = 0; i < n && r.ok(); ++i) {
        std::string topic = r.readString();
        if (r.ok())
            topics.push_back(std::move(topic));
    }
    return topics;
}

std::optional<std::vector<AssignedPartitions>> decodeAssignment(std::string_view assignment)
{
    std::vector<AssignedPartitions> out;
    if (assignment.empty())
        return out;
    // int16 version, array of (topic, array of int32 partitions), nullable user data.
    ByteReader r(assignment);
    r.readInt16();
    const int32_t topics = r.readArrayLength();
    if (topics < 0)
        return std::nullopt;
    for (int32_t i = 0; i < topics && r.ok(); ++i) {
        AssignedPartitions a;
        a.topic = r.readString();
        const int32_t partitions = r.readArrayLength();
        for (int32_t j = 0; j < partitions && r.ok(); ++j)
            a.partitions.push_back(r.readInt32());
        out.push_back(std::move(a));
    }
    r.readNullableBytes();
    if (!r.ok())
        return std::nullopt;
    return out;
}

} // namespace skiff::kafka::group
