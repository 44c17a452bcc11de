#include "kafka/protocol/messages/JoinGroup.h"

#include "kafka/protocol/Serde.h"

namespace skiff::kafka {

template <class IO>
void serde(IO &io, JoinGroupRequest &m, int16_t v)
{
    io.string(m.groupId);
    io.i32(m.sessionTimeoutMs);
    if (v >= 1)
        io.i32(m.rebalanceTimeoutMs);
    io.string(m.memberId);
    if (v >= 5)
        io.nullableString(m.groupInstanceId);
    io.string(m.protocolType);
    io.array(m.protocols, [](auto &io, JoinGroupRequest::Protocol &p) {
        io.string(p.name);
        io.bytes(p.metadata);
        io.noTags();
    });
    io.noTags();
}

template <class IO>
void serde(IO &io, JoinGroupResponse &m, int16_t v)
{
    if (v >= 2)
        io.i32(m.throttleTimeMs);
    io.i16(m.errorCode);
    io.i32(m.generationId);
    if (v >= 7)
        io.nullableString(m.protocolType);
    io.nullableString(m.protocolName, v >= 7);
    io.string(m.leader);
    io.string(m.memberId);
    io.array(m.members, [v](auto &io, JoinGroupResponse::Member &member) {
        io.string(member.memberId);
        if (v >= 5)
            io.nullableString(member.groupInstanceId);
        io.bytes(member.metadata);
        io.noTags();
    });
    io.noTags();
}

SKIFF_KAFKA_MESSAGE(JoinGroupRequest)
SKIFF_KAFKA_MESSAGE(JoinGroupResponse)

} // namespace skiff::kafka
