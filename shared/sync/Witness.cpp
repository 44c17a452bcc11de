#include "sync/Witness.h"
#include "sync/SyncLog.h"
#include "sync/WitnessGraph.h"

#include <cstdio>
#include <cstdlib>
#include <deque>
#include <mutex>

namespace skiff::sync {

namespace detail {

std::atomic<bool> g_witnessEnabled{true};
std::atomic<WitnessAction> g_witnessAction{WitnessAction::Log};

namespace {

struct ReportStore {
    std::mutex mutex;
    WitnessReportSink sink; // empty: default
    std::deque<WitnessReport> kept;
};

ReportStore &store()
{
    static auto *instance = new ReportStore; // leaked: reports may come during static destruction
    return *instance;
}

} // namespace

void deliverWitnessReport(const WitnessReport &report)
{
    WitnessReportSink sink;
    {
        std::lock_guard guard(store().mutex);
        store().kept.push_back(report);
        while (store().kept.size() > kKeptWitnessReports)
            store().kept.pop_front();
        sink = store().sink;
    }
    // Outside our mutex: the sink may log, and logging may take tracked locks.
    if (sink)
        sink(report);
    else
        qCritical(lcSync).noquote() << QString::fromStdString(report.text);

    if (g_witnessAction.load(std::memory_order_relaxed) == WitnessAction::Abort) {
        // The sink may buffer; make sure the reason reaches stderr before the core dump.
        std::fprintf(stderr, "skiff.sync: fatal lock witness report, aborting:\n%s\n", report.text.c_str());
        std::fflush(stderr);
        std::abort();
    }
}

} // namespace detail

const char *witnessReportKindName(WitnessReportKind kind)
{
    switch (kind) {
    case WitnessReportKind::SelfDeadlock: return "self-deadlock";
    case WitnessReportKind::OrderReversal: return "lock order reversal";
    }
    return "?";
}

void setWitnessEnabled(bool enabled)
{
    detail::g_witnessEnabled.store(enabled, std::memory_order_relaxed);
}

bool witnessEnabled()
{
    return detail::g_witnessEnabled.load(std::memory_order_relaxed);
}

void setWitnessAction(WitnessAction action)
{
    detail::g_witnessAction.store(action, std::memory_order_relaxed);
}

WitnessAction witnessAction()
{
    return detail::g_witnessAction.load(std::memory_order_relaxed);
}

void setWitnessReportSink(WitnessReportSink sink)
{
    std::lock_guard guard(detail::store().mutex);
    detail::store().sink = std::move(sink);
}

std::vector<WitnessReport> witnessReports()
{
    std::lock_guard guard(detail::store().mutex);
    return {detail::store().kept.begin(), detail::store().kept.end()};
}

void clearWitnessReports()
{
    std::lock_guard guard(detail::store().mutex);
    detail::store().kept.clear();
}

} // namespace skiff::sync
