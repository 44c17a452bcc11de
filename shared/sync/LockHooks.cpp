#include "sync/LockHooks.h"
#include "sync/FastClock.h"
#include "sync/LockClass.h"
#include "sync/LockRegistry.h"
#include "sync/SelfDeadlockError.h"
#include "sync/ThreadRecord.h"
#include "sync/WitnessGraph.h"

namespace skiff::sync::detail {

namespace {

// Deeper nesting than this is not tracked (a counter would be the next step if it ever happens).
constexpr int kMaxHeld = 32;

struct HeldEntry {
    LockClass *cls = nullptr;
    HolderSlot *slot = nullptr;
    SourceSite site;
    int64_t acquiredNs = 0;
};

// Trivially destructible and constant-initialised, so access is a plain TLS load (no guard).
struct HeldStack {
    ThreadRecord *record = nullptr; // cached; owned by ThreadRecord.cpp
    int depth = 0;
    HeldEntry entries[kMaxHeld];
};
thread_local constinit HeldStack t_held{};

int64_t nowNs()
{
    return fastNowNs();
}

// Clamped: TSCs of two cores may disagree by a little (a thread can migrate while holding).
int64_t micros(int64_t fromNs, int64_t toNs)
{
    return toNs > fromNs ? (toNs - fromNs) / 1000 : 0;
}

ThreadRecord *record()
{
    if (!t_held.record)
        t_held.record = currentThreadRecord();
    return t_held.record;
}

[[gnu::noinline]] void reportSelfDeadlock(const HeldEntry &held, LockRef ref, SourceSite site)
{
    refreshCurrentThreadName();
    WitnessReport report;
    report.kind = WitnessReportKind::SelfDeadlock;
    report.attempted = LockOrderStep{ref.cls->name(), formatSite(held.site), ref.cls->name(), formatSite(site),
                                     record()->displayName()};
    const LockOrderStep &a = report.attempted;
    report.text = "self-deadlock: thread " + a.thread + " takes \"" + a.takenClass + "\" at " + a.takenSite
                  + " while already holding the same lock (taken at " + a.heldSite
                  + "); it is not recursive, this acquisition blocks forever";
    deliverWitnessReport(report); // aborts in WitnessAction::Abort
    if (g_witnessAction.load(std::memory_order_relaxed) == WitnessAction::Throw)
        throw SelfDeadlockError(report.text);
}

[[gnu::noinline]] void checkNewEdge(const HeldEntry &held, LockRef ref, SourceSite site)
{
    refreshCurrentThreadName();
    const std::string thread = record()->displayName();
    if (auto report = WitnessGraph::instance().checkEdge(*held.cls, held.site, *ref.cls, site, thread))
        deliverWitnessReport(*report);
}

} // namespace

LockRef registerLockInstance(std::string_view className)
{
    LockClass *cls = LockRegistry::instance().classFor(className);
    return LockRef{cls, cls->allocateSlot()};
}

void unregisterLockInstance(LockRef ref)
{
    ref.cls->freeSlot(ref.slot);
}

const char *lockClassName(LockRef ref)
{
    return ref.cls->name().c_str();
}

void beforeAcquire(LockRef ref, SourceSite site, bool blocking)
{
    if (!g_witnessEnabled.load(std::memory_order_relaxed))
        return;
    HeldStack &stack = t_held;
    for (int i = stack.depth - 1; i >= 0; --i) {
        if (stack.entries[i].slot == ref.slot) {
            reportSelfDeadlock(stack.entries[i], ref, site);
            return;
        }
    }
    if (!blocking || stack.depth == 0 || !ref.cls->inWitness())
        return;
    const uint32_t taking = ref.cls->id();
    for (int i = 0; i < stack.depth; ++i) {
        const HeldEntry &held = stack.entries[i];
        if (held.cls == ref.cls || !held.cls->inWitness() || held.cls->hasCheckedSuccessor(taking))
            continue;
        // Copy: the sink may take tracked locks on this thread and change the stack.
        const HeldEntry heldCopy = held;
        checkNewEdge(heldCopy, ref, site);
    }
}

int64_t beginWait(LockRef ref, SourceSite site)
{
    ThreadRecord *self = record();
    const int64_t now = nowNs();
    self->waitClass.store(ref.cls, std::memory_order_relaxed);
    self->waitSinceNs.store(now, std::memory_order_relaxed);
    self->waitFile.store(site.file, std::memory_order_relaxed);
    self->waitLine.store(site.line, std::memory_order_relaxed);
    self->waitSlot.store(ref.slot, std::memory_order_release);
    return now;
}

void afterAcquire(LockRef ref, SourceSite site, int64_t waitStartNs)
{
    const int64_t now = nowNs();
    LockClass &cls = *ref.cls;
    ThreadRecord *self = record();
    cls.acquisitions.fetch_add(1, std::memory_order_relaxed);
    if (waitStartNs >= 0) {
        self->waitSlot.store(nullptr, std::memory_order_release);
        cls.contended.fetch_add(1, std::memory_order_relaxed);
        cls.waitMicros.record(micros(waitStartNs, now));
    }

    HolderSlot &slot = *ref.slot;
    slot.sinceNs.store(now, std::memory_order_relaxed);
    slot.file.store(site.file, std::memory_order_relaxed);
    slot.line.store(site.line, std::memory_order_relaxed);
    slot.holder.store(self, std::memory_order_release);

    HeldStack &stack = t_held;
    if (stack.depth < kMaxHeld)
        stack.entries[stack.depth++] = HeldEntry{ref.cls, ref.slot, site, now};
}

void beforeRelease(LockRef ref)
{
    const int64_t now = nowNs();
    HolderSlot &slot = *ref.slot;
    HeldStack &stack = t_held;
    int64_t acquiredNs = -1;
    // Usually the top entry; locks may be released out of order.
    for (int i = stack.depth - 1; i >= 0; --i) {
        if (stack.entries[i].slot == ref.slot) {
            acquiredNs = stack.entries[i].acquiredNs;
            for (int j = i + 1; j < stack.depth; ++j)
                stack.entries[j - 1] = stack.entries[j];
            --stack.depth;
            break;
        }
    }
    if (acquiredNs < 0)
        acquiredNs = slot.sinceNs.load(std::memory_order_relaxed); // not on our stack (nested too deep)
    if (acquiredNs >= 0)
        ref.cls->holdMicros.record(micros(acquiredNs, now));

    slot.holder.store(nullptr, std::memory_order_release);
}

} // namespace skiff::sync::detail
