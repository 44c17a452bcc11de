// The bound on bytes of requests being read (queued.max.request.bytes): bytes count as they come,
// not as announced; past the bound large frames wait and are told when to try again, while small
// frames and the oldest large frame go on; and a frame's bytes stop counting once it ends.
// Then RequestFrame: a buffer that grows with the bytes received, never past the announced size,
// and a huge frame mapped whole whose memory is only the pages written.
#include "kafka/server/RequestFrame.h"
#include "kafka/server/RequestReadBudget.h"

#include <QTest>

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <vector>

using skiff::kafka::ReadBudgetGauges;
using skiff::kafka::RequestFrame;
using skiff::kafka::RequestReadBudget;

namespace {

struct Reader : RequestReadBudget::Reader {
    int wakes = 0;
    void readBudgetAvailable() override { ++wakes; }
};

constexpr int64_t MiB = 1 << 20;

long pageSize() { return sysconf(_SC_PAGESIZE); }

void announce(RequestFrame &frame, int32_t size)
{
    const char bytes[4] = {char(size >> 24), char(size >> 16), char(size >> 8), char(size)};
    std::memcpy(frame.sizeSpace(), bytes, 4);
    frame.sizeReceived(4, std::chrono::steady_clock::now());
}

// As the socket would: room asked for, then written, then counted.
void receive(RequestFrame &frame, size_t bytes, char fill)
{
    std::memset(frame.bodySpace(bytes), fill, bytes);
    frame.bodyReceived(bytes);
}

// How much of the frame's buffer is in memory now (mincore: one flag per page).
size_t residentBytes(const RequestFrame &frame)
{
    const size_t page = size_t(pageSize());
    const size_t pages = (frame.capacity() + page - 1) / page;
    std::vector<unsigned char> flags(pages);
    if (mincore(const_cast<char *>(frame.body().data()), frame.capacity(), flags.data()) != 0)
        qFatal("mincore failed");
    return size_t(std::count_if(flags.begin(), flags.end(), [](unsigned char f) { return f & 1; })) * page;
}

} // namespace

class RequestReadBudgetTest : public QObject {
    Q_OBJECT
private slots:
    void announcedBytesCostNothingUntilReceived()
    {
        ReadBudgetGauges gauges;
        RequestReadBudget budget(10 * MiB, gauges);
        Reader a, b;
        budget.frameStarted(&a, 100 * MiB);
        budget.frameStarted(&b, 100 * MiB);
        QCOMPARE(budget.bytesBeingRead(), int64_t(0));
        // b is not the oldest: it gets what room there is, and no more.
        QCOMPARE(budget.mayRead(&b, 4 * MiB), 4 * MiB);
        budget.received(&b, 4 * MiB);
        QCOMPARE(budget.mayRead(&b, 8 * MiB), 6 * MiB);
        budget.received(&b, 6 * MiB);
        QCOMPARE(gauges.bytesBeingRead.load(), 10 * MiB);
        QCOMPARE(budget.mayRead(&b, 1), int64_t(0));
        QCOMPARE(gauges.pausedConnections.load(), int64_t(1));
        QCOMPARE(gauges.pauses.load(), uint64_t(1));
    }

    void theOldestLargeFrameAndSmallFramesGoOnPastTheBound()
    {
        ReadBudgetGauges gauges;
        RequestReadBudget budget(10 * MiB, gauges);
        Reader oldest, other, small;
        budget.frameStarted(&oldest, 50 * MiB);
        budget.frameStarted(&other, 50 * MiB);
        QCOMPARE(budget.mayRead(&other, 10 * MiB), 10 * MiB);
        budget.received(&other, 10 * MiB);
        QCOMPARE(budget.mayRead(&other, 1), int64_t(0));
        // The oldest finishes past the bound: requests in progress complete one after the other.
        QCOMPARE(budget.mayRead(&oldest, 50 * MiB), 50 * MiB);
        budget.received(&oldest, 50 * MiB);
        budget.frameStarted(&small, RequestReadBudget::kSmallFrameBytes);
        QCOMPARE(budget.mayRead(&small, 1000), int64_t(1000));
        QCOMPARE(budget.bytesBeingRead(), 60 * MiB);
        // The oldest is dispatched: the other becomes the oldest and is told to go on.
        QCOMPARE(other.wakes, 0);
        budget.frameEnded(&oldest);
        QCOMPARE(other.wakes, 1);
        QCOMPARE(gauges.pausedConnections.load(), int64_t(0));
        QCOMPARE(budget.mayRead(&other, 40 * MiB), 40 * MiB);
    }

    void endingAFrameMakesRoomAndWakesTheWaitingOnce()
    {
        ReadBudgetGauges gauges;
        RequestReadBudget budget(10 * MiB, gauges);
        Reader holder, a, b;
        budget.frameStarted(&holder, 20 * MiB);   // the oldest; it holds all the room
        budget.received(&holder, 10 * MiB);
        budget.frameStarted(&a, 1 * MiB);
        budget.frameStarted(&b, 1 * MiB);
        QCOMPARE(budget.mayRead(&a, 1), int64_t(0));
        QCOMPARE(budget.mayRead(&a, 1), int64_t(0));   // asking twice waits once
        QCOMPARE(budget.mayRead(&b, 1), int64_t(0));
        QCOMPARE(gauges.pausedConnections.load(), int64_t(2));
        budget.frameEnded(&holder);   // its connection closed, say
        QCOMPARE(a.wakes, 1);
        QCOMPARE(b.wakes, 1);
        QCOMPARE(budget.bytesBeingRead(), int64_t(0));
        QCOMPARE(budget.mayRead(&a, 1 * MiB), 1 * MiB);
    }

