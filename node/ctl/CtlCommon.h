#pragma once
// What every skiffctl command shares: exit codes, reaching a node, printing answers and errors.

#include "admin/AdminClient.h"
#include "ctl/CtlOptions.h"

#include <memory>
#include <string>
#include <vector>

namespace google::protobuf {
class Message;
}

namespace skiff::ctl {

enum ExitCode { kExitOk = 0, kExitUnreachable = 1, kExitUsage = 2, kExitDisagree = 3, kExitRefused = 4 };

inline constexpr int kConnectTimeoutMs = 2000;

// How every command reaches a node: the token and TLS of the options.
admin::AdminClientSettings clientSettings(const CtlOptions &options);

// The first of options.admins that accepts a connection; every failure is kept in `error`.
std::unique_ptr<admin::AdminClient> connectAny(const CtlOptions &options, std::string &error);

// Sends `request` to the first node that answers. On failure prints one line and sets `exitCode`.
bool callAny(const CtlOptions &options, admin::Request request, admin::Response &response, int &exitCode);
bool call(admin::AdminClient &client, const CtlOptions &options, admin::Request request, admin::Response &response,
          int &exitCode);
// A change through the cluster (topics, nodes, users): sent like callAny, with options.token,
// which the node checks before it acts. Prints the node's one-line account of what it did (its
// Done, as JSON with --json) or why it refused; returns the exit code.
int sendMutation(const CtlOptions &options, admin::Request request);

// One broker's answer to a request sent to every broker (askEveryBroker).
struct BrokerAnswer {
    uint64_t broker = 0;
    std::string who;            // "node 2 at host:port"
    admin::Response response;   // may carry an error code: the caller judges it
};
// Sends `request` to every broker in the registry (which the first --admin node that answers
// lists): each partition's leader and each group's coordinator knows what the others do not.
// Brokers that cannot be reached go to `unreachable` ("node 2 at host:port: why"). False, with
// one line printed and `exitCode` set, when no node lists the brokers.
bool askEveryBroker(const CtlOptions &options, const admin::Request &request, std::vector<BrokerAnswer> &answers,
                    std::vector<std::string> &unreachable, int &exitCode);

void printJson(const google::protobuf::Message &message);
void printError(const std::string &message);
// Prints `message` with a pointer to --help; returns kExitUsage.
int usage(const std::string &message);

std::string idList(const google::protobuf::RepeatedField<uint64_t> &ids);
std::string errorCodeText(admin::ErrorCode code);

} // namespace skiff::ctl
