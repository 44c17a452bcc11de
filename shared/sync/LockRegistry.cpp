#include "sync/LockRegistry.h"
#include "sync/LockClass.h"

namespace skiff::sync::detail {

LockRegistry &LockRegistry::instance()
{
    // Leaked on purpose: static mutexes of other translation units may be destroyed (and
    // unregister) after ours would have been.
    static auto *registry = new LockRegistry;
    return *registry;
}

LockClass *LockRegistry::classFor(std::string_view name)
{
    std::lock_guard guard(m_mutex);
    const auto it = m_byName.find(std::string(name));
    if (it != m_byName.end())
        return it->second;
    auto &cls = m_classes.emplace_back(std::make_unique<LockClass>(uint32_t(m_classes.size()), std::string(name)));
    m_byName.emplace(std::string(name), cls.get());
    return cls.get();
}

std::vector<LockClass *> LockRegistry::allClasses() const
{
    std::lock_guard guard(m_mutex);
    std::vector<LockClass *> result;
    result.reserve(m_classes.size());
    for (const auto &cls : m_classes)
        result.push_back(cls.get());
    return result;
}

} // namespace skiff::sync::detail
