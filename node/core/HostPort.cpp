#include "core/HostPort.h"

#include <cctype>
#include <charconv>

namespace skiff::core {
namespace {

bool isValidHostName(std::string_view host)
{
    if (host.empty() || host.size() > 253)
        return false;
    for (char c : host) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.' && c != '_')
            return false;
    }
    return host.front() != '-' && host.front() != '.';
}

bool isIpv6Literal(std::string_view host)
{
    if (host.empty())
        return false;
    for (char c : host) {
        if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.')
            return false;
    }
    return host.find(':') != std::string_view::npos;
}

} // namespace

Result<HostPort> HostPort::parse(std::string_view text)
{
    const std::string quoted = "'" + std::string(text) + "'";
    std::string_view host;
    std::string_view port;
    if (!text.empty() && text.front() == '[') {
        const auto close = text.find(']');
        if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':')
            return invalidArgument(quoted + " is not an address: expected [ipv6]:port");
        host = text.substr(1, close - 1);
        port = text.substr(close + 2);
        if (!isIpv6Literal(host))
            return invalidArgument(quoted + " is not an address: '" + std::string(host) + "' is not an IPv6 literal");
    } else {
        const auto colon = text.rfind(':');
        if (colon == std::string_view::npos)
            return invalidArgument(quoted + " is not an address: expected host:port");
        host = text.substr(0, colon);
        port = text.substr(colon + 1);
        if (!isValidHostName(host))
            return invalidArgument(quoted + " is not an address: '" + std::string(host) + "' is not a host name or IPv4 address");
    }
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535)
        return invalidArgument(quoted + " is not an address: port '" + std::string(port) + "' is not a number from 1 to 65535");
    return HostPort{std::string(host), static_cast<uint16_t>(value)};
}

std::string HostPort::toString() const
{
    if (host.find(':') != std::string::npos)
        return "[" + host + "]:" + std::to_string(port);
    return host + ":" + std::to_string(port);
}

} // namespace skiff::core
