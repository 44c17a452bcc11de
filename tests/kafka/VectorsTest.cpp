// Byte-exact vectors worked out by hand from the Kafka protocol description.

#include "TestHex.h"
#include "kafka/protocol/ByteWriter.h"
#include "kafka/protocol/Codec.h"
#include "kafka/protocol/ErrorCode.h"
#include "kafka/protocol/Requests.h"
#include "kafka/protocol/ResponseFrame.h"
#include "kafka/protocol/Uuid.h"

#include <QTest>

using namespace skiff::kafka;
using namespace skiff::kafka::test;

class VectorsTest : public QObject {
    Q_OBJECT
private slots:
    void apiVersionsV3Request()
    {
        const std::string frame = unhex("0012 0003 00000001 0003 636c69 00" // header v2: key 18, v3, corr 1, "cli", no tags
                                        "0b 736b6966662d74657374"           // compact "skiff-test"
                                        "04 312e30"                         // compact "1.0"
                                        "00");                              // no tags
        skiff::Result<DecodedRequest> d = decodeRequest(frame);
        QVERIFY2(d.isOk(), d.status().toString().c_str());
        QCOMPARE(d->header, (RequestHeader{18, 3, 1, "cli"}));
        const auto *req = std::get_if<ApiVersionsRequest>(&d->body);
        QVERIFY(req);
        QCOMPARE(req->clientSoftwareName, std::string("skiff-test"));
        QCOMPARE(req->clientSoftwareVersion, std::string("1.0"));
        std::string again;
        encodeRequest(again, d->header, d->body);
        QCOMPARE(hex(again), hex(frame));
    }

    void metadataV1RequestForTwoTopics()
    {
        MetadataRequest m;
        m.topics = std::vector<MetadataRequest::Topic>{{{}, "a"}, {{}, "bc"}};
        std::string frame;
        encodeRequest(frame, RequestHeader{3, 1, 7, std::nullopt}, m);
        QCOMPARE(hex(frame), hex(unhex("0003 0001 00000007 ffff" // header v1, null client id
                                       "00000002 0001 61 0002 6263")));
        // v1 null topic list = all topics; v0 has no null, so null is written as an empty list.
        std::string all;
        encodeMessage(all, MetadataRequest{}, 1);
        QCOMPARE(hex(all), std::string("ffffffff"));
        std::string v0;
        encodeMessage(v0, MetadataRequest{}, 0);
        QCOMPARE(hex(v0), std::string("00000000"));
    }

    void produceV3Request()
    {
        ProduceRequest p;
        p.acks = -1;
        p.timeoutMs = 30000;
        p.topicData = {{"t", {{0, std::string("xyz")}}}};
        std::string frame;
        encodeRequest(frame, RequestHeader{0, 3, 0x01020304, "p"}, p);
        QCOMPARE(hex(frame), hex(unhex("0000 0003 01020304 0001 70" // header v1
                                       "ffff ffff 00007530"         // null transactional id, acks -1, 30000 ms
                                       "00000001 0001 74"           // one topic "t"
                                       "00000001 00000000 00000003 78797a"))); // partition 0, 3 bytes of records
    }

    void produceV9RequestIsCompact()
    {
        ProduceRequest p;
        p.transactionalId = "tx";
        p.acks = 1;
        p.timeoutMs = 5;
        p.topicData = {{"t", {{2, std::nullopt}}}};
        std::string body;
        encodeMessage(body, p, 9);
        QCOMPARE(hex(body), hex(unhex("03 7478 0001 00000005" // compact "tx", acks 1, timeout 5
                                      "02 02 74"              // 1 topic, compact "t"
                                      "02 00000002 00 00"     // 1 partition, index 2, null records, tags
                                      "00 00")));             // topic tags, top-level tags
    }

    void fetchV12ClusterIdIsTagZero()
    {
        FetchRequest f;
        f.clusterId = "ab";
        f.maxWaitMs = 500;
        f.minBytes = 1;
        std::string body;
        encodeMessage(body, f, 12);
        QCOMPARE(hex(body), hex(unhex("ffffffff 000001f4 00000001 7fffffff 00" // replica -1, wait, min, max, isolation
                                      "00000000 ffffffff"                      // session id 0, epoch -1
                                      "01 01 01"                               // no topics, no forgotten, rack ""
                                      "01 00 03 03 6162")));                   // 1 tag: 0, size 3, compact "ab"
        skiff::Result<FetchRequest> back = decodeMessage<FetchRequest>(body, 12);
        QVERIFY2(back.isOk(), back.status().toString().c_str());
        QCOMPARE(back->clusterId, std::optional<std::string>("ab"));
    }

