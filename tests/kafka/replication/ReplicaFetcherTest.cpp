// The follower's fetch client against an in-process fake leader: a QTcpServer on 127.0.0.1:0 that
// decodes each Fetch with the project's codec and answers what the test tells it to.

#include "kafka/protocol/ErrorCode.h"
#include "kafka/protocol/Requests.h"
#include "kafka/protocol/ResponseFrame.h"
#include "kafka/replication/ReplicaFetcher.h"

#include <QDeadlineTimer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QtEndian>

#include <functional>
#include <memory>
#include <vector>

using namespace skiff::kafka;

namespace {

struct ReceivedFetch {
    RequestHeader header;
    FetchRequest request;
};

class FakeLeader : public QObject {
public:
    FakeLeader()
    {
        m_server.listen(QHostAddress::LocalHost, 0);
        connect(&m_server, &QTcpServer::newConnection, this, [this]() {
            while (QTcpSocket *s = m_server.nextPendingConnection()) {
                ++connections;
                client = s;
                m_buffer.clear();
                connect(s, &QTcpSocket::readyRead, this, [this, s]() { onReadyRead(s); });
                connect(s, &QTcpSocket::disconnected, this, [this, s]() {
                    ++disconnects;
                    s->deleteLater();
                    if (client == s)
                        client = nullptr;
                });
            }
        });
    }

    bool listening() const { return m_server.isListening(); }
    quint16 port() const { return m_server.serverPort(); }

    // Answers the latest request with `r` (its correlation id unless told otherwise).
    void answer(const FetchResponse &r, std::optional<int32_t> correlationId = std::nullopt)
    {
        RequestHeader h = requests.back().header;
        if (correlationId)
            h.correlationId = *correlationId;
        std::string frame;
        encodeResponseFrame(frame, h, r);
        sendRaw(QByteArray(frame.data(), qsizetype(frame.size())));
    }
    void sendRaw(const QByteArray &bytes)
    {
        QVERIFY(client);
        client->write(bytes);
    }
    void closeClient()
    {
        QVERIFY(client);
        client->disconnectFromHost();
    }

    std::vector<ReceivedFetch> requests;
    std::vector<std::string> errors;   // anything that was not a well-formed Fetch v12
    int connections = 0;
    int disconnects = 0;
    QTcpSocket *client = nullptr;

private:
    void onReadyRead(QTcpSocket *s)
    {
        if (s != client)
            return;
        m_buffer += s->readAll();
        while (m_buffer.size() >= 4) {
            const qsizetype size = qFromBigEndian<int32_t>(m_buffer.constData());
            if (m_buffer.size() < 4 + size)
                return;
            const std::string_view frame(m_buffer.constData() + 4, size_t(size));
            skiff::Result<DecodedRequest> d = decodeRequest(frame);
            if (!d.isOk())
                errors.push_back(d.status().toString());
            else if (const auto *fetch = std::get_if<FetchRequest>(&d->body))
                requests.push_back({d->header, *fetch});
            else
                errors.push_back(std::string("not a Fetch: ") + apiKeyName(d->header.apiKey));
            m_buffer.remove(0, 4 + size);
        }
    }

    QTcpServer m_server;
    QByteArray m_buffer;
};

struct Delivered {
    TopicPartition tp;
    FetchResponse::Partition partition;
    std::function<void()> done;
};

TopicPartition tp(const char *topic, int32_t partition)
{
    return TopicPartition{topic, partition};
}

FetchResponse::Partition okPartition(int32_t index, int64_t highWatermark, std::optional<std::string> records)
{
    FetchResponse::Partition p;
    p.partitionIndex = index;
    p.highWatermark = highWatermark;
    p.records = std::move(records);
    return p;
}

} // namespace

class ReplicaFetcherTest : public QObject {
    Q_OBJECT

    std::unique_ptr<FakeLeader> m_leader;
    std::map<TopicPartition, FetchPosition> m_positions;
    std::vector<Delivered> m_delivered;
    QStringList m_problems;
    int m_positionCalls = 0;

