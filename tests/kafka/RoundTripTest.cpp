// Every api, every supported version, requests and responses: a message with every field of
// that version populated survives encode -> decode -> encode with equal bytes and equal fields.

#include "AllMessages.h"
#include "kafka/protocol/ByteReader.h"
#include "kafka/protocol/Codec.h"
#include "kafka/protocol/ResponseFrame.h"

#include <QTest>
#include <set>

using namespace skiff::kafka;
using namespace skiff::kafka::test;

namespace {

std::string where(const char *name, int16_t v)
{
    return std::string(name) + " v" + std::to_string(v);
}

// Returns the number of versions checked.
template <class M>
int roundTripAllVersions(std::set<std::string> &encodings)
{
    const ApiInfo *api = findApi(M::kApiKey);
    if (!api)
        return -1000;
    int checked = 0;
    for (int16_t v = api->minVersion; v <= api->maxVersion; ++v) {
        const std::string ctx = where(M::kName, v);
        M m;
        populateAllFields(m, v);
        std::string bytes;
        encodeMessage(bytes, m, v);
        skiff::Result<M> decoded = decodeMessage<M>(bytes, v);
        if (!decoded.isOk()) {
            qWarning("%s: %s", ctx.c_str(), decoded.status().toString().c_str());
            return -1;
        }
        if (!(*decoded == m)) {
            qWarning("%s: decoded fields differ", ctx.c_str());
            return -1;
        }
        std::string again;
        encodeMessage(again, *decoded, v);
        if (again != bytes) {
            qWarning("%s: re-encoded bytes differ", ctx.c_str());
            return -1;
        }
        // A default message must encode differently from a populated one unless the version has
        // no fields at all (ApiVersionsRequest v0-2, ListGroupsRequest v0-3): proves
        // populateAllFields reached the fields.
        const bool noFields = (std::is_same_v<M, ApiVersionsRequest> && v < 3) || (std::is_same_v<M, ListGroupsRequest> && v < 4);
        std::string empty;
        encodeMessage(empty, M{}, v);
        if ((empty == bytes) != noFields) {
            qWarning("%s: populated message encodes like a default one", ctx.c_str());
            return -1;
        }
        encodings.insert(std::string(M::kName) + "|" + bytes);
        ++checked;
    }
    return checked;
}

} // namespace

class RoundTripTest : public QObject {
    Q_OBJECT
private slots:
    void everyRequestVersion()
    {
        int total = 0;
        std::set<std::string> encodings;
        forEachType<AllRequests>([&](auto m) {
            const int n = roundTripAllVersions<decltype(m)>(encodings);
            QVERIFY2(n > 0, decltype(m)::kName);
            total += n;
        });
        // Produce..InitProducerId: 5 + 13 + 10 + 9 + 7 + 6 + 6 + 4 + 5 + 2 + 5 = 72 versions;
        // group APIs 63 (ListGroups v0-5 among them);
        // AlterConfigs 3 + IncrementalAlterConfigs 2 = 5; OffsetForLeaderEpoch 5; ElectLeaders 3;
        // DescribeLogDirs 4 (v1-4) + DescribeProducers 1 = 5; DeleteRecords 3;
        // ACLs 3 x 4 = 12; client quotas 2 x 2 = 4; SCRAM credentials 2 x 1 = 2;
        // DescribeQuorum 3; SaslHandshake 2 + SaslAuthenticate 3 = 5.
        QCOMPARE(total, 182);
    }

    void everyResponseVersion()
    {
        int total = 0;
        std::set<std::string> encodings;
        forEachType<AllResponses>([&](auto m) {
            const int n = roundTripAllVersions<decltype(m)>(encodings);
            QVERIFY2(n > 0, decltype(m)::kName);
            total += n;
        });
        QCOMPARE(total, 182);
    }

    void fullRequestFramesDecodeToTheRightType()
    {
        forEachType<AllRequests>([&](auto proto) {
            using M = decltype(proto);
            const ApiInfo *api = findApi(M::kApiKey);
            for (int16_t v = api->minVersion; v <= api->maxVersion; ++v) {
                M m;
                populateAllFields(m, v);
                const RequestHeader h{static_cast<int16_t>(M::kApiKey), v, 1000 + v, "client-" + std::to_string(v)};
                std::string frame;
                encodeRequest(frame, h, m);
                skiff::Result<DecodedRequest> d = decodeRequest(frame);
                QVERIFY2(d.isOk(), d.status().toString().c_str());
                QCOMPARE(d->header, h);
                const M *body = std::get_if<M>(&d->body);
                QVERIFY2(body, where(M::kName, v).c_str());
                QVERIFY(*body == m);
            }
        });
    }

