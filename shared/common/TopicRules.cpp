#include "common/TopicRules.h"

#include <string>

namespace skiff {

Status validateTopicName(std::string_view name)
{
    if (name.empty())
        return invalidArgument("topic name is empty");
    if (name.size() > kMaxTopicNameLength)
        return invalidArgument("topic name is " + std::to_string(name.size()) + " characters long; the limit is "
                               + std::to_string(kMaxTopicNameLength));
    if (name == "." || name == "..")
        return invalidArgument("topic name cannot be '" + std::string(name) + "'");
    for (char c : name) {
        const bool legal = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
                           || c == '_' || c == '-';
        if (!legal)
            return invalidArgument("topic name '" + std::string(name)
                                   + "' contains a character other than ASCII letters, digits, '.', '_' and '-'");
    }
    return Status::ok();
}

} // namespace skiff
