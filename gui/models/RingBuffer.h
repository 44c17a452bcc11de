#pragma once
// A fixed-capacity ring: the oldest element goes when a new one comes. The dashboard keeps
// history this way so hours of streaming use the same memory as the first minute.

#include <cstddef>
#include <vector>

namespace skiff::gui {

template <class T>
class RingBuffer {
public:
    explicit RingBuffer(size_t capacity = 1) : m_items(capacity ? capacity : 1) {}

    void push(T value)
    {
        m_items[(m_start + m_size) % m_items.size()] = std::move(value);
        if (m_size < m_items.size())
            ++m_size;
        else
            m_start = (m_start + 1) % m_items.size();
    }
    void clear() { m_start = m_size = 0; }

    size_t size() const { return m_size; }
    size_t capacity() const { return m_items.size(); }
    bool empty() const { return m_size == 0; }
    // 0 is the oldest element kept.
    const T &operator[](size_t i) const { return m_items[(m_start + i) % m_items.size()]; }
    const T &back() const { return (*this)[m_size - 1]; }

private:
    std::vector<T> m_items;
    size_t m_start = 0;
    size_t m_size = 0;
};

} // namespace skiff::gui
