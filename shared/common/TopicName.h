#pragma once
// Kafka's rule for topic names, in the one place every layer can reach: the metadata planner
// refuses a topic with such a name, Metadata answers INVALID_TOPIC_EXCEPTION for it, and the log
// layer (whose directories are named after topics) refuses to create a partition under it.

#include "common/Status.h"

#include <string_view>

namespace skiff {

// The longest legal topic name (Kafka's limit: a partition directory "<topic>-<partition>"
// must fit a 255-byte file name).
inline constexpr size_t kMaxTopicNameLength = 249;

// InvalidArgument unless `name` is 1-249 characters of [a-zA-Z0-9._-] and neither "." nor "..".
Status validateTopicName(std::string_view name);

} // namespace skiff
