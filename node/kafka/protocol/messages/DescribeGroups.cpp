#include "kafka/protocol/messages/DescribeGroups.h"

#include "kafka/protocol/Serde.h"

namespace skiff::kafka {

template <class IO>
void serde(IO &io, DescribeGroupsRequest &m, int16_t v)
{
    io.stringArray(m.groups);
    if (v >= 3)
        io.boolean(m.includeAuthorizedOperations);
    io.noTags();
}

template <class IO>
void serde(IO &io, DescribeGroupsResponse &m, int16_t v)
{
    if (v >= 1)
        io.i32(m.throttleTimeMs);
    io.array(m.groups, [v](auto &io, DescribeGroupsResponse::Group &g) {
        io.i16(g.errorCode);
        io.string(g.groupId);
        io.string(g.groupState);
        io.string(g.protocolType);
        io.string(g.protocolData);
        io.array(g.members, [v](auto &io, DescribeGroupsResponse::Member &member) {
            io.string(member.memberId);
            if (v >= 4)
                io.nullableString(member.groupInstanceId);
            io.string(member.clientId);
            io.string(member.clientHost);
            io.bytes(member.memberMetadata);
            io.bytes(member.memberAssignment);
            io.noTags();
        });
        if (v >= 3)
            io.i32(g.authorizedOperations);
        io.noTags();
    });
    io.noTags();
}

SKIFF_KAFKA_MESSAGE(DescribeGroupsRequest)
SKIFF_KAFKA_MESSAGE(DescribeGroupsResponse)

} // namespace skiff::kafka
