// Hostile and broken input: truncations, hostile lengths, bad tagged fields, trailing bytes,
// unknown apis and versions. Every case must end in an error or a defined answer, never a crash.

#include "AllMessages.h"
#include "TestHex.h"
#include "kafka/protocol/ByteWriter.h"
#include "kafka/protocol/Codec.h"

#include <QTest>
#include <atomic>
#include <cstdlib>
#include <new>

using namespace skiff::kafka;
using namespace skiff::kafka::test;

// The largest single allocation since the last reset, so tests can prove that a hostile length
// never turns into a large allocation (replaces the global operator new of this test binary).
static std::atomic<size_t> g_largestAllocation{0};

void *operator new(size_t size)
{
    size_t seen = g_largestAllocation.load(std::memory_order_relaxed);
    while (size > seen && !g_largestAllocation.compare_exchange_weak(seen, size, std::memory_order_relaxed)) {
    }
    if (void *p = std::malloc(size ? size : 1))
        return p;
    throw std::bad_alloc();
}
void operator delete(void *p) noexcept
{
    std::free(p);
}
void operator delete(void *p, size_t) noexcept
{
    std::free(p);
}

namespace {

template <class M>
std::string populatedFrame(int16_t version)
{
    M m;
    populateAllFields(m, version);
    std::string frame;
    encodeRequest(frame, RequestHeader{static_cast<int16_t>(M::kApiKey), version, 5, "client"}, m);
    return frame;
}

} // namespace

class MalformedTest : public QObject {
    Q_OBJECT
private slots:
    void everyTruncationIsAnError()
    {
        int frames = 0;
        forEachType<AllRequests>([&](auto proto) {
            using M = decltype(proto);
            const ApiInfo *api = findApi(M::kApiKey);
            for (int16_t v : {api->minVersion, api->maxVersion}) {
                const std::string frame = populatedFrame<M>(v);
                QVERIFY(decodeRequest(frame).isOk());
                for (size_t len = 0; len < frame.size(); ++len) {
                    skiff::Result<DecodedRequest> d = decodeRequest(std::string_view(frame).substr(0, len));
                    QVERIFY2(!d.isOk(), (std::string(M::kName) + " v" + std::to_string(v) + " prefix "
                                         + std::to_string(len)).c_str());
                }
                ++frames;
            }
        });
        QCOMPARE(frames, 78);   // lowest and highest version of each of the 39 requests
    }

    void truncationErrorNamesMessageVersionAndOffset()
    {
        const std::string frame = populatedFrame<MetadataRequest>(1);
        skiff::Result<DecodedRequest> d = decodeRequest(std::string_view(frame).substr(0, frame.size() - 1));
        QVERIFY(!d.isOk());
        QCOMPARE(d.status().code(), skiff::StatusCode::Corruption);
        const std::string msg = d.status().message();
        QVERIFY2(msg.find("MetadataRequest v1") != std::string::npos, msg.c_str());
        QVERIFY2(msg.find("correlation id 5") != std::string::npos, msg.c_str());
        // Header is 16 bytes, the count 4, topic "n1" 4; the second name's length is at offset 24
        // and one of its two bytes is cut off.
        QVERIFY2(msg.find("string length 2 at offset 24 exceeds the 1 bytes left") != std::string::npos, msg.c_str());
    }

    void everyFourByteWindowSetToMaxIsSafe()
    {
        // Overwrite each position of valid frames with 0x7fffffff (and the compact form): any
        // length or count landing there must be rejected, not allocated.
        const std::vector<std::string> frames = {populatedFrame<CreateTopicsRequest>(4), populatedFrame<CreateTopicsRequest>(7),
                                                 populatedFrame<ProduceRequest>(3), populatedFrame<FetchRequest>(12),
                                                 populatedFrame<OffsetFetchRequest>(8), populatedFrame<MetadataRequest>(12)};
        g_largestAllocation = 0;
        for (const std::string &frame : frames) {
            for (size_t pos = 8; pos + 4 <= frame.size(); ++pos) {
                std::string hostile = frame;
                hostile.replace(pos, 4, unhex("7fffffff"));
                (void)decodeRequest(hostile); // must return; ASan/fuzz builds catch huge allocations
                std::string compact = frame;
                compact.replace(pos, 4, unhex("fffffff7"));
                (void)decodeRequest(compact);
            }
        }
        // Nothing bigger than a few KiB was ever requested (a hostile count of 0x7fffffff
        // elements would ask for gigabytes).
        QVERIFY2(g_largestAllocation < 16 * 1024, std::to_string(g_largestAllocation).c_str());
        // Metadata v1 with a topic count of 0x7fffffff is a clean error.
        skiff::Result<DecodedRequest> d = decodeRequest(unhex("0003 0001 00000001 ffff 7fffffff 0001 61"));
        QVERIFY(!d.isOk());
        QVERIFY2(d.status().message().find("array length 2147483647 at offset 10 exceeds the 3 bytes left")
                     != std::string::npos,
                 d.status().message().c_str());
    }

