// The bounded cache of open segment files: many partitions through few descriptors, counted in
// /proc/self/fd (what the kernel holds, not what the cache believes), and never a descriptor
// closed while it carries data no fdatasync has covered yet.
#include "LogTestUtil.h"

#include "log/FileHandleCache.h"
#include "log/LogManager.h"
#include "log/PartitionLog.h"

#include <QTemporaryDir>
#include <QTest>

#include <filesystem>
#include <sys/resource.h>
#include <unistd.h>

using namespace skiff::log;
using namespace skiff::log::test;

namespace {

namespace fs = std::filesystem;

// Segment files (.log, .index, .timeindex) under `dir` this process has open, by path.
std::vector<std::string> openSegmentFiles(const std::string &dir)
{
    std::vector<std::string> out;
    for (const auto &entry : fs::directory_iterator("/proc/self/fd")) {
        std::error_code ec;
        const fs::path target = fs::read_symlink(entry.path(), ec);
        if (ec)
            continue;
        const std::string t = target.string();
        const std::string ext = target.extension().string();
        if (t.rfind(dir, 0) == 0 && (ext == ".log" || ext == ".index" || ext == ".timeindex"))
            out.push_back(t);
    }
    return out;
}

bool isOpen(const std::string &dir, const std::string &path)
{
    const auto open = openSegmentFiles(dir);
    return std::find(open.begin(), open.end(), path) != open.end();
}

std::string stored(const std::string &batch, int64_t baseOffset)
{
    std::string b = batch;
    setBaseOffset(b.data(), baseOffset);
    setPartitionLeaderEpoch(b.data(), 0); // append() writes in epoch 0 when the log has none
    return b;
}

} // namespace

class FileHandleCacheTest : public QObject {
    Q_OBJECT
private slots:
    void thousandPartitionsThroughFiftyDescriptors()
    {
        QTemporaryDir tmp;
        const std::string dir = fs::canonical(tmp.path().toStdString()).string();
        constexpr int kPartitions = 1000;
        constexpr size_t kCapacity = 50;
        auto files = std::make_shared<FileHandleCache>(kCapacity);
        std::vector<std::string> written(kPartitions);
        size_t mostOpen = 0;
        {
            LogManager logs(dir, LogConfig{}, files);
            QVERIFY(logs.open().isOk());
            for (int p = 0; p < kPartitions; ++p) {
                auto log = logs.createPartition("t", p, LogConfig{});
                QVERIFY2(log.isOk(), log.status().toString().c_str());
                const std::string batch = makeBatch(1 + p % 3, 1000 + p);
                auto r = log.value()->append(batch, 5000);
                QVERIFY2(r.isOk(), r.message.c_str());
                written[size_t(p)] = stored(batch, r.baseOffset);
                QVERIFY(log.value()->sync().isOk());   // what the group committer does after each append
                QCOMPARE(log.value()->durableEndOffset(), log.value()->logEndOffset());
                mostOpen = std::max(mostOpen, openSegmentFiles(dir).size());
            }
            QVERIFY2(mostOpen <= kCapacity, qPrintable(QStringLiteral("%1 segment files open").arg(mostOpen)));
            QVERIFY(files->evictions() > 0);   // 3,000 files went through 50 descriptors

            // Every partition reads back what was written (evicted files are opened again) and
            // takes another append at the right offset.
            for (int p = 0; p < kPartitions; ++p) {
                auto log = logs.partition("t", p);
                auto read = log->read(0, 1 << 20);
                QVERIFY2(read.isOk(), read.status().toString().c_str());
                QVERIFY(read->records == written[size_t(p)]);
                const std::string batch = makeBatch(2, 9000 + p);
                auto r = log->append(batch, 6000);
                QVERIFY2(r.isOk(), r.message.c_str());
                QCOMPARE(r.baseOffset, int64_t(1 + p % 3));
                written[size_t(p)] += stored(batch, r.baseOffset);
                QVERIFY(log->sync().isOk());
                mostOpen = std::max(mostOpen, openSegmentFiles(dir).size());
            }
            QVERIFY2(mostOpen <= kCapacity, qPrintable(QStringLiteral("%1 segment files open").arg(mostOpen)));
            QVERIFY(logs.closeAll().isOk());
        }
        QCOMPARE(openSegmentFiles(dir).size(), size_t(0));

        // Recovery of all of them goes through the cache too.
        auto again = std::make_shared<FileHandleCache>(kCapacity);
        LogManager logs(dir, LogConfig{}, again);
        QVERIFY(logs.open().isOk());
        QVERIFY(openSegmentFiles(dir).size() <= kCapacity);
        QCOMPARE(logs.partitions().size(), size_t(kPartitions));
        for (int p = 0; p < kPartitions; ++p) {
            auto read = logs.partition("t", p)->read(0, 1 << 20);
            QVERIFY2(read.isOk(), read.status().toString().c_str());
            QVERIFY(read->records == written[size_t(p)]);
        }
        QVERIFY(openSegmentFiles(dir).size() <= kCapacity);
    }

