#include "ctl/CtlCommon.h"

#include "admin/ProtoJson.h"

#include <QJsonDocument>

#include <cstdio>

namespace skiff::ctl {

admin::AdminClientSettings clientSettings(const CtlOptions &options)
{
    return {options.token, {options.tls, options.ca, options.cert, options.key, options.keyPassword, options.tlsServerName}};
}

std::unique_ptr<admin::AdminClient> connectAny(const CtlOptions &options, std::string &error)
{
    for (const std::string &address : options.admins) {
        auto client = std::make_unique<admin::AdminClient>(clientSettings(options));
        Status s = client->connectTo(address, kConnectTimeoutMs);
        if (s.isOk())
            return client;
        error += (error.empty() ? "" : "; ") + s.message();
    }
    return nullptr;
}

bool call(admin::AdminClient &client, const CtlOptions &options, admin::Request request, admin::Response &response,
          int &exitCode)
{
    auto r = client.call(std::move(request), options.timeoutMs);
    if (!r.isOk()) {
        printError(r.status().message());
        exitCode = kExitUnreachable;
        return false;
    }
    response = std::move(r.value());
    if (response.error_code() != admin::ERROR_CODE_NONE) {
        printError(client.address() + " refused: " + response.error_message() + " (" +
                   errorCodeText(response.error_code()) + ")");
        exitCode = kExitRefused;
        return false;
    }
    return true;
}

bool callAny(const CtlOptions &options, admin::Request request, admin::Response &response, int &exitCode)
{
    std::string error;
    auto client = connectAny(options, error);
    if (!client) {
        printError(error);
        exitCode = kExitUnreachable;
        return false;
    }
    return call(*client, options, std::move(request), response, exitCode);
}

int sendMutation(const CtlOptions &options, admin::Request request)
{
    admin::Response response;
    int code = kExitOk;
    if (!callAny(options, std::move(request), response, code))
        return code;
    if (options.json)
        printJson(response.done());
    else
        std::printf("%s\n", response.done().detail().c_str());
    return kExitOk;
}

bool askEveryBroker(const CtlOptions &options, const admin::Request &request, std::vector<BrokerAnswer> &answers,
                    std::vector<std::string> &unreachable, int &exitCode)
{
    admin::Request brokersRequest;
    brokersRequest.mutable_list_brokers();
    admin::Response brokers;
    if (!callAny(options, brokersRequest, brokers, exitCode))
        return false;
    for (const auto &b : brokers.brokers().brokers()) {
        const std::string who = "node " + std::to_string(b.id()) + " at " + b.admin_address();
        if (b.admin_address().empty()) {
            unreachable.push_back("node " + std::to_string(b.id()) + ": no admin address registered");
            continue;
        }
        admin::AdminClient client(clientSettings(options));
        if (Status s = client.connectTo(b.admin_address(), kConnectTimeoutMs); !s.isOk()) {
            unreachable.push_back(who + ": " + s.message());
            continue;
        }
        auto r = client.call(request, options.timeoutMs);
        if (!r.isOk()) {
            unreachable.push_back(who + ": " + r.status().message());
            continue;
        }
        answers.push_back({b.id(), who, std::move(r.value())});
    }
    return true;
}

void printJson(const google::protobuf::Message &message)
{
    std::printf("%s\n", QJsonDocument(admin::toJson(message)).toJson(QJsonDocument::Compact).constData());
}

void printError(const std::string &message) { std::fprintf(stderr, "skiffctl: %s\n", message.c_str()); }

int usage(const std::string &message)
{
    printError(message + "; see skiffctl --help");
    return kExitUsage;
}

std::string idList(const google::protobuf::RepeatedField<uint64_t> &ids)
{
    std::string out;
    for (uint64_t id : ids)
        out += (out.empty() ? "" : ",") + std::to_string(id);
    return out.empty() ? "-" : out;
}

std::string errorCodeText(admin::ErrorCode code)
{
    std::string name = admin::ErrorCode_Name(code);
    const std::string prefix = "ERROR_CODE_";
    return name.rfind(prefix, 0) == 0 ? name.substr(prefix.size()) : name;
}

} // namespace skiff::ctl
