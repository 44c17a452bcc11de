#pragma once
// Kafka request header (v1: client id; v2: client id + tagged fields) and response header
// (v0: correlation id; v1: + tagged fields).

#include "common/Status.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace skiff::kafka {

struct RequestHeader {
    int16_t apiKey = 0;
    int16_t apiVersion = 0;
    int32_t correlationId = 0;
    std::optional<std::string> clientId;

    bool operator==(const RequestHeader &) const = default;
};

struct ParsedRequestHeader {
    RequestHeader header;
    size_t bodyOffset = 0;   // where the body starts in the frame
    bool supported = false;  // api key and version are in the codec's range
};

// Parses the header of a request frame (without the int32 size prefix). Fails only when the
// first 8 bytes (api key, version, correlation id) are missing or when a supported request's
// header is malformed. For an unknown api key or unsupported version the client id is read on
// a best-effort basis (its layout is the same in every header version) and `supported` is false,
// so the broker can still answer with the right correlation id.
Result<ParsedRequestHeader> decodeRequestHeader(std::string_view frame);

// Appends a request header in the version that goes with header.apiKey/apiVersion.
void encodeRequestHeader(std::string &out, const RequestHeader &header);

// Appends a response header: v0 = correlation id, v1 = correlation id + empty tagged fields.
void encodeResponseHeader(std::string &out, int32_t correlationId, int16_t headerVersion);

struct ParsedResponseHeader {
    int32_t correlationId = 0;
    size_t bodyOffset = 0; // where the body starts in the frame
};

// Client side: parses the response header of a frame (without the int32 size prefix) in
// `headerVersion` (responseHeaderVersion() of the request's api and version). Header tags are
// skipped: none is defined that a client needs.
Result<ParsedResponseHeader> decodeResponseHeader(std::string_view frame, int16_t headerVersion);

} // namespace skiff::kafka
