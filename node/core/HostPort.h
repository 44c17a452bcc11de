#pragma once

#include "common/Status.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace skiff::core {

// "host:port" as written in configs and flags; IPv6 literals in brackets: "[::1]:9092".
struct HostPort {
    std::string host;
    uint16_t port = 0;

    static Result<HostPort> parse(std::string_view text);
    std::string toString() const;
    bool isWildcard() const { return host == "0.0.0.0" || host == "::" || host.empty(); }
    friend bool operator==(const HostPort &, const HostPort &) = default;
};

} // namespace skiff::core
