#pragma once
// Kafka's sasl.jaas.config text, read as Kafka's brokers read it: one JAAS login module,
//   org.apache.kafka.common.security.scram.ScramLoginModule required username="broker" password="...";
// a class name, a control flag, name=value options (a value quoted or a bare word), and a ';'.
// skiffd takes the login its followers use from it (username, password), so that a Kafka
// broker's configuration keeps working. Errors name the option, never a value: passwords stay out
// of every line.

#include "common/Status.h"

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace skiff::core {

struct JaasLogin {
    std::string module;   // the login module's class name, as written
    std::string flag;     // required, requisite, sufficient or optional
    std::map<std::string, std::string> options;
};

Result<JaasLogin> parseJaasConfig(std::string_view text);

// Whether Kafka's login module serves `mechanism`: PLAIN for PlainLoginModule, SCRAM-SHA-256 and
// SCRAM-SHA-512 for ScramLoginModule; false for a module skiffd does not know.
bool jaasModuleServes(const std::string &module, const std::string &mechanism);

} // namespace skiff::core