    std::unique_ptr<ReplicaFetcher> makeFetcher(ReplicaFetcher::Options options = {}, quint16 port = 0)
    {
        ReplicaFetcher::Hooks hooks;
        hooks.positions = [this]() {
            ++m_positionCalls;
            return m_positions;
        };
        hooks.onPartition = [this](const TopicPartition &t, const FetchResponse::Partition &p, std::function<void()> done) {
            m_delivered.push_back({t, p, std::move(done)});
        };
        hooks.onConnectionProblem = [this](const QString &why) { m_problems << why; };
        return std::make_unique<ReplicaFetcher>(7, 2, QStringLiteral("127.0.0.1"), port ? port : m_leader->port(),
                                                options, std::move(hooks));
    }

    void doneAll()
    {
        for (Delivered &d : m_delivered)
            d.done();
    }

    // One round trip: the leader answers the request in flight with `r`, the owner gets
    // `delivered` partitions (and may act on them in `beforeDone`), finishes them all, and the
    // fetcher sends its next request. False, with a warning, when either step does not happen.
    bool answerRound(const FetchResponse &r, size_t delivered, const std::function<void()> &beforeDone = {})
    {
        const size_t requests = m_leader->requests.size();
        m_delivered.clear();
        m_leader->answer(r);
        if (!QTest::qWaitFor([&] { return m_delivered.size() == delivered; }, 5000)) {
            qWarning("%zu partition(s) delivered, expected %zu", m_delivered.size(), delivered);
            return false;
        }
        if (beforeDone)
            beforeDone();
        doneAll();
        if (!QTest::qWaitFor([&] { return m_leader->requests.size() == requests + 1; }, 5000)) {
            qWarning("no request after the round (%zu sent in all)", m_leader->requests.size());
            return false;
        }
        return true;
    }

    // The partitions of topic "a" that request `index` asks for.
    std::vector<int32_t> partitionsAskedIn(size_t index) const
    {
        std::vector<int32_t> out;
        for (const auto &p : m_leader->requests.at(index).request.topics.at(0).partitions)
            out.push_back(p.partition);
        return out;
    }

private slots:
    void init()
    {
        m_leader = std::make_unique<FakeLeader>();
        QVERIFY(m_leader->listening());
        m_positions.clear();
        m_delivered.clear();
        m_problems.clear();
        m_positionCalls = 0;
    }

    void cleanup()
    {
        m_leader.reset();
    }

    void requestCarriesTheReplicaAndItsPositions()
    {
        m_positions[tp("a", 0)] = FetchPosition{10, 3, 4, 2};
        m_positions[tp("a", 1)] = FetchPosition{20, 5, 6, 0};
        m_positions[tp("b", 3)] = FetchPosition{0, -1, 1, -1};
        ReplicaFetcher::Options options;
        options.maxBytes = 4096;
        options.partitionMaxBytes = 1024;
        auto fetcher = makeFetcher(options);
        QCOMPARE(fetcher->leaderId(), uint64_t(2));
        QTRY_COMPARE(m_leader->requests.size(), size_t(1));
        QVERIFY(m_leader->errors.empty());

        const RequestHeader &h = m_leader->requests[0].header;
        QCOMPARE(h.apiKey, int16_t(ApiKey::Fetch));
        QCOMPARE(h.apiVersion, int16_t(12));
        QCOMPARE(h.clientId, std::optional<std::string>("skiff-replica-7"));
        const FetchRequest &r = m_leader->requests[0].request;
        QCOMPARE(r.replicaId, 7);
        QCOMPARE(r.maxWaitMs, 500);
        QCOMPARE(r.minBytes, 1);
        QCOMPARE(r.maxBytes, 4096);
        QCOMPARE(r.isolationLevel, int8_t(0));
        QCOMPARE(r.sessionId, 0);
        QCOMPARE(r.sessionEpoch, -1);
        QVERIFY(r.forgottenTopicsData.empty());
        QCOMPARE(r.topics.size(), size_t(2));
        QCOMPARE(r.topics[0].topic, std::string("a"));
        QCOMPARE(r.topics[0].partitions.size(), size_t(2));
        QCOMPARE(r.topics[0].partitions[0], (FetchRequest::Partition{0, 4, 10, 3, 2, 1024}));
        QCOMPARE(r.topics[0].partitions[1], (FetchRequest::Partition{1, 6, 20, 5, 0, 1024}));
        QCOMPARE(r.topics[1].topic, std::string("b"));
        QCOMPARE(r.topics[1].partitions, (std::vector<FetchRequest::Partition>{{3, 1, 0, -1, -1, 1024}}));
        QVERIFY(m_problems.isEmpty());
    }

