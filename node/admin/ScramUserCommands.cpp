#include "admin/ScramUserCommands.h"

#include "auth/ScramFormulas.h"
#include "metadata/MetadataController.h"

#include <QPointer>
#include <QThreadPool>

#include <set>

namespace skiff::admin {
namespace {

constexpr int32_t kDefaultIterations = 4096;   // Kafka's kafka-configs default as well
constexpr size_t kSaltBytes = 16;

// The mechanisms named (each once), or both when none is.
Result<std::vector<metadata::ScramMechanism>> mechanismsOf(const google::protobuf::RepeatedPtrField<std::string> &names)
{
    if (names.empty())
        return std::vector<metadata::ScramMechanism>{metadata::ScramMechanism::Sha256, metadata::ScramMechanism::Sha512};
    std::set<metadata::ScramMechanism> out;
    for (const auto &name : names) {
        auto mechanism = metadata::scramMechanismFromName(name);
        if (!mechanism)
            return invalidArgument("unknown SCRAM mechanism '" + name + "' (known: SCRAM-SHA-256, SCRAM-SHA-512)");
        out.insert(*mechanism);
    }
    return std::vector<metadata::ScramMechanism>(out.begin(), out.end());
}

Status statusOf(const metadata::ScramDecision &d)
{
    return d.ok() ? Status::ok() : Status(d.refusal == metadata::ScramRefusal::NotFound ? StatusCode::NotFound : StatusCode::InvalidArgument, d.message);
}

} // namespace

ScramUserList listScramUsers(const metadata::MetadataImage &image)
{
    ScramUserList out;
    for (const auto &[name, credentials] : image.scramCredentials) {
        ScramUser *user = out.add_users();
        user->set_name(name);
        for (const auto &[mechanism, credential] : credentials) {
            ScramUserCredential *c = user->add_credentials();
            c->set_mechanism(std::string(metadata::scramMechanismName(mechanism)));
            c->set_iterations(credential.iterations);
        }
    }
    return out;
}

Result<metadata::Command> buildSetScramUser(const SetScramUser &request)
{
    auto mechanisms = mechanismsOf(request.mechanisms());
    if (!mechanisms.isOk())
        return mechanisms.status();
    if (request.password().empty())
        return invalidArgument("the password of user '" + request.user() + "' is empty");
    const int32_t iterations = request.iterations() ? request.iterations() : kDefaultIterations;
    metadata::Command command;
    for (metadata::ScramMechanism mechanism : *mechanisms) {
        const std::string salt = auth::randomBytes(kSaltBytes);
        // Checked before the (deliberately slow) derivation: a bad name or count costs nothing.
        if (Status s = statusOf(metadata::checkScramParameters(request.user(), int32_t(mechanism), iterations, salt)); !s.isOk())
            return s;
        const metadata::ScramCredential c = auth::credentialFromPassword(mechanism, request.password(), salt, iterations);
        metadata::ScramCredentialEntry *e = command.mutable_alter_scram_credentials()->add_upsertions();
        e->set_user(request.user());
        e->set_mechanism(int32_t(mechanism));
        e->set_iterations(c.iterations);
        e->set_salt(c.salt);
        e->set_stored_key(c.storedKey);
        e->set_server_key(c.serverKey);
    }
    return command;
}

Result<metadata::Command> buildDeleteScramUser(const metadata::MetadataImage &image, const DeleteScramUser &request)
{
    std::vector<metadata::ScramMechanism> mechanisms;
    if (request.mechanisms().empty()) {
        if (auto it = image.scramCredentials.find(request.user()); it != image.scramCredentials.end())
            for (const auto &[mechanism, credential] : it->second)
                mechanisms.push_back(mechanism);
        if (mechanisms.empty())
            return notFound("user '" + request.user() + "' has no SCRAM credential (skiffctl users lists those that do)");
    } else {
        auto named = mechanismsOf(request.mechanisms());
        if (!named.isOk())
            return named.status();
        mechanisms = std::move(named.value());
    }
    metadata::Command command;
    for (metadata::ScramMechanism mechanism : mechanisms) {
        if (Status s = statusOf(metadata::checkScramDeletion(image.scramCredentials, request.user(), int32_t(mechanism))); !s.isOk())
            return s;
        metadata::ScramCredentialDeletion *d = command.mutable_alter_scram_credentials()->add_deletions();
        d->set_user(request.user());
        d->set_mechanism(int32_t(mechanism));
    }
    return command;
}

void buildScramUserCommand(Request request, metadata::ImagePtr image, QObject *context,
                           std::function<void(Result<metadata::Command>)> done)
{
    scramUserWorker().start([request = std::move(request), image = std::move(image), context = QPointer<QObject>(context),
                             done = std::move(done)]() mutable {
        auto command = request.has_set_scram_user() ? buildSetScramUser(request.set_scram_user())
                                                    : buildDeleteScramUser(*image, request.delete_scram_user());
        metadata::postTo(context, [done = std::move(done), command = std::move(command)]() { done(command); });
    });
}

QThreadPool &scramUserWorker()
{
    struct OneThread : QThreadPool {
        OneThread() { setMaxThreadCount(1); }   // in arrival order; its destructor waits for the one running
    };
    static OneThread worker;
    return worker;
}

} // namespace skiff::admin
