#include "app/PrometheusText.h"

#include <charconv>
#include <cmath>

namespace skiff::app {

namespace {

std::string escape(const std::string &value)
{
    std::string out;
    for (char c : value) {
        if (c == '\\' || c == '"')
            out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out;
}

std::string number(double v)
{
    if (std::isinf(v))
        return v > 0 ? "+Inf" : "-Inf";
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);   // shortest form that reads back exactly
    return ec == std::errc() ? std::string(buf, end) : std::string("NaN");
}

} // namespace

std::string &PrometheusText::family(const std::string &name, const std::string &help, const char *type)
{
    auto [it, added] = m_families.try_emplace(name);
    if (added) {
        m_order.push_back(name);
        it->second = "# HELP " + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
    }
    return it->second;
}

std::string PrometheusText::text() const
{
    std::string out;
    for (const auto &name : m_order)
        out += m_families.at(name);
    return out;
}

void PrometheusText::sample(std::string &out, const std::string &name, const Labels &labels, double value)
{
    out += name;
    if (!labels.empty()) {
        out += '{';
        for (size_t i = 0; i < labels.size(); ++i)
            out += (i ? "," : "") + labels[i].first + "=\"" + escape(labels[i].second) + "\"";
        out += '}';
    }
    out += ' ' + number(value) + '\n';
}

void PrometheusText::counter(const std::string &name, const std::string &help, double value, const Labels &labels)
{
    sample(family(name, help, "counter"), name, labels, value);
}

void PrometheusText::gauge(const std::string &name, const std::string &help, double value, const Labels &labels)
{
    sample(family(name, help, "gauge"), name, labels, value);
}

void PrometheusText::histogram(const std::string &name, const std::string &help, const metrics::HistogramSnapshot &micros,
                               const Labels &labels)
{
    std::string &f = family(name, help, "histogram");
    // Cumulative counts at each ladder bound: every bucket whose upper bound is within it.
    static const int64_t ladder[] = {1,       2,       5,       10,      20,      50,       100,      200,
                                     500,     1000,    2000,    5000,    10000,   20000,    50000,    100000,
                                     200000,  500000,  1000000, 2000000, 5000000, 10000000};
    const auto &counts = micros.counts();
    size_t bucket = 0;
    uint64_t cumulative = 0;
    for (int64_t bound : ladder) {
        while (bucket < counts.size() && metrics::HistogramSnapshot::upperBound(bucket) <= bound)
            cumulative += counts[bucket++];
        Labels l = labels;
        l.emplace_back("le", number(double(bound) / 1e6));
        sample(f, name + "_bucket", l, double(cumulative));
    }
    Labels inf = labels;
    inf.emplace_back("le", "+Inf");
    sample(f, name + "_bucket", inf, double(micros.count()));
    sample(f, name + "_sum", labels, double(micros.sum()) / 1e6);
    sample(f, name + "_count", labels, double(micros.count()));
}

} // namespace skiff::app
