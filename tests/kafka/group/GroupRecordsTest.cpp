// The records of __consumer_offsets (Kafka's layout, byte for byte), and rebuilding a
// partition's groups and offsets from its log.
#include "kafka/group/CoordinatorShard.h"
#include "kafka/group/GroupRecords.h"
#include "log/PartitionLog.h"
#include "log/RecordBatchBuilder.h"
#include "log/RecordReader.h"

#include <QTemporaryDir>
#include <QTest>

using namespace skiff;
using namespace skiff::kafka;
using namespace skiff::kafka::group;

namespace {

std::string hex(const std::string &s)
{
    static const char *digits = "0123456789abcdef";
    std::string out;
    for (unsigned char c : s) {
        out.push_back(digits[c >> 4]);
        out.push_back(digits[c & 15]);
    }
    return out;
}

GroupSnapshot sampleGroup()
{
    GroupSnapshot g;
    g.groupId = "g1";
    g.protocolType = "consumer";
    g.generationId = 7;
    g.protocolName = "range";
    g.leaderId = "m1";
    g.stateTimestampMs = 1700000000000;
    g.members.push_back({"m1", std::nullopt, "client-a", "/127.0.0.1", 30000, 10000, std::string("\0sub", 4), "asg1"});
    g.members.push_back({"m2", std::string("inst-2"), "client-b", "/127.0.0.2", 45000, 6000, "sub2", std::string("\xff\x00", 2)});
    return g;
}

log::Record record(std::string key, std::optional<std::string> value)
{
    log::Record r;
    r.key = std::move(key);
    r.value = std::move(value);
    r.timestampMs = 1;
    return r;
}

} // namespace

class GroupRecordsTest : public QObject {
    Q_OBJECT
private slots:
    void offsetKeyAndValueHaveKafkasLayout()
    {
        QCOMPARE(hex(encodeOffsetKey("g", "t", 3)), std::string("0001" "000167" "000174" "00000003"));
        CommittedOffset o{42, 5, "md", 1000};
        QCOMPARE(hex(encodeOffsetValue(o)), std::string("0003" "000000000000002a" "00000005" "00026d64" "00000000000003e8"));
        auto k = decodeRecordKey(encodeOffsetKey("g", "t", 3));
        QVERIFY(k.isOk());
        QCOMPARE(k->kind, RecordKey::Kind::Offset);
        QCOMPARE(k->groupId, std::string("g"));
        QCOMPARE(k->topic, std::string("t"));
        QCOMPARE(k->partition, 3);
        auto v = decodeOffsetValue(encodeOffsetValue(o));
        QVERIFY(v.isOk());
        QCOMPARE(v.value(), o);
    }

    void olderOffsetValueVersionsDecode()
    {
        // v1 (Kafka 0.10-2.0): offset, metadata, commit timestamp, expire timestamp.
        const std::string v1 = std::string("\x00\x01", 2) + std::string("\x00\x00\x00\x00\x00\x00\x00\x09", 8)
                               + std::string("\x00\x00", 2) + std::string("\x00\x00\x00\x00\x00\x00\x00\x02", 8)
                               + std::string("\x00\x00\x00\x00\x00\x00\x00\x03", 8);
        auto v = decodeOffsetValue(v1);
        QVERIFY2(v.isOk(), v.status().toString().c_str());
        QCOMPARE(v->offset, int64_t(9));
        QCOMPARE(v->leaderEpoch, -1);
        QCOMPARE(v->commitTimestampMs, int64_t(2));
    }

    void groupValueRoundTrip()
    {
        const GroupSnapshot g = sampleGroup();
        const std::string key = encodeGroupKey(g.groupId);
        QCOMPARE(hex(key), std::string("0002" "00026731"));
        auto k = decodeRecordKey(key);
        QVERIFY(k.isOk());
        QCOMPARE(k->kind, RecordKey::Kind::Group);
        auto v = decodeGroupValue(encodeGroupValue(g), "g1");
        QVERIFY2(v.isOk(), v.status().toString().c_str());
        QCOMPARE(v.value(), g);
        GroupSnapshot empty;
        empty.groupId = "e";
        empty.protocolType = "consumer";
        empty.generationId = 3;
        auto e = decodeGroupValue(encodeGroupValue(empty), "e");
        QVERIFY(e.isOk());
        QCOMPARE(e.value(), empty);
    }