    void recordsAndDivergingEpochsReachTheOwner()
    {
        m_positions[tp("a", 0)] = FetchPosition{10, 3, 4, 0};
        m_positions[tp("a", 1)] = FetchPosition{20, 5, 4, 0};
        auto fetcher = makeFetcher();
        QTRY_COMPARE(m_leader->requests.size(), size_t(1));

        FetchResponse r;
        FetchResponse::Partition diverged = okPartition(1, 15, std::nullopt);
        diverged.divergingEpoch = {4, 18};
        diverged.currentLeader = {2, 4};
        r.responses = {{"a", {okPartition(0, 12, std::string("\x01\x02\x03", 3)), diverged}}};
        m_leader->answer(r);
        QTRY_COMPARE(m_delivered.size(), size_t(2));
        QCOMPARE(m_delivered[0].tp, tp("a", 0));
        QCOMPARE(m_delivered[0].partition.records, std::optional<std::string>(std::string("\x01\x02\x03", 3)));
        QCOMPARE(m_delivered[0].partition.highWatermark, int64_t(12));
        QCOMPARE(m_delivered[1].tp, tp("a", 1));
        QCOMPARE(m_delivered[1].partition.divergingEpoch, (FetchResponse::EpochEndOffset{4, 18}));
        QCOMPARE(m_delivered[1].partition.currentLeader, (FetchResponse::LeaderIdAndEpoch{2, 4}));
        QVERIFY(m_problems.isEmpty());
    }

    void nothingIsSentUntilEveryDoneRan()
    {
        m_positions[tp("a", 0)] = FetchPosition{10, 3, 4, 0};
        m_positions[tp("a", 1)] = FetchPosition{20, 3, 4, 0};
        auto fetcher = makeFetcher();
        QTRY_COMPARE(m_leader->requests.size(), size_t(1));
        FetchResponse r;
        r.responses = {{"a", {okPartition(0, 12, std::string("x")), okPartition(1, 20, std::nullopt)}}};
        m_leader->answer(r);
        QTRY_COMPARE(m_delivered.size(), size_t(2));

        // One partition handled, the other still on its way to disk; wake() does not overrule that.
        m_positions[tp("a", 0)].fetchOffset = 12;
        m_delivered[0].done();
        m_delivered[0].done(); // twice counts once
        fetcher->wake();
        QTest::qWait(100);
        QCOMPARE(m_leader->requests.size(), size_t(1));

        // The last done(): the next request goes out with the positions as they are now.
        m_delivered[1].done();
        QTRY_COMPARE(m_leader->requests.size(), size_t(2));
        QCOMPARE(m_leader->requests[1].request.topics.at(0).partitions.at(0).fetchOffset, int64_t(12));
        QCOMPARE(m_leader->requests[1].header.correlationId, m_leader->requests[0].header.correlationId + 1);
        QVERIFY(m_problems.isEmpty());
    }

    void noPositionsMeansIdleUntilWake()
    {
        auto fetcher = makeFetcher();
        QTRY_COMPARE(m_leader->connections, 1);
        QTRY_VERIFY(m_positionCalls > 0);
        QTest::qWait(100);
        QVERIFY(m_leader->requests.empty());
        m_positions[tp("a", 0)] = FetchPosition{0, -1, 1, 0};
        fetcher->wake();
        QTRY_COMPARE(m_leader->requests.size(), size_t(1));
        QCOMPARE(m_leader->requests[0].request.topics.at(0).partitions.at(0).currentLeaderEpoch, 1);
    }

