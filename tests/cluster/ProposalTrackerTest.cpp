// Proposals waiting on this node, without sockets or a Raft node: what is sent (again) to which
// leader, and that the caller is answered exactly once, by the apply or by the deadline.
#include "cluster/ProposalTracker.h"

#include <QCoreApplication>
#include <QTest>

using namespace skiff;
using namespace skiff::cluster;

namespace {

using Route = ProposalTracker::Route;

struct Answer {
    int calls = 0;
    Status status;
};

ProposalTracker::Done recordInto(Answer &answer)
{
    return [&answer](metadata::ApplyResult r) {
        ++answer.calls;
        answer.status = r.status;
    };
}

// Answers are posted to the receiver's thread: runs what is queued on this one.
void deliver() { QCoreApplication::sendPostedEvents(); }

std::vector<uint64_t> ids(const std::vector<ProposalTracker::Outgoing> &out)
{
    std::vector<uint64_t> v;
    for (const auto &o : out)
        v.push_back(o.id);
    return v;
}

constexpr int64_t kResendMs = 500;

} // namespace

class ProposalTrackerTest : public QObject {
    Q_OBJECT
private slots:
    void heldUntilALeaderIsKnown()
    {
        ProposalTracker p;
        QObject receiver;
        Answer a;
        const uint64_t id = p.add(&receiver, recordInto(a), 5000);
        p.track(id, "cmd", 7);
        QVERIFY(p.due({0, 3}, 0, kResendMs).empty());   // no leader: nothing to send to
        const auto out = p.due({2, 3}, 10, kResendMs);
        QCOMPARE(out.size(), size_t(1));
        QCOMPARE(out[0].id, id);
        QCOMPARE(out[0].data, std::string("cmd"));
        QCOMPARE(out[0].firstPossibleIndex, uint64_t(7));
        p.sent(id, {2, 3}, 10);
        QVERIFY(p.due({2, 3}, 20, kResendMs).empty());   // sent there: waits for the apply
    }

    // The leader it went to stopped, or its term ended: sent to the next one. The first copy may
    // still be committed; the leader's check keeps one (raft/RaftStep.cpp).
    void resentWhenTheLeaderOrTermChanges()
    {
        ProposalTracker p;
        QObject receiver;
        Answer a;
        const uint64_t id = p.add(&receiver, recordInto(a), 5000);
        p.track(id, "cmd", 1);
        p.sent(id, {1, 3}, 0);
        QCOMPARE(ids(p.due({2, 4}, 100, kResendMs)), std::vector<uint64_t>{id});   // a new leader
        QCOMPARE(ids(p.due({1, 4}, 100, kResendMs)), std::vector<uint64_t>{id});   // the same one, re-elected
        QCOMPARE(ids(p.due({5, 4}, 100, kResendMs)), std::vector<uint64_t>{id});   // this node (5) leads
        p.sent(id, {2, 4}, 100);
        QVERIFY(p.due({2, 4}, 200, kResendMs).empty());
        // Unanswered for the resend interval (a leader transferring leadership dropped it).
        QCOMPARE(ids(p.due({2, 4}, 100 + kResendMs, kResendMs)), std::vector<uint64_t>{id});
    }

    void resentWhenTheLinkToItsLeaderDropped()
    {
        ProposalTracker p;
        QObject receiver;
        Answer a, b;
        const uint64_t first = p.add(&receiver, recordInto(a), 5000);
        const uint64_t second = p.add(&receiver, recordInto(b), 5000);
        p.track(first, "a", 1);
        p.track(second, "b", 1);
        p.sent(first, {2, 3}, 0);
        p.sent(second, {2, 3}, 0);
        p.resendTo(3);   // another peer's link: nothing to do with them
        QVERIFY(p.due({2, 3}, 10, kResendMs).empty());
        p.resendTo(2);
        QCOMPARE(ids(p.due({2, 3}, 10, kResendMs)), (std::vector<uint64_t>{first, second}));
    }

    // Exactly one answer: the apply of its (single) committed copy, or the deadline; a late
    // apply after the deadline, or a second one, finds nobody waiting.
    void answeredExactlyOnce()
    {
        ProposalTracker p;
        QObject receiver;
        Answer applied, timedOut;
        const uint64_t first = p.add(&receiver, recordInto(applied), 5000);
        const uint64_t second = p.add(&receiver, recordInto(timedOut), 5000);
        p.track(first, "a", 1);
        p.track(second, "b", 1);
        p.complete(first, {Status::ok()});
        p.complete(first, {Status::ok()});
        QCOMPARE(ids(p.due({2, 3}, 10, kResendMs)), std::vector<uint64_t>{second});   // no longer sent
        QCOMPARE(p.expire(5000), size_t(1));
        p.complete(second, {Status::ok()});
        deliver();
        QCOMPARE(applied.calls, 1);
        QVERIFY(applied.status.isOk());
        QCOMPARE(timedOut.calls, 1);
        QCOMPARE(timedOut.status.code(), StatusCode::Unavailable);
        QVERIFY(p.due({2, 3}, 10, kResendMs).empty());
        QCOMPARE(p.pending(), size_t(0));
    }

    void failAllAnswersAndForgets()
    {
        ProposalTracker p;
        QObject receiver;
        Answer a;
        p.track(p.add(&receiver, recordInto(a), 5000), "a", 1);
        p.failAll(unavailable("stopping"));
        deliver();
        QCOMPARE(a.calls, 1);
        QVERIFY(p.due({2, 3}, 10, kResendMs).empty());
    }
};

QTEST_GUILESS_MAIN(ProposalTrackerTest)
#include "ProposalTrackerTest.moc"
