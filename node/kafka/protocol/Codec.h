#pragma once
// Body codec entry points for every message struct in messages/*.h.
//
// The templates are declared here and explicitly instantiated in each message's .cpp file, so
// including this header costs nothing; using a message type the library does not define is a
// link error. `version` selects the wire layout; compact (flexible) encodings and tagged fields
// follow automatically from ApiKeys.h.

#include "common/Status.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace skiff::kafka {

// Decodes one message body that must span all of `bytes` (trailing bytes are an error, since
// they mean the peer and we disagree on the layout). Errors are Corruption statuses naming the
// message, version, offset and cause. Versions outside the codec's range are InvalidArgument.
// baseOffset is where `bytes` starts in the enclosing frame; it only shifts offsets in messages.
template <class M>
Result<M> decodeMessage(std::string_view bytes, int16_t version, size_t baseOffset = 0);

// Appends the body of `m` in `version`'s layout. Fields that do not exist in that version are
// ignored; a null value in a field that is not nullable in that version is written as empty.
template <class M>
void encodeMessage(std::string &out, const M &m, int16_t version);

// For tests and the fuzz seed generator: sets every field that exists in `version` (including
// tagged fields) to a distinct non-default value; arrays get two elements.
template <class M>
void populateAllFields(M &m, int16_t version);

} // namespace skiff::kafka
