// skiffctl events: the recent events every --admin node kept (its bounded ring, GetEvents), merged
// by the nodes' times, oldest first. What happened before anyone was watching.
#include "ctl/Commands.h"
#include "ctl/CtlCommon.h"
#include "ctl/TextTable.h"

#include <QDateTime>

#include <algorithm>
#include <cstdio>
#include <tuple>
#include <vector>

namespace skiff::ctl {

int runEvents(const CtlOptions &options)
{
    int exitCode = kExitOk;
    std::vector<admin::Event> events;
    std::vector<std::string> notes;
    for (const std::string &address : options.admins) {
        admin::AdminClient client(clientSettings(options));
        if (Status s = client.connectTo(address, kConnectTimeoutMs); !s.isOk()) {
            printError(s.message());
            exitCode = kExitUnreachable;
            continue;
        }
        admin::Request request;
        request.mutable_get_events();
        admin::Response response;
        int code = kExitOk;
        if (!call(client, options, request, response, code)) {   // an older node: it names no such operation
            exitCode = std::max(exitCode, code);
            continue;
        }
        const admin::EventHistory &h = response.history();
        if (h.dropped() > 0)
            notes.push_back(address + ": " + std::to_string(h.dropped()) + " older events no longer kept (it keeps the last " +
                            std::to_string(h.capacity()) + ")");
        events.insert(events.end(), h.events().begin(), h.events().end());
    }
    std::stable_sort(events.begin(), events.end(), [](const admin::Event &a, const admin::Event &b) {
        return std::make_tuple(a.time_unix_ms(), a.node_id(), a.sequence()) < std::make_tuple(b.time_unix_ms(), b.node_id(), b.sequence());
    });
    if (options.json) {
        for (const admin::Event &e : events)
            printJson(e);
        return exitCode;
    }
    TextTable table({"TIME (UTC)", "NODE", "KIND", "EVENT"});
    for (const admin::Event &e : events)
        table.add({QDateTime::fromMSecsSinceEpoch(e.time_unix_ms()).toUTC().toString(Qt::ISODateWithMs).toStdString(),
                   std::to_string(e.node_id()), e.kind(), e.text()});
    if (!events.empty())
        std::fputs(table.render().c_str(), stdout);
    else if (exitCode == kExitOk)
        std::printf("no events kept\n");
    for (const std::string &note : notes)
        std::printf("%s\n", note.c_str());
    return exitCode;
}

} // namespace skiff::ctl
