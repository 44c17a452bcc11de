// Test tool: appends one committed entry to a stopped node's metadata log, as a faulty build or a
// bug could have, so the tests can prove the way out of a halted metadata loop (the node itself
// refuses such proposals before they enter the log).
//   plant_entry DATA_DIR TYPE HEXDATA     prints "INDEX TERM" of the planted entry
#include "cluster/storage/DurableStorage.h"

#include <cstdio>
#include <string>

using namespace skiff;

int main(int argc, char **argv)
{
    if (argc != 4) {
        std::fprintf(stderr, "usage: plant_entry DATA_DIR TYPE HEXDATA\n");
        return 2;
    }
    std::string data;
    const std::string hex = argv[3];
    for (size_t i = 0; i + 1 < hex.size(); i += 2)
        data += char(std::stoi(hex.substr(i, 2), nullptr, 16));
    auto storage = cluster::DurableStorage::open(std::string(argv[1]) + "/metadata/raft", raft::ConfState());
    if (!storage.isOk()) {
        std::fprintf(stderr, "plant_entry: %s\n", storage.status().toString().c_str());
        return 1;
    }
    raft::HardState hs = storage.value()->hardState();
    raft::Entry e;
    e.set_index(storage.value()->lastIndex().value() + 1);
    e.set_term(hs.term());
    e.set_type(raft::EntryType(std::stoi(argv[2])));
    e.set_data(data);
    hs.set_commit(e.index());
    if (Status s = storage.value()->append({e}, &hs); !s.isOk() || !(s = storage.value()->sync()).isOk()) {
        std::fprintf(stderr, "plant_entry: %s\n", s.toString().c_str());
        return 1;
    }
    std::printf("%llu %llu\n", static_cast<unsigned long long>(e.index()), static_cast<unsigned long long>(e.term()));
    return 0;
}
