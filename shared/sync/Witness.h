#pragma once
// Lock-order witness (after FreeBSD WITNESS and Abseil's deadlock detection). Every tracked
// acquisition made while holding other tracked locks adds "held -> taken" edges between lock
// classes; the first acquisition that closes a cycle is reported with both orders, their
// threads and sites — on the attempt, whether or not this run would deadlock. A thread taking
// a lock instance it already holds is reported before it blocks.
//
// Same-class nesting (two different "partition" instances) is not an order edge and is not
// reported. try_lock acquisitions cannot deadlock and add no edges (the lock, once held, does
// order later acquisitions).

#include "sync/WitnessReport.h"

#include <cstddef>
#include <functional>
#include <vector>

namespace skiff::sync {

enum class WitnessAction {
    Log,   // report and carry on: a self-deadlock then blocks as it would have (production)
    Throw, // report; a self-deadlocking acquisition throws SelfDeadlockError (tests)
    Abort, // report to the sink and stderr, then std::abort() (fatal mode for tests / debug)
};

// On by default. Off skips order and self-deadlock checks (statistics are still kept).
void setWitnessEnabled(bool enabled);
bool witnessEnabled();

void setWitnessAction(WitnessAction action);
WitnessAction witnessAction();

using WitnessReportSink = std::function<void(const WitnessReport &)>;
// Called on the reporting thread, with no witness lock held. An empty sink restores the default:
// qCritical on logging category "skiff.sync".
void setWitnessReportSink(WitnessReportSink sink);

// The most recent reports (oldest first), at most kKeptWitnessReports, for the admin socket.
inline constexpr size_t kKeptWitnessReports = 64;
std::vector<WitnessReport> witnessReports();
void clearWitnessReports();

} // namespace skiff::sync