    void anAnswerToAPositionThatMovedIsDropped()
    {
        m_positions[tp("a", 0)] = FetchPosition{10, 3, 4, 0};
        m_positions[tp("a", 1)] = FetchPosition{20, 3, 4, 0};
        auto fetcher = makeFetcher();
        QTRY_COMPARE(m_leader->requests.size(), size_t(1));
        // While in flight: a-0 truncated under a new leader epoch; a-1 unchanged.
        m_positions[tp("a", 0)] = FetchPosition{8, 3, 5, 0};
        FetchResponse r;
        r.responses = {{"a", {okPartition(0, 12, std::string("stale")), okPartition(1, 20, std::nullopt)}}};
        m_leader->answer(r);
        QTRY_COMPARE(m_delivered.size(), size_t(1));
        QCOMPARE(m_delivered[0].tp, tp("a", 1));
        doneAll();
        QTRY_COMPARE(m_leader->requests.size(), size_t(2));
        QCOMPARE(m_leader->requests[1].request.topics.at(0).partitions.at(0),
                 (FetchRequest::Partition{0, 5, 8, 3, 0, ReplicaFetcher::Options{}.partitionMaxBytes}));
    }

    void anErrorPartitionWaitsForWake()
    {
        m_positions[tp("a", 0)] = FetchPosition{10, 3, 4, 0};
        m_positions[tp("a", 1)] = FetchPosition{20, 3, 4, 0};
        ReplicaFetcher::Options options;
        options.errorBackoffMs = 600000; // never runs out during the test
        auto fetcher = makeFetcher(options);
        QTRY_COMPARE(m_leader->requests.size(), size_t(1));
        FetchResponse r;
        FetchResponse::Partition refused = okPartition(0, -1, std::nullopt);
        refused.errorCode = toWire(ErrorCode::NotLeaderOrFollower);
        r.responses = {{"a", {refused, okPartition(1, 20, std::nullopt)}}};
        QVERIFY(answerRound(r, 2));
        QCOMPARE(m_delivered[0].partition.errorCode, toWire(ErrorCode::NotLeaderOrFollower));

        // The refused partition is left out; the healthy one goes on.
        QCOMPARE(partitionsAskedIn(1), std::vector<int32_t>{1});

        // A newer image (wake) brings it back with the next request.
        fetcher->wake();
        r.responses = {{"a", {okPartition(1, 20, std::nullopt)}}};
        QVERIFY(answerRound(r, 1));
        QCOMPARE(partitionsAskedIn(2), (std::vector<int32_t>{0, 1}));
        QVERIFY(m_problems.isEmpty());
    }

    // The owner could not append what came (a full disk): the partition stays out for the
    // time asked, newer images (wake) or not, and comes back once it is over.
    void anOwnersBackoffOutlastsWake()
    {
        m_positions[tp("a", 0)] = FetchPosition{10, 3, 4, 0};
        m_positions[tp("a", 1)] = FetchPosition{20, 3, 4, 0};
        auto fetcher = makeFetcher();
        QTRY_COMPARE(m_leader->requests.size(), size_t(1));
        FetchResponse r;
        r.responses = {{"a", {okPartition(0, 10, std::nullopt), okPartition(1, 20, std::nullopt)}}};
        QDeadlineTimer over;
        QVERIFY(answerRound(r, 2, [&] {
            fetcher->backOff(tp("a", 0), 1500);
            over.setRemainingTime(1500);
        }));
        QCOMPARE(partitionsAskedIn(1), std::vector<int32_t>{1});

        fetcher->wake();   // a newer image
        r.responses = {{"a", {okPartition(1, 20, std::nullopt)}}};
        QVERIFY(answerRound(r, 1));
        QCOMPARE(partitionsAskedIn(2), std::vector<int32_t>{1});   // still out

        // Over: the next request carries it again.
        QTRY_VERIFY_WITH_TIMEOUT(over.hasExpired(), 5000);
        QVERIFY(answerRound(r, 1));
        QCOMPARE(partitionsAskedIn(3), (std::vector<int32_t>{0, 1}));
        QVERIFY(m_problems.isEmpty());
    }

