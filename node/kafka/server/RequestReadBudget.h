#pragma once
// The bound on the bytes of Kafka requests being read, all connections of the listener together
// (queued.max.request.bytes). Bytes count as they are received, not as announced, and stop
// counting once their frame is dispatched or its connection closes. Past the bound a connection
// is not given more bytes of a request body: it stops reading its socket (TCP pushes back on the
// client; nothing is closed) and is told when to try again. Two kinds of frames go on regardless:
//  - frames of at most kSmallFrameBytes, so Metadata, ApiVersions, heartbeats, commits, fetches
//    and small produces are served however full the bound is;
//  - the oldest large frame in progress, so requests being read always finish one after the
//    other instead of all waiting for each other's room until socket.request.timeout.ms.
// So the bytes held never exceed the bound plus one frame (socket.request.max.bytes) plus
// kSmallFrameBytes per connection. Kafka thread only; the gauges can be read from any thread.

#include <atomic>
#include <cstdint>
#include <map>
#include <set>
#include <unordered_map>

namespace skiff::kafka {

struct ReadBudgetGauges {
    std::atomic<int64_t> bytesBeingRead{0};
    std::atomic<int64_t> pausedConnections{0};
    std::atomic<uint64_t> pauses{0};
};

class RequestReadBudget {
public:
    static constexpr int64_t kSmallFrameBytes = 64 << 10;

    // A connection reading frames. Told (once per refusal) when it may try again.
    class Reader {
    public:
        virtual void readBudgetAvailable() = 0;

    protected:
        ~Reader() = default;
    };

    RequestReadBudget(int64_t limit, ReadBudgetGauges &gauges);

    // `reader` starts reading the body of a frame of `size` bytes (its size bytes are in).
    void frameStarted(Reader *reader, int64_t size);
    // How many of the next `wanted` bytes of its frame `reader` may read now. 0: none, and
    // `reader` hears readBudgetAvailable() once there may be room.
    int64_t mayRead(Reader *reader, int64_t wanted);
    void received(Reader *reader, int64_t bytes);
    // Its frame is dispatched, or its connection closes: its bytes no longer count.
    void frameEnded(Reader *reader);

    int64_t limit() const { return m_limit; }
    int64_t bytesBeingRead() const { return m_bytes; }

private:
    struct Frame {
        uint64_t sequence = 0;   // start order: the smallest large one is the oldest
        int64_t size = 0;
        int64_t received = 0;
    };
    bool isOldestLarge(const Reader *reader, const Frame &frame) const;
    void wakeWaiting();

    const int64_t m_limit;
    ReadBudgetGauges &m_gauges;
    int64_t m_bytes = 0;
    uint64_t m_nextSequence = 1;
    std::unordered_map<Reader *, Frame> m_frames;
    std::map<uint64_t, Reader *> m_largeByAge;
    std::set<Reader *> m_waiting;
};

} // namespace skiff::kafka
