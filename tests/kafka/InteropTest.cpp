// Request frames encoded by an independent Kafka client (kafkajs 2.2.4, see
// data/gen-kafkajs-vectors.js): Skiff must decode each one and re-encode it byte for byte.
// This catches layout mistakes that round trips through our own symmetric codec cannot.

#include "TestHex.h"
#include "kafka/protocol/Requests.h"

#include <QTest>
#include <fstream>
#include <map>
#include <sstream>

using namespace skiff::kafka;
using namespace skiff::kafka::test;

namespace {

struct Vector {
    std::string api;
    int version = 0;
    std::string frame;
};

std::vector<Vector> loadVectors()
{
    std::vector<Vector> out;
    std::ifstream in(SKIFF_KAFKA_TEST_DATA "/kafkajs-requests.txt");
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        Vector v;
        std::string hexFrame;
        if (fields >> v.api >> v.version >> hexFrame) {
            v.frame = unhex(hexFrame);
            out.push_back(std::move(v));
        }
    }
    return out;
}

const DecodedRequest *find(const std::map<std::string, DecodedRequest> &all, const std::string &key)
{
    auto it = all.find(key);
    return it == all.end() ? nullptr : &it->second;
}

} // namespace

class InteropTest : public QObject {
    Q_OBJECT
private slots:
    void kafkajsRequestsDecodeAndReencodeExactly()
    {
        const std::vector<Vector> vectors = loadVectors();
        QCOMPARE(vectors.size(), size_t(36));
        std::map<std::string, DecodedRequest> decoded;
        for (const Vector &v : vectors) {
            const std::string ctx = v.api + " v" + std::to_string(v.version);
            skiff::Result<DecodedRequest> d = decodeRequest(v.frame);
            QVERIFY2(d.isOk(), (ctx + ": " + d.status().toString()).c_str());
            QVERIFY2(d->isSupported(), ctx.c_str());
            QCOMPARE(std::string(apiKeyName(d->header.apiKey)), v.api);
            QCOMPARE(int(d->header.apiVersion), v.version);
            QCOMPARE(d->header.clientId, std::optional<std::string>("kafkajs-vectors"));
            std::string again;
            encodeRequest(again, d->header, d->body);
            QVERIFY2(again == v.frame, (ctx + ": re-encoded " + hex(again) + " != " + hex(v.frame)).c_str());
            decoded.emplace(ctx, std::move(d).value());
        }

        const DecodedRequest *produce = find(decoded, "Produce v3");
        QVERIFY(produce);
        const auto &p = std::get<ProduceRequest>(produce->body);
        QCOMPARE(p.acks, int16_t(-1));
        QCOMPARE(p.timeoutMs, 30000);
        QCOMPARE(p.topicData.at(0).name, std::string("orders"));
        QCOMPARE(p.topicData.at(0).partitionData.at(0).index, 1);
        const std::string &batch = *p.topicData.at(0).partitionData.at(0).records;
        QVERIFY(batch.size() > 61);
        QCOMPARE(int(batch[16]), 2); // record batch magic v2, passed through untouched

        const auto &p7 = std::get<ProduceRequest>(find(decoded, "Produce v7")->body);
        QCOMPARE(p7.transactionalId, std::optional<std::string>("tx-1"));

        const auto &f7 = std::get<FetchRequest>(find(decoded, "Fetch v7")->body);
        QCOMPARE(f7.sessionId, 9);
        QCOMPARE(f7.sessionEpoch, 2);
        QCOMPARE(f7.topics.at(0).partitions.at(0).fetchOffset, int64_t(7));
        QCOMPARE(f7.topics.at(0).partitions.at(0).logStartOffset, int64_t(1));
        QCOMPARE(f7.forgottenTopicsData.at(0).partitions, (std::vector<int32_t>{1, 2}));

        const auto &f11 = std::get<FetchRequest>(find(decoded, "Fetch v11")->body);
        QCOMPARE(f11.rackId, std::string("rack-a"));
        QCOMPARE(f11.topics.at(0).partitions.at(0).currentLeaderEpoch, 4);

        const auto &m4 = std::get<MetadataRequest>(find(decoded, "Metadata v4")->body);
        QVERIFY(!m4.topics.has_value());
        QCOMPARE(m4.allowAutoTopicCreation, false);

        const auto &ct = std::get<CreateTopicsRequest>(find(decoded, "CreateTopics v3")->body);
        QCOMPARE(ct.topics.at(0).assignments.at(0).brokerIds, (std::vector<int32_t>{1, 2}));

        const auto &cp = std::get<CreatePartitionsRequest>(find(decoded, "CreatePartitions v1")->body);
        QCOMPARE(cp.topics.at(0).assignments->size(), size_t(2));
        QVERIFY(cp.validateOnly);

        const auto &dc = std::get<DescribeConfigsRequest>(find(decoded, "DescribeConfigs v2")->body);
        QVERIFY(!dc.resources.at(0).configurationKeys.has_value());
        QVERIFY(dc.includeSynonyms);

        const auto &jg = std::get<JoinGroupRequest>(find(decoded, "JoinGroup v5")->body);
        QCOMPARE(jg.groupInstanceId, std::optional<std::string>("i-1"));
        QCOMPARE(jg.rebalanceTimeoutMs, 60000);

        const auto &oc = std::get<OffsetCommitRequest>(find(decoded, "OffsetCommit v2")->body);
        QCOMPARE(oc.retentionTimeMs, int64_t(-1));
        QCOMPARE(oc.topics.at(0).partitions.at(0).committedOffset, int64_t(100));

        const auto &lg = std::get<LeaveGroupRequest>(find(decoded, "LeaveGroup v3")->body);
        QCOMPARE(lg.members.at(1).groupInstanceId, std::optional<std::string>("i"));
    }
};

QTEST_GUILESS_MAIN(InteropTest)
#include "InteropTest.moc"
