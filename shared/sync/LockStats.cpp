#include "sync/LockStats.h"
#include "sync/FastClock.h"
#include "sync/LockClass.h"
#include "sync/LockRegistry.h"
#include "sync/LockWaitInfo.h"
#include "sync/SourceSite.h"
#include "sync/ThreadRecord.h"

#include <algorithm>

namespace skiff::sync {

namespace {

// Lock-layer times come from FastClock: only their differences mean something.
std::chrono::system_clock::time_point wallClockOf(int64_t fastNs, int64_t nowFastNs)
{
    return std::chrono::system_clock::now()
           - std::chrono::duration_cast<std::chrono::system_clock::duration>(
               std::chrono::nanoseconds(std::max<int64_t>(0, nowFastNs - fastNs)));
}

int64_t microsBetween(int64_t fromNs, int64_t toNs)
{
    return std::max<int64_t>(0, toNs - fromNs) / 1000; // TSCs of two cores may disagree slightly
}

std::optional<LockHolderInfo> holderOf(const detail::HolderSlot &slot)
{
    const detail::ThreadRecord *holder = slot.holder.load(std::memory_order_acquire);
    if (!holder)
        return std::nullopt;
    const int64_t now = detail::fastNowNs();
    const int64_t since = slot.sinceNs.load(std::memory_order_relaxed);
    LockHolderInfo info;
    info.thread = holder->displayName();
    info.site = formatSite(SourceSite{slot.file.load(std::memory_order_relaxed), slot.line.load(std::memory_order_relaxed)});
    info.since = wallClockOf(since, now);
    info.heldForMicros = microsBetween(since, now);
    return info;
}

LockClassStats statsOf(const detail::LockClass &cls)
{
    LockClassStats stats;
    stats.name = cls.name();
    stats.acquisitions = cls.acquisitions.load(std::memory_order_relaxed);
    stats.contended = cls.contended.load(std::memory_order_relaxed);
    stats.waitMicros = cls.waitMicros.snapshot();
    stats.holdMicros = cls.holdMicros.snapshot();
    cls.forEachSlot([&](const detail::HolderSlot &slot) {
        if (auto holder = holderOf(slot))
            stats.holders.push_back(std::move(*holder));
    });
    return stats;
}

} // namespace

std::vector<LockClassStats> lockStatsSnapshot()
{
    std::vector<LockClassStats> result;
    for (const detail::LockClass *cls : detail::LockRegistry::instance().allClasses())
        result.push_back(statsOf(*cls));
    return result;
}

std::optional<LockClassStats> lockStatsFor(std::string_view className)
{
    for (const detail::LockClass *cls : detail::LockRegistry::instance().allClasses()) {
        if (cls->name() == className)
            return statsOf(*cls);
    }
    return std::nullopt;
}

std::vector<LockWaitInfo> currentLockWaits()
{
    std::vector<LockWaitInfo> waits;
    detail::forEachThreadRecord([&](const detail::ThreadRecord &thread) {
        if (auto info = detail::lockWaitInfoFor(thread))
            waits.push_back(std::move(*info));
    });
    return waits;
}

namespace detail {

std::optional<LockWaitInfo> lockWaitInfoFor(const ThreadRecord &thread)
{
    const HolderSlot *slot = thread.waitSlot.load(std::memory_order_acquire);
    if (!slot)
        return std::nullopt;
    const LockClass *cls = thread.waitClass.load(std::memory_order_relaxed);
    const int64_t now = detail::fastNowNs();
    LockWaitInfo info;
    info.thread = thread.displayName();
    info.lockClass = cls ? cls->name() : "?";
    info.waitSite = formatSite(
        SourceSite{thread.waitFile.load(std::memory_order_relaxed), thread.waitLine.load(std::memory_order_relaxed)});
    info.waitingForMicros = microsBetween(thread.waitSinceNs.load(std::memory_order_relaxed), now);
    if (auto holder = holderOf(*slot)) {
        info.held = true;
        info.holderThread = std::move(holder->thread);
        info.holderSite = std::move(holder->site);
        info.heldForMicros = holder->heldForMicros;
        info.heldSince = holder->since;
    }
    return info;
}

} // namespace detail

} // namespace skiff::sync