    void metadataV9ResponseFrame()
    {
        MetadataResponse m;
        m.brokers = {{1, "h", 9092, std::nullopt}};
        m.clusterId = "c";
        m.controllerId = 1;
        std::string frame;
        encodeResponseFrame(frame, RequestHeader{3, 9, 42, "x"}, m);
        const std::string expectedBody = "00000000"                       // throttle
                                         "02 00000001 0268 00002384 00 00" // 1 broker: id 1, "h", 9092, null rack, tags
                                         "02 63 00000001"                  // cluster id "c", controller 1
                                         "01 80000000 00";                 // no topics, cluster ops omitted, tags
        QCOMPARE(hex(frame), hex(unhex("00000022 0000002a 00" + std::string(expectedBody))));
    }

    void apiVersionsResponseUsesHeaderV0EvenWhenFlexible()
    {
        ApiVersionsResponse r;
        r.apiKeys = {{18, 0, 3}};
        std::string frame;
        encodeResponseFrame(frame, RequestHeader{18, 3, 5, "c"}, r);
        QCOMPARE(hex(frame), hex(unhex("00000013 00000005"     // size, correlation id, no header tags
                                       "0000 02 0012 0000 0003 00" // error, 1 api (compact), tags
                                       "00000000 00")));           // throttle, tags
    }

    void unsupportedApiVersionsAnswerIsV0()
    {
        std::string frame;
        encodeUnsupportedApiVersionsFrame(frame, 9);
        const std::vector<ApiVersionsResponse::ApiVersion> apis = advertisedApiVersions();
        QCOMPARE(frame.size(), size_t(4 + 4 + 2 + 4 + 6 * apis.size()));
        std::string prefix;
        ByteWriter w(prefix);
        w.writeInt32(int32_t(frame.size() - 4));
        w.writeInt32(9);      // correlation id, header v0
        w.writeInt16(35);     // UNSUPPORTED_VERSION
        w.writeInt32(int32_t(apis.size()));
        QCOMPARE(hex(frame.substr(0, 14)), hex(prefix));
        skiff::Result<ApiVersionsResponse> body = decodeMessage<ApiVersionsResponse>(std::string_view(frame).substr(8), 0);
        QVERIFY2(body.isOk(), body.status().toString().c_str());
        QCOMPARE(body->errorCode, toWire(ErrorCode::UnsupportedVersion));
        QCOMPARE(body->apiKeys.size(), apis.size());
        bool hasApiVersions = false;
        for (const auto &a : body->apiKeys)
            if (a.apiKey == 18 && a.minVersion == 0 && a.maxVersion == 4)
                hasApiVersions = true;
        QVERIFY(hasApiVersions);
        // encodeResponseFrame does the same for an unsupported ApiVersions version.
        std::string viaFrame;
        encodeResponseFrame(viaFrame, RequestHeader{18, 7, 9, std::nullopt}, unsupportedVersionApiVersionsResponse());
        QCOMPARE(hex(viaFrame), hex(frame));
    }
    void joinGroupV6RequestIsFlexible()
    {
        JoinGroupRequest j;
        j.groupId = "g";
        j.sessionTimeoutMs = 30000;
        j.rebalanceTimeoutMs = 60000;
        j.protocolType = "consumer";
        j.protocols = {{"range", std::string("\0\1\2", 3)}};
        std::string frame;
        encodeRequest(frame, RequestHeader{11, 6, 2, "c"}, j);
        QCOMPARE(hex(frame), hex(unhex("000b 0006 00000002 0001 63 00" // header v2
                                       "02 67 00007530 0000ea60 01 00" // "g", timeouts, "" member, null instance
                                       "09 636f6e73756d6572"           // "consumer"
                                       "02 06 72616e6765 04 000102 00" // 1 protocol: "range", 3 bytes, tags
                                       "00")));
    }

    void offsetFetchV8BatchesGroups()
    {
        OffsetFetchRequest req;
        req.groups = {{"g", std::nullopt}};
        req.requireStable = true;
        std::string body;
        encodeMessage(body, req, 8);
        QCOMPARE(hex(body), std::string("0202670000" "0100"));
        OffsetFetchResponse resp;
        OffsetFetchResponse::Partition p;
        p.committedOffset = 5;
        resp.groups = {{"g", {{"t", {p}}}, 0}};
        std::string out;
        encodeMessage(out, resp, 8);
        QCOMPARE(hex(out), hex(unhex("00000000 02 0267 02 0274 02"
                                     "00000000 0000000000000005 ffffffff 00 0000 00" // partition
                                     "00 0000 00 00")));                            // topic tags, group error+tags, tags
    }

