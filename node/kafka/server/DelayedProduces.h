#pragma once
// acks=all produces waiting for the high watermark: each waits for one partition's HW to reach
// the end of what it appended, until its timeout. Answered with None when reached, with the
// error the caller gives when the partition cannot get there any more (leadership lost: NOT_LEADER_
// OR_FOLLOWER; ISR below min.insync.replicas: NOT_ENOUGH_REPLICAS_AFTER_APPEND), and with
// REQUEST_TIMED_OUT at the deadline (Deadlines: one timer for all).

#include "kafka/server/Deadlines.h"
#include "kafka/server/TopicPartition.h"

#include <QObject>

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
        Done done;
    };
    void finish(uint64_t id, ErrorCode error);
    void finishEach(std::vector<uint64_t> ids, ErrorCode error);

    Deadlines m_deadlines;   // ids of waiters
    std::map<uint64_t, Waiter> m_byId;
    std::map<TopicPartition, std::multimap<int64_t, uint64_t>> m_byPartition;   // by offset
};

} // namespace skiff::kafka
