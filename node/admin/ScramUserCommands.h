#pragma once
// The admin socket's SCRAM users (skiffctl users): the image's credentials listed without their
// secrets, and SetScramUser / DeleteScramUser as AlterScramCredentials commands. The rules are the
// metadata's (metadata/ScramCredentials.h), checked here against the image the request saw and
// again when the command is applied; this edge maps mechanism names and a refusal's kind.

#include "admin.pb.h"
#include "common/Status.h"
#include "metadata.pb.h"
#include "metadata/MetadataImage.h"

#include <functional>

class QObject;
class QThreadPool;

namespace skiff::admin {

// Every user with their mechanisms and iterations, by name (never a salt or a key).
ScramUserList listScramUsers(const metadata::MetadataImage &image);

// The credentials a password gives each mechanism asked for (none: both), each with its own 16
// random salt bytes, at the iterations asked for (0: 4096). The password goes no further.
Result<metadata::Command> buildSetScramUser(const SetScramUser &request);
// The deletion of the mechanisms named (none: every one the user has on `image`).
Result<metadata::Command> buildDeleteScramUser(const metadata::MetadataImage &image, const DeleteScramUser &request);

// The command of a SetScramUser or DeleteScramUser request, built on scramUserWorker() (a
// password's PBKDF2 is slow by design: the admin thread answers other requests meanwhile) and
// handed to `done` on `context`'s thread, dropped if `context` is gone by then. One worker, so
// user commands come back, and are proposed, in the order they were asked.
void buildScramUserCommand(Request request, metadata::ImagePtr image, QObject *context,
                           std::function<void(Result<metadata::Command>)> done);
// The one thread buildScramUserCommand runs on (a test holds it busy to see the admin thread free).
QThreadPool &scramUserWorker();

} // namespace skiff::admin