    void aTopLevelErrorReachesEveryPartition()
    {
        m_positions[tp("a", 0)] = FetchPosition{10, 3, 4, 0};
        m_positions[tp("b", 1)] = FetchPosition{20, 3, 4, 0};
        auto fetcher = makeFetcher();
        QTRY_COMPARE(m_leader->requests.size(), size_t(1));
        FetchResponse r;
        r.errorCode = toWire(ErrorCode::UnknownServerError);
        m_leader->answer(r);
        QTRY_COMPARE(m_delivered.size(), size_t(2));
        QCOMPARE(m_delivered[0].tp, tp("a", 0));
        QCOMPARE(m_delivered[1].tp, tp("b", 1));
        for (const Delivered &d : m_delivered)
            QCOMPARE(d.partition.errorCode, toWire(ErrorCode::UnknownServerError));
    }

    void reconnectsAfterTheLeaderClosesTheSocket()
    {
        m_positions[tp("a", 0)] = FetchPosition{10, 3, 4, 0};
        auto fetcher = makeFetcher();
        QTRY_COMPARE(m_leader->requests.size(), size_t(1));
        m_leader->closeClient();
        QTRY_COMPARE(m_problems.size(), qsizetype(1));
        QVERIFY2(m_problems[0].contains("leader broker 2 at 127.0.0.1:"), qPrintable(m_problems[0]));
        QVERIFY2(m_problems[0].contains("closed by the leader"), qPrintable(m_problems[0]));
        // The unanswered request is asked again on the new connection.
        QTRY_COMPARE(m_leader->connections, 2);
        QTRY_COMPARE(m_leader->requests.size(), size_t(2));
        QCOMPARE(m_leader->requests[1].request, m_leader->requests[0].request);
        QVERIFY(m_leader->requests[1].header.correlationId != m_leader->requests[0].header.correlationId);
        // And it works there.
        FetchResponse r;
        r.responses = {{"a", {okPartition(0, 11, std::string("y"))}}};
        m_leader->answer(r);
        QTRY_COMPARE(m_delivered.size(), size_t(1));
    }

    void pendingDonesHoldTheRequestAcrossAReconnect()
    {
        m_positions[tp("a", 0)] = FetchPosition{10, 3, 4, 0};
        auto fetcher = makeFetcher();
        QTRY_COMPARE(m_leader->requests.size(), size_t(1));
        FetchResponse r;
        r.responses = {{"a", {okPartition(0, 11, std::string("y"))}}};
        m_leader->answer(r);
        QTRY_COMPARE(m_delivered.size(), size_t(1));
        m_leader->closeClient();
        QTRY_COMPARE(m_leader->connections, 2);
        QTest::qWait(100);
        QCOMPARE(m_leader->requests.size(), size_t(1)); // the append is not durable yet
        m_positions[tp("a", 0)].fetchOffset = 11;
        doneAll();
        QTRY_COMPARE(m_leader->requests.size(), size_t(2));
        QCOMPARE(m_leader->requests[1].request.topics.at(0).partitions.at(0).fetchOffset, int64_t(11));
    }

