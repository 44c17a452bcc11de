#include "metadata/MetadataSnapshotCodec.h"

#include "metadata.pb.h"
#include "metadata/MetadataImageCodec.h"

namespace skiff::metadata {

std::string encodeSnapshotPayload(const MetadataImage &image, const std::map<uint64_t, std::string> &raftAddresses)
{
    MetadataSnapshot snapshot;
    snapshot.set_format_version(kSnapshotFormatVersion);
    snapshot.set_image(encodeImage(image));
    for (const auto &[id, address] : raftAddresses)
        (*snapshot.mutable_raft_addresses())[id] = address;
    return snapshot.SerializeAsString();
}

Result<SnapshotPayload> decodeSnapshotPayload(const std::string &bytes, uint64_t index)
{
    const std::string where = "metadata snapshot at index " + std::to_string(index);
    MetadataSnapshot decoded;
    if (!decoded.ParseFromString(bytes) || decoded.format_version() != kSnapshotFormatVersion)
        return corruption(where + " is not a format-" + std::to_string(kSnapshotFormatVersion) + " MetadataSnapshot");
    auto image = decodeImage(decoded.image());
    if (!image.isOk())
        return image.status().withContext(where);
    SnapshotPayload out{std::move(image.value()), {}};
    out.image.appliedIndex = index;
    for (const auto &[id, address] : decoded.raft_addresses())
        out.raftAddresses[id] = address;
    return out;
}

} // namespace skiff::metadata
