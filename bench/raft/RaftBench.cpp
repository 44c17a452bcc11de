// raft_bench: proposals/s through a 3-node in-memory cluster (the core alone: MemoryStorage with
// periodic compaction instead of a disk, messages handed over in-process). Prints figures.
//   raft_bench [proposals=1000000] [batch=256] [payload bytes=64]
#include "raft/MemoryStorage.h"
#include "raft/RawNode.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <map>
#include <memory>
#include <string>

using namespace skiff;
using namespace skiff::raft;

namespace {
struct BenchNode {
    std::unique_ptr<MemoryStorage> storage;
    std::unique_ptr<RawNode> node;
    uint64_t applied = 0;
    uint64_t appliedNormal = 0;
};
} // namespace

int main(int argc, char **argv)
{
    const uint64_t total = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1000000;
    const uint64_t batch = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 256;
    const size_t payload = argc > 3 ? size_t(std::strtoull(argv[3], nullptr, 10)) : 64;

    ConfState cs;
    for (uint64_t id = 1; id <= 3; ++id)
        cs.add_voters(id);
    std::map<uint64_t, BenchNode> nodes;
    for (uint64_t id = 1; id <= 3; ++id) {
        BenchNode &n = nodes[id];
        n.storage = std::make_unique<MemoryStorage>(cs);
        Config c;
        c.id = id;
        c.storage = n.storage.get();
        c.maxInflightMsgs = 256;
        c.maxSizePerMsg = 1 << 20;
        auto r = RawNode::create(c);
        if (!r.isOk()) {
            std::fprintf(stderr, "raft_bench: %s\n", r.status().toString().c_str());
            return 1;
        }
        n.node = std::move(r).value();
    }
    std::deque<Message> wire;
    uint64_t messages = 0, readies = 0;
    auto pump = [&] {
        bool any = true;
        while (any) {
            any = false;
            for (auto &[id, n] : nodes) {
                if (!n.node->hasReady())
                    continue;
                any = true;
                ++readies;
                Ready rd = n.node->ready();
                for (auto &m : rd.messages)
                    wire.push_back(std::move(m));
                (void)n.storage->append(rd.entries);
                if (rd.hardState)
                    n.storage->setHardState(*rd.hardState);
                for (auto &m : rd.persistedMessages)
                    wire.push_back(std::move(m));
                for (const Entry &e : rd.committedEntries) {
                    n.applied = e.index();
                    n.appliedNormal += e.type() == ENTRY_NORMAL ? 1 : 0;
                }
                n.node->advance(rd);
                // Keep memory bounded: compact well behind the applied index.
                if (n.applied > 100000 && n.applied % 50000 < rd.committedEntries.size())
                    (void)n.storage->compact(n.applied - 50000);
            }
            while (!wire.empty()) {
                Message m = std::move(wire.front());
                wire.pop_front();
                ++messages;
                (void)nodes[m.to()].node->step(m);
                any = true;
            }
        }
    };
    (void)nodes[1].node->campaign();
    pump();
    if (nodes[1].node->status().role != Role::Leader) {
        std::fprintf(stderr, "raft_bench: node 1 did not become leader\n");
        return 1;
    }
    const std::string data(payload, 'x');
    const auto start = std::chrono::steady_clock::now();
    uint64_t proposed = 0, ticks = 0;
    while (proposed < total) {
        for (uint64_t i = 0; i < batch && proposed < total; ++i, ++proposed) {
            Status s = nodes[1].node->propose(data);
            if (!s.isOk()) {
                std::fprintf(stderr, "raft_bench: propose failed: %s\n", s.toString().c_str());
                return 1;
            }
        }
        pump();
        if (++ticks % 8 == 0)
            for (auto &[id, n] : nodes)
                n.node->tick();
    }
    pump();
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    for (auto &[id, n] : nodes) {
        if (n.appliedNormal != total) {
            std::fprintf(stderr, "raft_bench: node %llu applied %llu of %llu proposals\n", (unsigned long long)id,
                         (unsigned long long)n.appliedNormal, (unsigned long long)total);
            return 1;
        }
    }
    std::printf("raft_bench: 3 nodes, in-memory storage, %llu proposals of %zu bytes, batch %llu\n",
                (unsigned long long)total, payload, (unsigned long long)batch);
    std::printf("  %.2f s, %.0f proposals/s committed and applied on all 3 nodes, %.2f us/proposal\n", secs,
                double(total) / secs, secs * 1e6 / double(total));
    std::printf("  %llu messages (%.2f per proposal), %llu readies\n", (unsigned long long)messages,
                double(messages) / double(total), (unsigned long long)readies);
    return 0;
}
