#include "admin/AdminFraming.h"

#include <algorithm>

namespace skiff::admin {

QByteArray encodeAdminFrame(const google::protobuf::MessageLite &message)
{
    return net::encodeFrame(message.ByteSizeLong(), [&](char *body) {
        message.SerializeWithCachedSizesToArray(reinterpret_cast<uint8_t *>(body));
    });
}

AdminFrameDecoder::AdminFrameDecoder(int32_t maxFrameBytes)
    : m_frames("admin frame", uint32_t(std::max(maxFrameBytes, 0)), "not a skiff admin client, or a corrupt stream")
{
}

Result<bool> AdminFrameDecoder::next(google::protobuf::MessageLite &out)
{
    auto body = m_frames.next();
    if (!body.isOk())
        return body.status();
    if (!body.value())
        return false;
    const std::string_view bytes = *body.value();
    if (!out.ParseFromArray(bytes.data(), int(bytes.size())))
        return m_frames.fail("admin frame of " + std::to_string(bytes.size()) + " bytes is not a valid " +
                             out.GetTypeName() + " protobuf");
    return true;
}

} // namespace skiff::admin
