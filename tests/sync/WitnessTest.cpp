// The lock-order witness against the two deadlocks that froze our predecessor: the message loop
// re-taking a write lock it held, and a raft/state lock-order inversion between the Ready loop
// and a reader. Both must be reported on first occurrence, without the test hanging.

#include "WitnessRecorder.h"
#include "sync/SelfDeadlockError.h"
#include "sync/SourceSite.h"
#include "sync/TrackedLock.h"
#include "sync/TrackedMutex.h"
#include "sync/Witness.h"

#include <QTest>
#include <csignal>
#include <optional>
#include <pthread.h>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace skiff::sync;

namespace {

// What formatSite() prints for a line of this file: relative to the source tree.
std::string siteAt(int line)
{
    return "tests/sync/WitnessTest.cpp:" + std::to_string(line);
}

// Runs f on a new thread named `name` (the OS name, as QThread would set it) and joins it.
template <class F>
void runOnNamedThread(const char *name, F f)
{
    std::thread thread([&] {
        pthread_setname_np(pthread_self(), name);
        f();
    });
    thread.join();
}

bool contains(const std::string &haystack, const std::string &needle)
{
    return haystack.find(needle) != std::string::npos;
}

} // namespace

class WitnessTest : public QObject {
    Q_OBJECT

private:
    std::optional<WitnessRecorder> m_recorder;
    int m_selfFirstLine = 0;
    int m_selfSecondLine = 0;

    // The predecessor's message loop: handleReady() holds the state lock and calls
    // applyEntry(), which takes it again.
    void applyEntry(TrackedMutex &state)
    {
        m_selfSecondLine = __LINE__ + 1;
        TrackedLock again(state);
    }
    void handleReady(TrackedMutex &state)
    {
        m_selfFirstLine = __LINE__ + 1;
        TrackedLock lock(state);
        applyEntry(state);
    }

private slots:
    // First, while the process has no other threads: fork() is only safe then.
    void selfDeadlockAbortsInFatalMode()
    {
        int pipeFds[2];
        QCOMPARE(::pipe(pipeFds), 0);
        const pid_t child = ::fork();
        QVERIFY(child >= 0);
        if (child == 0) {
            ::alarm(20); // a hang in the child must fail the test, not block it
            const rlimit noCore{0, 0};
            ::setrlimit(RLIMIT_CORE, &noCore); // the abort is expected: no core file
            ::signal(SIGABRT, SIG_DFL);        // nor QTest's crash handler (it runs gdb)
            ::dup2(pipeFds[1], STDERR_FILENO);
            ::close(pipeFds[0]);
            setWitnessAction(WitnessAction::Abort);
            TrackedMutex state{"fork-state"};
            state.lock();
            state.lock(); // must abort here, before blocking
            ::_exit(0);
        }
        ::close(pipeFds[1]);
        std::string output;
        char buffer[4096];
        ssize_t n;
        while ((n = ::read(pipeFds[0], buffer, sizeof buffer)) > 0)
            output.append(buffer, size_t(n));
        ::close(pipeFds[0]);
        int status = 0;
        QCOMPARE(::waitpid(child, &status, 0), child);
        QVERIFY2(WIFSIGNALED(status), output.c_str());
        QCOMPARE(WTERMSIG(status), SIGABRT);
        QVERIFY2(contains(output, "self-deadlock"), output.c_str());
        QVERIFY2(contains(output, "\"fork-state\""), output.c_str());
        QVERIFY2(contains(output, "tests/sync/WitnessTest.cpp:"), output.c_str());
    }

    void init()
    {
        setWitnessEnabled(true);
        setWitnessAction(WitnessAction::Throw);
        m_recorder.emplace();
        clearWitnessReports();
    }
    void cleanup()
    {
        m_recorder.reset();
        setWitnessAction(WitnessAction::Log);
    }

