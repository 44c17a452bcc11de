#include "kafka/protocol/messages/Heartbeat.h"

#include "kafka/protocol/Serde.h"

namespace skiff::kafka {

template <class IO>
void serde(IO &io, HeartbeatRequest &m, int16_t v)
{
    io.string(m.groupId);
    io.i32(m.generationId);
    io.string(m.memberId);
    if (v >= 3)
        io.nullableString(m.groupInstanceId);
    io.noTags();
}

template <class IO>
void serde(IO &io, HeartbeatResponse &m, int16_t v)
{
    if (v >= 1)
        io.i32(m.throttleTimeMs);
    io.i16(m.errorCode);
    io.noTags();
}

SKIFF_KAFKA_MESSAGE(HeartbeatRequest)
SKIFF_KAFKA_MESSAGE(HeartbeatResponse)

} // namespace skiff::kafka