    void metadataV12RequestByTopicId()
    {
        MetadataRequest m;
        Uuid id{};
        id[15] = 7;
        m.topics = std::vector<MetadataRequest::Topic>{{id, std::nullopt}};
        std::string body;
        encodeMessage(body, m, 12);
        QCOMPARE(hex(body), hex(unhex("02 00000000000000000000000000000007 00 00" // 1 topic: id, null name, tags
                                      "01 00 00")));                            // auto-create, topic ops, tags
    }

    void createTopicsV5ResponseTaggedConfigError()
    {
        CreateTopicsResponse r;
        CreateTopicsResponse::Topic t;
        t.name = "t";
        t.numPartitions = 3;
        t.replicationFactor = 1;
        t.topicConfigErrorCode = 40;
        r.topics = {t};
        std::string body;
        encodeMessage(body, r, 5);
        QCOMPARE(hex(body), hex(unhex("00000000 02 0274 0000 00 00000003 0001 00" // throttle, topic, no error, null configs
                                      "01 00 02 0028"                             // tag 0 = INVALID_CONFIG
                                      "00")));
        skiff::Result<CreateTopicsResponse> back = decodeMessage<CreateTopicsResponse>(body, 5);
        QVERIFY(back.isOk());
        QCOMPARE(back->topics.at(0).topicConfigErrorCode, int16_t(40));
    }

    void alterConfigsV0RequestWithANullValue()
    {
        const std::string frame = unhex("0021 0000 00000004 0001 63"             // header v1: key 33, v0, corr 4, "c"
                                        "00000001 02 0001 74"                    // 1 resource: topic "t"
                                        "00000002 0002 726d 0001 35 0002 7262 ffff" // rm=5, rb=null
                                        "01");                                   // validate_only
        skiff::Result<DecodedRequest> d = decodeRequest(frame);
        QVERIFY2(d.isOk(), d.status().toString().c_str());
        const auto *req = std::get_if<AlterConfigsRequest>(&d->body);
        QVERIFY(req);
        QCOMPARE(req->resources.size(), size_t(1));
        QCOMPARE(req->resources[0].configs.size(), size_t(2));
        QCOMPARE(req->resources[0].configs[0].value, std::optional<std::string>("5"));
        QVERIFY(!req->resources[0].configs[1].value);
        QVERIFY(req->validateOnly);
        std::string again;
        encodeRequest(again, d->header, d->body);
        QCOMPARE(hex(again), hex(frame));
    }

    void incrementalAlterConfigsV1RequestIsFlexible()
    {
        const std::string frame = unhex("002c 0001 00000005 0001 63 00"  // header v2: key 44, v1, corr 5, "c", no tags
                                        "02 02 0274"                     // 1 resource (compact), topic "t"
                                        "02 0272 01 00 00"               // 1 config: "r", DELETE, null value, tags
                                        "00 00 00");                     // resource tags, validate_only false, tags
        skiff::Result<DecodedRequest> d = decodeRequest(frame);
        QVERIFY2(d.isOk(), d.status().toString().c_str());
        const auto *req = std::get_if<IncrementalAlterConfigsRequest>(&d->body);
        QVERIFY(req);
        QCOMPARE(req->resources.at(0).configs.at(0).configOperation, IncrementalAlterConfigsRequest::kDelete);
        QVERIFY(!req->resources.at(0).configs.at(0).value);
        std::string again;
        encodeRequest(again, d->header, d->body);
        QCOMPARE(hex(again), hex(frame));
    }

    void alterConfigsResponsesV2AndIncrementalV0()
    {
        AlterConfigsResponse r;
        r.responses = {{40, "bad", 2, "t"}};
        std::string flexible;
        encodeMessage(flexible, r, 2);
        QCOMPARE(hex(flexible), hex(unhex("00000000 02 0028 04626164 02 0274 00 00"))); // compact, tags
        IncrementalAlterConfigsResponse i;
        i.responses = {{0, std::nullopt, 4, "1"}};
        std::string classic;
        encodeMessage(classic, i, 0);
        QCOMPARE(hex(classic), hex(unhex("00000000 00000001 0000 ffff 04 0001 31")));
    }

    void offsetForLeaderEpochV2RequestHasNoReplicaId()
    {
        const std::string frame = unhex("0017 0002 00000003 0001 63"        // header v1: key 23, v2, corr 3, "c"
                                        "00000001 0001 74 00000001"         // 1 topic "t", 1 partition
                                        "00000000 00000005 00000004");      // partition 0, current epoch 5, epoch 4
        skiff::Result<DecodedRequest> d = decodeRequest(frame);
        QVERIFY2(d.isOk(), d.status().toString().c_str());
        const auto *req = std::get_if<OffsetForLeaderEpochRequest>(&d->body);
        QVERIFY(req);
        // Not on the wire before v3: Kafka's default, the "debug" consumer.
        QCOMPARE(req->replicaId, OffsetForLeaderEpochRequest::kDebugReplicaId);
        QCOMPARE(req->topics.at(0).topic, std::string("t"));
        QCOMPARE(req->topics.at(0).partitions.at(0).currentLeaderEpoch, 5);
        QCOMPARE(req->topics.at(0).partitions.at(0).leaderEpoch, 4);
        std::string again;
        encodeRequest(again, d->header, d->body);
        QCOMPARE(hex(again), hex(frame));
    }

