#pragma once
// What the lock-order witness reports: a thread re-taking a lock it holds, or an acquisition
// that closes a cycle in the observed lock order (a potential deadlock, found before it
// happens).

#include <string>
#include <vector>

namespace skiff::sync {

enum class WitnessReportKind {
    SelfDeadlock,  // a thread takes a non-recursive lock instance it already holds
    OrderReversal, // "A held while taking B" when B ... -> A was seen before
};

// One observed order edge: `thread` held heldClass (taken at heldSite) and took takenClass at
// takenSite. Sites are "file:line".
struct LockOrderStep {
    std::string heldClass;
    std::string heldSite;
    std::string takenClass;
    std::string takenSite;
    std::string thread;
};

struct WitnessReport {
    WitnessReportKind kind = WitnessReportKind::OrderReversal;
    // The acquisition being reported. SelfDeadlock: heldClass == takenClass, heldSite is where
    // the lock is already held, takenSite the second attempt.
    LockOrderStep attempted;
    // OrderReversal: the earlier order, a chain of first-seen edges from attempted.takenClass
    // back to attempted.heldClass (one step for a plain A/B inversion). Empty for SelfDeadlock.
    std::vector<LockOrderStep> established;
    // Multi-line text for the log, naming both orders, threads and sites.
    std::string text;
};

const char *witnessReportKindName(WitnessReportKind kind);

} // namespace skiff::sync
