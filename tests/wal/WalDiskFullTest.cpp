// A full filesystem under the WAL: writes are refused as Unavailable (isDiskFull), nothing in
// the WAL changes, and the same appends succeed once space returns, before and across a segment
// roll; what was written survives a reopen whole and once. The WAL lives on a small tmpfs this
// test mounts (it needs root, as the fault bed does; CI runs as root).
#include "WalTestUtil.h"
#include "wal/SegmentFile.h"

#include <QTemporaryDir>
#include <QTest>
#include <cerrno>
#include <cstdio>
#include <string>
#include <sys/mount.h>
#include <unistd.h>

using namespace skiff;
using namespace skiff::wal;
using namespace skiff::wal::test;

class WalDiskFullTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_tmp;
    std::string m_mount;
    std::string m_filler;
    int m_n = 0;
    std::string freshDir() { return m_mount + "/w" + std::to_string(++m_n); }

    // Writes a file until the filesystem has no byte left.
    void fill()
    {
        FILE *f = std::fopen(m_filler.c_str(), "wb");
        QVERIFY(f);
        std::setvbuf(f, nullptr, _IONBF, 0);
        const std::string block(4096, 'x');
        for (size_t size : {size_t(4096), size_t(1)})
            while (std::fwrite(block.data(), 1, size, f) == size) {
            }
        QCOMPARE(errno, ENOSPC);
        std::fclose(f);
    }
    void freeSpace() { QCOMPARE(::unlink(m_filler.c_str()), 0); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        if (::geteuid() != 0)
            QFAIL("test_wal_disk_full mounts a 1 MiB tmpfs: run it as root (CI does)");
        m_mount = m_tmp.path().toStdString() + "/small";
        QVERIFY(QDir().mkpath(QString::fromStdString(m_mount)));
        QVERIFY2(::mount("tmpfs", m_mount.c_str(), "tmpfs", 0, "size=1m") == 0, std::strerror(errno));
        m_filler = m_mount + "/filler";
    }
    void cleanupTestCase()
    {
        if (!m_mount.empty())
            ::umount2(m_mount.c_str(), MNT_DETACH);
    }

    void appendRefusedWhileFullThenRetriedOnce()
    {
        const std::string dir = freshDir();
        {
            auto wal = openOrFail(dir);
            QVERIFY(wal);
            QVERIFY(wal->append(entries(1, 10, 1)).isOk());
            QVERIFY(wal->sync().isOk());
            fill();
            const raft::HardState hs = hardState(2, 1, 10);
            // Large enough not to fit in the segment's last partly used page.
            Status refused = wal->append(entries(11, 200, 2), &hs);
            QVERIFY2(isDiskFull(refused), refused.toString().c_str());
            QVERIFY(refused.message().find("No space left") != std::string::npos);
            QCOMPARE(wal->lastIndex(), uint64_t(10));   // nothing taken
            QVERIFY(isDiskFull(wal->append(entries(11, 200, 2), &hs)));   // still full: same answer
            freeSpace();
            QVERIFY(wal->append(entries(11, 200, 2), &hs).isOk());
            QVERIFY(wal->sync().isOk());
            QCOMPARE(wal->durableIndex(), uint64_t(200));
        }
        auto wal = openOrFail(dir);
        QVERIFY(wal);
        RecoveredState st = wal->takeRecovered();
        QVERIFY(indexes(st.entries) == range(1, 200));
        QCOMPARE(st.entries[150].data(), entry(151, 2).data());
        QCOMPARE(st.hardState.term(), uint64_t(2));
    }

    void rollRefusedWhileFullThenDone()
    {
        const std::string dir = freshDir();
        WalOptions options;
        options.segmentBytes = 4096;
        {
            auto opened = Wal::open(dir, options);
            QVERIFY(opened.isOk());
            auto wal = std::move(opened.value());
            QVERIFY(wal->append(entries(1, 30, 1, 200)).isOk());
            const size_t segments = wal->segmentCount();
            fill();
            Status refused = wal->append(entries(31, 60, 1, 200));   // does not fit: a roll first
            QVERIFY2(isDiskFull(refused), refused.toString().c_str());
            QCOMPARE(wal->segmentCount(), segments);   // the new segment was not left behind
            freeSpace();
            QVERIFY(wal->append(entries(31, 60, 1, 200)).isOk());
            QVERIFY(wal->sync().isOk());
            QVERIFY(wal->segmentCount() > segments);
        }
        auto reopened = Wal::open(dir, options);
        QVERIFY(reopened.isOk());
        QVERIFY(indexes(reopened.value()->takeRecovered().entries) == range(1, 60));
    }
};

QTEST_GUILESS_MAIN(WalDiskFullTest)
#include "WalDiskFullTest.moc"