    void offsetForLeaderEpochV3AndV4RequestsCarryTheReplicaId()
    {
        OffsetForLeaderEpochRequest r;
        r.replicaId = 2;
        r.topics = {{"t", {{0, 5, 4}}}};
        std::string classic;
        encodeMessage(classic, r, 3);
        QCOMPARE(hex(classic), hex(unhex("00000002 00000001 0001 74 00000001 00000000 00000005 00000004")));
        std::string flexible;
        encodeMessage(flexible, r, 4);
        QCOMPARE(hex(flexible), hex(unhex("00000002 02 0274 02 00000000 00000005 00000004 00" // compact, partition tags
                                          "00 00")));                                         // topic tags, top-level tags
        const std::string frame = unhex("0017 0004 00000006 0001 63 00") + flexible;         // header v2
        skiff::Result<DecodedRequest> d = decodeRequest(frame);
        QVERIFY2(d.isOk(), d.status().toString().c_str());
        const auto *req = std::get_if<OffsetForLeaderEpochRequest>(&d->body);
        QVERIFY(req);
        QVERIFY(*req == r);
    }

    void offsetForLeaderEpochResponsesV0AndV4()
    {
        OffsetForLeaderEpochResponse r;
        r.topics = {{"t", {{toWire(ErrorCode::FencedLeaderEpoch), 1, 7, -1}}}};
        std::string v0;
        encodeMessage(v0, r, 0); // no throttle, no leader epoch
        QCOMPARE(hex(v0), hex(unhex("00000001 0001 74 00000001 004a 00000001 ffffffffffffffff")));
        std::string v4;
        encodeMessage(v4, r, 4);
        QCOMPARE(hex(v4), hex(unhex("00000000 02 0274 02 004a 00000001 00000007 ffffffffffffffff 00 00 00")));
        skiff::Result<OffsetForLeaderEpochResponse> back = decodeMessage<OffsetForLeaderEpochResponse>(v0, 0);
        QVERIFY2(back.isOk(), back.status().toString().c_str());
        QCOMPARE(back->topics.at(0).partitions.at(0).leaderEpoch, -1); // v0 has none: the default
    }

    void electLeadersV0RequestIsPreferredAndNullMeansEveryPartition()
    {
        // v0: no election type (preferred), a null topic list, the timeout.
        const std::string frame = unhex("002b 0000 00000009 0001 63"   // header v1
                                        "ffffffff 0000ea60");         // null topics, 60000 ms
        skiff::Result<DecodedRequest> d = decodeRequest(frame);
        QVERIFY2(d.isOk(), d.status().toString().c_str());
        const auto *req = std::get_if<ElectLeadersRequest>(&d->body);
        QVERIFY(req);
        QCOMPARE(req->electionType, ElectLeadersRequest::kPreferred);
        QVERIFY(!req->topicPartitions.has_value());
        QCOMPARE(req->timeoutMs, 60000);
        std::string again;
        encodeRequest(again, d->header, d->body);
        QCOMPARE(hex(again), hex(frame));
    }

    void electLeadersV1AndV2RequestsCarryTheElectionType()
    {
        ElectLeadersRequest r;
        r.electionType = ElectLeadersRequest::kUnclean;
        r.topicPartitions = std::vector<ElectLeadersRequest::TopicPartitions>{{"t", {0, 2}}};
        r.timeoutMs = 1000;
        std::string classic;
        encodeMessage(classic, r, 1);
        QCOMPARE(hex(classic), hex(unhex("01 00000001 0001 74 00000002 00000000 00000002 000003e8")));
        std::string flexible;
        encodeMessage(flexible, r, 2);
        QCOMPARE(hex(flexible), hex(unhex("01 02 0274 03 00000000 00000002 00 000003e8 00")));
        skiff::Result<ElectLeadersRequest> back = decodeMessage<ElectLeadersRequest>(flexible, 2);
        QVERIFY2(back.isOk(), back.status().toString().c_str());
        QVERIFY(*back == r);
    }