    void aRefusedConnectionIsRetried()
    {
        // A port nobody listens on: take a free one and close it again.
        quint16 closedPort = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            closedPort = probe.serverPort();
        }
        m_positions[tp("a", 0)] = FetchPosition{10, 3, 4, 0};
        auto fetcher = makeFetcher({}, closedPort);
        QTRY_VERIFY(m_problems.size() >= 2); // refused, retried after the backoff, refused again
        QVERIFY2(m_problems[0].contains("refused"), qPrintable(m_problems[0]));
    }

    void garbageFromTheLeaderIsAProblemNotACrash()
    {
        m_positions[tp("a", 0)] = FetchPosition{10, 3, 4, 0};
        auto fetcher = makeFetcher();
        QTRY_COMPARE(m_leader->requests.size(), size_t(1));
        // A whole frame with the right correlation id whose body is not a Fetch v12 response.
        QByteArray frame("\x00\x00\x00\x09", 4);
        int32_t id = qToBigEndian(m_leader->requests[0].header.correlationId);
        frame.append(reinterpret_cast<const char *>(&id), 4).append("\x00garb", 5);
        m_leader->sendRaw(frame);
        QTRY_COMPARE(m_problems.size(), qsizetype(1));
        QVERIFY2(m_problems[0].contains("FetchResponse v12"), qPrintable(m_problems[0]));
        QVERIFY(m_delivered.empty());
        QTRY_COMPARE(m_leader->requests.size(), size_t(2)); // reconnected, asked again
    }

    void anOversizeFrameIsAProblemNotAnAllocation()
    {
        m_positions[tp("a", 0)] = FetchPosition{10, 3, 4, 0};
        ReplicaFetcher::Options options;
        options.maxResponseFrameBytes = 1024;
        auto fetcher = makeFetcher(options);
        QTRY_COMPARE(m_leader->requests.size(), size_t(1));
        m_leader->sendRaw(QByteArray("\x7f\xff\xff\xff", 4)); // 2 GiB announced
        QTRY_COMPARE(m_problems.size(), qsizetype(1));
        QVERIFY2(m_problems[0].contains("exceeds the limit of 1024 bytes"), qPrintable(m_problems[0]));
        QVERIFY(m_delivered.empty());
    }

    void aMismatchedCorrelationIdIsAProblem()
    {
        m_positions[tp("a", 0)] = FetchPosition{10, 3, 4, 0};
        auto fetcher = makeFetcher();
        QTRY_COMPARE(m_leader->requests.size(), size_t(1));
        FetchResponse r;
        r.responses = {{"a", {okPartition(0, 11, std::string("y"))}}};
        m_leader->answer(r, m_leader->requests[0].header.correlationId + 5);
        QTRY_COMPARE(m_problems.size(), qsizetype(1));
        QVERIFY2(m_problems[0].contains("correlation id"), qPrintable(m_problems[0]));
        QVERIFY(m_delivered.empty());
    }

    void anUnsolicitedResponseIsAProblem()
    {
        m_positions[tp("a", 0)] = FetchPosition{10, 3, 4, 0};
        auto fetcher = makeFetcher();
        QTRY_COMPARE(m_leader->requests.size(), size_t(1));
        FetchResponse r;
        r.responses = {{"a", {okPartition(0, 11, std::nullopt)}}};
        m_leader->answer(r);
        m_leader->answer(r); // a second answer to the same request
        QTRY_COMPARE(m_problems.size(), qsizetype(1));
        QVERIFY2(m_problems[0].contains("no request was in flight"), qPrintable(m_problems[0]));
    }

    void aLeaderThatDoesNotAnswerTimesOut()
    {
        m_positions[tp("a", 0)] = FetchPosition{10, 3, 4, 0};
        ReplicaFetcher::Options options;
        options.maxWaitMs = 0;
        options.socketTimeoutMs = 200;
        auto fetcher = makeFetcher(options);
        QTRY_COMPARE(m_leader->requests.size(), size_t(1));
        QTRY_COMPARE(m_problems.size(), qsizetype(1));
        QVERIFY2(m_problems[0].contains("no answer to a Fetch"), qPrintable(m_problems[0]));
        QTRY_COMPARE(m_leader->connections, 2);
    }

    void stopStops()
    {
        m_positions[tp("a", 0)] = FetchPosition{10, 3, 4, 0};
        auto fetcher = makeFetcher();
        QTRY_COMPARE(m_leader->requests.size(), size_t(1));
        FetchResponse r;
        r.responses = {{"a", {okPartition(0, 11, std::string("y"))}}};
        m_leader->answer(r);
        QTRY_COMPARE(m_delivered.size(), size_t(1));
        fetcher->stop();
        QTRY_COMPARE(m_leader->disconnects, 1);
        doneAll();       // a late done() is harmless
        fetcher->wake(); // and so is a wake
        QTest::qWait(200);
        QCOMPARE(m_leader->connections, 1);
        QCOMPARE(m_leader->requests.size(), size_t(1));
        QVERIFY(m_problems.isEmpty());
        // done() may even outlive the fetcher.
        fetcher.reset();
        doneAll();
    }
};

QTEST_GUILESS_MAIN(ReplicaFetcherTest)
#include "ReplicaFetcherTest.moc"
