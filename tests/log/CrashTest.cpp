// Real kill -9: a child process appends and syncs, reporting each durable end offset through a
// pipe; the parent kills it at an arbitrary moment and checks that recovery keeps every
// reported batch, that all kept batches are intact, and that appending continues correctly.

#include "LogTestUtil.h"

#include "log/PartitionLog.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>
#include <sys/wait.h>
#include <unistd.h>

using namespace skiff::log;
using namespace skiff::log::test;

namespace {

LogConfig crashConfig()
{
    LogConfig cfg;
    cfg.segmentBytes = 1 << 20;
    cfg.indexIntervalBytes = 1024;
    return cfg;
}

// Child: never returns. Batch baseTimestamp = the offset it expects, so the parent can check
// every recovered batch sits where it was written.
[[noreturn]] void childMain(const std::string &dir, int reportFd)
{
    auto opened = PartitionLog::open(dir, crashConfig());
    if (!opened)
        _exit(2);
    auto log = opened.value();
    for (int i = 0;; ++i) {
        RecordBatchBuilder b;
        b.add("k", std::string(static_cast<size_t>(100 + (i * 7919) % 200000), 'v'), log->logEndOffset());
        if (!log->append(b.build(), 0).isOk())
            _exit(3);
        if (i % 3 == 2) {
            if (!log->sync().isOk())
                _exit(4);
            int64_t durable = log->durableEndOffset();
            if (::write(reportFd, &durable, sizeof durable) != sizeof durable)
                _exit(5);
        }
    }
}

} // namespace

class CrashTest : public QObject {
    Q_OBJECT
private slots:
    void killNineAtArbitraryMoments()
    {
        QTemporaryDir tmp{QDir("/dev/shm").exists() ? QStringLiteral("/dev/shm/skiff-log-crash-XXXXXX")
                                                    : QDir::tempPath() + "/skiff-log-crash-XXXXXX"};
        std::string dir = tmp.path().toStdString() + "/t-0";
        int64_t previousEnd = 0;
        for (int round = 0; round < 8; ++round) {
            int fds[2];
            QVERIFY(::pipe(fds) == 0);
            pid_t pid = ::fork();
            QVERIFY(pid >= 0);
            if (pid == 0) {
                ::close(fds[0]);
                childMain(dir, fds[1]);
            }
            ::close(fds[1]);
            int64_t durable = -1;
            int reports = 0;
            const int wanted = 5 + round * 7;
            while (reports < wanted && ::read(fds[0], &durable, sizeof durable) == sizeof durable)
                ++reports;
            ::kill(pid, SIGKILL);
            int status = 0;
            ::waitpid(pid, &status, 0);
            ::close(fds[0]);
            QVERIFY2(WIFSIGNALED(status), qPrintable(QString("child exited with %1").arg(WEXITSTATUS(status))));
            QCOMPARE(reports, wanted);

            auto log = PartitionLog::open(dir, crashConfig());
            QVERIFY2(log.isOk(), log.status().toString().c_str());
            int64_t end = log.value()->logEndOffset();
            QVERIFY2(end >= durable, qPrintable(QString("round %1: end %2 < durable %3").arg(round).arg(end).arg(durable)));
            QVERIFY(end >= previousEnd);
            auto all = log.value()->read(0, 1LL << 40);
            QVERIFY(all.isOk());
            auto v = validateBatches(all->records, 1 << 30);
            QVERIFY2(v.isOk(), v.message.c_str());
            int64_t expect = 0;
            for (const auto &b : v.batches) {
                QCOMPARE(b.header.baseOffset, expect);
                QCOMPARE(b.header.baseTimestamp, expect);
                expect = b.header.lastOffset() + 1;
            }
            QCOMPARE(expect, end);
            qInfo("round %d: durable %lld, recovered %lld batches in %zu segments", round,
                  static_cast<long long>(durable), static_cast<long long>(end), log.value()->segmentCount());
            previousEnd = end;
            // Drop without close(): the next child opens after a "crash" of the parent as well.
        }
    }
};

QTEST_GUILESS_MAIN(CrashTest)
#include "CrashTest.moc"
