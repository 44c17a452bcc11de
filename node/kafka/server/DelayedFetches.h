#pragma once
// Long-poll fetches that are waiting for data. An index from partition to waiters, deadlines on
// one timer (Deadlines), and no busy loop: a waiter is looked at again only when one of its
// partitions gained durable data, or when its time is up.

#include "kafka/server/Deadlines.h"
#include "kafka/server/TopicPartition.h"

#include <QObject>

#include <functional>
#include <map>
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
        std::vector<TopicPartition> partitions;
        TryComplete tryComplete;
    };
    void remove(uint64_t id);
    void expire(uint64_t id);

    Deadlines m_deadlines;   // ids of waiters
    std::map<uint64_t, Waiter> m_waiters;
    std::map<TopicPartition, std::set<uint64_t>> m_byPartition;
};

} // namespace skiff::kafka