    void electLeadersResponsesV0AndV2()
    {
        ElectLeadersResponse r;
        r.replicaElectionResults = {{"t", {{1, toWire(ErrorCode::ElectionNotNeeded), std::string("x")}, {2, 0, std::nullopt}}}};
        std::string v0;
        encodeMessage(v0, r, 0); // no top-level error code
        QCOMPARE(hex(v0), hex(unhex("00000000 00000001 0001 74 00000002 00000001 0054 0001 78 00000002 0000 ffff")));
        std::string v2;
        encodeMessage(v2, r, 2);
        QCOMPARE(hex(v2), hex(unhex("00000000 0000 02 0274 03 00000001 0054 02 78 00 00000002 0000 00 00 00 00")));
        skiff::Result<ElectLeadersResponse> back = decodeMessage<ElectLeadersResponse>(v2, 2);
        QVERIFY2(back.isOk(), back.status().toString().c_str());
        QVERIFY(*back == r);
    }

    void describeLogDirsRequestsV1NullAndV4Flexible()
    {
        // v1: a null topic list asks for every partition.
        const std::string v1 = unhex("0023 0001 00000009 0001 63"   // header v1
                                     "ffffffff");
        skiff::Result<DecodedRequest> d = decodeRequest(v1);
        QVERIFY2(d.isOk(), d.status().toString().c_str());
        const auto *req = std::get_if<DescribeLogDirsRequest>(&d->body);
        QVERIFY(req);
        QVERIFY(!req->topics.has_value());
        std::string again;
        encodeRequest(again, d->header, d->body);
        QCOMPARE(hex(again), hex(v1));
        // v4: header v2, compact arrays and tags.
        const std::string v4 = unhex("0023 0004 0000000a 0001 63 00"
                                     "02 0274 02 00000000 00 00");
        d = decodeRequest(v4);
        QVERIFY2(d.isOk(), d.status().toString().c_str());
        req = std::get_if<DescribeLogDirsRequest>(&d->body);
        QVERIFY(req && req->topics);
        QCOMPARE(req->topics->size(), size_t(1));
        QCOMPARE(req->topics->at(0).topic, std::string("t"));
        QCOMPARE(req->topics->at(0).partitions, std::vector<int32_t>{0});
        // v0 (deprecated, dropped by Kafka 4) is not served.
        QVERIFY(!isSupportedVersion(35, 0));
        QVERIFY(!isSupportedVersion(35, 5));
    }

    void describeLogDirsResponsesV1V3AndV4()
    {
        DescribeLogDirsResponse r;
        r.results = {{0, "/d", {{"t", {{0, 100, 0, false}}}}, 1000, 500}};
        std::string v1;
        encodeMessage(v1, r, 1); // no top-level error, no volume sizes
        QCOMPARE(hex(v1), hex(unhex("00000000 00000001 0000 0002 2f64 00000001 0001 74 00000001"
                                    "00000000 0000000000000064 0000000000000000 00")));
        std::string v3;
        encodeMessage(v3, r, 3);
        QCOMPARE(hex(v3), hex(unhex("00000000 0000 02 0000 03 2f64 02 02 74 02"
                                    "00000000 0000000000000064 0000000000000000 00 00 00 00 00")));
        std::string v4;
        encodeMessage(v4, r, 4);
        QCOMPARE(hex(v4), hex(unhex("00000000 0000 02 0000 03 2f64 02 02 74 02"
                                    "00000000 0000000000000064 0000000000000000 00 00 00"
                                    "00000000000003e8 00000000000001f4 00 00")));
        skiff::Result<DescribeLogDirsResponse> back = decodeMessage<DescribeLogDirsResponse>(v4, 4);
        QVERIFY2(back.isOk(), back.status().toString().c_str());
        QVERIFY(*back == r);
        // Before v4 the volume sizes are not on the wire: a decoder keeps Kafka's default -1.
        back = decodeMessage<DescribeLogDirsResponse>(v3, 3);
        QVERIFY2(back.isOk(), back.status().toString().c_str());
        QCOMPARE(back->results.at(0).totalBytes, int64_t(-1));
        QCOMPARE(back->results.at(0).usableBytes, int64_t(-1));
    }

    void describeProducersRequestAndResponse()
    {
        const std::string frame = unhex("003d 0000 0000000b 0001 63 00"   // header v2
                                        "02 0274 02 00000001 00 00");
        skiff::Result<DecodedRequest> d = decodeRequest(frame);
        QVERIFY2(d.isOk(), d.status().toString().c_str());
        const auto *req = std::get_if<DescribeProducersRequest>(&d->body);
        QVERIFY(req);
        QCOMPARE(req->topics.size(), size_t(1));
        QCOMPARE(req->topics[0].name, std::string("t"));
        QCOMPARE(req->topics[0].partitionIndexes, std::vector<int32_t>{1});
        std::string again;
        encodeRequest(again, d->header, d->body);
        QCOMPARE(hex(again), hex(frame));

        DescribeProducersResponse r;
        r.topics = {{"t", {{1, 0, std::nullopt, {{123, 2, 4, 1000, -1, -1}}}}}};
        std::string body;
        encodeMessage(body, r, 0);
        QCOMPARE(hex(body), hex(unhex("00000000 02 0274 02 00000001 0000 00 02"
                                      "000000000000007b 00000002 00000004 00000000000003e8 ffffffff ffffffffffffffff 00"
                                      "00 00 00")));
        skiff::Result<DescribeProducersResponse> back = decodeMessage<DescribeProducersResponse>(body, 0);
        QVERIFY2(back.isOk(), back.status().toString().c_str());
        QVERIFY(*back == r);
    }