    // Deadlock #1: reported on the second acquisition with the lock name and both sites, and
    // (test mode) thrown instead of blocking.
    void reacquiringAHeldLockIsReportedNotHung()
    {
        TrackedMutex state{"state"};
        bool threw = false;
        runOnNamedThread("ready-loop", [&] {
            try {
                handleReady(state);
            } catch (const SelfDeadlockError &) {
                threw = true;
            }
        });
        QVERIFY(threw);
        const auto reports = m_recorder->reports();
        QCOMPARE(reports.size(), size_t(1));
        const WitnessReport &r = reports[0];
        qInfo().noquote() << QString::fromStdString(r.text);
        QCOMPARE(r.kind, WitnessReportKind::SelfDeadlock);
        QCOMPARE(r.attempted.heldClass, std::string("state"));
        QCOMPARE(r.attempted.takenClass, std::string("state"));
        QCOMPARE(r.attempted.heldSite, siteAt(m_selfFirstLine));
        QCOMPARE(r.attempted.takenSite, siteAt(m_selfSecondLine));
        QVERIFY2(contains(r.attempted.thread, "ready-loop"), r.attempted.thread.c_str());
        QVERIFY(contains(r.text, siteAt(m_selfFirstLine)) && contains(r.text, siteAt(m_selfSecondLine)));
        QVERIFY(r.established.empty());
        // Kept for the admin socket too.
        QCOMPARE(witnessReports().size(), size_t(1));
        // The outer guard was released while unwinding: the lock is free again.
        QVERIFY(state.try_lock());
        state.unlock();
    }

    void reacquiringAHeldMutexThroughTryLockIsReported()
    {
        TrackedMutex m{"self-try"};
        TrackedLock lock(m);
        QVERIFY_THROWS_EXCEPTION(SelfDeadlockError, (void)m.try_lock());
        QCOMPARE(m_recorder->reports().size(), size_t(1));
    }

    // Deadlock #2, run sequentially so it cannot deadlock: still reported on the first run.
    void raftStateInversionIsReportedOnFirstOccurrence()
    {
        TrackedMutex raft{"raft"};
        TrackedMutex state{"state"};
        int readyRaftLine = 0, readyStateLine = 0, readerStateLine = 0, readerRaftLine = 0;

        runOnNamedThread("ready-loop", [&] {
            readyRaftLine = __LINE__ + 1;
            TrackedLock r(raft);
            readyStateLine = __LINE__ + 1;
            TrackedLock s(state);
        });
        QVERIFY(m_recorder->reports().empty()); // one order alone is fine

        auto reader = [&] {
            readerStateLine = __LINE__ + 1;
            TrackedLock s(state);
            readerRaftLine = __LINE__ + 1;
            TrackedLock r(raft);
        };
        runOnNamedThread("kafka-reader", reader);

        const auto reports = m_recorder->reports();
        QCOMPARE(reports.size(), size_t(1));
        const WitnessReport &r = reports[0];
        qInfo().noquote() << QString::fromStdString(r.text);
        QCOMPARE(r.kind, WitnessReportKind::OrderReversal);
        // The new order: state -> raft, on the reader.
        QCOMPARE(r.attempted.heldClass, std::string("state"));
        QCOMPARE(r.attempted.takenClass, std::string("raft"));
        QCOMPARE(r.attempted.heldSite, siteAt(readerStateLine));
        QCOMPARE(r.attempted.takenSite, siteAt(readerRaftLine));
        QVERIFY2(contains(r.attempted.thread, "kafka-reader"), r.attempted.thread.c_str());
        // The established order: raft -> state, first seen on the ready loop.
        QCOMPARE(r.established.size(), size_t(1));
        QCOMPARE(r.established[0].heldClass, std::string("raft"));
        QCOMPARE(r.established[0].takenClass, std::string("state"));
        QCOMPARE(r.established[0].heldSite, siteAt(readyRaftLine));
        QCOMPARE(r.established[0].takenSite, siteAt(readyStateLine));
        QVERIFY2(contains(r.established[0].thread, "ready-loop"), r.established[0].thread.c_str());
        for (const std::string &needle : {std::string("ready-loop"), std::string("kafka-reader"), siteAt(readyRaftLine),
                                          siteAt(readyStateLine), siteAt(readerStateLine), siteAt(readerRaftLine)})
            QVERIFY2(contains(r.text, needle), (needle + " missing from: " + r.text).c_str());

        // Once per pair: repeating either order adds nothing.
        runOnNamedThread("kafka-reader", reader);
        runOnNamedThread("ready-loop", [&] {
            TrackedLock r(raft);
            TrackedLock s(state);
        });
        QCOMPARE(m_recorder->reports().size(), size_t(1));
    }

