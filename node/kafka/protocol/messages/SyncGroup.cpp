#include "kafka/protocol/messages/SyncGroup.h"

#include "kafka/protocol/Serde.h"

namespace skiff::kafka {

template <class IO>
void serde(IO &io, SyncGroupRequest &m, int16_t v)
{
    io.string(m.groupId);
    io.i32(m.generationId);
    io.string(m.memberId);
    if (v >= 3)
        io.nullableString(m.groupInstanceId);
    if (v >= 5) {
        io.nullableString(m.protocolType);
        io.nullableString(m.protocolName);
    }
    io.array(m.assignments, [](auto &io, SyncGroupRequest::Assignment &a) {
        io.string(a.memberId);
        io.bytes(a.assignment);
        io.noTags();
    });
    io.noTags();
}

template <class IO>
void serde(IO &io, SyncGroupResponse &m, int16_t v)
{
    if (v >= 1)
        io.i32(m.throttleTimeMs);
    io.i16(m.errorCode);
    if (v >= 5) {
        io.nullableString(m.protocolType);
        io.nullableString(m.protocolName);
    }
    io.bytes(m.assignment);
    io.noTags();
}

SKIFF_KAFKA_MESSAGE(SyncGroupRequest)
SKIFF_KAFKA_MESSAGE(SyncGroupResponse)

} // namespace skiff::kafka