    void deleteRecordsV0FrameAndV2Body()
    {
        const std::string frame = unhex("0015 0000 00000005 0001 63"              // header v1: key 21, v0
                                        "00000001 0001 74 00000002"               // topic "t", 2 partitions
                                        "00000000 0000000000000005"               // 0: before offset 5
                                        "00000001 ffffffffffffffff"               // 1: -1, the high watermark
                                        "00007530");                              // timeout 30000 ms
        skiff::Result<DecodedRequest> d = decodeRequest(frame);
        QVERIFY2(d.isOk(), d.status().toString().c_str());
        const auto *req = std::get_if<DeleteRecordsRequest>(&d->body);
        QVERIFY(req);
        QCOMPARE(req->topics.at(0).partitions.at(1).offset, DeleteRecordsRequest::kHighWatermark);
        QCOMPARE(req->timeoutMs, 30000);
        std::string v2;
        encodeMessage(v2, *req, 2);
        QCOMPARE(hex(v2), hex(unhex("02 0274 03 00000000 0000000000000005 00 00000001 ffffffffffffffff 00 00"
                                    "00007530 00")));
        DeleteRecordsResponse r;
        r.topics = {{"t", {{0, 5, 0}, {1, -1, 1}}}};   // 1: OFFSET_OUT_OF_RANGE
        std::string body;
        encodeMessage(body, r, 2);
        QCOMPARE(hex(body), hex(unhex("00000000 02 0274 03 00000000 0000000000000005 0000 00"
                                      "00000001 ffffffffffffffff 0001 00 00 00")));
        skiff::Result<DeleteRecordsResponse> back = decodeMessage<DeleteRecordsResponse>(body, 2);
        QVERIFY2(back.isOk(), back.status().toString().c_str());
        QVERIFY(*back == r);
    }

    void listGroupsV5TypesFilterAndGroupType()
    {
        ListGroupsRequest req;
        req.statesFilter = {"Stable"};
        req.typesFilter = {"classic"};
        std::string body;
        encodeMessage(body, req, 5);
        QCOMPARE(hex(body), hex(unhex("02 07 537461626c65 02 08 636c6173736963 00")));
        std::string v4;
        encodeMessage(v4, req, 4); // no types filter before v5
        QCOMPARE(hex(v4), hex(unhex("02 07 537461626c65 00")));
        ListGroupsResponse r;
        r.groups = {{"g", "consumer", "Empty", "classic"}};
        std::string out;
        encodeMessage(out, r, 5);
        QCOMPARE(hex(out), hex(unhex("00000000 0000 02 0267 09 636f6e73756d6572 06 456d707479 08 636c6173736963 00 00")));
    }

    void listOffsetsV10HasTimeoutAfterTheTopics()
    {
        ListOffsetsRequest req;
        req.topics = {{"t", {{0, -1, ListOffsetsRequest::kEarliestLocal}}}};
        req.timeoutMs = 30000;
        std::string body;
        encodeMessage(body, req, 10);
        QCOMPARE(hex(body), hex(unhex("ffffffff 00 02 0274 02 00000000 ffffffff fffffffffffffffc 00 00"
                                      "00007530 00")));
        std::string v9;
        encodeMessage(v9, req, 9);
        QCOMPARE(hex(v9), hex(unhex("ffffffff 00 02 0274 02 00000000 ffffffff fffffffffffffffc 00 00 00")));
    }

    void apiVersionsV4IsV3OnTheWire()
    {
        ApiVersionsRequest req{"c", "1"};
        std::string v3, v4;
        encodeMessage(v3, req, 3);
        encodeMessage(v4, req, 4);
        QCOMPARE(hex(v4), hex(v3));
        bool advertised = false;
        for (const auto &a : advertisedApiVersions())
            if (a.apiKey == 18)
                advertised = a.maxVersion == 4;
        QVERIFY(advertised);
    }