    void aClosedWaitingConnectionIsNotWokenLater()
    {
        ReadBudgetGauges gauges;
        RequestReadBudget budget(1 * MiB, gauges);
        Reader holder, gone;
        budget.frameStarted(&holder, 2 * MiB);
        budget.received(&holder, 1 * MiB);
        budget.frameStarted(&gone, 2 * MiB);
        QCOMPARE(budget.mayRead(&gone, 1), int64_t(0));
        budget.frameEnded(&gone);
        budget.frameEnded(&holder);
        QCOMPARE(gone.wakes, 0);
        QCOMPARE(gauges.pausedConnections.load(), int64_t(0));
    }

    void frameBufferGrowsWithTheBytesAndNeverPastTheAnnouncedSize()
    {
        RequestFrame frame;
        QVERIFY(!frame.started());
        const int32_t announced = 8 * MiB;   // below core::kMmapThresholdBytes: grown through malloc
        announce(frame, announced);
        QCOMPARE(frame.capacity(), size_t(0));   // the announcement alone costs nothing

        receive(frame, 1000, 'x');
        QVERIFY(frame.capacity() < 8192);
        while (frame.bodyReceived() < size_t(6 * MiB)) {
            receive(frame, 64 << 10, 'y');
            QVERIFY(frame.capacity() <= 2 * frame.bodyReceived());
        }
        receive(frame, frame.bodyMissing(), 'z');
        QVERIFY(frame.complete());
        QCOMPARE(frame.capacity(), size_t(announced));   // exactly the announced size
        QCOMPARE(frame.body().front(), 'x');
        QCOMPARE(frame.body()[1000], 'y');
        QCOMPARE(frame.body().back(), 'z');
        frame.reset();
        QCOMPARE(frame.capacity(), size_t(0));   // a large buffer is given back at once
        QVERIFY(!frame.started());
    }

    void aHugeFrameCostsTheBytesReceivedAndNotTheAnnouncedSize()
    {
        RequestFrame frame;
        const char size[4] = {0x05, (char)0xF5, (char)0xE1, 0x00};   // 100,000,000, in two pieces
        std::memcpy(frame.sizeSpace(), size, 2);
        const auto t0 = std::chrono::steady_clock::now();
        frame.sizeReceived(2, t0);
        QVERIFY(frame.started() && !frame.hasSize());
        std::memcpy(frame.sizeSpace(), size + 2, 2);
        frame.sizeReceived(2, t0 + std::chrono::seconds(1));
        QCOMPARE(*frame.startedAt(), t0);   // the first byte, not the last
        QCOMPARE(frame.announcedSize(), int32_t(100000000));
        QCOMPARE(frame.capacity(), size_t(0));

        // Mapped whole at the first body byte: only pages written are memory.
        receive(frame, 1000, 'x');
        QCOMPARE(frame.capacity(), size_t(100000000));
        QVERIFY(residentBytes(frame) <= size_t(pageSize()));
        while (frame.bodyReceived() < 60000000) {
            receive(frame, std::min<size_t>(1 << 20, 60000000 - frame.bodyReceived()), 'y');
            QVERIFY(residentBytes(frame) <= frame.bodyReceived() + size_t(pageSize()));
        }
        QVERIFY(residentBytes(frame) >= size_t(59000000));   // the measure sees what was written
        receive(frame, frame.bodyMissing(), 'z');
        QVERIFY(frame.complete());
        QCOMPARE(frame.body().size(), size_t(100000000));
        QCOMPARE(frame.body().front(), 'x');
        QCOMPARE(frame.body()[1000], 'y');
        QCOMPARE(frame.body().back(), 'z');
        frame.reset();
        QCOMPARE(frame.capacity(), size_t(0));   // unmapped at once
        QVERIFY(!frame.started());

        // The next frame, small, starts from nothing again.
        announce(frame, 10);
        receive(frame, 10, 'a');
        QVERIFY(frame.complete());
        QCOMPARE(frame.capacity(), size_t(10));
    }

    void aSmallFrameBufferIsKeptForTheNextFrame()
    {
        RequestFrame frame;
        const char size[4] = {0, 0, 0, 10};
        std::memcpy(frame.sizeSpace(), size, 4);
        frame.sizeReceived(4, std::chrono::steady_clock::now());
        std::memcpy(frame.bodySpace(10), "0123456789", 10);
        frame.bodyReceived(10);
        QVERIFY(frame.complete());
        QCOMPARE(frame.body(), std::string_view("0123456789"));
        frame.reset();
        QCOMPARE(frame.capacity(), size_t(10));
    }
};

QTEST_GUILESS_MAIN(RequestReadBudgetTest)
#include "RequestReadBudgetTest.moc"
