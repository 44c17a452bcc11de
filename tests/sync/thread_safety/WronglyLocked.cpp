// Must be REJECTED under clang -Wthread-safety -Werror: writes guarded state without the lock.
// If this ever compiles, the annotations on the tracked mutexes have stopped working.

#include "sync/TrackedLock.h"
#include "sync/TrackedMutex.h"

namespace example {

using namespace skiff::sync;

class Counter {
public:
    void increment() { ++m_value; } // BUG (deliberate): m_mutex not held

private:
    TrackedMutex m_mutex{"counter"};
    int m_value GUARDED_BY(m_mutex) = 0;
};

} // namespace example

int main()
{
    example::Counter counter;
    counter.increment();
    return 0;
}
