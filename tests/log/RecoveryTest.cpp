#include "LogTestUtil.h"

#include "log/PartitionLog.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>
#include <filesystem>

using namespace skiff::log;
using namespace skiff::log::test;
namespace fs = std::filesystem;

namespace {

struct BatchLoc {
    int64_t segmentBase;
    int64_t position; // in its segment file
    int64_t baseOffset;
    int64_t lastOffset;
    size_t size;
};

LogConfig smallConfig()
{
    LogConfig cfg;
    cfg.segmentBytes = 3000;
    cfg.indexIntervalBytes = 200;
    return cfg;
}

// Walks the segment files of `dir` and lists every batch.
std::vector<BatchLoc> listBatches(const std::string &dir, const std::vector<int64_t> &bases)
{
    std::vector<BatchLoc> out;
    for (int64_t base : bases) {
        std::string bytes = readFile(dir + "/" + segmentName(base, ".log"));
        for (size_t p = 0; p < bytes.size();) {
            auto h = RecordBatchHeader::parse(bytes.data() + p);
            out.push_back({base, static_cast<int64_t>(p), h.baseOffset, h.lastOffset(), h.totalSize()});
            p += h.totalSize();
        }
    }
    return out;
}

} // namespace

class RecoveryTest : public QObject {
    Q_OBJECT

    // Hundreds of open/close cycles, each with a few fsyncs: on tmpfs when available, since
    // fsync timing says nothing about crash consistency here (the cuts are simulated).
    QTemporaryDir m_tmp{QDir("/dev/shm").exists() ? QStringLiteral("/dev/shm/skiff-log-recovery-XXXXXX")
                                                  : QDir::tempPath() + "/skiff-log-recovery-XXXXXX"};
    std::string m_pristine;
    std::string m_allRecords; // read(0) of the pristine log
    std::vector<int64_t> m_bases;
    std::vector<BatchLoc> m_batches;

    std::string work(const std::string &name)
    {
        std::string dir = m_tmp.path().toStdString() + "/" + name;
        fs::remove_all(dir);
        fs::copy(m_pristine, dir, fs::copy_options::recursive);
        return dir;
    }

    // Opens `dir` and checks it holds exactly the first `keep` batches and continues after them.
    void expectPrefix(const std::string &dir, size_t keep, const char *what)
    {
        auto log = PartitionLog::open(dir, smallConfig());
        QVERIFY2(log.isOk(), (std::string(what) + ": " + log.status().toString()).c_str());
        int64_t end = keep == 0 ? 0 : m_batches[keep - 1].lastOffset + 1;
        QVERIFY2(log.value()->logEndOffset() == end,
                 qPrintable(QString("%1: end %2, expected %3").arg(what).arg(log.value()->logEndOffset()).arg(end)));
        size_t bytes = 0;
        for (size_t i = 0; i < keep; ++i)
            bytes += m_batches[i].size;
        auto all = log.value()->read(0, 1 << 30);
        QVERIFY(all.isOk());
        QVERIFY2(all->records == m_allRecords.substr(0, bytes), what);
        auto r = log.value()->append(makeBatch(2, 99), 0);
        QVERIFY(r.isOk());
        QCOMPARE(r.baseOffset, end);
        QVERIFY(log.value()->close().isOk());
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        m_pristine = m_tmp.path().toStdString() + "/pristine";
        auto log = PartitionLog::open(m_pristine, smallConfig()).value();
        for (int i = 0; i < 80; ++i)
            QVERIFY(log->append(makeBatch(1 + i % 3, 1000 * i, 20 + (i * 31) % 150), 0).isOk());
        QVERIFY(log->sync().isOk());
        QCOMPARE(log->durableEndOffset(), log->logEndOffset());
        m_bases = log->segmentBaseOffsets();
        QVERIFY(m_bases.size() >= 3);
        m_allRecords = log->read(0, 1 << 30)->records;
        // No close(): the log is abandoned as after kill -9 (page cache keeps the bytes).
        log.reset();
        m_batches = listBatches(m_pristine, m_bases);
        QVERIFY(m_batches.back().segmentBase == m_bases.back());
        QVERIFY(m_batches[m_batches.size() - 4].segmentBase == m_bases.back()); // >= 4 batches in the last segment
    }

