#pragma once
// Long-poll fetches that are waiting for data. One timer for the whole set (armed for the
// earliest deadline), an index from partition to waiters, and no busy loop: a waiter is looked
// at again only when one of its partitions gained durable data, or when its time is up.

#include "kafka/server/TopicPartition.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <vector>

namespace skiff::kafka {

class DelayedFetches : public QObject {
    Q_OBJECT
public:
    // Called with expired=false when a watched partition advanced: return true if it answered
    // (enough bytes now). Called with expired=true at the deadline: it must answer.
    using TryComplete = std::function<bool(bool expired)>;

    explicit DelayedFetches(QObject *parent = nullptr);

    void park(std::vector<TopicPartition> partitions, int64_t maxWaitMs, TryComplete tryComplete);
    void notify(const TopicPartition &partition);
    void completeAll();   // shutdown: everyone answers now
    size_t size() const { return m_waiters.size(); }

private:
    struct Waiter {
        uint64_t id = 0;
        std::vector<TopicPartition> partitions;
        int64_t deadlineMs = 0;
        TryComplete tryComplete;
    };
    void remove(uint64_t id);
    void onTimer();
    void rearm();
    int64_t now() const { return m_clock.elapsed(); }

    QElapsedTimer m_clock;
    QTimer m_timer;
    uint64_t m_nextId = 1;
    std::map<uint64_t, Waiter> m_waiters;
    std::multimap<int64_t, uint64_t> m_byDeadline;
    std::map<TopicPartition, std::set<uint64_t>> m_byPartition;
};

} // namespace skiff::kafka
