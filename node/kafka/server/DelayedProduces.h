#pragma once
// acks=all produces waiting for the high watermark: each waits for one partition's HW to reach
// the end of what it appended, until its timeout. Answered with None when reached, with the
// error the caller gives when the partition cannot get there any more (leadership lost: NOT_LEADER_
// OR_FOLLOWER; ISR below min.insync.replicas: NOT_ENOUGH_REPLICAS_AFTER_APPEND), and with
// REQUEST_TIMED_OUT at the deadline. One timer for all, armed for the earliest deadline.

#include "kafka/server/TopicPartition.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <functional>
#include <map>

namespace skiff::kafka {

enum class ErrorCode : int16_t;

class DelayedProduces : public QObject {
    Q_OBJECT
public:
    using Done = std::function<void(ErrorCode)>;

    explicit DelayedProduces(QObject *parent = nullptr);

    void park(const TopicPartition &tp, int64_t offset, int64_t timeoutMs, Done done);
    // The partition's HW is now `highWatermark`: those that reached it are answered.
    void reached(const TopicPartition &tp, int64_t highWatermark);
    // Every waiter of the partition is answered with `error`.
    void failAll(const TopicPartition &tp, ErrorCode error);
    void failEverything(ErrorCode error);
    size_t size() const { return m_byId.size(); }

private:
    struct Waiter {
        TopicPartition tp;
        int64_t offset = 0;
        int64_t deadlineMs = 0;
        Done done;
    };
    void finish(uint64_t id, ErrorCode error);
    void onTimer();
    void rearm();
    int64_t now() const { return m_clock.elapsed(); }

    QElapsedTimer m_clock;
    QTimer m_timer;
    uint64_t m_nextId = 1;
    std::map<uint64_t, Waiter> m_byId;
    std::multimap<int64_t, uint64_t> m_byDeadline;
    std::map<TopicPartition, std::multimap<int64_t, uint64_t>> m_byPartition;   // by offset
};

} // namespace skiff::kafka
