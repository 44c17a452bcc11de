// skiffctl users: the SCRAM users of the node's applied image (any node: it comes through Raft),
// and `users set NAME` / `users delete NAME`, which change them through the cluster. The password
// of `set` is the first line of stdin, never an argument (argv is visible to every local user).
#include "ctl/Commands.h"
#include "ctl/CtlCommon.h"
#include "ctl/TextTable.h"

#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <string>

namespace skiff::ctl {
namespace {

// The first line of stdin. At a terminal: a prompt on stderr and the typing not echoed.
std::string readPassword(const std::string &user)
{
    termios saved{};
    const bool terminal = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0;
    if (terminal) {
        // Echo off before the prompt: TCSAFLUSH drops what was typed before it, so the prompt
        // must come after (what is typed once it shows is kept).
        termios quiet = saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
        std::fprintf(stderr, "Password for %s: ", user.c_str());
        std::fflush(stderr);
    }
    std::string password;
    std::getline(std::cin, password);
    if (terminal) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        std::fputc('\n', stderr);
    }
    if (!password.empty() && password.back() == '\r')
        password.pop_back();
    return password;
}

int listUsers(const CtlOptions &options)
{
    admin::Request request;
    request.mutable_list_scram_users();
    admin::Response response;
    int code = kExitOk;
    if (!callAny(options, request, response, code))
        return code;
    if (options.json) {
        printJson(response.scram_users());
        return kExitOk;
    }
    TextTable table({"USER", "MECHANISM", "ITERATIONS"});
    for (const auto &user : response.scram_users().users())
        for (const auto &c : user.credentials())
            table.add({user.name(), c.mechanism(), std::to_string(c.iterations())});
    std::fputs(table.render().c_str(), stdout);
    return kExitOk;
}

} // namespace

int runUsers(const CtlOptions &options)
{
    const auto &args = options.args;
    if (args.empty())
        return listUsers(options);
    admin::Request request;
    if (args[0] == "set") {
        if (args.size() != 2)
            return usage("users set needs one user name (the password is read from stdin)");
        const std::string password = readPassword(args[1]);
        if (password.empty())
            return usage("users set reads the password from the first line of stdin, and there was none");
        auto *set = request.mutable_set_scram_user();
        set->set_user(args[1]);
        for (const auto &m : options.mechanisms)
            set->add_mechanisms(m);
        set->set_iterations(options.iterations);
        set->set_password(password);
    } else if (args[0] == "delete") {
        if (args.size() != 2)
            return usage("users delete needs one user name");
        if (options.iterations)
            return usage("users delete takes no --iterations");
        auto *del = request.mutable_delete_scram_user();
        del->set_user(args[1]);
        for (const auto &m : options.mechanisms)
            del->add_mechanisms(m);
    } else {
        return usage("users takes no argument (list), set NAME or delete NAME; got '" + args[0] + "'");
    }
    return sendMutation(options, std::move(request));
}

} // namespace skiff::ctl
