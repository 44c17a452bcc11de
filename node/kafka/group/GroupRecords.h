#pragma once
// The records of __consumer_offsets, in Kafka's own layout (so that tools reading that topic
// understand it):
//   offset commit:  key v1 (group, topic, partition)  value v3 (offset, leader epoch, metadata, commit time)
//   group metadata: key v2 (group)                    value v3 (protocol, generation, leader, members)
// A null value (tombstone) deletes the offset or the group.

#include "common/Status.h"
#include "kafka/group/CommittedOffset.h"
#include "kafka/group/GroupSnapshot.h"

#include <string>
#include <string_view>

namespace skiff::kafka::group {

struct RecordKey {
    enum class Kind { Offset, Group };
    Kind kind = Kind::Offset;
    std::string groupId;
    std::string topic;      // Offset only
    int32_t partition = 0;  // Offset only
};

std::string encodeOffsetKey(const std::string &groupId, const std::string &topic, int32_t partition);
std::string encodeOffsetValue(const CommittedOffset &offset);
std::string encodeGroupKey(const std::string &groupId);
std::string encodeGroupValue(const GroupSnapshot &group);

Result<RecordKey> decodeRecordKey(std::string_view key);
Result<CommittedOffset> decodeOffsetValue(std::string_view value);
Result<GroupSnapshot> decodeGroupValue(std::string_view value, const std::string &groupId);

} // namespace skiff::kafka::group
