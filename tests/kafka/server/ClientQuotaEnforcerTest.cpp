// Client quota arithmetic: Kafka's sampled rate (11 windows of 1 s, never less than 10 s
// spanned), its throttle time ((rate - quota) / quota × window), the enforcer picking the quota
// and counting throttles, and a client that waits out every throttle ending up at its quota.

#include "kafka/server/ClientQuotaEnforcer.h"
#include "kafka/server/QuotaRate.h"

#include <QTest>

using namespace skiff;
using namespace skiff::kafka;
using metadata::QuotaEntity;
using metadata::QuotaEntityPart;

namespace {

metadata::ImagePtr imageWith(metadata::ClientQuotaMap quotas)
{
    auto image = std::make_shared<metadata::MetadataImage>();
    image->clientQuotas = std::move(quotas);
    return image;
}

const QuotaEntity kClientApp{{}, QuotaEntityPart::named("app")};
const QuotaEntity kUserAlice{QuotaEntityPart::named("alice"), {}};

} // namespace

class ClientQuotaEnforcerTest : public QObject {
    Q_OBJECT
private slots:
    void rateSpansAtLeastTenWindows()
    {
        QuotaRate rate;
        rate.record(1000, 0);
        QCOMPARE(rate.windowMs(0), int64_t(10000));   // a first burst is spread over 10 s
        QCOMPARE(rate.rate(0), 100.0);
        QCOMPARE(rate.windowMs(2500), int64_t(10500));   // 2 full windows elapsed, padded to 10, plus the partial one
        // Steady 1000 a second: the rate settles at about that (the window spans 11 to 12 s of
        // samples, the current one partly filled).
        for (int64_t t = 1000; t <= 30000; t += 1000)
            rate.record(1000, t);
        QVERIFY2(rate.rate(30000) >= 1000 && rate.rate(30000) <= 1100, qPrintable(QString::number(rate.rate(30000))));
    }

    void samplesIdleForTheWholeWindowAreDropped()
    {
        QuotaRate rate;
        rate.record(5000, 0);
        QVERIFY(rate.rate(10999) > 0);
        QCOMPARE(rate.rate(11000), 0.0);   // 11 windows without an event
    }

    void throttleTimeIsKafkas()
    {
        QCOMPARE(quotaThrottleMs(150, 100, 10000), int64_t(5000));   // (150 - 100) / 100 × 10 s
        QCOMPARE(quotaThrottleMs(100, 100, 10000), int64_t(0));      // at the quota: not over it
        QCOMPARE(quotaThrottleMs(50, 100, 10000), int64_t(0));
        QCOMPARE(quotaThrottleMs(1e300, 1, 10000), int64_t(INT32_MAX));   // fits throttle_time_ms
    }

    void enforcerThrottlesOverTheApplicableQuota()
    {
        QuotaThrottleCounters counters;
        ClientQuotaEnforcer quotas([] { return imageWith({{kClientApp, {{"producer_byte_rate", 1000}}}}); }, &counters);
        QCOMPARE(quotas.record(QuotaType::Produce, "alice", "app", 10000, 0), int64_t(0));   // exactly 1000/s over 10 s
        QCOMPARE(quotas.record(QuotaType::Produce, "alice", "app", 10000, 0), int64_t(10000));   // 2000/s: 10 s to wait
        QCOMPARE(counters.throttled[size_t(QuotaType::Produce)].load(), uint64_t(1));
        QCOMPARE(counters.throttleMillis[size_t(QuotaType::Produce)].load(), uint64_t(10000));
        // The quota is per client id (/clients/app): another user with it shares the rate, another client is free.
        QVERIFY(quotas.record(QuotaType::Produce, "bob", "app", 1, 0) > 0);
        QCOMPARE(quotas.record(QuotaType::Produce, "alice", "other", 1e9, 0), int64_t(0));
        QCOMPARE(quotas.record(QuotaType::Fetch, "alice", "app", 1e9, 0), int64_t(0));   // no consumer_byte_rate
        QCOMPARE(quotas.maxValueInWindow(QuotaType::Produce, "x", "app").value(), 10000.0);
        QVERIFY(!quotas.maxValueInWindow(QuotaType::Fetch, "x", "app"));
    }

    void unrecordTakesBackAThrottledFetch()
    {
        ClientQuotaEnforcer quotas([] { return imageWith({{kUserAlice, {{"consumer_byte_rate", 100}}}}); }, nullptr);
        QVERIFY(quotas.record(QuotaType::Fetch, "alice", "c1", 5000, 0) > 0);
        quotas.unrecord(QuotaType::Fetch, "alice", "c1", 5000, 0);
        // /users/alice: all of alice's client ids share one rate, now back to nothing.
        QCOMPARE(quotas.record(QuotaType::Fetch, "alice", "c2", 1000, 0), int64_t(0));
    }

    void requestThrottleIsBoundedToOneWindow()
    {
        QuotaThrottleCounters counters;
        ClientQuotaEnforcer quotas([] { return imageWith({{kClientApp, {{"request_percentage", 1}}}}); }, &counters);
        // 5 s of handling time is 500 percent-seconds: 50% over 10 s, far over 1%.
        QCOMPARE(quotas.record(QuotaType::Request, "u", "app", ClientQuotaEnforcer::requestPercent(5'000'000'000), 0),
                 int64_t(QuotaRate::kWindowMs));
        QCOMPARE(counters.throttled[size_t(QuotaType::Request)].load(), uint64_t(1));
    }

    void aClientWaitingOutItsThrottlesRunsAtItsQuota()
    {
        // A producer sending 16 KiB requests as fast as it may, muted for each throttle (KIP-219),
        // over 60 s: its rate ends within a few percent of the quota (the first 10 s allow a burst
        // of one quota × 10 s, spread over the whole run).
        const double quota = 200 * 1024;
        ClientQuotaEnforcer quotas([quota] { return imageWith({{kClientApp, {{"producer_byte_rate", quota}}}}); }, nullptr);
        double sent = 0;
        int64_t t = 0;
        while (t < 60000) {
            const int64_t throttle = quotas.record(QuotaType::Produce, "ANONYMOUS", "app", 16384, t);
            sent += 16384;
            t += std::max<int64_t>(throttle, 1);
        }
        const double rate = sent / (double(t) / 1000);
        QVERIFY2(rate > quota * 0.95 && rate < quota * 1.2, qPrintable(QString::number(rate)));
    }
};

QTEST_GUILESS_MAIN(ClientQuotaEnforcerTest)
#include "ClientQuotaEnforcerTest.moc"
