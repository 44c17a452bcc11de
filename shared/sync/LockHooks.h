#pragma once
// Internal: the calls TrackedMutex makes around the real mutex operations.
// Not for use outside shared/sync (the wrappers are the API).
//
// Fast path (no global mutex): thread-local held-lock stack, per-class atomic counters and
// histograms, per-instance holder slot. A global mutex is taken only when a lock class is first
// registered and when an order edge ("A held while taking B") is seen for the first time.

#include "sync/SourceSite.h"

#include <cstdint>
#include <string_view>

namespace skiff::sync::detail {

class LockClass;
struct HolderSlot;

// Identifies one mutex instance: its class (shared by every instance with the same name) and
// its own holder slot. Both live forever (slots are recycled), so stale pointers held by the
// watchdog or a snapshot never dangle.
struct LockRef {
    LockClass *cls = nullptr;
    HolderSlot *slot = nullptr;
};

LockRef registerLockInstance(std::string_view className);
void unregisterLockInstance(LockRef ref);
const char *lockClassName(LockRef ref);

// Witness checks before acquiring: self-deadlock (this thread already holds this instance) and,
// for blocking acquisitions, lock order. May throw SelfDeadlockError or abort (WitnessAction).
void beforeAcquire(LockRef ref, SourceSite site, bool blocking);
// The fast try failed: publish "this thread waits for ref since now at site" for the watchdog.
// Returns the wait start (FastClock ns).
int64_t beginWait(LockRef ref, SourceSite site);
// After the real mutex is held. waitStartNs < 0: acquired without waiting.
void afterAcquire(LockRef ref, SourceSite site, int64_t waitStartNs);
// Before the real mutex is released (so a new owner's holder info is never overwritten).
void beforeRelease(LockRef ref);

} // namespace skiff::sync::detail