    void truncateAtEveryPositionOfTheTail()
    {
        const std::string logName = segmentName(m_bases.back(), ".log");
        size_t n = m_batches.size();
        int64_t fileSize = m_batches.back().position + static_cast<int64_t>(m_batches.back().size);
        int cases = 0;
        for (int64_t cut = m_batches[n - 3].position; cut < fileSize; ++cut) {
            std::string dir = work("cut");
            fs::resize_file(dir + "/" + logName, static_cast<uintmax_t>(cut));
            size_t keep = 0;
            while (keep < n && (m_batches[keep].segmentBase < m_bases.back() ||
                                m_batches[keep].position + static_cast<int64_t>(m_batches[keep].size) <= cut))
                ++keep;
            expectPrefix(dir, keep, qPrintable(QString("cut at %1").arg(cut)));
            if (QTest::currentTestFailed())
                return;
            ++cases;
        }
        qInfo("checked %d truncation points", cases);
        QVERIFY(cases > 100);
    }

    void flippedByteInLastBatches()
    {
        const std::string logName = segmentName(m_bases.back(), ".log");
        size_t n = m_batches.size();
        for (size_t victim : {n - 1, n - 2}) {
            for (size_t i = 0; i < m_batches[victim].size; ++i) {
                if (i >= batch::kPartitionLeaderEpoch && i < batch::kMagic)
                    continue; // the leader epoch is outside the CRC by design (Kafka v2)
                std::string dir = work("flip");
                std::string path = dir + "/" + logName;
                std::string bytes = readFile(path);
                bytes[static_cast<size_t>(m_batches[victim].position) + i] ^= 0x10;
                writeFile(path, bytes);
                expectPrefix(dir, victim, qPrintable(QString("flip batch %1 byte %2").arg(victim).arg(i)));
                if (QTest::currentTestFailed())
                    return;
            }
        }
    }

    void garbageAppendedToTail()
    {
        std::string dir = work("garbage");
        std::string path = dir + "/" + segmentName(m_bases.back(), ".log");
        writeFile(path, readFile(path) + std::string(5000, '\0'));
        expectPrefix(dir, m_batches.size(), "zero-filled tail");
    }

    void damagedIndexesAreRebuilt()
    {
        // Reference: index files as written during appends (close() adds nothing to them).
        std::map<std::string, std::string> original;
        for (int64_t base : m_bases)
            for (const char *ext : {".index", ".timeindex"})
                original[segmentName(base, ext)] = readFile(m_pristine + "/" + segmentName(base, ext));
        QVERIFY(!original[segmentName(m_bases[0], ".index")].empty());
        QVERIFY(!original[segmentName(m_bases[0], ".timeindex")].empty());

        enum Damage { Delete, TruncateOdd, Garble, Reverse, BeyondEnd };
        for (Damage damage : {Delete, TruncateOdd, Garble, Reverse, BeyondEnd}) {
            std::string dir = work("index");
            for (auto &[name, bytes] : original) {
                std::string path = dir + "/" + name;
                std::string b = bytes;
                switch (damage) {
                case Delete: fs::remove(path); break;
                case TruncateOdd: writeFile(path, b.substr(0, b.size() > 3 ? b.size() - 3 : 0)); break;
                case Garble:
                    for (size_t i = 0; i < b.size(); i += 3)
                        b[i] = static_cast<char>(b[i] * 7 + 13);
                    writeFile(path, b);
                    break;
                case Reverse: writeFile(path, std::string(b.rbegin(), b.rend())); break;
                case BeyondEnd: writeFile(path, b + std::string(name.ends_with(".timeindex") ? 12 : 8, '\x7f')); break;
                }
            }
            auto log = PartitionLog::open(dir, smallConfig());
            QVERIFY2(log.isOk(), log.status().toString().c_str());
            for (auto &[name, bytes] : original)
                QVERIFY2(readFile(dir + "/" + name) == bytes, qPrintable(QString("damage %1: %2 not rebuilt identically")
                                                                              .arg(int(damage))
                                                                              .arg(QString::fromStdString(name))));
            for (const auto &b : m_batches) {
                for (int64_t o = b.baseOffset; o <= b.lastOffset; ++o) {
                    auto r = log.value()->read(o, 1);
                    QVERIFY(r.isOk());
                    QCOMPARE(RecordBatchHeader::parse(r->records.data()).baseOffset, b.baseOffset);
                }
            }
            for (int i = 0; i < 80; i += 7)
                QCOMPARE(log.value()->offsetForTimestamp(1000 * i)->offset,
                         m_batches[static_cast<size_t>(i)].baseOffset);
        }
    }

