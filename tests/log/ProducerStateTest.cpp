#include "LogTestUtil.h"

#include "log/PartitionLog.h"
#include "log/ProducerStateTable.h"

#include <QLoggingCategory>
#include <QTemporaryDir>
#include <QTest>
#include <limits>

using namespace skiff::log;
using namespace skiff::log::test;

namespace {

std::string producerBatch(int64_t pid, int16_t epoch, int32_t seq, int count = 3)
{
    return makeBatch(count, 1000, 16, pid, epoch, seq);
}

} // namespace

class ProducerStateTest : public QObject {
    Q_OBJECT
private slots:
    void tableRules()
    {
        using V = ProducerStateTable::Verdict;
        // Unknown producer: any sequence.
        QCOMPARE(ProducerStateTable::check(nullptr, 1, 0, 42, 44).verdict, V::Append);
        ProducerEntry e;
        ProducerStateTable::record(e, 2, {0, 4, 100, 104, 1});
        QCOMPARE(ProducerStateTable::check(&e, 1, 2, 5, 9).verdict, V::Append);
        auto dup = ProducerStateTable::check(&e, 1, 2, 0, 4);
        QCOMPARE(dup.verdict, V::Duplicate);
        QCOMPARE(dup.duplicateOf.firstOffset, int64_t(100));
        auto gap = ProducerStateTable::check(&e, 1, 2, 6, 9);
        QCOMPARE(gap.verdict, V::Reject);
        QCOMPARE(gap.error, LogErrc::OutOfOrderSequenceNumber);
        auto fenced = ProducerStateTable::check(&e, 1, 1, 5, 9);
        QCOMPARE(fenced.error, LogErrc::InvalidProducerEpoch);
        QCOMPARE(ProducerStateTable::check(&e, 1, 3, 0, 2).verdict, V::Append);
        QCOMPARE(ProducerStateTable::check(&e, 1, 3, 5, 7).error, LogErrc::OutOfOrderSequenceNumber);
        // Only the last five batches are remembered.
        for (int i = 1; i <= 6; ++i)
            ProducerStateTable::record(e, 2, {5 * i, 5 * i + 4, 100 + 5 * i, 104 + 5 * i, 1});
        QCOMPARE(e.batches.size(), size_t(5));
        QCOMPARE(ProducerStateTable::check(&e, 1, 2, 10, 14).verdict, V::Duplicate);
        QCOMPARE(ProducerStateTable::check(&e, 1, 2, 5, 9).verdict, V::Reject);
        // Wrap at INT32_MAX.
        ProducerEntry w;
        const int32_t max = std::numeric_limits<int32_t>::max();
        ProducerStateTable::record(w, 0, {max - 2, max, 0, 2, 1});
        QCOMPARE(ProducerStateTable::check(&w, 1, 0, 0, 4).verdict, V::Append);
        QCOMPARE(ProducerStateTable::check(&w, 1, 0, 1, 4).verdict, V::Reject);
    }

    void duplicateReturnsOriginalOffsets()
    {
        QTemporaryDir tmp;
        auto log = PartitionLog::open(tmp.path().toStdString(), LogConfig{}).value();
        QVERIFY(log->append(makeBatch(2, 1), 0).isOk()); // offsets 0-1, no producer
        auto first = log->append(producerBatch(77, 0, 0), 0);
        QVERIFY(first.isOk());
        QCOMPARE(first.baseOffset, int64_t(2));
        auto second = log->append(producerBatch(77, 0, 3), 0);
        QCOMPARE(second.baseOffset, int64_t(5));
        int64_t end = log->logEndOffset();
        int64_t bytes = log->sizeInBytes();
        for (auto [seq, base] : {std::pair{0, 2}, std::pair{3, 5}}) {
            auto retry = log->append(producerBatch(77, 0, seq), 0);
            QVERIFY(retry.isOk());
            QVERIFY(retry.duplicate);
            QCOMPARE(retry.baseOffset, int64_t(base));
            QCOMPARE(retry.lastOffset, int64_t(base + 2));
        }
        QCOMPARE(log->logEndOffset(), end);
        QCOMPARE(log->sizeInBytes(), bytes);
    }

