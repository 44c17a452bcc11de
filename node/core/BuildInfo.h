#pragma once
// What binary is running: shown by --version, logged at start, carried in status, so a stale
// binary is visible at a glance.

namespace skiff::core {

struct BuildInfo {
    const char *version;
    const char *gitHash;
    const char *buildTime;   // UTC, when the build was configured
};

const BuildInfo &buildInfo();

} // namespace skiff::core
