#include "kafka/server/Deadlines.h"

#include <algorithm>

namespace skiff::kafka {

namespace {
// QTimer takes an int of milliseconds; a day is as good as forever for a request's deadline.
constexpr int64_t kLongestArm = 24 * 3600 * 1000;
} // namespace

Deadlines::Deadlines(Expire expire, QObject *parent) : QObject(parent), m_expire(std::move(expire))
{
    m_clock.start();
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);   // a fetch's max wait is a promise to the client
    connect(&m_timer, &QTimer::timeout, this, &Deadlines::onTimer);
}

uint64_t Deadlines::add(int64_t timeoutMs)
{
    const uint64_t id = m_nextId++;
    const int64_t deadline = now() + std::max<int64_t>(timeoutMs, 0);
    m_deadlineOf.emplace(id, deadline);
    m_byDeadline.emplace(deadline, id);
    rearm();
    return id;
}

void Deadlines::remove(uint64_t id)
{
    auto it = m_deadlineOf.find(id);
    if (it == m_deadlineOf.end())
        return;
    auto [first, last] = m_byDeadline.equal_range(it->second);
    for (auto d = first; d != last; ++d)
        if (d->second == id) {
            m_byDeadline.erase(d);
            break;
        }
    m_deadlineOf.erase(it);
    rearm();
}

void Deadlines::onTimer()
{
    // One at a time from the front: an expiry may remove (or add) others.
    const int64_t t = now();
    while (!m_byDeadline.empty() && m_byDeadline.begin()->first <= t) {
        const uint64_t id = m_byDeadline.begin()->second;
        m_byDeadline.erase(m_byDeadline.begin());
        m_deadlineOf.erase(id);
        m_expire(id);
    }
    rearm();
}

void Deadlines::rearm()
{
    if (m_byDeadline.empty()) {
        m_timer.stop();
        return;
    }
    const int64_t wait = std::max<int64_t>(m_byDeadline.begin()->first - now(), 0);
    m_timer.start(int(std::min(wait, kLongestArm)));
}

} // namespace skiff::kafka
