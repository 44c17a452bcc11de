#pragma once
// Encoding of a MetadataImage for snapshots (the ImageSnapshot message in metadata.proto).
// Everything but controllerId is stored: the controller is runtime state and decodes as 0.
// Equal images encode to equal bytes (maps are written in key order).

#include "common/Status.h"
#include "metadata/MetadataImage.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace skiff::metadata {

inline constexpr uint32_t kImageFormatVersion = 1;

std::string encodeImage(const MetadataImage &image);
// Corruption (naming what is wrong) for bytes that are not an ImageSnapshot, a format version
// other than kImageFormatVersion, or contents that break the image's invariants (duplicate
// broker ids or topic names, a topic id that is not 16 bytes, partitions out of order, a port
// above 65535, an unknown leader recovery state). Images written before the replication fields
// decode them as 0 (broker epoch 0, partition epoch 0, recovered, no ELR): the format is the same.
Result<MetadataImage> decodeImage(std::string_view bytes);

} // namespace skiff::metadata
