// Randomized deterministic simulation (feature 2). Environment:
//   SKIFF_RAFT_SIM_SCHEDULES  number of schedules (default 10000)
//   SKIFF_RAFT_SIM_SEED_BASE  first seed (default 1); schedule i uses seed base+i
//   SKIFF_RAFT_SIM_SEED       run only this seed (replay), printing its trace to stdout
#include "Simulator.h"

#include <QTest>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

using namespace skiff::raft::sim;

namespace {
uint64_t envU64(const char *name, uint64_t fallback)
{
    const char *v = std::getenv(name);
    return v && *v ? std::strtoull(v, nullptr, 10) : fallback;
}
} // namespace

class SimTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { installSimAbortHandler(); }

    void replayIsByteForByte()
    {
        for (uint64_t seed : {7ULL, 1234567ULL}) {
            SimResult a = Simulator(seed, true).run();
            SimResult b = Simulator(seed, true).run();
            QVERIFY2(a.ok, a.failure.c_str());
            QVERIFY(!a.trace.empty());
            QCOMPARE(a.trace, b.trace);
            QCOMPARE(a.traceHash, b.traceHash);
            QCOMPARE(a.rounds, b.rounds);
        }
        QVERIFY(Simulator(7, false).run().traceHash != Simulator(8, false).run().traceHash);
    }

    void randomizedSchedules()
    {
        if (const char *one = std::getenv("SKIFF_RAFT_SIM_SEED"); one && *one) {
            const uint64_t seed = std::strtoull(one, nullptr, 10);
            SimResult r = Simulator(seed, true).run();
            std::fwrite(r.trace.data(), 1, r.trace.size(), stdout);
            std::printf("seed %llu: %s (trace hash %016llx, %llu rounds)\n", (unsigned long long)seed,
                        r.ok ? "ok" : r.failure.c_str(), (unsigned long long)r.traceHash,
                        (unsigned long long)r.rounds);
            QVERIFY2(r.ok, r.failure.c_str());
            return;
        }
        const uint64_t count = envU64("SKIFF_RAFT_SIM_SCHEDULES", 10000);
        const uint64_t base = envU64("SKIFF_RAFT_SIM_SEED_BASE", 1);
        const auto start = std::chrono::steady_clock::now();
        uint64_t rounds = 0, crashes = 0, snaps = 0, committed = 0, confs = 0, reads = 0, transfers = 0;
        for (uint64_t i = 0; i < count; ++i) {
            const uint64_t seed = base + i;
            SimResult r = Simulator(seed).run();
            if (!r.ok) {
                const std::string msg = "seed " + std::to_string(seed) + " failed: " + r.failure +
                                        "\n  replay: SKIFF_RAFT_SIM_SEED=" + std::to_string(seed) +
                                        " test_raft_sim randomizedSchedules";
                QFAIL(msg.c_str());
            }
            rounds += r.rounds;
            crashes += r.crashes;
            snaps += r.snapshotsSent;
            committed += r.committed;
            confs += r.confChanges;
            reads += r.reads;
            transfers += r.transfers;
        }
        const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::printf("raft sim: %llu schedules (seeds %llu..%llu) in %.1f s: %llu rounds, %llu crashes, "
                    "%llu snapshots delivered, %llu entries committed, %llu conf changes applied, %llu reads checked, "
                    "%llu transfers requested\n",
                    (unsigned long long)count, (unsigned long long)base, (unsigned long long)(base + count - 1), secs,
                    (unsigned long long)rounds, (unsigned long long)crashes, (unsigned long long)snaps,
                    (unsigned long long)committed, (unsigned long long)confs, (unsigned long long)reads,
                    (unsigned long long)transfers);
        QVERIFY(rounds > count * 100);  // the schedules really ran
    }
};

QTEST_GUILESS_MAIN(SimTest)
#include "SimTest.moc"
