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
#include <vector>

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

// A byte field left out of an encoded message: `bytes` belong at offset `at` of the buffer it was
// encoded into (after the field's length, which is written).
struct SplicedBytes {
    size_t at = 0;
    std::string bytes;
};

// Byte fields at least this long are spliced by encodeMessageSpliced; shorter ones cost less to
// copy than to send as a piece of their own.
inline constexpr size_t kSpliceMinBytes = 8 * 1024;

// encodeMessage that moves each byte field of at least kSpliceMinBytes out of `m` into
// `splices` (in order of `at`) instead of copying it into `out`: a fetch response's records go
// to the socket without a copy. `m` is left with those fields moved from.
template <class M>
void encodeMessageSpliced(std::string &out, std::vector<SplicedBytes> &splices, M &m, int16_t version);

// For tests and the fuzz seed generator: sets every field that exists in `version` (including
// tagged fields) to a distinct non-default value; arrays get two elements.
template <class M>
void populateAllFields(M &m, int16_t version);

} // namespace skiff::kafka
