// skiffctl watch: a live view from the Subscribe stream, redrawn on every snapshot, with the
// latest cluster events under it. With --json, one JSON line per snapshot or event.
#include "ctl/Commands.h"
#include "ctl/CtlCommon.h"
#include "ctl/StatusView.h"
#include "ctl/TextTable.h"

#include <QDateTime>

#include <cstdio>
#include <deque>
#include <unistd.h>

namespace skiff::ctl {
namespace {

constexpr size_t kEventsShown = 10;

std::string eventLine(const admin::Event &e)
{
    return QDateTime::fromMSecsSinceEpoch(e.time_unix_ms()).toUTC().toString(Qt::ISODateWithMs).toStdString() +
           " node " + std::to_string(e.node_id()) + " " + e.kind() + ": " + e.text();
}

} // namespace

int runWatch(const CtlOptions &options)
{
    std::string error;
    auto client = connectAny(options, error);
    if (!client) {
        printError(error);
        return kExitUnreachable;
    }
    admin::Request request;
    request.mutable_subscribe()->set_rate_hz(uint32_t(options.rateHz));
    auto id = client->send(request);
    if (!id.isOk()) {
        printError(id.status().message());
        return kExitUnreachable;
    }
    const bool redraw = !options.json && isatty(STDOUT_FILENO);
    const int silenceMs = std::max(5000, 3 * 1000 / options.rateHz);
    std::deque<std::string> events;
    int updates = 0;
    while (options.count == 0 || updates < options.count) {
        auto r = client->receive(silenceMs);
        if (!r.isOk()) {
            printError(r.status().message());
            return kExitUnreachable;
        }
        if (r->request_id() != id.value())
            continue;
        if (r->error_code() != admin::ERROR_CODE_NONE) {
            printError(client->address() + " refused: " + r->error_message());
            return kExitRefused;
        }
        if (options.json) {
            if (r->has_status())
                ++updates;
            printJson(r.value());
            std::fflush(stdout);
            continue;
        }
        if (r->has_event()) {
            events.push_back(eventLine(r->event()));
            if (events.size() > kEventsShown)
                events.pop_front();
            if (!redraw)
                std::printf("event %s\n", events.back().c_str());
            continue;
        }
        if (!r->has_status())
            continue;
        ++updates;
        std::string view = redraw ? "\x1b[H\x1b[2J" : "";
        view += "skiffctl watch " + client->address() + " (" + std::to_string(options.rateHz) + " Hz)\n";
        TextTable table({"field", "value"});
        for (const auto &[label, value] : statusRows(r->status()))
            table.add({label, value});
        view += table.render();
        if (redraw) {
            view += "\nrecent events:\n";
            for (const auto &e : events)
                view += "  " + e + "\n";
        }
        std::fputs(view.c_str(), stdout);
        std::fflush(stdout);
    }
    return kExitOk;
}

} // namespace skiff::ctl