    // Longer cycles: a -> b, b -> c, then c -> a closes a three-class cycle.
    void threeClassCycleIsReportedWithTheWholeChain()
    {
        TrackedMutex a{"cycle-a"}, b{"cycle-b"}, c{"cycle-c"};
        runOnNamedThread("t-ab", [&] {
            TrackedLock la(a);
            TrackedLock lb(b);
        });
        runOnNamedThread("t-bc", [&] {
            TrackedLock lb(b);
            TrackedLock lc(c);
        });
        QVERIFY(m_recorder->reports().empty());
        runOnNamedThread("t-ca", [&] {
            TrackedLock lc(c);
            TrackedLock la(a);
        });
        const auto reports = m_recorder->reports();
        QCOMPARE(reports.size(), size_t(1));
        const WitnessReport &r = reports[0];
        QCOMPARE(r.attempted.heldClass, std::string("cycle-c"));
        QCOMPARE(r.attempted.takenClass, std::string("cycle-a"));
        QCOMPARE(r.established.size(), size_t(2));
        QCOMPARE(r.established[0].heldClass, std::string("cycle-a"));
        QCOMPARE(r.established[0].takenClass, std::string("cycle-b"));
        QVERIFY(contains(r.established[0].thread, "t-ab"));
        QCOMPARE(r.established[1].heldClass, std::string("cycle-b"));
        QCOMPARE(r.established[1].takenClass, std::string("cycle-c"));
        QVERIFY(contains(r.established[1].thread, "t-bc"));
    }

    // Indirect order through a lock held further down the stack counts too.
    void orderThroughOuterHeldLockIsChecked()
    {
        TrackedMutex outer{"outer-x"}, middle{"middle-x"}, inner{"inner-x"};
        {
            TrackedLock lo(outer);
            TrackedLock lm(middle);
            TrackedLock li(inner); // outer -> inner and middle -> inner
        }
        {
            TrackedLock li(inner);
            TrackedLock lo(outer); // inverts outer -> inner
        }
        const auto reports = m_recorder->reports();
        QCOMPARE(reports.size(), size_t(1));
        QCOMPARE(reports[0].attempted.heldClass, std::string("inner-x"));
        QCOMPARE(reports[0].attempted.takenClass, std::string("outer-x"));
    }

    void tryLockAddsNoOrderAndSameClassNestingIsAllowed()
    {
        TrackedMutex p{"try-p"}, q{"try-q"};
        TrackedMutex part1{"partition"}, part2{"partition"};
        {
            TrackedLock lp(p);
            QVERIFY(q.try_lock()); // cannot block: no p -> q edge
            q.unlock();
        }
        {
            TrackedLock lq(q);
            TrackedLock lp(p);
            TrackedLock l1(part1);
            TrackedLock l2(part2);
        }
        QVERIFY(m_recorder->reports().empty());
    }

    void keptReportsAreBounded()
    {
        TrackedMutex m{"bounded"};
        TrackedLock lock(m);
        for (size_t i = 0; i < kKeptWitnessReports + 6; ++i)
            QVERIFY_THROWS_EXCEPTION(SelfDeadlockError, m.lock());
        const auto kept = witnessReports();
        QCOMPARE(kept.size(), kKeptWitnessReports);
        QCOMPARE(m_recorder->reports().size(), kKeptWitnessReports + 6); // the sink saw them all
        QCOMPARE(kept.back().attempted.takenClass, std::string("bounded"));
    }

    void disabledWitnessReportsNothing()
    {
        setWitnessEnabled(false);
        TrackedMutex a{"off-a"}, b{"off-b"};
        {
            TrackedLock la(a);
            TrackedLock lb(b);
        }
        {
            TrackedLock lb(b);
            TrackedLock la(a);
        }
        setWitnessEnabled(true);
        QVERIFY(m_recorder->reports().empty());
    }
};

QTEST_GUILESS_MAIN(WitnessTest)
#include "WitnessTest.moc"