    void damagedRecordsAreRefused()
    {
        QVERIFY(!decodeRecordKey(std::string("\x00\x07", 2)).isOk());
        QVERIFY(!decodeRecordKey(std::string("\x00\x01\x00\x05g", 5)).isOk());
        QVERIFY(!decodeOffsetValue(std::string("\x00\x03\x00", 3)).isOk());
        std::string group = encodeGroupValue(sampleGroup());
        group.resize(group.size() - 3);
        QVERIFY(!decodeGroupValue(group, "g1").isOk());
        CoordinatorShard shard(GroupConfig{}, [] { return int64_t(0); });
        QVERIFY(!shard.replay(std::string("\x00\x09", 2), std::string("x")).isOk());
    }

    void replayKeepsTheLastRecordOfEachKey()
    {
        int64_t now = 0;
        CoordinatorShard shard(GroupConfig{1000, 60000, 0}, [&] { return now; });
        QVERIFY(shard.replay(encodeOffsetKey("g", "t", 0), encodeOffsetValue({10, -1, "", 100})).isOk());
        QVERIFY(shard.replay(encodeOffsetKey("g", "t", 1), encodeOffsetValue({20, -1, "", 100})).isOk());
        QVERIFY(shard.replay(encodeOffsetKey("g", "t", 0), encodeOffsetValue({15, 2, "m", 200})).isOk());
        QVERIFY(shard.replay(encodeOffsetKey("h", "t", 0), encodeOffsetValue({5, -1, "", 100})).isOk());
        QVERIFY(shard.replay(encodeOffsetKey("h", "t", 0), std::nullopt).isOk());   // tombstone
        QVERIFY(shard.replay(encodeGroupKey("g1"), encodeGroupValue(sampleGroup())).isOk());
        QVERIFY(shard.replay(encodeGroupKey("gone"), encodeGroupValue(sampleGroup())).isOk());
        QVERIFY(shard.replay(encodeGroupKey("gone"), std::nullopt).isOk());

        QCOMPARE(shard.offset("g", {"t", 0})->offset, int64_t(15));
        QCOMPARE(shard.offset("g", {"t", 0})->leaderEpoch, 2);
        QCOMPARE(shard.offset("g", {"t", 0})->metadata, std::string("m"));
        QCOMPARE(shard.offset("g", {"t", 1})->offset, int64_t(20));
        QVERIFY(!shard.offsets("h"));
        QVERIFY(!shard.group("gone"));
        Group *g = shard.group("g1");
        QVERIFY(g);
        QCOMPARE(g->state(), GroupState::Stable);
        QCOMPARE(g->generationId(), 7);
        QCOMPARE(g->members().size(), size_t(2));
        QCOMPARE(g->members().at("m2").assignment, std::string("\xff\x00", 2));
        QCOMPARE(g->heartbeat("m2", std::string("inst-2"), 7), ErrorCode::None);
        QCOMPARE(shard.groupIds(), (std::vector<std::string>{"g", "g1"}));
    }

    void expiredOffsetsOnlyOfGroupsWithoutMembers()
    {
        CoordinatorShard shard(GroupConfig{1000, 60000, 0}, [] { return int64_t(0); });
        shard.putOffset("simple", {"t", 0}, {1, -1, "", 1000});
        shard.putOffset("simple", {"t", 1}, {1, -1, "", 5000});
        shard.putOffset("g1", {"t", 0}, {1, -1, "", 1000});
        QVERIFY(shard.replay(encodeGroupKey("g1"), encodeGroupValue(sampleGroup())).isOk());
        const auto expired = shard.expiredOffsets(4000, 3000);
        QCOMPARE(expired.size(), size_t(1));
        QCOMPARE(expired[0].groupId, std::string("simple"));
        QCOMPARE(expired[0].partition, (PartitionKey{"t", 0}));
    }