    void responseFramesCarrySizeHeaderAndBody()
    {
        forEachType<AllResponses>([&](auto proto) {
            using M = decltype(proto);
            const ApiInfo *api = findApi(M::kApiKey);
            for (int16_t v = api->minVersion; v <= api->maxVersion; ++v) {
                M m;
                populateAllFields(m, v);
                const RequestHeader req{static_cast<int16_t>(M::kApiKey), v, 77 + v, std::nullopt};
                std::string frame = "prefix"; // appends, does not overwrite
                encodeResponseFrame(frame, req, m);
                QVERIFY(frame.starts_with("prefix"));
                ByteReader r(std::string_view(frame).substr(6));
                QCOMPARE(size_t(r.readInt32()), frame.size() - 10);
                QCOMPARE(r.readInt32(), 77 + v);
                const bool flexibleHeader = isFlexible(M::kApiKey, v) && M::kApiKey != ApiKey::ApiVersions;
                QCOMPARE(responseHeaderVersion(M::kApiKey, v), int16_t(flexibleHeader ? 1 : 0));
                if (flexibleHeader)
                    QCOMPARE(r.readUnsignedVarint(), 0u);
                skiff::Result<M> body = decodeMessage<M>(r.readRaw(r.remaining()), v);
                QVERIFY2(body.isOk(), body.status().toString().c_str());
                QVERIFY(*body == m);
            }
        });
    }

    void splicedFetchFramesAreTheCopiedFramesWithoutTheCopy()
    {
        // Fetch responses go to the socket with their large records moved into the frame as
        // splices: put back together, every version's frame is byte for byte the copied one.
        const ApiInfo *api = findApi(ApiKey::Fetch);
        for (int16_t v = api->minVersion; v <= api->maxVersion; ++v) {
            FetchResponse m;
            populateAllFields(m, v);
            QVERIFY(m.responses.size() == 2 && m.responses[0].partitions.size() == 2);
            m.responses[0].partitions[0].records = std::string(kSpliceMinBytes, 'a');
            m.responses[0].partitions[1].records = std::string(kSpliceMinBytes - 1, 'b');   // copied
            m.responses[1].partitions[0].records = std::string(3 * kSpliceMinBytes + 5, 'c');
            m.responses[1].partitions[1].records = std::nullopt;
            const RequestHeader req{static_cast<int16_t>(ApiKey::Fetch), v, 500 + v, std::nullopt};
            std::string copied;
            encodeResponseFrame(copied, req, m);
            OutgoingFrame spliced;
            encodeResponseFrame(spliced, req, FetchResponse(m));
            QCOMPARE(spliced.splices.size(), size_t(2));
            QCOMPARE(spliced.splices[0].bytes, std::string(kSpliceMinBytes, 'a'));
            QVERIFY(spliced.splices[0].at < spliced.splices[1].at);
            QCOMPARE(spliced.size(), copied.size());
            QVERIFY2(spliced.flattened() == copied, where("Fetch", v).c_str());
            QVERIFY(spliced.head.size() < copied.size() - 4 * kSpliceMinBytes);
        }
    }

    void fieldsAbsentInAVersionAreNotOnTheWire()
    {
        // Metadata v0 has no throttle/cluster id/controller; populated v0 must decode without them.
        MetadataResponse m;
        populateAllFields(m, 0);
        QCOMPARE(m.controllerId, -1);
        QVERIFY(!m.clusterId);
        QCOMPARE(m.throttleTimeMs, 0);
        QVERIFY(!m.brokers.empty());
        QVERIFY(!m.brokers[0].rack);
        MetadataResponse m12;
        populateAllFields(m12, 12);
        QVERIFY(m12.clusterId);
        QCOMPARE(m12.clusterAuthorizedOperations, kAuthorizedOperationsOmitted); // v8-10 only
        QVERIFY(!isZero(m12.topics[0].topicId));
        // Tagged fields are populated in flexible versions and survive.
        FetchResponse f;
        populateAllFields(f, 12);
        QVERIFY(f.responses[0].partitions[0].divergingEpoch != FetchResponse::EpochEndOffset{});
        QVERIFY(f.responses[0].partitions[0].snapshotId != FetchResponse::SnapshotId{});
        FetchRequest fr;
        populateAllFields(fr, 12);
        QVERIFY(fr.clusterId);
        populateAllFields(fr = FetchRequest{}, 11);
        QVERIFY(!fr.clusterId);
        ApiVersionsResponse av;
        populateAllFields(av, 3);
        QVERIFY(av.zkMigrationReady);
        QCOMPARE(av.finalizedFeatures.size(), size_t(2));
    }
};

QTEST_GUILESS_MAIN(RoundTripTest)
#include "RoundTripTest.moc"
