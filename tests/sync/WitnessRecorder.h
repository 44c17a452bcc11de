#pragma once
// Test helper: installs a witness sink that records reports instead of logging them.

#include "sync/Witness.h"

#include <mutex>
#include <vector>

class WitnessRecorder {
public:
    WitnessRecorder()
    {
        skiff::sync::setWitnessReportSink([this](const skiff::sync::WitnessReport &report) {
            std::lock_guard guard(m_mutex);
            m_reports.push_back(report);
        });
    }
    ~WitnessRecorder() { skiff::sync::setWitnessReportSink({}); }

    std::vector<skiff::sync::WitnessReport> reports() const
    {
        std::lock_guard guard(m_mutex);
        return m_reports;
    }
    void clear()
    {
        std::lock_guard guard(m_mutex);
        m_reports.clear();
    }

private:
    mutable std::mutex m_mutex;
    std::vector<skiff::sync::WitnessReport> m_reports;
};
