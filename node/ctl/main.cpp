// skiffctl: the operator's command line. The admin commands (status, brokers, topics, raft, locks,
// watch, transfer-leader, add-node, remove-node) talk to a node's admin socket, which arrives with
// the observability issue; until then this binary knows its version and says what is coming.
#include "core/BuildInfo.h"

#include <cstdio>
#include <cstring>

int main(int argc, char **argv)
{
    const auto &b = skiff::core::buildInfo();
    if (argc > 1 && std::strcmp(argv[1], "--version") == 0) {
        std::printf("skiffctl %s (git %s, built %s)\n", b.version, b.gitHash, b.buildTime);
        return 0;
    }
    if (argc > 1 && (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0)) {
        std::printf("Usage: skiffctl --version | --help\n"
                    "Admin commands need a node's admin socket, which this build does not serve yet.\n"
                    "Until then, use any Kafka admin client (kcat -L, kafka-topics) against the Kafka listener.\n");
        return 0;
    }
    std::fprintf(stderr, "skiffctl: unknown command%s%s; try skiffctl --help\n", argc > 1 ? " " : "", argc > 1 ? argv[1] : "");
    return 2;
}
