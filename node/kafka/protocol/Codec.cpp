#include "kafka/protocol/Serde.h"

namespace skiff::kafka {

Status decodeFailure(const char *message, int16_t version, const std::string &cause)
{
    return corruption(std::string(message) + " v" + std::to_string(version) + ": " + cause);
}

Status unsupportedVersion(const char *message, int16_t version)
{
    return invalidArgument(std::string(message) + " v" + std::to_string(version)
                           + " is outside the versions Skiff supports");
}

} // namespace skiff::kafka
