// skiffctl top: live throughput. Every broker's admin socket (from the registry) is asked for its
// status once per interval; rates come from the difference of a node's two latest snapshots
// (admin/TrafficRates.h, the rule the dashboard uses too). Each frame lists the nodes, the
// cluster total and the topics (summed over the nodes), and says which nodes gave no rates: not
// reachable, too old to report traffic, or restarted in between.
#include "admin/TrafficRates.h"
#include "ctl/Commands.h"
#include "ctl/CtlCommon.h"
#include "ctl/TextTable.h"

#include <QDateTime>

#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <thread>
#include <unistd.h>

namespace skiff::ctl {
namespace {

std::string fixed(double value, int decimals)
{
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    return text;
}

std::string messagesPerSecond(double rate) { return fixed(rate, rate < 100 ? 1 : 0); }

std::string bytesPerSecond(double rate)
{
    const char *units[] = {"B/s", "KiB/s", "MiB/s", "GiB/s"};
    size_t unit = 0;
    while (rate >= 1024 && unit + 1 < std::size(units)) {
        rate /= 1024;
        ++unit;
    }
    return fixed(rate, unit == 0 ? 0 : 1) + " " + units[unit];
}

std::string latency(std::optional<int64_t> micros)
{
    if (!micros)
        return "-";
    return *micros < 1000 ? std::to_string(*micros) + "us" : fixed(double(*micros) / 1000.0, 1) + "ms";
}

// The p99 of `api`'s `variant` over the interval between two snapshots.
std::string intervalP99(const admin::StatusSnapshot &before, const admin::StatusSnapshot &after, const std::string &api,
                        const std::string &variant)
{
    const admin::Histogram *a = admin::kafkaLatency(before, api, variant);
    const admin::Histogram *b = admin::kafkaLatency(after, api, variant);
    if (!b)
        return "-";
    static const admin::Histogram kEmpty;
    return latency(admin::intervalQuantileMicros(a ? *a : kEmpty, *b, 0.99));
}

std::vector<std::string> rateCells(const admin::TrafficRates &r)
{
    return {messagesPerSecond(r.messagesIn),          bytesPerSecond(r.bytesIn),
            messagesPerSecond(r.consumerMessagesOut), bytesPerSecond(r.consumerBytesOut),
            messagesPerSecond(r.replicaMessagesOut),  bytesPerSecond(r.replicaBytesOut)};
}

const std::vector<std::string> kRateHeader = {"MSG/S IN",      "BYTES/S IN",    "MSG/S CONSUMERS",
                                              "BYTES/S CONSUMERS", "MSG/S REPLICAS", "BYTES/S REPLICAS"};

std::vector<std::string> header(std::string first, std::vector<std::string> extra = {})
{
    std::vector<std::string> out{std::move(first)};
    out.insert(out.end(), kRateHeader.begin(), kRateHeader.end());
    out.insert(out.end(), extra.begin(), extra.end());
    return out;
}

struct Broker {
    uint64_t id = 0;
    std::string address;
};

// One answer of a broker in a round: its status, or why there is none.
struct Sample {
    std::optional<admin::StatusSnapshot> status;
    std::string error;
};

// Keeps one admin connection per broker across rounds; a broken one is dialled again next round.
class StatusPoller {
public:
    explicit StatusPoller(const CtlOptions &options) : m_options(options) {}

