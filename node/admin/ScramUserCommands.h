#pragma once
// The admin socket's SCRAM users (skiffctl users): the image's credentials listed without their
// secrets, and SetScramUser / DeleteScramUser as AlterScramCredentials commands. The rules are the
// metadata's (metadata/ScramCredentials.h), checked here against the image the request saw and
// again when the command is applied; this edge maps mechanism names and a refusal's kind.

#include "admin.pb.h"
#include "common/Status.h"
#include "metadata.pb.h"
#include "metadata/MetadataImage.h"

namespace skiff::admin {

// Every user with their mechanisms and iterations, by name (never a salt or a key).
ScramUserList listScramUsers(const metadata::MetadataImage &image);

// The credentials a password gives each mechanism asked for (none: both), each with its own 16
// random salt bytes, at the iterations asked for (0: 4096). The password goes no further.
Result<metadata::Command> buildSetScramUser(const SetScramUser &request);
// The deletion of the mechanisms named (none: every one the user has on `image`).
Result<metadata::Command> buildDeleteScramUser(const metadata::MetadataImage &image, const DeleteScramUser &request);

} // namespace skiff::admin
