#pragma once
// Many deadlines, one timer: ids that expire at a time, with the timer armed for the earliest.
// The waiting rooms of the Kafka thread (long-poll fetches, acks=all produces) keep their
// waiters by the id this hands out and learn here when one's time is up. Kafka thread only.

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <cstdint>
#include <functional>
#include <map>

namespace skiff::kafka {

class Deadlines : public QObject {
    Q_OBJECT
public:
    // Called once per expired id, already removed; it may add and remove ids.
    using Expire = std::function<void(uint64_t id)>;

    explicit Deadlines(Expire expire, QObject *parent = nullptr);

    // A new id that expires `timeoutMs` from now (at once, on the next timer turn, if <= 0).
    uint64_t add(int64_t timeoutMs);
    // Forgets `id` (unknown or already expired: nothing happens).
    void remove(uint64_t id);
    size_t size() const { return m_deadlineOf.size(); }

private:
    void onTimer();
    void rearm();
    int64_t now() const { return m_clock.elapsed(); }

    const Expire m_expire;
    QElapsedTimer m_clock;
    QTimer m_timer;
    uint64_t m_nextId = 1;
    std::map<uint64_t, int64_t> m_deadlineOf;
    std::multimap<int64_t, uint64_t> m_byDeadline;
};

} // namespace skiff::kafka
