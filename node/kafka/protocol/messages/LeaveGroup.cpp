#include "kafka/protocol/messages/LeaveGroup.h"

#include "kafka/protocol/Serde.h"

namespace skiff::kafka {

template <class IO>
void serde(IO &io, LeaveGroupRequest &m, int16_t v)
{
    io.string(m.groupId);
    if (v <= 2) {
        io.string(m.memberId);
    } else {
        io.array(m.members, [](auto &io, LeaveGroupRequest::Member &member) {
            io.string(member.memberId);
            io.nullableString(member.groupInstanceId);
            io.noTags();
        });
    }
    io.noTags();
}

template <class IO>
void serde(IO &io, LeaveGroupResponse &m, int16_t v)
{
    if (v >= 1)
        io.i32(m.throttleTimeMs);
    io.i16(m.errorCode);
    if (v >= 3) {
        io.array(m.members, [](auto &io, LeaveGroupResponse::Member &member) {
            io.string(member.memberId);
            io.nullableString(member.groupInstanceId);
            io.i16(member.errorCode);
            io.noTags();
        });
    }
    io.noTags();
}

SKIFF_KAFKA_MESSAGE(LeaveGroupRequest)
SKIFF_KAFKA_MESSAGE(LeaveGroupResponse)

} // namespace skiff::kafka
