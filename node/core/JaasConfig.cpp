#include "core/JaasConfig.h"

#include <cctype>

namespace skiff::core {
namespace {

class Tokens {
public:
    explicit Tokens(std::string_view text) : m_text(text) {}

    void skipSpace()
    {
        while (m_at < m_text.size() && std::isspace(static_cast<unsigned char>(m_text[m_at])))
            ++m_at;
    }
    bool atEnd()
    {
        skipSpace();
        return m_at == m_text.size();
    }
    bool take(char c)
    {
        skipSpace();
        if (m_at < m_text.size() && m_text[m_at] == c) {
            ++m_at;
            return true;
        }
        return false;
    }
    // A bare word: a class name, a flag, an option's name or an unquoted value.
    std::string word()
    {
        skipSpace();
        const size_t start = m_at;
        while (m_at < m_text.size()) {
            const char c = m_text[m_at];
            if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '$' || c == '-'))
                break;
            ++m_at;
        }
        return std::string(m_text.substr(start, m_at - start));
    }
    // A "quoted" value, \" and \\ escaped; nullopt if it does not start with a quote.
    Result<std::optional<std::string>> quoted(const std::string &option)
    {
        skipSpace();
        if (m_at >= m_text.size() || m_text[m_at] != '"')
            return std::optional<std::string>();
        std::string value;
        for (++m_at; m_at < m_text.size(); ++m_at) {
            const char c = m_text[m_at];
            if (c == '"') {
                ++m_at;
                return std::optional<std::string>(std::move(value));
            }
            if (c == '\\' && m_at + 1 < m_text.size())
                ++m_at;
            value += m_text[m_at];
        }
        return invalidArgument("sasl.jaas.config: the quoted value of option " + option + " has no closing quote");
    }

private:
    std::string_view m_text;
    size_t m_at = 0;
};

} // namespace

Result<JaasLogin> parseJaasConfig(std::string_view text)
{
    Tokens tokens(text);
    JaasLogin login;
    login.module = tokens.word();
    if (login.module.empty())
        return invalidArgument("sasl.jaas.config: expected a login module class (e.g. "
                               "org.apache.kafka.common.security.scram.ScramLoginModule) first");
    login.flag = tokens.word();
    if (login.flag != "required" && login.flag != "requisite" && login.flag != "sufficient" && login.flag != "optional")
        return invalidArgument("sasl.jaas.config: the login module " + login.module
                               + " must be followed by its flag (required, requisite, sufficient or optional)");
    while (!tokens.take(';')) {
        if (tokens.atEnd())
            return invalidArgument("sasl.jaas.config: the login module " + login.module + " must end with ';'");
        const std::string name = tokens.word();
        if (name.empty())
            return invalidArgument("sasl.jaas.config: expected an option name=value or ';' after the login module "
                                   + login.module);
        if (!tokens.take('='))
            return invalidArgument("sasl.jaas.config: option " + name + " has no '=' and value");
        auto value = tokens.quoted(name);
        if (!value.isOk())
            return value.status();
        std::string v = value.value() ? std::move(*value.value()) : tokens.word();
        if (!value.value() && v.empty())
            return invalidArgument("sasl.jaas.config: option " + name + " has no value");
        if (!login.options.emplace(name, std::move(v)).second)
            return invalidArgument("sasl.jaas.config: option " + name + " is given twice");
    }
    if (!tokens.atEnd())
        return invalidArgument("sasl.jaas.config: one login module only (as Kafka's brokers take), but more follows "
                               + login.module + "'s ';'");
    return login;
}

bool jaasModuleServes(const std::string &module, const std::string &mechanism)
{
    const std::string simple = module.substr(module.rfind('.') == std::string::npos ? 0 : module.rfind('.') + 1);
    if (simple == "PlainLoginModule")
        return mechanism == "PLAIN";
    if (simple == "ScramLoginModule")
        return mechanism == "SCRAM-SHA-256" || mechanism == "SCRAM-SHA-512";
    return false;
}

} // namespace skiff::core
