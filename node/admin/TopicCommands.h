#pragma once
// Metadata commands for the admin socket's CreateTopic / DeleteTopic, checked against the image
// the way the Kafka CreateTopics/DeleteTopics handler checks them, so both paths refuse the same
// requests with the same words.

#include "admin.pb.h"
#include "admin/AdminContext.h"
#include "metadata.pb.h"
#include "metadata/MetadataImage.h"

namespace skiff::admin {

Result<metadata::Command> buildCreateTopic(const AdminContext &context, const metadata::MetadataImage &image,
                                           const CreateTopic &request);
Result<metadata::Command> buildDeleteTopic(const metadata::MetadataImage &image, const DeleteTopic &request);

} // namespace skiff::admin
