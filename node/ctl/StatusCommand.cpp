// skiffctl status: one node as a list, several side by side, and whether they agree.
#include "admin/ProtoJson.h"
#include "ctl/Commands.h"
#include "ctl/CtlCommon.h"
#include "ctl/StatusView.h"
#include "ctl/TextTable.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cstdio>

namespace skiff::ctl {

int runStatus(const CtlOptions &options)
{
    struct Answer {
        std::string admin;
        std::string error;
        admin::StatusSnapshot status;
    };
    std::vector<Answer> answers;
    std::vector<admin::StatusSnapshot> reached;
    for (const std::string &address : options.admins) {
        Answer a{address, {}, {}};
        admin::AdminClient client(clientSettings(options));
        admin::Request request;
        request.mutable_get_status();
        Status s = client.connectTo(address, kConnectTimeoutMs);
        if (s.isOk()) {
            auto r = client.call(request, options.timeoutMs);
            if (!r.isOk())
                a.error = r.status().message();
            else if (r->error_code() != admin::ERROR_CODE_NONE)
                a.error = address + " refused: " + r->error_message();
            else
                a.status = r->status();
        } else {
            a.error = s.message();
        }
        if (a.error.empty())
            reached.push_back(a.status);
        answers.push_back(std::move(a));
    }
    const std::string disagree = disagreement(reached);
    const bool unreachable = reached.size() != answers.size();

    if (options.json) {
        QJsonArray nodes;
        for (const Answer &a : answers) {
            QJsonObject o{{"admin", QString::fromStdString(a.admin)}};
            if (a.error.empty())
                o.insert("status", admin::toJson(a.status));
            else
                o.insert("error", QString::fromStdString(a.error));
            nodes.append(o);
        }
        QJsonObject out{{"nodes", nodes}, {"agree", disagree.empty()}};
        if (!disagree.empty())
            out.insert("disagreement", QString::fromStdString(disagree));
        std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
    } else if (!reached.empty()) {
        std::vector<std::string> header{"admin"};
        std::vector<std::vector<std::pair<std::string, std::string>>> columns;
        for (const Answer &a : answers) {
            if (!a.error.empty())
                continue;
            header.push_back(a.admin);
            columns.push_back(statusRows(a.status));
        }
        TextTable table(header);
        for (size_t row = 0; row < columns[0].size(); ++row) {
            std::vector<std::string> cells{columns[0][row].first};
            for (const auto &c : columns)
                cells.push_back(c[row].second);
            table.add(cells);
        }
        std::fputs(table.render().c_str(), stdout);
    }
    for (const Answer &a : answers)
        if (!a.error.empty())
            printError(a.error);
    if (!disagree.empty() && !options.json)
        std::printf("%s\n", disagree.c_str());
    if (unreachable)
        return kExitUnreachable;
    return disagree.empty() ? kExitOk : kExitDisagree;
}

} // namespace skiff::ctl