    void negativeLengthsAreErrors()
    {
        // Metadata v1 topic name length -2, and -1 (name is not nullable before v10).
        QVERIFY(!decodeRequest(unhex("0003 0001 00000001 ffff 00000001 fffe")).isOk());
        QVERIFY(!decodeRequest(unhex("0003 0001 00000001 ffff 00000001 ffff")).isOk());
        // Metadata v1 topics array -2 (only -1 is null).
        QVERIFY(!decodeRequest(unhex("0003 0001 00000001 ffff fffffffe")).isOk());
        // Metadata v0 topics -1: not nullable in v0.
        QVERIFY(!decodeRequest(unhex("0003 0000 00000001 ffff ffffffff")).isOk());
        // Metadata v1 topics -1: null = all topics.
        skiff::Result<DecodedRequest> all = decodeRequest(unhex("0003 0001 00000001 ffff ffffffff"));
        QVERIFY(all.isOk());
        QVERIFY(!std::get<MetadataRequest>(all->body).topics.has_value());
        // Produce v3 records length -3.
        QVERIFY(!decodeRequest(unhex("0000 0003 00000001 ffff ffff ffff 00000000 00000001 0001 74 00000001 00000000 fffffffd"))
                     .isOk());
        // Produce v3 null records are legal.
        QVERIFY(decodeRequest(unhex("0000 0003 00000001 ffff ffff ffff 00000000 00000001 0001 74 00000001 00000000 ffffffff"))
                    .isOk());
        // Client id length -2.
        QVERIFY(!decodeRequest(unhex("0003 0001 00000001 fffe")).isOk());
    }

    void unknownTaggedFieldsAreSkipped()
    {
        // ApiVersions v3 request with unknown tags in the header (tag 5) and body (tags 1 and 40).
        const std::string frame = unhex("0012 0003 00000001 0001 63 01 05 02 aaaa"
                                        "02 61 02 62"
                                        "02 01 00 28 03 010203");
        skiff::Result<DecodedRequest> d = decodeRequest(frame);
        QVERIFY2(d.isOk(), d.status().toString().c_str());
        const auto &req = std::get<ApiVersionsRequest>(d->body);
        QCOMPARE(req.clientSoftwareName, std::string("a"));
        QCOMPARE(req.clientSoftwareVersion, std::string("b"));
        // Unknown tags in nested structs too: Fetch v12 partition with tag 9.
        FetchRequest f;
        f.topics = {{"t", {FetchRequest::Partition{}}}};
        std::string body;
        encodeMessage(body, f, 12);
        const std::string plain = body;
        // The partition's tag section is the byte before "topic tags, forgotten, rack, top tags".
        const size_t partTags = body.size() - 5;
        QCOMPARE(body[partTags], '\0');
        body.replace(partTags, 1, unhex("01 09 01 ff"));
        skiff::Result<FetchRequest> back = decodeMessage<FetchRequest>(body, 12);
        QVERIFY2(back.isOk(), back.status().toString().c_str());
        QVERIFY(*back == f);
        std::string reencoded;
        encodeMessage(reencoded, *back, 12);
        QCOMPARE(hex(reencoded), hex(plain)); // unknown tags are dropped, not echoed
    }

    void malformedKnownTaggedFieldIsAnError()
    {
        // Fetch v12 clusterId (tag 0) whose size says 4 but the compact string needs only 3.
        FetchRequest f;
        std::string body;
        encodeMessage(body, f, 12);
        body.back() = '\x01';
        body += unhex("00 04 03 6162 00");
        skiff::Result<FetchRequest> r = decodeMessage<FetchRequest>(body, 12);
        QVERIFY(!r.isOk());
        QVERIFY2(r.status().message().find("unread") != std::string::npos, r.status().message().c_str());
        // And a tag whose size runs past the end.
        std::string past;
        encodeMessage(past, f, 12);
        past.back() = '\x01';
        past += unhex("00 7f 03");
        QVERIFY(!decodeMessage<FetchRequest>(past, 12).isOk());
    }