    void recordReaderReadsBuiltBatches()
    {
        log::RecordBatchBuilder b;
        b.setBaseOffset(100);
        b.add(record("k1", std::string("v1")));
        b.add(record("k2", std::nullopt));
        b.add(record("k3", std::string()));
        log::RecordBatchBuilder c;
        c.setBaseOffset(103);
        c.add(record("k4", std::string("v4")));
        const std::string both = b.build() + c.build();
        auto all = log::decodeRecords(both, 0);
        QVERIFY2(all.isOk(), all.status().toString().c_str());
        QCOMPARE(all->records.size(), size_t(4));
        QCOMPARE(all->records[0].offset, int64_t(100));
        QCOMPARE(all->records[1].value, std::optional<std::string>());
        QCOMPARE(all->records[2].value, std::optional<std::string>(""));
        QCOMPARE(all->records[3].key, std::optional<std::string>("k4"));
        QCOMPARE(all->nextOffset, int64_t(104));
        auto tail = log::decodeRecords(both, 102);
        QCOMPARE(tail->records.size(), size_t(2));
        // A batch cut short at the end of a read is left for the next read.
        auto partial = log::decodeRecords(std::string_view(both).substr(0, both.size() - 5), 0);
        QVERIFY(partial.isOk());
        QCOMPARE(partial->records.size(), size_t(3));
        QCOMPARE(partial->nextOffset, int64_t(103));
    }

    void rebuildFromAPartitionLog()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::string path = dir.path().toStdString() + "/__consumer_offsets-0";
        {
            auto opened = log::PartitionLog::open(path, log::LogConfig{});
            QVERIFY2(opened.isOk(), opened.status().toString().c_str());
            auto log = opened.value();
            // Many small appends, as the coordinator makes them.
            for (int i = 0; i < 500; ++i) {
                log::RecordBatchBuilder b;
                b.add(record(encodeOffsetKey("g", "topic", i % 6), encodeOffsetValue({i, -1, "", 1000 + i})));
                if (i % 100 == 0)
                    b.add(record(encodeGroupKey("g"), encodeGroupValue(sampleGroup())));
                QVERIFY(log->append(b.build(), 0).isOk());
            }
            log::RecordBatchBuilder del;
            del.add(record(encodeOffsetKey("g", "topic", 5), std::nullopt));
            QVERIFY(log->append(del.build(), 0).isOk());
            QVERIFY(log->close().isOk());
        }
        auto reopened = log::PartitionLog::open(path, log::LogConfig{});
        QVERIFY(reopened.isOk());
        auto log = reopened.value();
        CoordinatorShard shard(GroupConfig{1000, 60000, 0}, [] { return int64_t(0); });
        int64_t position = log->logStartOffset();
        int reads = 0;
        while (position < log->logEndOffset()) {
            auto read = log->read(position, 4096);   // small reads: batches split across them
            QVERIFY(read.isOk());
            auto decoded = log::decodeRecords(read->records, position);
            QVERIFY(decoded.isOk());
            QVERIFY(decoded->nextOffset > position);
            for (const auto &r : decoded->records)
                QVERIFY(shard.replay(*r.key, r.value).isOk());
            position = decoded->nextOffset;
            ++reads;
        }
        QVERIFY(reads > 1);
        for (int p = 0; p < 5; ++p)   // the last commit of each partition: i % 6 == p, i < 500
            QCOMPARE(shard.offset("g", {"topic", p})->offset, int64_t(498 + p <= 499 ? 498 + p : 492 + p));
        QVERIFY(!shard.offset("g", {"topic", 5}));
        QVERIFY(shard.group("g"));
        QCOMPARE(shard.group("g")->generationId(), 7);
    }
};

QTEST_APPLESS_MAIN(GroupRecordsTest)
#include "GroupRecordsTest.moc"
