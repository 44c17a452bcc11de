#pragma once
// Joins several asynchronous parts of one request (one per partition, one per topic): `done`
// runs once, on the thread of the last part to finish, after every part reported.

#include <functional>
#include <memory>

namespace skiff::kafka {

class Completion {
public:
    static std::shared_ptr<Completion> create(std::function<void()> done)
    {
        return std::shared_ptr<Completion>(new Completion(std::move(done)));
    }
    void add(int n = 1) { m_pending += n; }
    void finishOne()
    {
        if (--m_pending == 0 && m_armed)
            fire();
    }
    // Call after every add(): parts that finished synchronously do not fire early.
    void arm()
    {
        m_armed = true;
        if (m_pending == 0)
            fire();
    }

private:
    explicit Completion(std::function<void()> done) : m_done(std::move(done)) {}
    void fire()
    {
        if (auto d = std::move(m_done)) {
            m_done = nullptr;
            d();
        }
    }
    std::function<void()> m_done;
    int m_pending = 0;
    bool m_armed = false;
};

} // namespace skiff::kafka
