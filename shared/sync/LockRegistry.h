#pragma once
// Internal: lock class name -> LockClass. Looked up when a mutex is constructed, never on the
// acquisition path.

#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace skiff::sync::detail {

class LockClass;

class LockRegistry {
public:
    static LockRegistry &instance();

    LockClass *classFor(std::string_view name);
    std::vector<LockClass *> allClasses() const;

private:
    mutable std::mutex m_mutex;
    std::unordered_map<std::string, LockClass *> m_byName;
    std::deque<std::unique_ptr<LockClass>> m_classes; // index == id
};

} // namespace skiff::sync::detail
