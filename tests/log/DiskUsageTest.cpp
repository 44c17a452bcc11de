// The file systems a node reports (log/DiskUsage.h): the data directory always, the metadata
// WAL's directory only when it lives on another file system (here: a symlink into /dev/shm, a
// tmpfs, from a data directory under the system's temporary directory).
#include "log/DiskUsage.h"
#include "log/LogManager.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace skiff::log;

class DiskUsageTest : public QObject {
    Q_OBJECT
private slots:
    void dataDirectoryWithTheLogsSize()
    {
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkpath(kMetadataDirName));
        const auto disks = diskUsage(dir.path().toStdString(), 12345);
        QCOMPARE(disks.size(), size_t(1));   // metadata on the same file system: one row says it
        QCOMPARE(disks[0].role, std::string("data"));
        QCOMPARE(disks[0].path, dir.path().toStdString());
        QCOMPARE(disks[0].partitionLogBytes, uint64_t(12345));
        QVERIFY(disks[0].totalBytes > 0);
        QVERIFY(disks[0].availableBytes > 0 && disks[0].availableBytes <= disks[0].totalBytes);
    }

    void metadataOnAnotherFileSystemGetsItsOwnRow()
    {
        QTemporaryDir data;
        QTemporaryDir elsewhere(QStringLiteral("/dev/shm/skiff-disk-test-XXXXXX"));
        QVERIFY2(elsewhere.isValid(), "needs a writable /dev/shm (tmpfs) for a second file system");
        struct stat a {}, b {};
        QVERIFY(::stat(data.path().toLocal8Bit().constData(), &a) == 0);
        QVERIFY(::stat(elsewhere.path().toLocal8Bit().constData(), &b) == 0);
        QVERIFY2(a.st_dev != b.st_dev, "the temporary directory and /dev/shm are one file system here");
        QVERIFY(QFile::link(elsewhere.path(), data.path() + "/" + kMetadataDirName));

        const auto disks = diskUsage(data.path().toStdString(), 7);
        QCOMPARE(disks.size(), size_t(2));
        QCOMPARE(disks[0].role, std::string("data"));
        QCOMPARE(disks[1].role, std::string("metadata"));
        QCOMPARE(disks[1].path, data.path().toStdString() + "/" + kMetadataDirName);
        QCOMPARE(disks[1].partitionLogBytes, uint64_t(0));
        QVERIFY(disks[1].totalBytes > 0 && disks[1].availableBytes > 0);
    }

    void aMissingDirectoryIsLeftOut()
    {
        QVERIFY(diskUsage("/nonexistent/skiff-data", 0).empty());
    }
};

QTEST_APPLESS_MAIN(DiskUsageTest)
#include "DiskUsageTest.moc"
