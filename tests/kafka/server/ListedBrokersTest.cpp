// The brokers Metadata and DescribeCluster list and the controller they name (ListedBrokers.h):
// the answering node itself when listed, so a client never dials a stopped metadata leader.
#include "kafka/server/ListedBrokers.h"

#include <QTest>

using namespace skiff;
using namespace skiff::metadata;
using skiff::kafka::ListedBroker;

namespace {

// Brokers 1-3, each with a PLAINTEXT listener on port 9090 + id; broker 2 also has SSL and a rack.
MetadataImage image()
{
    MetadataImage image;
    for (uint64_t id : {1, 2, 3}) {
        BrokerInfo b;
        b.id = id;
        b.endpoints.push_back({"PLAINTEXT", "127.0.0.1", uint16_t(9090 + id), "PLAINTEXT"});
        image.brokers[id] = b;
    }
    image.brokers[2].endpoints.push_back({"SSL", "broker2", 9443, "SSL"});
    image.brokers[2].rack = "r2";
    image.controllerId = 3;   // the Raft leader: no part of what clients are told
    return image;
}

std::vector<int32_t> ids(const std::vector<ListedBroker> &listed)
{
    std::vector<int32_t> out;
    for (const auto &b : listed)
        out.push_back(b.id);
    return out;
}

} // namespace

class ListedBrokersTest : public QObject {
    Q_OBJECT
private slots:
    void listsUnfencedBrokersWithTheClientsListener()
    {
        MetadataImage img = image();
        img.brokers[3].fenced = true;
        const auto plain = kafka::listedBrokers(img, "PLAINTEXT");
        QCOMPARE(ids(plain), (std::vector<int32_t>{1, 2}));
        QCOMPARE(plain[0].host, std::string("127.0.0.1"));
        QCOMPARE(plain[0].port, 9091);
        QVERIFY(!plain[0].rack);
        QCOMPARE(plain[1].rack, std::optional<std::string>("r2"));

        const auto ssl = kafka::listedBrokers(img, "SSL");
        QCOMPARE(ids(ssl), (std::vector<int32_t>{2}));
        QCOMPARE(ssl[0].host, std::string("broker2"));
        QCOMPARE(ssl[0].port, 9443);
    }

    void namesItselfAsControllerNotTheRaftLeader()
    {
        const auto listed = kafka::listedBrokers(image(), "PLAINTEXT");
        QCOMPARE(kafka::controllerToName(listed, 1), 1);
        QCOMPARE(kafka::controllerToName(listed, 2), 2);
        QCOMPARE(kafka::controllerToName(listed, 3), 3);
    }

    void anotherListedBrokerWhenItselfIsNotListed()
    {
        MetadataImage img = image();
        img.brokers[1].fenced = true;   // fenced, or not registered yet: clients are not told of it
        QCOMPARE(kafka::controllerToName(kafka::listedBrokers(img, "PLAINTEXT"), 1), 2);
        QCOMPARE(kafka::controllerToName(kafka::listedBrokers(img, "SSL"), 1), 2);
        QCOMPARE(kafka::controllerToName(kafka::listedBrokers(img, "PLAINTEXT"), 4), 2);   // not registered
    }

    void noneWhenNoBrokerIsListed()
    {
        QCOMPARE(kafka::controllerToName({}, 1), -1);
        QCOMPARE(kafka::controllerToName(kafka::listedBrokers(image(), "SASL_SSL"), 2), -1);
    }
};

QTEST_APPLESS_MAIN(ListedBrokersTest)
#include "ListedBrokersTest.moc"