    void everyDecisionIsInTheProducersDebugLog()
    {
        // What a duplicate found by the fault bed is explained with: each leader decision and
        // each batch a follower records, with what the table knew before it.
        static QStringList lines;
        lines.clear();
        QLoggingCategory::setFilterRules("skiff.producers.debug=true");
        const QtMessageHandler previous = qInstallMessageHandler([](QtMsgType, const QMessageLogContext &c, const QString &m) {
            if (QByteArray(c.category) == "skiff.producers")
                lines << m;
        });
        QTemporaryDir tmp;
        auto leader = PartitionLog::open((tmp.path() + "/leader").toStdString(), LogConfig{}).value();
        QVERIFY(leader->append(producerBatch(77, 0, 0), 0).isOk());
        QVERIFY(leader->append(producerBatch(77, 0, 3), 0).isOk());
        QVERIFY(leader->append(producerBatch(77, 0, 0), 0).duplicate);
        QVERIFY(!leader->append(producerBatch(77, 0, 9), 0).isOk());
        QVERIFY(leader->append(producerBatch(77, 1, 0), 0).isOk());
        auto follower = PartitionLog::open((tmp.path() + "/follower").toStdString(), LogConfig{}).value();
        QVERIFY(follower->appendAsFollower(producerBatch(77, 0, 0), 0).isOk());
        qInstallMessageHandler(previous);
        QLoggingCategory::setFilterRules("skiff.producers.debug=false");

        QCOMPARE(lines.size(), 6);
        QVERIFY2(lines[0].endsWith("producer 77 epoch 0 seq 0..2: appended at offset 0; producer not known here"),
                 qPrintable(lines[0]));
        QVERIFY2(lines[1].endsWith("producer 77 epoch 0 seq 3..5: appended at offset 3; known in epoch 0, last seq 2 at offset 2"),
                 qPrintable(lines[1]));
        QVERIFY2(lines[2].endsWith("producer 77 epoch 0 seq 0..2: duplicate of offsets 0..2; known in epoch 0, last seq 5 at offset 5"),
                 qPrintable(lines[2]));
        QVERIFY2(lines[3].contains("seq 9..11: refused (producer 77: epoch 0 sequence 9 where 6 was expected)"),
                 qPrintable(lines[3]));
        QVERIFY2(lines[4].endsWith("producer 77 epoch 1 seq 0..2: appended at offset 6; known in epoch 0, last seq 5 at offset 5"),
                 qPrintable(lines[4]));
        QVERIFY2(lines[5].contains("/follower: replicated producer 77 epoch 0 seq 0..2 at offset 0; producer not known here"),
                 qPrintable(lines[5]));
    }

    void gapAndFencing()
    {
        QTemporaryDir tmp;
        auto log = PartitionLog::open(tmp.path().toStdString(), LogConfig{}).value();
        QVERIFY(log->append(producerBatch(5, 3, 10), 0).isOk()); // unknown producer may start anywhere
        auto gap = log->append(producerBatch(5, 3, 20), 0);
        QCOMPARE(gap.error, LogErrc::OutOfOrderSequenceNumber);
        QVERIFY(gap.message.find("producer 5") != std::string::npos);
        QCOMPARE(log->append(producerBatch(5, 2, 13), 0).error, LogErrc::InvalidProducerEpoch);
        QCOMPARE(log->append(producerBatch(5, 4, 13), 0).error, LogErrc::OutOfOrderSequenceNumber);
        QCOMPARE(log->logEndOffset(), int64_t(3));
        QVERIFY(log->append(producerBatch(5, 4, 0), 0).isOk()); // new epoch from 0
        QCOMPARE(log->append(producerBatch(5, 3, 13), 0).error, LogErrc::InvalidProducerEpoch);
        // A multi-batch request is checked as a sequence and is all-or-nothing.
        auto good = log->append(producerBatch(5, 4, 3) + producerBatch(5, 4, 6), 0);
        QVERIFY(good.isOk());
        QCOMPARE(good.lastOffset - good.baseOffset, int64_t(5));
        int64_t end = log->logEndOffset();
        QCOMPARE(log->append(producerBatch(6, 0, 0) + producerBatch(5, 4, 99), 0).error,
                 LogErrc::OutOfOrderSequenceNumber);
        QCOMPARE(log->logEndOffset(), end);
        QVERIFY(log->producerState().find(6) == nullptr);
    }

    void stateSurvivesReopen()
    {
        QTemporaryDir tmp;
        std::string dir = tmp.path().toStdString();
        LogConfig cfg;
        cfg.segmentBytes = 600; // spread the producer's batches over several segments
        for (bool clean : {true, false}) {
            std::string d = dir + (clean ? "/clean" : "/crash");
            {
                auto log = PartitionLog::open(d, cfg).value();
                for (int i = 0; i < 10; ++i)
                    QVERIFY(log->append(producerBatch(9, 1, 3 * i), 0).isOk());
                QVERIFY(log->segmentCount() > 2);
                if (clean)
                    QVERIFY(log->close().isOk());
            }
            auto log = PartitionLog::open(d, cfg).value();
            auto dup = log->append(producerBatch(9, 1, 27), 0);
            QVERIFY(dup.duplicate);
            QCOMPARE(dup.baseOffset, int64_t(27));
            auto old = log->append(producerBatch(9, 1, 15), 0);
            QVERIFY(old.duplicate); // still among the last five
            QCOMPARE(old.baseOffset, int64_t(15));
            QCOMPARE(log->append(producerBatch(9, 1, 31), 0).error, LogErrc::OutOfOrderSequenceNumber);
            QCOMPARE(log->append(producerBatch(9, 0, 30), 0).error, LogErrc::InvalidProducerEpoch);
            QCOMPARE(log->append(producerBatch(9, 1, 30), 0).baseOffset, int64_t(30));
        }
    }
};

QTEST_GUILESS_MAIN(ProducerStateTest)
#include "ProducerStateTest.moc"