    void unsyncedLogStaysOpenUntilSynced()
    {
        QTemporaryDir tmp;
        const std::string dir = fs::canonical(tmp.path().toStdString()).string();
        auto files = std::make_shared<FileHandleCache>(3);
        LogManager logs(dir, LogConfig{}, files);
        QVERIFY(logs.open().isOk());
        auto dirty = logs.createPartition("dirty", 0, LogConfig{}).value();
        const std::string batch = makeBatch(5, 1000);
        QVERIFY(dirty->append(batch, 5000).isOk());
        QVERIFY(dirty->needsSync());
        const std::string dirtyLog = dir + "/dirty-0/" + segmentName(0, ".log");

        // Plenty of other files pass through the cache; the unsynced one is least recently used
        // but must not be closed: its data is acknowledged only after an fdatasync through it.
        for (int p = 0; p < 20; ++p) {
            auto other = logs.createPartition("other", p, LogConfig{}).value();
            QVERIFY(other->append(makeBatch(1, 1000), 5000).isOk());
            QVERIFY(other->sync().isOk());
        }
        QVERIFY(files->evictions() > 0);
        QVERIFY2(isOpen(dir, dirtyLog), "the log with unsynced data was closed before its sync");
        QVERIFY(files->openCount() <= 4);   // the capacity plus the one pinned file

        int fsyncs = 0;
        QVERIFY(dirty->sync(&fsyncs).isOk());
        QCOMPARE(fsyncs, 1);
        QCOMPARE(dirty->durableEndOffset(), int64_t(5));
        // Synced and released: now it goes like any other least recently used file.
        auto later = logs.createPartition("later", 0, LogConfig{}).value();
        QVERIFY(later->append(makeBatch(1, 1000), 5000).isOk());
        QVERIFY(later->sync().isOk());
        QVERIFY2(!isOpen(dir, dirtyLog), "a synced, least recently used log stays open past the capacity");
        QVERIFY(files->openCount() <= 3);

        auto read = dirty->read(0, 1 << 20);
        QVERIFY(read.isOk());
        QVERIFY(read->records == stored(batch, 0));
        QVERIFY(!dirty->needsSync());
    }

    void oldSegmentsAreReopenedForFetches()
    {
        QTemporaryDir tmp;
        const std::string dir = fs::canonical(tmp.path().toStdString()).string();
        auto files = std::make_shared<FileHandleCache>(4);
        LogConfig config;
        config.segmentBytes = 300;   // a few batches per segment
        auto log = PartitionLog::open(dir + "/t-0", config, files).value();
        std::string all;
        for (int i = 0; i < 40; ++i) {
            const std::string batch = makeBatch(2, 1000 + i, 40);
            auto r = log->append(batch, 5000 + i);
            QVERIFY2(r.isOk(), r.message.c_str());
            all += stored(batch, r.baseOffset);
            QVERIFY(log->sync().isOk());
        }
        QVERIFY(log->segmentCount() >= 10);
        QVERIFY(openSegmentFiles(dir).size() <= 4);
        // The whole log, oldest segment first: each is opened again, read and let go.
        auto read = log->read(0, 1 << 20);
        QVERIFY2(read.isOk(), read.status().toString().c_str());
        QVERIFY(read->records == all);
        QVERIFY(openSegmentFiles(dir).size() <= 4);
        auto found = log->offsetForTimestamp(1005);   // batch 4 holds timestamps 1004 and 1005
        QVERIFY(found.isOk());
        QCOMPARE(found->offset, int64_t(9));
        QVERIFY(log->close().isOk());
    }

    void outOfDescriptorsClosesCachedFilesAndRetries()
    {
        QTemporaryDir tmp;
        const std::string dir = fs::canonical(tmp.path().toStdString()).string();
        auto files = std::make_shared<FileHandleCache>(10000);   // far above what the process may open
        std::vector<std::unique_ptr<CachedFile>> cached;
        for (int i = 0; i < 30; ++i) {
            cached.push_back(std::make_unique<CachedFile>(files, dir + "/" + segmentName(i, ".log")));
            QVERIFY(cached.back()->create(false).isOk());
        }
        QCOMPARE(files->openCount(), size_t(30));

        // Let the process have no descriptor left (the limit at the highest in use, every gap
        // below it taken), then ask for one more file.
        rlimit saved {};
        QCOMPARE(::getrlimit(RLIMIT_NOFILE, &saved), 0);
        int highest = 0;
        for (const auto &entry : fs::directory_iterator("/proc/self/fd"))
            highest = std::max(highest, std::stoi(entry.path().filename().string()));
        rlimit tight = saved;
        tight.rlim_cur = rlim_t(highest + 1);
        QCOMPARE(::setrlimit(RLIMIT_NOFILE, &tight), 0);
        std::vector<int> fillers;
        for (int fd; (fd = ::dup(0)) >= 0;)
            fillers.push_back(fd);
        const int dupErrno = errno;
        CachedFile extra(files, dir + "/extra.log");
        auto opened = extra.create(false);
        for (int fd : fillers)
            ::close(fd);
        QCOMPARE(::setrlimit(RLIMIT_NOFILE, &saved), 0);
        QCOMPARE(dupErrno, EMFILE);
        QVERIFY2(opened.isOk(), opened.status().toString().c_str());
        QCOMPARE(files->evictions(), uint64_t(15));   // half of what it held went back
        QCOMPARE(files->openCount(), size_t(16));
        QVERIFY(extra.isOpen());
        // The closed ones open again on their next use.
        QVERIFY(!cached.front()->isOpen());
        QVERIFY(cached.front()->get().isOk());
    }

    void capacityIsHalfTheFileLimit()
    {
        QCOMPARE(FileHandleCache::capacityForFileLimit(20000), size_t(10000));
        QCOMPARE(FileHandleCache::capacityForFileLimit(256), size_t(128));
        QCOMPARE(FileHandleCache::capacityForFileLimit(10), size_t(16));
        QCOMPARE(FileHandleCache::capacityForFileLimit(RLIM_INFINITY), size_t(1) << 19);
    }
};

QTEST_GUILESS_MAIN(FileHandleCacheTest)
#include "FileHandleCacheTest.moc"
