#include "kafka/protocol/RequestHeader.h"

#include "kafka/protocol/ApiKeys.h"
#include "kafka/protocol/ByteReader.h"
#include "kafka/protocol/ByteWriter.h"

namespace skiff::kafka {

Result<ParsedRequestHeader> decodeRequestHeader(std::string_view frame)
{
    ByteReader r(frame);
    ParsedRequestHeader parsed;
    RequestHeader &h = parsed.header;
    h.apiKey = r.readInt16();
    h.apiVersion = r.readInt16();
    h.correlationId = r.readInt32();
    if (!r.ok())
        return corruption("request header: " + r.error());

    parsed.supported = isSupportedVersion(h.apiKey, h.apiVersion);
    const size_t afterFixed = r.offset();
    h.clientId = r.readNullableString();
    if (!parsed.supported) {
        // Best effort: an unknown request may use a header layout we do not know.
        if (!r.ok())
            h.clientId.reset();
        parsed.bodyOffset = r.ok() ? r.offset() : afterFixed;
        return parsed;
    }
    if (requestHeaderVersion(static_cast<ApiKey>(h.apiKey), h.apiVersion) >= 2)
        r.skipTaggedFields(); // no request header tags are defined that a broker needs
    if (!r.ok())
        return corruption(std::string("request header of ") + apiKeyName(h.apiKey) + " v"
                          + std::to_string(h.apiVersion) + " (correlation id " + std::to_string(h.correlationId)
                          + "): " + r.error());
    parsed.bodyOffset = r.offset();
    return parsed;
}

void encodeRequestHeader(std::string &out, const RequestHeader &header)
{
    ByteWriter w(out);
    w.writeInt16(header.apiKey);
    w.writeInt16(header.apiVersion);
    w.writeInt32(header.correlationId);
    w.writeNullableString(header.clientId);
    if (findApi(header.apiKey) && requestHeaderVersion(static_cast<ApiKey>(header.apiKey), header.apiVersion) >= 2)
        w.writeEmptyTaggedFields();
}

void encodeResponseHeader(std::string &out, int32_t correlationId, int16_t headerVersion)
{
    ByteWriter w(out);
    w.writeInt32(correlationId);
    if (headerVersion >= 1)
        w.writeEmptyTaggedFields();
}

Result<ParsedResponseHeader> decodeResponseHeader(std::string_view frame, int16_t headerVersion)
{
    ByteReader r(frame);
    ParsedResponseHeader parsed;
    parsed.correlationId = r.readInt32();
    if (headerVersion >= 1 && r.ok())
        r.skipTaggedFields();
    if (!r.ok())
        return corruption("response header v" + std::to_string(headerVersion) + ": " + r.error());
    parsed.bodyOffset = r.offset();
    return parsed;
}

} // namespace skiff::kafka
