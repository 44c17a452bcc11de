#pragma once
// Protobuf message -> JSON for `skiffctl --json` and the node's HTTP /status, by reflection. Unlike protobuf's canonical JSON
// mapping, 64-bit integers are JSON numbers (ids, terms and indexes are far below 2^53) and
// every field is present (an unset message as null), so scripts can index without special cases.

#include <QJsonObject>

#include <google/protobuf/message.h>

namespace skiff::admin {

QJsonObject toJson(const google::protobuf::Message &message);

} // namespace skiff::admin
