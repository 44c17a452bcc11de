#include "kafka/protocol/messages/DeleteGroups.h"

#include "kafka/protocol/Serde.h"

namespace skiff::kafka {

template <class IO>
void serde(IO &io, DeleteGroupsRequest &m, int16_t)
{
    io.stringArray(m.groupsNames);
    io.noTags();
}

template <class IO>
void serde(IO &io, DeleteGroupsResponse &m, int16_t)
{
    io.i32(m.throttleTimeMs);
    io.array(m.results, [](auto &io, DeleteGroupsResponse::GroupResult &r) {
        io.string(r.groupId);
        io.i16(r.errorCode);
        io.noTags();
    });
    io.noTags();
}

SKIFF_KAFKA_MESSAGE(DeleteGroupsRequest)
SKIFF_KAFKA_MESSAGE(DeleteGroupsResponse)

} // namespace skiff::kafka