    void corruptBatchInOlderSegmentFailsOpen()
    {
        // The pristine log was synced, but its older segments were never CRC-checked by a
        // recovery point: a damaged body there must fail the open, naming file and position.
        const BatchLoc &victim = m_batches[3];
        QCOMPARE(victim.segmentBase, m_bases[0]);
        std::string dir = work("older");
        fs::remove(dir + "/recovery-point");
        std::string path = dir + "/" + segmentName(m_bases[0], ".log");
        std::string bytes = readFile(path);
        bytes[static_cast<size_t>(victim.position) + 70] ^= 1;
        writeFile(path, bytes);
        auto log = PartitionLog::open(dir, smallConfig());
        QVERIFY(!log.isOk());
        QCOMPARE(log.status().code(), skiff::StatusCode::Corruption);
        std::string msg = log.status().toString();
        qInfo("%s", msg.c_str());
        QVERIFY(msg.find(segmentName(m_bases[0], ".log")) != std::string::npos);
        QVERIFY(msg.find("byte " + std::to_string(victim.position)) != std::string::npos);
        // The file was not modified by the failed open.
        QVERIFY(readFile(path) == bytes);

        // A broken length field is caught even below the recovery point (header walk).
        dir = work("older2");
        path = dir + "/" + segmentName(m_bases[1], ".log");
        bytes = readFile(path);
        size_t j = 0;
        while (m_batches[j].segmentBase != m_bases[1])
            ++j;
        bytes[static_cast<size_t>(m_batches[j + 1].position) + batch::kBatchLength] = 0x7f; // 2nd batch of segment 1
        writeFile(path, bytes);
        log = PartitionLog::open(dir, smallConfig());
        QVERIFY(!log.isOk());
        QVERIFY(log.status().toString().find(segmentName(m_bases[1], ".log")) != std::string::npos);
    }

    void cleanCloseThenReopenSkipsNothing()
    {
        std::string dir = work("clean");
        {
            auto log = PartitionLog::open(dir, smallConfig()).value();
            QVERIFY(log->close().isOk());
        }
        QCOMPARE(readFile(dir + "/recovery-point"), std::to_string(m_batches.back().lastOffset + 1) + "\n");
        // Leftovers of an interrupted retention delete / recovery-point write are cleaned up.
        writeFile(dir + "/" + segmentName(999999, ".index"), "x");
        writeFile(dir + "/recovery-point.tmp", "7");
        {
            auto log = PartitionLog::open(dir, smallConfig());
            QVERIFY(log.isOk());
            QVERIFY(log.value()->close().isOk());
        }
        QVERIFY(!fs::exists(dir + "/" + segmentName(999999, ".index")));
        QVERIFY(!fs::exists(dir + "/recovery-point.tmp"));
        expectPrefix(dir, m_batches.size(), "after clean close");
    }
};

QTEST_GUILESS_MAIN(RecoveryTest)
#include "RecoveryTest.moc"
