// libFuzzer harness for what a hostile or broken peer can send (built by run-fuzz.sh, not by CMake).
//
// The input is a byte stream as it would arrive on a peer link, fed to PeerFrameDecoder in chunks
// whose sizes come from the input. Every decoded Raft message is stepped into a 3-voter RawNode
// that is driven like the Ready loop drives it (persist to MemoryStorage, apply committed entries
// through dispatchEntry, advance), so any message that makes the core crash, assert or loop is a
// finding. A node must survive whatever its peers say.
//
// With SKIFF_FUZZ_WRITE_SEEDS=<dir> the binary writes a seed corpus of well-formed frames and exits.

#include "cluster.pb.h"
#include "cluster/PeerAdmission.h"
#include "cluster/peer/PeerFraming.h"
#include "metadata.pb.h"
#include "raft/EntryDispatch.h"
#include "raft/MemoryStorage.h"
#include "raft/RawNode.h"

#include <QByteArray>

#include <google/protobuf/stubs/logging.h>

#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <fstream>

using namespace skiff;

namespace {

void drive(raft::RawNode &node, raft::MemoryStorage &storage)
{
    for (int rounds = 0; rounds < 8 && node.hasReady(); ++rounds) {
        raft::Ready rd = node.ready();
        if (rd.snapshot)
            (void)storage.applySnapshot(*rd.snapshot);
        if (!rd.entries.empty())
            (void)storage.append(rd.entries);
        if (rd.hardState)
            storage.setHardState(*rd.hardState);
        raft::EntryHandlers handlers;
        handlers.onNormal = [](const raft::Entry &e) {
            metadata::Command c;
            return c.ParseFromString(e.data()) ? Status::ok() : corruption("not a command");
        };
        handlers.onConfChange = [&](const raft::Entry &, const raft::ConfChange &cc) {
            auto r = node.applyConfChange(cc);
            return r.isOk() ? Status::ok() : r.status();
        };
        for (const auto &e : rd.committedEntries)
            if (!raft::dispatchEntry(e, handlers).isOk())
                break;   // the Ready loop halts here; the fuzzer just stops applying
        node.advance(rd);
    }
}

// Values mutation rarely reaches in a varint but a faulty peer sends at once: a term of 2^64-1
// once made every node abort (the pre-vote term wrapped to 0) and persist it.
constexpr uint64_t kBoundaries[] = {0, 1, 2, (uint64_t(1) << 62) - 1, uint64_t(1) << 62, (uint64_t(1) << 62) + 1,
                                    uint64_t(1) << 63, ~uint64_t(0) - 1, ~uint64_t(0)};

// Sets one integer field of `m` (chosen by `selector`) to a boundary value (chosen by `value`).
void setBoundary(raft::Message &m, uint8_t selector, uint8_t value)
{
    const uint64_t v = kBoundaries[value % std::size(kBoundaries)];
    switch (selector % 11) {
    case 0: m.set_term(v); break;
    case 1: m.set_log_term(v); break;
    case 2: m.set_index(v); break;
    case 3: m.set_commit(v); break;
    case 4: m.set_reject_hint(v); break;
    case 5: m.set_from(v); break;
    case 6: m.set_to(v); break;
    case 7: if (m.entries_size()) m.mutable_entries(0)->set_term(v); break;
    case 8: if (m.entries_size()) m.mutable_entries(0)->set_index(v); break;
    case 9: m.mutable_snapshot()->mutable_metadata()->set_term(v); break;
    default: m.mutable_snapshot()->mutable_metadata()->set_index(v); break;
    }
}

void writeSeeds(const std::string &dir)
{
    auto write = [&](const std::string &name, const cluster::PeerFrame &f) {
        const QByteArray bytes = cluster::encodePeerFrame(f);
        std::ofstream(dir + "/" + name, std::ios::binary).write(bytes.constData(), bytes.size());
    };
    for (int type = raft::MSG_PROP; type <= raft::MSG_READ_INDEX_RESP; ++type) {
        cluster::PeerFrame f;
        raft::Message *m = f.mutable_raft();
        m->set_type(raft::MessageType(type));
        m->set_from(2);
        m->set_to(1);
        m->set_term(2);
        m->set_log_term(1);
        m->set_index(1);
        m->set_commit(1);
        raft::Entry *e = m->add_entries();
        e->set_index(2);
        e->set_term(2);
        e->set_type(raft::ENTRY_NORMAL);
        e->set_data(metadata::Command().SerializeAsString());
        if (type == raft::MSG_SNAP) {
            m->mutable_snapshot()->mutable_metadata()->set_index(5);
            m->mutable_snapshot()->mutable_metadata()->set_term(2);
            m->mutable_snapshot()->mutable_metadata()->mutable_conf_state()->add_voters(1);
        }
        write("raft-" + std::to_string(type), f);
    }
    for (uint64_t term : {~uint64_t(0), uint64_t(1) << 62, (uint64_t(1) << 62) + 1}) {
        cluster::PeerFrame f;
        raft::Message *m = f.mutable_raft();
        m->set_type(raft::MSG_HEARTBEAT);
        m->set_from(2);
        m->set_to(1);
        m->set_term(term);
        write("heartbeat-term-" + std::to_string(term), f);
    }
    cluster::PeerFrame hb;
    hb.mutable_broker_heartbeat()->set_broker_id(2);
    write("heartbeat", hb);
    cluster::PeerFrame join;
    join.mutable_join_request()->set_node_id(4);
    write("join", join);
    cluster::PeerFrame quorumAsk;
    quorumAsk.mutable_quorum_request()->set_request_id(7);
    write("quorum-request", quorumAsk);
    cluster::PeerFrame quorumReply;
    quorumReply.mutable_quorum_reply()->set_request_id(7);
    quorumReply.mutable_quorum_reply()->add_voters()->set_log_end_offset(-1);
    write("quorum-reply", quorumReply);
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    // Garbage with invalid UTF-8 in string fields is refused by the parser, which says so on
    // stderr every time; that is expected here and would drown the fuzzer's own output.
    google::protobuf::SetLogHandler([](google::protobuf::LogLevel, const char *, int, const std::string &) {});
    if (const char *dir = std::getenv("SKIFF_FUZZ_WRITE_SEEDS")) {
        writeSeeds(dir);
        std::exit(0);
    }
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    raft::ConfState cs;
    for (uint64_t id : {1, 2, 3})
        cs.add_voters(id);
    raft::MemoryStorage storage(cs);
    raft::Config config;
    config.id = 1;
    config.storage = &storage;
    config.randomSeed = 7;
    auto node = raft::RawNode::create(config);
    if (!node.isOk())
        std::abort();

    // The link the bytes arrive on: node 2's (the seeds' sender) for two inputs in three, else
    // member 3, the joiner's unidentified link (0) or a non-member (4, 5), chosen by the input's
    // length. Every frame passes the controller's admission first, as on a real link, so frames
    // speaking for another node and links from non-members are part of what is fuzzed.
    cluster::PeerAdmission admission(1, "fuzz-token", &cs);
    static constexpr uint64_t kOtherLinks[] = {3, 0, 4, 5};
    const uint64_t linkNode = size % 3 != 0 ? 2 : kOtherLinks[(size / 3) % 4];
    cluster::PeerFrameDecoder decoder(1 << 20);
    size_t pos = 0;
    while (pos < size) {
        // The first byte of each step chooses how much of the stream arrives at once.
        const size_t chunk = std::min<size_t>(size - pos, 1 + data[pos] % 64);
        decoder.feed(QByteArray(reinterpret_cast<const char *>(data + pos), qsizetype(chunk)));
        pos += chunk;
        for (;;) {
            auto frame = decoder.next();
            if (!frame.isOk() || !frame.value())
                break;
            int ticks = 1;
            if (frame.value()->has_hello())
                (void)admission.admitLink(frame.value()->hello());
            else if (!admission.admitFrame(linkNode, *frame.value()).isOk())
                continue;   // dropped, as RaftController drops it
            if (frame.value()->has_raft()) {
                raft::Message m = frame.value()->raft();
                // The byte after the frame, if odd, asks for a boundary value in one field; then
                // the node is ticked past an election timeout, where such a term used to abort.
                if (pos < size && (data[pos] & 1) && pos + 1 < size) {
                    setBoundary(m, data[pos] >> 1, data[pos + 1]);
                    ticks = 25;
                }
                (void)node.value()->step(m);
                drive(*node.value(), storage);
            }
            for (int i = 0; i < ticks; ++i) {
                node.value()->tick();
                drive(*node.value(), storage);
            }
        }
        if (auto e = decoder.next(); !e.isOk())
            break;   // the link is closed on the first bad frame
    }
    return 0;
}