    void aclsAnsweredSecurityDisabled()
    {
        const std::string message = "No Authorizer is configured.";
        DescribeAclsResponse describe;
        describe.errorCode = 54; // SECURITY_DISABLED
        describe.errorMessage = message;
        std::string body;
        encodeMessage(body, describe, 3);
        QCOMPARE(hex(body), hex(unhex("00000000 0036 1d") + message + unhex("01 00")));
        encodeMessage(body = {}, describe, 1);
        QCOMPARE(hex(body), hex(unhex("00000000 0036 001c") + message + unhex("00000000")));
        // CreateAcls v1 (not flexible): resource type, name, pattern type, principal, host, op, permission.
        const std::string create = unhex("00000001 02 0001 74 03 0006 557365723a61 0001 2a 03 03");
        skiff::Result<CreateAclsRequest> req = decodeMessage<CreateAclsRequest>(create, 1);
        QVERIFY2(req.isOk(), req.status().toString().c_str());
        QCOMPARE(req->creations.at(0).principal, std::string("User:a"));
        QCOMPARE(req->creations.at(0).patternType, int8_t(3));
        CreateAclsResponse created;
        created.results = {{54, message}};
        encodeMessage(body = {}, created, 2);
        QCOMPARE(hex(body), hex(unhex("00000000 02 0036 1d") + message + unhex("00 00")));
        DeleteAclsResponse deleted;
        deleted.filterResults = {{54, message, {}}};
        encodeMessage(body = {}, deleted, 0);
        QCOMPARE(hex(body), hex(unhex("00000000 00000001 0036 001c") + message + unhex("00000000")));
    }

    void clientQuotasCarryFloat64Values()
    {
        DescribeClientQuotasResponse r;
        r.entries = std::vector<DescribeClientQuotasResponse::Entry>{{{{"user", "a"}}, {{"producer_byte_rate", 1024.0}}}};
        std::string body;
        encodeMessage(body, r, 1);
        QCOMPARE(hex(body), hex(unhex("00000000 0000 00 02 02 05 75736572 02 61 00"
                                      "02 13 70726f64756365725f627974655f72617465 4090000000000000 00 00 00")));
        skiff::Result<DescribeClientQuotasResponse> back = decodeMessage<DescribeClientQuotasResponse>(body, 1);
        QVERIFY2(back.isOk(), back.status().toString().c_str());
        QVERIFY(*back == r);
        DescribeClientQuotasResponse none;
        none.entries.emplace();
        encodeMessage(body = {}, none, 0);
        QCOMPARE(hex(body), hex(unhex("00000000 0000 ffff 00000000")));
        // AlterClientQuotas v0: entity (type, null name = the default), ops (key, value, remove).
        const std::string alter = unhex("00000001 00000001 0009 636c69656e742d6964 ffff"
                                        "00000001 0012 70726f64756365725f627974655f72617465 4059000000000000 00 01");
        skiff::Result<AlterClientQuotasRequest> req = decodeMessage<AlterClientQuotasRequest>(alter, 0);
        QVERIFY2(req.isOk(), req.status().toString().c_str());
        QCOMPARE(req->entries.at(0).entity.at(0).entityType, std::string("client-id"));
        QVERIFY(!req->entries.at(0).entity.at(0).entityName);
        QCOMPARE(req->entries.at(0).ops.at(0).value, 100.0);
        QVERIFY(req->validateOnly);
        // A NaN (any bits) survives the round trip and compares equal to itself (found by the
        // request fuzzer: "body changed across re-encoding").
        const std::string nan = unhex("00000001 00000001 0004 75736572 ffff"
                                      "00000001 0001 6b fffffff000000000 00 00");
        skiff::Result<AlterClientQuotasRequest> odd = decodeMessage<AlterClientQuotasRequest>(nan, 0);
        QVERIFY2(odd.isOk(), odd.status().toString().c_str());
        std::string again;
        encodeMessage(again, *odd, 0);
        QCOMPARE(hex(again), hex(nan));
        skiff::Result<AlterClientQuotasRequest> back2 = decodeMessage<AlterClientQuotasRequest>(again, 0);
        QVERIFY(back2.isOk() && *back2 == *odd);
    }

    void scramCredentialsNullUsersMeansAll()
    {
        skiff::Result<DescribeUserScramCredentialsRequest> all = decodeMessage<DescribeUserScramCredentialsRequest>(unhex("00 00"), 0);
        QVERIFY2(all.isOk(), all.status().toString().c_str());
        QVERIFY(!all->users);
        AlterUserScramCredentialsResponse r;
        r.results = {{"alice", 33, std::nullopt}};
        std::string body;
        encodeMessage(body, r, 0);
        QCOMPARE(hex(body), hex(unhex("00000000 02 06 616c696365 0021 00 00 00")));
    }

