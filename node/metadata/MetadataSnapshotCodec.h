#pragma once
// The payload of a metadata Raft snapshot (the MetadataSnapshot message in metadata.proto): the
// image, and the raft addresses of the members as of the snapshot's index (a joiner learns where
// the others live from it).

#include "common/Status.h"
#include "metadata/MetadataImage.h"

#include <cstdint>
#include <map>
#include <string>

namespace skiff::metadata {

inline constexpr uint32_t kSnapshotFormatVersion = 1;

struct SnapshotPayload {
    MetadataImage image;
    std::map<uint64_t, std::string> raftAddresses;   // member id -> raft address
};

std::string encodeSnapshotPayload(const MetadataImage &image, const std::map<uint64_t, std::string> &raftAddresses);
// Corruption naming the snapshot's index for bytes that are not a format-kSnapshotFormatVersion
// MetadataSnapshot or whose image does not decode. The image's appliedIndex is set to `index`.
Result<SnapshotPayload> decodeSnapshotPayload(const std::string &bytes, uint64_t index);

} // namespace skiff::metadata