    Sample ask(const Broker &b)
    {
        if (b.address.empty())
            return {std::nullopt, "no admin address registered"};
        auto &client = m_clients[b.address];
        if (!client) {
            client = std::make_unique<admin::AdminClient>(clientSettings(m_options));
            if (Status s = client->connectTo(b.address, kConnectTimeoutMs); !s.isOk()) {
                client.reset();
                return {std::nullopt, s.message()};
            }
        }
        admin::Request request;
        request.mutable_get_status();
        auto r = client->call(request, m_options.timeoutMs);
        if (!r.isOk()) {
            client.reset();
            return {std::nullopt, r.status().message()};
        }
        if (r->error_code() != admin::ERROR_CODE_NONE)
            return {std::nullopt, b.address + " refused: " + r->error_message()};
        return {r->status(), {}};
    }

private:
    const CtlOptions &m_options;
    std::map<std::string, std::unique_ptr<admin::AdminClient>> m_clients;
};

std::optional<std::vector<Broker>> registry(const CtlOptions &options, int &code)
{
    admin::Request request;
    request.mutable_list_brokers();
    admin::Response response;
    if (!callAny(options, request, response, code))
        return std::nullopt;
    std::vector<Broker> out;
    for (const auto &b : response.brokers().brokers())
        out.push_back({b.id(), b.admin_address()});
    return out;
}

std::string frame(const std::vector<Broker> &brokers, const std::map<uint64_t, Sample> &previous,
                  const std::map<uint64_t, Sample> &current, const CtlOptions &options)
{
    TextTable nodes(header("NODE", {"PRODUCE P99 all/1/0", "FETCH P99 consumer/replica"}));
    std::vector<std::string> notes;
    admin::TrafficRates cluster;
    std::map<std::string, admin::TrafficRates> topics;
    int rated = 0;
    for (const Broker &b : brokers) {
        const std::string name = "node " + std::to_string(b.id);
        const auto now = current.find(b.id);
        if (now == current.end() || !now->second.status) {
            notes.push_back(name + ": unreachable: " + (now == current.end() ? "not asked" : now->second.error));
            continue;
        }
        const auto before = previous.find(b.id);
        if (before == previous.end() || !before->second.status) {
            notes.push_back(name + ": answered once; rates from the next frame");
            continue;
        }
        const admin::StatusSnapshot &a = *before->second.status;
        const admin::StatusSnapshot &z = *now->second.status;
        const admin::NodeTrafficRates r = admin::trafficRates(a, z);
        switch (r.state) {
        case admin::NodeTrafficRates::State::NotReported:
            notes.push_back(name + ": too old for this view (skiffd " + z.build().version() + " reports no traffic)");
            continue;
        case admin::NodeTrafficRates::State::Restarted:
            notes.push_back(name + ": restarted during the interval; rates from the next frame");
            continue;
        case admin::NodeTrafficRates::State::NoInterval:
            notes.push_back(name + ": its clock did not advance between two snapshots");
            continue;
        case admin::NodeTrafficRates::State::Rated:
            break;
        }
        ++rated;
        std::vector<std::string> row{name};
        for (auto &cell : rateCells(r.total))
            row.push_back(std::move(cell));
        row.push_back(intervalP99(a, z, "Produce", "acks=all") + "/" + intervalP99(a, z, "Produce", "acks=1") + "/" +
                      intervalP99(a, z, "Produce", "acks=0"));
        row.push_back(intervalP99(a, z, "Fetch", "consumer") + "/" + intervalP99(a, z, "Fetch", "replica"));
        nodes.add(std::move(row));
        cluster += r.total;
        for (const auto &t : r.topics)
            topics[t.topic] += t.rates;
    }
    std::vector<std::string> total{"cluster"};
    for (auto &cell : rateCells(cluster))
        total.push_back(std::move(cell));
    total.insert(total.end(), {"", ""});
    nodes.add(std::move(total));

    TextTable byTopic(header("TOPIC"));
    for (const auto &[topic, r] : topics) {
        std::vector<std::string> row{topic};
        for (auto &cell : rateCells(r))
            row.push_back(std::move(cell));
        byTopic.add(std::move(row));
    }
    std::string out = "skiffctl top: " + std::to_string(rated) + " of " + std::to_string(brokers.size()) +
                      " nodes rated over " + std::to_string(options.intervalMs) + " ms, " +
                      QDateTime::currentDateTimeUtc().toString(Qt::ISODate).toStdString() + "\n";
    out += nodes.render();
    for (const auto &note : notes)
        out += note + "\n";
    out += "\n" + byTopic.render();
    return out;
}

} // namespace

int runTop(const CtlOptions &options)
{
    int code = kExitOk;
    auto brokers = registry(options, code);
    if (!brokers)
        return code;
    StatusPoller poller(options);
    auto round = [&]() {
        std::map<uint64_t, Sample> samples;
        for (const Broker &b : *brokers)
            samples[b.id] = poller.ask(b);
        return samples;
    };
    const bool redraw = isatty(STDOUT_FILENO);
    std::map<uint64_t, Sample> previous = round();
    for (int shown = 0; options.iterations == 0 || shown < options.iterations; ++shown) {
        std::this_thread::sleep_for(std::chrono::milliseconds(options.intervalMs));
        // The registry again: a node added or re-registered at another address is followed.
        if (auto now = registry(options, code))
            brokers = std::move(now);
        std::map<uint64_t, Sample> current = round();
        std::string view = redraw ? "\x1b[H\x1b[2J" : (shown ? "\n" : "");
        view += frame(*brokers, previous, current, options);
        std::fputs(view.c_str(), stdout);
        std::fflush(stdout);
        previous = std::move(current);
    }
    return kExitOk;
}

} // namespace skiff::ctl
