#pragma once
// The reader does not check string encodings (most strings are opaque to the broker); handlers
// call this where Kafka requires valid UTF-8, e.g. topic names.

#include <string_view>

namespace skiff::kafka {

// Strict RFC 3629: rejects overlong forms, surrogates and code points above U+10FFFF.
bool isValidUtf8(std::string_view text);

} // namespace skiff::kafka
