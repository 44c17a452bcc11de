#include "LogTestUtil.h"

#include "log/LogManager.h"
#include "log/PartitionLog.h"

#include <QTemporaryDir>
#include <QTest>
#include <filesystem>

using namespace skiff::log;
using namespace skiff::log::test;

class LogManagerTest : public QObject {
    Q_OBJECT
private slots:
    void parsesDirectoryNames()
    {
        auto tp = LogManager::parseDirName("my-topic.v1_x-12");
        QVERIFY(tp.has_value());
        QCOMPARE(tp->topic, std::string("my-topic.v1_x"));
        QCOMPARE(tp->partition, 12);
        QCOMPARE(LogManager::parseDirName("a-0")->topic, std::string("a"));
        for (const char *bad : {"nodash", "t-", "-3", "t-x", "t-1x", "t-+1"})
            QVERIFY2(!LogManager::parseDirName(bad).has_value(), bad);
        QCOMPARE(LogManager::parseDirName("t--1")->topic, std::string("t-")); // "t-" is a legal topic
        QCOMPARE(LogManager::dirName("a-b", 3), std::string("a-b-3"));
    }

    void createReopenRemove()
    {
        QTemporaryDir tmp;
        std::string data = tmp.path().toStdString();
        LogConfig cfg;
        {
            LogManager m(data, cfg);
            QVERIFY(m.open().isOk());
            for (const char *topic : {"a", "a-b", "x.y_z"})
                for (int p = 0; p < 2; ++p) {
                    auto log = m.createPartition(topic, p, cfg);
                    QVERIFY2(log.isOk(), log.status().toString().c_str());
                    QVERIFY(log.value()->append(makeBatch(p + 1, 1), 0).isOk());
                }
            QCOMPARE(m.createPartition("a", 0, cfg).status().code(), skiff::StatusCode::AlreadyExists);
            QVERIFY(!m.createPartition("../evil", 0, cfg).isOk());
            QVERIFY(!m.createPartition("sp ace", 0, cfg).isOk());
            QVERIFY(!m.createPartition("t", -1, cfg).isOk());
            QVERIFY(m.partition("a-b", 1) != nullptr);
            QVERIFY(m.partition("a-b", 2) == nullptr);
            LogManager intruder(data, cfg);
            QCOMPARE(intruder.open().code(), skiff::StatusCode::FailedPrecondition);
            QVERIFY(m.closeAll().isOk());
        }
        LogManager m(data, cfg);
        QVERIFY(m.open([&](const std::string &topic) {
                     LogConfig c = cfg;
                     if (topic == "x.y_z")
                         c.retentionBytes = 1;
                     return c;
                 }).isOk());
        QCOMPARE(m.partitions().size(), size_t(6));
        QCOMPARE(m.partition("a-b", 1)->logEndOffset(), int64_t(2));
        QCOMPARE(m.partition("x.y_z", 0)->config().retentionBytes, int64_t(1));
        QCOMPARE(m.partition("a", 0)->config().retentionBytes, int64_t(-1));
        // Removing "a" must not touch "a-b".
        QVERIFY(m.removeTopic("a").isOk());
        QVERIFY(m.partition("a", 0) == nullptr);
        QVERIFY(!std::filesystem::exists(data + "/a-0"));
        QVERIFY(!std::filesystem::exists(data + "/a-1"));
        QVERIFY(std::filesystem::exists(data + "/a-b-0"));
        QVERIFY(m.partition("a-b", 0) != nullptr);
        LogConfig tiny = cfg;
        tiny.segmentBytes = 100;
        m.updateTopicConfig("a-b", tiny);
        QCOMPARE(m.partition("a-b", 0)->config().segmentBytes, int64_t(100));
        LogConfig invalid = tiny;
        invalid.segmentMs = 0;
        m.updateTopicConfig("a-b", invalid); // refused, logged
        QCOMPARE(m.partition("a-b", 0)->config().segmentMs, tiny.segmentMs);
        QCOMPARE(m.partition("x.y_z", 0)->config().segmentBytes, cfg.segmentBytes);
        auto log = m.partition("a-b", 0);
        for (int i = 0; i < 5; ++i)
            QVERIFY(log->append(makeBatch(2, 1, 100), 0).isOk());
        QVERIFY(log->segmentCount() > 1);
        tiny.retentionBytes = 0;
        m.updateTopicConfig("a-b", tiny);
        auto deleted = m.applyRetention(0);
        QVERIFY(deleted.isOk());
        QVERIFY(deleted.value() > 0);
        QCOMPARE(log->segmentCount(), size_t(1));
    }
};

QTEST_GUILESS_MAIN(LogManagerTest)
#include "LogManagerTest.moc"
