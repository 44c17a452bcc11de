#include "metadata.pb.h"
#include "metadata/MetadataController.h"
#include "metadata/MetadataJournal.h"
#include "raft.pb.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <filesystem>
#include <fstream>

using namespace skiff;
using namespace skiff::metadata;

namespace {

raft::Entry entry(uint64_t index, const std::string &topic)
{
    Command c;
    c.mutable_create_topic()->set_name(topic);
    c.mutable_create_topic()->add_partitions()->add_replicas(1);
    raft::Entry e;
    e.set_index(index);
    e.set_term(1);
    e.set_type(raft::ENTRY_NORMAL);
    e.set_data(c.SerializeAsString());
    return e;
}

std::string readAll(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

void writeAll(const std::string &path, const std::string &data)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << data;
}

} // namespace

class MetadataJournalTest : public QObject {
    Q_OBJECT
private slots:
    void appendAndReplay()
    {
        QTemporaryDir dir;
        const std::string path = (dir.path() + "/journal.log").toStdString();
        {
            MetadataJournal j;
            QVERIFY(j.open(path)->empty());
            for (uint64_t i = 1; i <= 5; ++i)
                QVERIFY(j.append(entry(i, "t" + std::to_string(i))).isOk());
        }
        MetadataJournal j;
        auto entries = j.open(path);
        QVERIFY(entries.isOk());
        QCOMPARE(entries->size(), size_t(5));
        QCOMPARE(entries->back().index(), 5u);
    }

    void tornTailAtEveryByteIsTruncatedToThePrefix()
    {
        QTemporaryDir dir;
        const std::string path = (dir.path() + "/journal.log").toStdString();
        {
            MetadataJournal j;
            QVERIFY(j.open(path).isOk());
            for (uint64_t i = 1; i <= 3; ++i)
                QVERIFY(j.append(entry(i, "topic")).isOk());
        }
        const std::string full = readAll(path);
        const size_t recordSize = full.size() / 3;
        for (size_t cut = 2 * recordSize; cut < full.size(); ++cut) {
            writeAll(path, full.substr(0, cut));
            MetadataJournal j;
            auto entries = j.open(path);
            QVERIFY2(entries.isOk(), entries.status().toString().c_str());
            QCOMPARE(entries->size(), size_t(2));
            QCOMPARE(std::filesystem::file_size(path), 2 * recordSize);   // tail truncated
            QVERIFY(j.append(entry(3, "again")).isOk());   // and the log goes on
        }
    }

    void damageInTheMiddleIsRefused()
    {
        QTemporaryDir dir;
        const std::string path = (dir.path() + "/journal.log").toStdString();
        {
            MetadataJournal j;
            QVERIFY(j.open(path).isOk());
            for (uint64_t i = 1; i <= 3; ++i)
                QVERIFY(j.append(entry(i, "topic")).isOk());
        }
        std::string data = readAll(path);
        data[12] ^= 0x40;   // inside the first record's payload
        writeAll(path, data);
        MetadataJournal j;
        auto entries = j.open(path);
        QVERIFY(!entries.isOk());
        QCOMPARE(entries.status().code(), StatusCode::Corruption);
        QVERIFY(QString::fromStdString(entries.status().message()).contains("damaged record at byte 0"));
    }

    // The predecessor decoded configuration-change entries as metadata commands. Here an entry of
    // any type but NORMAL stops the replay, naming index and type.
    void controllerRefusesAnEntryOfAnotherType()
    {
        QTemporaryDir dir;
        const std::string path = (dir.path() + "/journal.log").toStdString();
        {
            MetadataJournal j;
            QVERIFY(j.open(path).isOk());
            QVERIFY(j.append(entry(1, "ok")).isOk());
            raft::Entry conf = entry(2, "looks-like-a-command");
            conf.set_type(raft::ENTRY_CONF_CHANGE);
            QVERIFY(j.append(conf).isOk());
        }
        MetadataController controller(1, path);
        QSignalSpy failed(&controller, &MetadataController::failed);
        QSignalSpy ready(&controller, &MetadataController::ready);
        controller.start();
        QCOMPARE(ready.count(), 0);
        QCOMPARE(failed.count(), 1);
        const QString reason = failed.at(0).at(0).toString();
        QVERIFY2(reason.contains("entry 2 has type 2"), qPrintable(reason));
        QVERIFY(!controller.image()->topic("looks-like-a-command"));
    }

    // InitProducerId hands out ids from blocks allocated through the log: a restarted node must
    // never hand out an id it handed out before.
    void producerIdBlocksAreNeverReusedAfterRestart()
    {
        QTemporaryDir dir;
        const std::string path = (dir.path() + "/journal.log").toStdString();
        Command alloc;
        alloc.mutable_allocate_producer_ids()->set_broker_id(1);
        alloc.mutable_allocate_producer_ids()->set_count(1000);
        // Returns 0 when the allocation failed or never answered (the QCOMPAREs then fail).
        auto allocate = [&](MetadataController &controller) -> uint64_t {
            uint64_t first = 0;
            bool done = false;
            controller.submit(alloc, this, [&](ApplyResult r) {
                first = r.status.isOk() ? r.value : 0;
                done = true;
            });
            for (int i = 0; i < 500 && !done; ++i)
                QTest::qWait(10);
            return first;
        };
        uint64_t before = 0;
        {
            MetadataController controller(1, path);
            controller.start();
            before = allocate(controller);
            QVERIFY(before != 0);
        }
        MetadataController restarted(1, path);
        restarted.start();
        QCOMPARE(allocate(restarted), before + 1000);
    }

    void controllerAppliesOnItsThreadAndAnswersOnTheCallers()
    {
        QTemporaryDir dir;
        const std::string path = (dir.path() + "/journal.log").toStdString();
        QThread thread;
        thread.setObjectName("metadata");
        auto *controller = new MetadataController(1, path);
        controller->moveToThread(&thread);
        connect(&thread, &QThread::finished, controller, &QObject::deleteLater);
        QSignalSpy ready(controller, &MetadataController::ready);
        thread.start();
        QMetaObject::invokeMethod(controller, &MetadataController::start, Qt::QueuedConnection);
        QTRY_COMPARE(ready.count(), 1);

        QThread *answeredOn = nullptr;
        bool ok = false;
        Command c;
        c.mutable_create_topic()->set_name("x");
        c.mutable_create_topic()->add_partitions()->add_replicas(1);
        controller->submit(c, this, [&](ApplyResult r) {
            answeredOn = QThread::currentThread();
            ok = r.status.isOk();
        });
        QTRY_VERIFY(answeredOn != nullptr);
        QCOMPARE(answeredOn, QThread::currentThread());
        QVERIFY(ok);
        // By the time the proposer hears back, the image it can read already has the topic.
        QVERIFY(controller->image()->topic("x"));
        QCOMPARE(controller->image()->controllerId, 1u);
        thread.quit();
        thread.wait();

        MetadataController reopened(1, path);
        reopened.start();
        QVERIFY(reopened.image()->topic("x"));
    }
};

QTEST_GUILESS_MAIN(MetadataJournalTest)
#include "MetadataJournalTest.moc"
