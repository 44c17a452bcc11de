#include "metadata/PartitionAssigner.h"

#include <QTest>

#include <map>
#include <set>

using namespace skiff;
using namespace skiff::metadata;

class PartitionAssignerTest : public QObject {
    Q_OBJECT
private slots:
    void spreadsReplicasAndLeaders()
    {
        auto r = assignReplicas({1, 2, 3}, 0, 6, 2, 0);
        QVERIFY(r.isOk());
        std::map<uint64_t, int> leaders;
        for (const auto &replicas : r.value()) {
            QCOMPARE(replicas.size(), size_t(2));
            QVERIFY(replicas[0] != replicas[1]);
            ++leaders[replicas[0]];
        }
        QCOMPARE(leaders, (std::map<uint64_t, int>{{1, 2}, {2, 2}, {3, 2}}));
    }
    void tooFewBrokers()
    {
        auto r = assignReplicas({1}, 0, 1, 3, 0);
        QVERIFY(!r.isOk());
        QVERIFY(QString::fromStdString(r.status().message()).contains("replication factor 3 is larger than the 1 available"));
    }
};

QTEST_GUILESS_MAIN(PartitionAssignerTest)
#include "PartitionAssignerTest.moc"
