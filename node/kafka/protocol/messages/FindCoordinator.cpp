#include "kafka/protocol/messages/FindCoordinator.h"

#include "kafka/protocol/Serde.h"

namespace skiff::kafka {

template <class IO>
void serde(IO &io, FindCoordinatorRequest &m, int16_t v)
{
    if (v <= 3)
        io.string(m.key);
    if (v >= 1)
        io.i8(m.keyType);
    if (v >= 4)
        io.stringArray(m.coordinatorKeys);
    io.noTags();
}

template <class IO>
void serde(IO &io, FindCoordinatorResponse &m, int16_t v)
{
    if (v >= 1)
        io.i32(m.throttleTimeMs);
    if (v <= 3) {
        io.i16(m.errorCode);
        if (v >= 1)
            io.nullableString(m.errorMessage);
        io.i32(m.nodeId);
        io.string(m.host);
        io.i32(m.port);
    } else {
        io.array(m.coordinators, [](auto &io, FindCoordinatorResponse::Coordinator &c) {
            io.string(c.key);
            io.i32(c.nodeId);
            io.string(c.host);
            io.i32(c.port);
            io.i16(c.errorCode);
            io.nullableString(c.errorMessage);
            io.noTags();
        });
    }
    io.noTags();
}

SKIFF_KAFKA_MESSAGE(FindCoordinatorRequest)
SKIFF_KAFKA_MESSAGE(FindCoordinatorResponse)

} // namespace skiff::kafka
