#include "kafka/protocol/messages/ListGroups.h"

#include "kafka/protocol/Serde.h"

namespace skiff::kafka {

template <class IO>
void serde(IO &io, ListGroupsRequest &m, int16_t v)
{
    if (v >= 4)
        io.stringArray(m.statesFilter);
    if (v >= 5)
        io.stringArray(m.typesFilter);
    io.noTags();
}

template <class IO>
void serde(IO &io, ListGroupsResponse &m, int16_t v)
{
    if (v >= 1)
        io.i32(m.throttleTimeMs);
    io.i16(m.errorCode);
    io.array(m.groups, [v](auto &io, ListGroupsResponse::Group &g) {
        io.string(g.groupId);
        io.string(g.protocolType);
        if (v >= 4)
            io.string(g.groupState);
        if (v >= 5)
            io.string(g.groupType);
        io.noTags();
    });
    io.noTags();
}

SKIFF_KAFKA_MESSAGE(ListGroupsRequest)
SKIFF_KAFKA_MESSAGE(ListGroupsResponse)

} // namespace skiff::kafka
