#include "ctl/CtlOptions.h"

#include <QString>

#include <cstdlib>

namespace skiff::ctl {
namespace {

std::vector<std::string> splitList(const std::string &s)
{
    std::vector<std::string> out;
    size_t start = 0;
    while (start <= s.size()) {
        size_t end = s.find(',', start);
        if (end == std::string::npos)
            end = s.size();
        if (end > start)
            out.push_back(s.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

Result<int64_t> number(const std::string &flag, const std::string &text, int64_t min, int64_t max)
{
    bool ok = false;
    const qlonglong v = QString::fromStdString(text).toLongLong(&ok);
    if (!ok || v < min || v > max)
        return invalidArgument(flag + " takes a number from " + std::to_string(min) + " to " + std::to_string(max) +
                               ", got '" + text + "'");
    return int64_t(v);
}

} // namespace

const char *usageText()
{
    return "Usage: skiffctl [--admin HOST:PORT[,HOST:PORT...]] [--token T] [--json] [--timeout-ms MS]\n"
           "                [--tls] [--ca FILE] [--cert FILE --key FILE] [--tls-server-name NAME] COMMAND\n"
           "\n"
           "Read commands (no token needed):\n"
           "  status                      node status; with several --admin nodes side by side, exit 3 if\n"
           "                              they disagree on leader or term\n"
           "  brokers [--linearizable]    the broker registry\n"
           "  topics [NAME...] [--linearizable]  topics; with names, their partitions\n"
           "                              (--linearizable: confirmed with the leader, not this node's view)\n"
           "  partitions [TOPIC...] [--under-replicated]  every partition: the leader's log start, high\n"
           "                              watermark, log end, bytes and segments, its replicas' log end, lag\n"
           "                              and last caught-up time (asks every broker: each leader knows its own)\n"
           "  groups [GROUP...] [--offsets]  consumer groups: state, protocol, members, total lag; with names\n"
           "                              or --offsets each partition's committed offset, high watermark and\n"
           "                              lag, and each member's client and assignment (asks every broker)\n"
           "  raft                        Raft progress of every peer (asks the leader)\n"
           "  locks                       lock statistics\n"
           "  watch [--rate HZ] [--count N]  live status and cluster events\n"
           "  users                       SCRAM users: each one's mechanisms and iterations (never a secret)\n"
           "  acls [--principal P] [RESOURCE] [--operation OP] [--host H] [--prefixed] [--deny]\n"
           "                              ACLs (any node: through Raft); only those the selectors given match\n"
           "  events                      the recent events each --admin node kept (elections, fencing, ...),\n"
           "                              merged by time\n"
           "  top [--interval-ms MS] [--iterations N]  live throughput per node and per topic (messages and\n"
           "                              bytes per second in, out to consumers, out to replicas) and Produce/Fetch\n"
           "                              p99 per node (asks every broker); N frames, or until interrupted\n"
           "\n"
           "Mutating commands (need --token when the node sets admin.token):\n"
           "  transfer-leader --to N\n"
           "  add-node ID RAFT_ADDRESS\n"
           "  remove-node N\n"
           "  create-topic NAME [--partitions N] [--replication-factor R] [--config KEY=VALUE ...]\n"
           "  delete-topic NAME\n"
           "  elect-leaders [--unclean] [TOPIC[:PARTITION]...]  move leaderships to the preferred replica\n"
           "                              (--unclean: any live replica of a leaderless partition); none: all\n"
           "  users set NAME [--mechanism M] [--iterations N]  sets NAME's SCRAM credentials (M: SCRAM-SHA-256\n"
           "                              or SCRAM-SHA-512, repeatable; none: both; N: 4096 to 16384, default\n"
           "                              4096) from the password on the first line of stdin\n"
           "  users delete NAME [--mechanism M]  deletes NAME's SCRAM credentials (none named: all of them)\n"
           "  acls add --principal P --operation OP[,OP...] RESOURCE [--prefixed] [--deny] [--host H]\n"
           "                              adds an ALLOW (--deny: DENY) ACL per operation (READ, WRITE, ...,\n"
           "                              any case) for P (User:NAME) from H (default *) on a LITERAL\n"
           "                              (--prefixed: PREFIXED) resource pattern\n"
           "  acls remove RESOURCE [--prefixed] [--principal P] [--operation OP,...] [--host H] [--deny]\n"
           "                              removes the ACLs of that pattern the selectors match (left out: any)\n"
           "                              RESOURCE: --topic NAME | --group NAME | --cluster | --transactional-id\n"
           "                              NAME | --resource-type TYPE --resource NAME\n"
           "\n"
           "TLS (a node with admin.ssl.enable):\n"
           "  --tls                       connect over TLS (implied by --ca, --cert and --key)\n"
           "  --ca FILE                   PEM CA the node's certificate must chain to (default: the system's CAs);\n"
           "                              the certificate must also name the --admin host\n"
           "  --cert FILE --key FILE      a client certificate and its key (admin.ssl.client.auth, and\n"
           "                              admin.mutation.auth = certificate...); an encrypted key's passphrase\n"
           "                              comes from $SKIFF_ADMIN_KEY_PASSWORD, never the command line\n"
           "  --tls-server-name NAME      the name the node's certificate must carry instead of the --admin host\n"
           "\n"
           "Default --admin 127.0.0.1:9094; the token may also come from $SKIFF_ADMIN_TOKEN, the files from\n"
           "$SKIFF_ADMIN_CA, $SKIFF_ADMIN_CERT and $SKIFF_ADMIN_KEY (an option given wins).\n"
           "Commands other than status and events use the first --admin node that answers.\n"
           "Exit codes: 0 ok, 1 cannot reach a node, 2 usage, 3 nodes disagree, 4 the node refused the request.\n";
}

Result<CtlOptions> parseOptions(int argc, char **argv)
{
    CtlOptions o;
    if (const char *env = std::getenv("SKIFF_ADMIN_TOKEN"))
        o.token = env;
    for (auto [name, field] : {std::pair{"SKIFF_ADMIN_CA", &o.ca}, std::pair{"SKIFF_ADMIN_CERT", &o.cert},
                               std::pair{"SKIFF_ADMIN_KEY", &o.key}, std::pair{"SKIFF_ADMIN_KEY_PASSWORD", &o.keyPassword}})
        if (const char *env = std::getenv(name))
            *field = env;
    std::vector<std::string> positional;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto value = [&](std::string &out) -> Status {
            if (i + 1 >= argc)
                return invalidArgument(arg + " needs a value");
            out = argv[++i];
            return Status::ok();
        };
        std::string v;
        if (arg == "--help" || arg == "-h") {
            o.help = true;
        } else if (arg == "--version") {
            o.version = true;
        } else if (arg == "--json") {
            o.json = true;
        } else if (arg == "--unclean") {
            o.unclean = true;
        } else if (arg == "--linearizable") {
            o.linearizable = true;
        } else if (arg == "--under-replicated") {
            o.underReplicated = true;
        } else if (arg == "--offsets") {
            o.offsets = true;
        } else if (arg == "--prefixed") {
            o.prefixed = true;
        } else if (arg == "--deny") {
            o.deny = true;
        } else if (arg == "--principal") {
            SKIFF_RETURN_IF_ERROR(value(o.principal));
        } else if (arg == "--host") {
            SKIFF_RETURN_IF_ERROR(value(o.host));
        } else if (arg == "--operation") {
            SKIFF_RETURN_IF_ERROR(value(v));
            for (auto &op : splitList(v))
                o.operations.push_back(op);
        } else if (arg == "--topic" || arg == "--group" || arg == "--transactional-id" || arg == "--cluster"
                   || arg == "--resource-type") {
            if (arg != "--cluster")
                SKIFF_RETURN_IF_ERROR(value(v));
            if (!o.aclResourceType.empty())
                return invalidArgument("one resource at a time: --topic, --group, --cluster, --transactional-id or "
                                       "--resource-type, once");
            if (arg == "--resource-type") {
                o.aclResourceType = v;
                continue;
            }
            o.aclResourceType = arg == "--topic" ? "TOPIC" : arg == "--group" ? "GROUP" : arg == "--cluster" ? "CLUSTER"
                                                                                                      : "TRANSACTIONAL_ID";
            v = arg == "--cluster" ? "kafka-cluster" : v;   // the cluster resource's one name (Kafka's)
            if (!o.aclResourceName.empty())
                return invalidArgument(arg + " names the resource; --resource is for --resource-type");
            o.aclResourceName = v;
        } else if (arg == "--resource") {
            if (!o.aclResourceName.empty())
                return invalidArgument("one resource at a time: --resource names it for --resource-type");
            SKIFF_RETURN_IF_ERROR(value(o.aclResourceName));
        } else if (arg == "--admin") {
            SKIFF_RETURN_IF_ERROR(value(v));
            o.admins = splitList(v);
            if (o.admins.empty())
                return invalidArgument("--admin needs HOST:PORT[,HOST:PORT...]");
        } else if (arg == "--mechanism") {
            SKIFF_RETURN_IF_ERROR(value(v));
            if (v != "SCRAM-SHA-256" && v != "SCRAM-SHA-512")
                return invalidArgument("--mechanism takes SCRAM-SHA-256 or SCRAM-SHA-512, got '" + v + "'");
            o.mechanisms.push_back(v);
        } else if (arg == "--token") {
            SKIFF_RETURN_IF_ERROR(value(o.token));
        } else if (arg == "--tls") {
            o.tls = true;
        } else if (arg == "--ca") {
            SKIFF_RETURN_IF_ERROR(value(o.ca));
        } else if (arg == "--cert") {
            SKIFF_RETURN_IF_ERROR(value(o.cert));
        } else if (arg == "--key") {
            SKIFF_RETURN_IF_ERROR(value(o.key));
        } else if (arg == "--tls-server-name") {
            SKIFF_RETURN_IF_ERROR(value(o.tlsServerName));
        } else if (arg == "--key-password" || arg == "--pass") {
            return invalidArgument(arg + ": the key's passphrase is read from $SKIFF_ADMIN_KEY_PASSWORD only (a command "
                                         "line shows in ps)");
        } else if (arg == "--config") {
            SKIFF_RETURN_IF_ERROR(value(v));
            const size_t eq = v.find('=');
            if (eq == std::string::npos || eq == 0)
                return invalidArgument("--config takes KEY=VALUE, got '" + v + "'");
            o.configs[v.substr(0, eq)] = v.substr(eq + 1);
        } else if (arg == "--count" || arg == "--rate" || arg == "--timeout-ms" || arg == "--to" ||
                   arg == "--partitions" || arg == "--replication-factor" || arg == "--interval-ms" ||
                   arg == "--iterations") {
            SKIFF_RETURN_IF_ERROR(value(v));
            // Partition and replica counts only need to fit the admin protocol's int32 (0 would mean
            // the node's default): the node's planner judges them, with the words Kafka clients get.
            const int64_t max = arg == "--rate" ? 20 : INT32_MAX;
            auto n = number(arg, v, arg == "--count" || arg == "--iterations" ? 0 : 1, max);
            if (!n.isOk())
                return n.status();
            if (arg == "--count") o.count = int(n.value());
            else if (arg == "--rate") o.rateHz = int(n.value());
            else if (arg == "--timeout-ms") o.timeoutMs = int(n.value());
            else if (arg == "--to") o.to = uint64_t(n.value());
            else if (arg == "--partitions") o.partitions = int32_t(n.value());
            else if (arg == "--interval-ms") o.intervalMs = int(n.value());
            else if (arg == "--iterations") o.iterations = int(n.value());
            else o.replicationFactor = int32_t(n.value());
        } else if (arg.size() > 1 && arg[0] == '-') {
            return invalidArgument("unknown option '" + arg + "'");
        } else {
            positional.push_back(arg);
        }
    }
    o.tls = o.tls || !o.ca.empty() || !o.cert.empty() || !o.key.empty() || !o.tlsServerName.empty();
    if (o.cert.empty() != o.key.empty())
        return invalidArgument(o.cert.empty() ? "--key needs --cert (the client certificate it belongs to)"
                                              : "--cert needs --key (the certificate's private key)");
    if (!positional.empty()) {
        o.command = positional.front();
        o.args.assign(positional.begin() + 1, positional.end());
    }
    return o;
}

} // namespace skiff::ctl
