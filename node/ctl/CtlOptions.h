#pragma once
// skiffctl's command line: global options anywhere, then a command and its arguments.

#include "common/Status.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace skiff::ctl {

struct CtlOptions {
    std::vector<std::string> admins{"127.0.0.1:9094"};
    std::string token;          // --token, else $SKIFF_ADMIN_TOKEN
    // TLS to the admin socket (a node with admin.ssl.enable): --tls, implied by --ca, --cert or
    // --key (and by their $SKIFF_ADMIN_CA, $SKIFF_ADMIN_CERT, $SKIFF_ADMIN_KEY). The key's
    // passphrase comes from $SKIFF_ADMIN_KEY_PASSWORD alone: never on the command line.
    bool tls = false;
    std::string ca;             // --ca FILE: the CA the node's certificate must chain to (default: the system's)
    std::string cert;           // --cert FILE: a client certificate, for admin.mutation.auth = certificate...
    std::string key;            // --key FILE
    std::string keyPassword;    // $SKIFF_ADMIN_KEY_PASSWORD
    std::string tlsServerName;  // --tls-server-name NAME: the name the node's certificate must carry (default: the --admin host)
    bool json = false;
    bool unclean = false;       // elect-leaders
    bool linearizable = false;  // brokers/topics: a ReadIndex-confirmed read
    bool underReplicated = false;   // partitions: only those whose ISR is smaller than their replicas
    bool offsets = false;       // groups: each partition's committed offset and lag, each member's assignment
    int count = 0;              // watch: stop after this many status updates (0: never)
    int rateHz = 2;             // watch
    int intervalMs = 1000;      // top: time between two snapshots of a node
    int iterations = 0;         // top: frames to print (0: until interrupted); users set: SCRAM iterations (0: 4096)
    std::vector<std::string> mechanisms;   // users set/delete --mechanism (none: both)
    int timeoutMs = 15000;      // per request (mutations wait for the change to be applied)
    uint64_t to = 0;            // transfer-leader --to
    int32_t partitions = 0;     // create-topic (0: the node's num.partitions)
    int32_t replicationFactor = 0;
    std::map<std::string, std::string> configs;   // create-topic --config k=v
    // acls (list, add, remove): an ACL's selectors, Kafka's names as typed (AclsCommand parses them).
    std::string principal;                  // --principal User:alice
    std::vector<std::string> operations;    // --operation READ[,WRITE...], repeatable
    std::string aclResourceType;            // --resource-type, or the type --topic/--group/--cluster/--transactional-id names
    std::string aclResourceName;            // --resource, or the name --topic/--group/--transactional-id gives
    std::string host;                       // --host
    bool prefixed = false;                  // --prefixed: a PREFIXED pattern
    bool deny = false;                      // --deny: a DENY ACL
    std::string command;
    std::vector<std::string> args;
    bool help = false;
    bool version = false;
};

Result<CtlOptions> parseOptions(int argc, char **argv);
const char *usageText();

} // namespace skiff::ctl
