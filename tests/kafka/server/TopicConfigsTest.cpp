#include "kafka/server/TopicConfigs.h"

#include <QTest>

using namespace skiff;
using namespace skiff::kafka;

namespace {

core::NodeConfig brokerDefaults()
{
    core::NodeConfig c;
    c.logRetentionMs = 604800000;
    c.logRetentionBytes = -1;
    c.logSegmentBytes = 1 << 20;   // set explicitly: differs from the built-in default
    c.logSegmentMs = 604800000;
    c.messageMaxBytes = 1048588;
    c.logMessageTimestampType = "CreateTime";
    return c;
}

const EffectiveConfig &find(const std::vector<EffectiveConfig> &all, const std::string &name)
{
    for (const auto &c : all)
        if (c.name == name)
            return c;
    qFatal("config %s missing", name.c_str());
}

} // namespace

class TopicConfigsTest : public QObject {
    Q_OBJECT
private slots:
    void sourcesAndValues()
    {
        TopicConfigs configs(brokerDefaults());
        const auto all = configs.effective({{"retention.ms", "1000"}});
        QCOMPARE(find(all, "retention.ms").value, std::string("1000"));
        QCOMPARE(find(all, "retention.ms").source, ConfigSource::TopicConfig);
        QCOMPARE(find(all, "segment.bytes").value, std::string("1048576"));
        QCOMPARE(find(all, "segment.bytes").source, ConfigSource::StaticBrokerConfig);
        QCOMPARE(find(all, "cleanup.policy").value, std::string("delete"));
        QCOMPARE(find(all, "cleanup.policy").source, ConfigSource::DefaultConfig);
        QCOMPARE(configs.intValue({}, "max.message.bytes"), int64_t(1048588));
    }
    void validation()
    {
        TopicConfigs configs(brokerDefaults());
        QVERIFY(configs.validate({{"retention.ms", "-1"}, {"message.timestamp.type", "LogAppendTime"}}).isOk());
        QCOMPARE(QString::fromStdString(configs.validate({{"retention.ms", "1h"}}).message()),
                 QString("retention.ms: '1h' is not an integer"));
        QCOMPARE(QString::fromStdString(configs.validate({{"segment.bytes", "1"}}).message()),
                 QString("segment.bytes: 1 is below the minimum 14"));
        QCOMPARE(QString::fromStdString(configs.validate({{"cleanup.policy", "compact"}}).message()),
                 QString("cleanup.policy=compact is not supported yet; only delete is"));
        QCOMPARE(QString::fromStdString(configs.validate({{"flush.messages", "1"}}).message()),
                 QString("unknown topic config 'flush.messages'"));
    }
    void replicationConfigs()
    {
        TopicConfigs configs(brokerDefaults());
        // min.insync.replicas: Kafka's INT, at least 1; the broker default stays 1.
        QCOMPARE(configs.intValue({}, "min.insync.replicas"), int64_t(1));
        QVERIFY(configs.validate({{"min.insync.replicas", "2"}}).isOk());
        QVERIFY(configs.validate({{"min.insync.replicas", "2147483647"}}).isOk());
        QCOMPARE(QString::fromStdString(configs.validate({{"min.insync.replicas", "0"}}).message()),
                 QString("min.insync.replicas: 0 is below the minimum 1"));
        QCOMPARE(QString::fromStdString(configs.validate({{"min.insync.replicas", "2147483648"}}).message()),
                 QString("min.insync.replicas: 2147483648 is above the maximum 2147483647"));
        // unclean.leader.election.enable: a boolean (any case, as Kafka parses it), false by default.
        const auto all = configs.effective({});
        QCOMPARE(find(all, "unclean.leader.election.enable").value, std::string("false"));
        QCOMPARE(find(all, "unclean.leader.election.enable").source, ConfigSource::DefaultConfig);
        QVERIFY(configs.validate({{"unclean.leader.election.enable", "true"}}).isOk());
        QVERIFY(configs.validate({{"unclean.leader.election.enable", "FALSE"}}).isOk());
        QCOMPARE(QString::fromStdString(configs.validate({{"unclean.leader.election.enable", "yes"}}).message()),
                 QString("unclean.leader.election.enable: 'yes' is not a boolean (true or false)"));
    }
};

QTEST_GUILESS_MAIN(TopicConfigsTest)
#include "TopicConfigsTest.moc"