    void describeQuorumRequestAndResponse()
    {
        // What Admin.describeMetadataQuorum sends: __cluster_metadata partition 0.
        const std::string frame = unhex("0037 0000 0000000b 0001 63 00"   // header v2
                                        "02 13 5f5f636c75737465725f6d65746164617461 02 00000000 00 00 00");
        skiff::Result<DecodedRequest> d = decodeRequest(frame);
        QVERIFY2(d.isOk(), d.status().toString().c_str());
        const auto *req = std::get_if<DescribeQuorumRequest>(&d->body);
        QVERIFY(req);
        QCOMPARE(req->topics.size(), size_t(1));
        QCOMPARE(req->topics[0].topicName, std::string(kClusterMetadataTopic));
        QCOMPARE(req->topics[0].partitions, std::vector<int32_t>{kClusterMetadataPartition});
        std::string again;
        encodeRequest(again, d->header, d->body);
        QCOMPARE(hex(again), hex(frame));

        DescribeQuorumResponse r;
        r.topics = {{kClusterMetadataTopic, {{0, 0, std::nullopt, 1, 3, 16, {{1, {}, 16, 1000, 1000}}, {}}}}};
        r.nodes = {{1, {{"PLAINTEXT", "h", 40000}}}};
        const std::string partitionHead = "02 13 5f5f636c75737465725f6d65746164617461 02 00000000 0000";
        const std::string leader = "00000001 00000003 0000000000000010";
        // v2: error messages, the voter's directory id (none: zero), the voter's listener with a
        // port above 32767 (an unsigned 16-bit field).
        std::string v2;
        encodeMessage(v2, r, 2);
        QCOMPARE(hex(v2), hex(unhex("0000 00" + partitionHead + " 00" + leader +
                                    "02 00000001 00000000000000000000000000000000 0000000000000010"
                                    "00000000000003e8 00000000000003e8 00"
                                    "01 00 00"
                                    "02 00000001 02 0a 504c41494e54455854 02 68 9c40 00 00 00")));
        skiff::Result<DescribeQuorumResponse> back = decodeMessage<DescribeQuorumResponse>(v2, 2);
        QVERIFY2(back.isOk(), back.status().toString().c_str());
        QVERIFY(*back == r);
        QCOMPARE(back->nodes.at(0).listeners.at(0).port, uint16_t(40000));
        // v1: the times, no messages, directory ids or nodes.
        std::string v1;
        encodeMessage(v1, r, 1);
        QCOMPARE(hex(v1), hex(unhex("0000" + partitionHead + leader +
                                    "02 00000001 0000000000000010 00000000000003e8 00000000000003e8 00"
                                    "01 00 00 00")));
        // v0: log end offsets only; a decoder keeps Kafka's default -1 for the times.
        std::string v0;
        encodeMessage(v0, r, 0);
        QCOMPARE(hex(v0), hex(unhex("0000" + partitionHead + leader + "02 00000001 0000000000000010 00 01 00 00 00")));
        back = decodeMessage<DescribeQuorumResponse>(v0, 0);
        QVERIFY2(back.isOk(), back.status().toString().c_str());
        QCOMPARE(back->topics.at(0).partitions.at(0).currentVoters.at(0).lastFetchTimestamp, int64_t(-1));
        QCOMPARE(back->topics.at(0).partitions.at(0).currentVoters.at(0).lastCaughtUpTimestamp, int64_t(-1));
    }

    void responseHeadersDecodeForClients()
    {
        skiff::Result<ParsedResponseHeader> v0 = decodeResponseHeader(unhex("0000002a ff"), 0);
        QVERIFY2(v0.isOk(), v0.status().toString().c_str());
        QCOMPARE(v0->correlationId, 42);
        QCOMPARE(v0->bodyOffset, size_t(4));
        // v1 skips header tags the client does not know (tag 5, 2 bytes).
        skiff::Result<ParsedResponseHeader> v1 = decodeResponseHeader(unhex("0000002b 01 05 02 abcd ff"), 1);
        QVERIFY2(v1.isOk(), v1.status().toString().c_str());
        QCOMPARE(v1->correlationId, 43);
        QCOMPARE(v1->bodyOffset, size_t(9));
        // A frame that ends inside the header is corrupt, not a crash.
        QVERIFY(!decodeResponseHeader(unhex("0000"), 0).isOk());
        QVERIFY(!decodeResponseHeader(unhex("0000002b"), 1).isOk());
        QVERIFY(!decodeResponseHeader(unhex("0000002b 01 05 04 ab"), 1).isOk());
        // Encoding and decoding agree.
        std::string header;
        encodeResponseHeader(header, 7, 1);
        QCOMPARE(decodeResponseHeader(header, 1)->bodyOffset, header.size());
    }
};

QTEST_GUILESS_MAIN(VectorsTest)
#include "VectorsTest.moc"