    void trailingGarbageIsAnError()
    {
        forEachType<AllRequests>([&](auto proto) {
            using M = decltype(proto);
            const std::string frame = populatedFrame<M>(findApi(M::kApiKey)->maxVersion) + "\x01";
            skiff::Result<DecodedRequest> d = decodeRequest(frame);
            QVERIFY2(!d.isOk(), M::kName);
            QVERIFY2(d.status().message().find("1 trailing bytes") != std::string::npos, d.status().message().c_str());
        });
        // The one tolerated case: librdkafka < 2.1.0 doubles the empty tag section of flexible
        // ListGroups requests (bytes captured from librdkafka 2.0.2 ListConsumerGroups).
        skiff::Result<DecodedRequest> rdkafka = decodeRequest(unhex("0010 0004 00000007 0007 72646b61666b61 00 01 00 00"));
        QVERIFY2(rdkafka.isOk(), rdkafka.status().toString().c_str());
        QVERIFY(std::get<ListGroupsRequest>(rdkafka->body).statesFilter.empty());
        QVERIFY(!decodeRequest(unhex("0010 0004 00000007 0007 72646b61666b61 00 01 00 01")).isOk());
        QVERIFY(!decodeRequest(unhex("0010 0004 00000007 0007 72646b61666b61 00 01 00 00 00")).isOk());
        QVERIFY(!decodeRequest(unhex("0010 0002 00000007 0007 72646b61666b61 00")).isOk()); // v2 is not flexible
        // Other flexible requests stay strict.
        QVERIFY(!decodeRequest(unhex("0012 0003 00000001 0001 63 00 02 61 02 62 00 00")).isOk());
        // Also at the message level, for responses.
        std::string body;
        encodeMessage(body, InitProducerIdResponse{}, 0);
        body.push_back('\0');
        QVERIFY(!decodeMessage<InitProducerIdResponse>(body, 0).isOk());
    }

    void unknownApiAndUnsupportedVersionsKeepTheHeader()
    {
        // Unknown api key 999 with a client id and some body.
        skiff::Result<DecodedRequest> unknown = decodeRequest(unhex("03e7 0000 0000002a 0002 6869 deadbeef"));
        QVERIFY(unknown.isOk());
        QVERIFY(!unknown->isSupported());
        QCOMPARE(unknown->header, (RequestHeader{999, 0, 42, "hi"}));
        // ApiVersions v5 (newer than ours): header v2 layout, body not parsed.
        skiff::Result<DecodedRequest> v5 = decodeRequest(unhex("0012 0005 00000007 0003 636c69 00 0b 736b"));
        QVERIFY(v5.isOk());
        QVERIFY(std::holds_alternative<UnsupportedRequest>(v5->body));
        QCOMPARE(v5->header, (RequestHeader{18, 5, 7, "cli"}));
        // Produce v2 (older than ours).
        skiff::Result<DecodedRequest> old = decodeRequest(unhex("0000 0002 00000003 ffff"));
        QVERIFY(old.isOk() && !old->isSupported());
        QCOMPARE(old->header.correlationId, 3);
        // Unknown api with a broken client id: header still usable, client id dropped.
        skiff::Result<DecodedRequest> broken = decodeRequest(unhex("03e7 0001 00000004 00ff 61"));
        QVERIFY(broken.isOk());
        QCOMPARE(broken->header, (RequestHeader{999, 1, 4, std::nullopt}));
        // Fewer than 8 bytes: nothing to answer.
        QVERIFY(!decodeRequest(unhex("0012 0003 0000")).isOk());
        QVERIFY(!decodeRequest("").isOk());
        // decodeMessage refuses versions outside the codec's range.
        skiff::Result<MetadataRequest> m13 = decodeMessage<MetadataRequest>("", 13);
        QVERIFY(!m13.isOk());
        QCOMPARE(m13.status().code(), skiff::StatusCode::InvalidArgument);
    }
};

QTEST_GUILESS_MAIN(MalformedTest)
#include "MalformedTest.moc"
