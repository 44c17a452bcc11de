#include "kafka/group/GroupRecords.h"

#include "kafka/protocol/ByteReader.h"
#include "kafka/protocol/ByteWriter.h"

namespace skiff::kafka::group {

namespace {

constexpr int16_t kOffsetKeyVersion = 1;
constexpr int16_t kGroupKeyVersion = 2;
constexpr int16_t kOffsetValueVersion = 3;
constexpr int16_t kGroupValueVersion = 3;

Status failed(const ByteReader &r, const char *what)
{
    return corruption(std::string("bad ") + what + " in __consumer_offsets: " + r.error());
}

} // namespace

std::string encodeOffsetKey(const std::string &groupId, const std::string &topic, int32_t partition)
{
    std::string out;
    ByteWriter w(out);
    w.writeInt16(kOffsetKeyVersion);
    w.writeString(groupId);
    w.writeString(topic);
    w.writeInt32(partition);
    return out;
}

std::string encodeOffsetValue(const CommittedOffset &offset)
{
    std::string out;
    ByteWriter w(out);
    w.writeInt16(kOffsetValueVersion);
    w.writeInt64(offset.offset);
    w.writeInt32(offset.leaderEpoch);
    w.writeString(offset.metadata);
    w.writeInt64(offset.commitTimestampMs);
    return out;
}

std::string encodeGroupKey(const std::string &groupId)
{
    std::string out;
    ByteWriter w(out);
    w.writeInt16(kGroupKeyVersion);
    w.writeString(groupId);
    return out;
}

std::string encodeGroupValue(const GroupSnapshot &g)
{
    std::string out;
    ByteWriter w(out);
    w.writeInt16(kGroupValueVersion);
    w.writeString(g.protocolType);
    w.writeInt32(g.generationId);
    w.writeNullableString(g.protocolName);
    w.writeNullableString(g.leaderId);
    w.writeInt64(g.stateTimestampMs);
    w.writeArrayLength(int32_t(g.members.size()));
    for (const auto &m : g.members) {
        w.writeString(m.memberId);
        w.writeNullableString(m.groupInstanceId);
        w.writeString(m.clientId);
        w.writeString(m.clientHost);
        w.writeInt32(m.rebalanceTimeoutMs);
        w.writeInt32(m.sessionTimeoutMs);
        w.writeBytes(m.subscription);
        w.writeBytes(m.assignment);
    }
    return out;
}

Result<RecordKey> decodeRecordKey(std::string_view key)
{
    ByteReader r(key);
    RecordKey k;
    const int16_t version = r.readInt16();
    if (version == 0 || version == 1) {
        k.kind = RecordKey::Kind::Offset;
        k.groupId = r.readString();
        k.topic = r.readString();
        k.partition = r.readInt32();
    } else if (version == 2) {
        k.kind = RecordKey::Kind::Group;
        k.groupId = r.readString();
    } else if (r.ok()) {
        return corruption("unknown __consumer_offsets key version " + std::to_string(version));
    }
    if (!r.ok())
        return failed(r, "key");
    return k;
}

Result<CommittedOffset> decodeOffsetValue(std::string_view value)
{
    ByteReader r(value);
    CommittedOffset o;
    const int16_t version = r.readInt16();
    if (version < 0 || version > kOffsetValueVersion)
        return corruption("unknown offset value version " + std::to_string(version));
    o.offset = r.readInt64();
    if (version >= 3)
        o.leaderEpoch = r.readInt32();
    o.metadata = r.readString();
    o.commitTimestampMs = r.readInt64();
    if (version == 1)
        r.readInt64(); // expire timestamp (offset retention is broker-wide here)
    if (!r.ok())
        return failed(r, "offset value");
    return o;
}

Result<GroupSnapshot> decodeGroupValue(std::string_view value, const std::string &groupId)
{
    ByteReader r(value);
    GroupSnapshot g;
    g.groupId = groupId;
    const int16_t version = r.readInt16();
    if (version < 0 || version > kGroupValueVersion)
        return corruption("unknown group value version " + std::to_string(version));
    g.protocolType = r.readString();
    g.generationId = r.readInt32();
    g.protocolName = r.readNullableString();
    g.leaderId = r.readNullableString();
    if (version >= 2)
        g.stateTimestampMs = r.readInt64();
    const int32_t n = r.readArrayLength();
    for (int32_t i = 0; i < n && r.ok(); ++i) {
        GroupSnapshot::Member m;
        m.memberId = r.readString();
        if (version >= 3)
            m.groupInstanceId = r.readNullableString();
        m.clientId = r.readString();
        m.clientHost = r.readString();
        if (version >= 1)
            m.rebalanceTimeoutMs = r.readInt32();
        m.sessionTimeoutMs = r.readInt32();
        if (version == 0)
            m.rebalanceTimeoutMs = m.sessionTimeoutMs;
        m.subscription = r.readBytes();
        m.assignment = r.readBytes();
        g.members.push_back(std::move(m));
    }
    if (!r.ok())
        return failed(r, "group value");
    return g;
}

} // namespace skiff::kafka::group
