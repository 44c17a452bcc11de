#include "admin/ProtoJson.h"

#include <QJsonArray>

namespace skiff::admin {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

QJsonValue scalar(const Message &m, const Reflection *r, const FieldDescriptor *f, int index)
{
    const bool rep = f->is_repeated();
    switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32: return rep ? r->GetRepeatedInt32(m, f, index) : r->GetInt32(m, f);
    case FieldDescriptor::CPPTYPE_INT64: return qint64(rep ? r->GetRepeatedInt64(m, f, index) : r->GetInt64(m, f));
    case FieldDescriptor::CPPTYPE_UINT32: return qint64(rep ? r->GetRepeatedUInt32(m, f, index) : r->GetUInt32(m, f));
    case FieldDescriptor::CPPTYPE_UINT64: return qint64(rep ? r->GetRepeatedUInt64(m, f, index) : r->GetUInt64(m, f));
    case FieldDescriptor::CPPTYPE_DOUBLE: return rep ? r->GetRepeatedDouble(m, f, index) : r->GetDouble(m, f);
    case FieldDescriptor::CPPTYPE_FLOAT: return double(rep ? r->GetRepeatedFloat(m, f, index) : r->GetFloat(m, f));
    case FieldDescriptor::CPPTYPE_BOOL: return rep ? r->GetRepeatedBool(m, f, index) : r->GetBool(m, f);
    case FieldDescriptor::CPPTYPE_ENUM:
        return QString::fromStdString((rep ? r->GetRepeatedEnum(m, f, index) : r->GetEnum(m, f))->name());
    case FieldDescriptor::CPPTYPE_STRING:
        return QString::fromStdString(rep ? r->GetRepeatedString(m, f, index) : r->GetString(m, f));
    case FieldDescriptor::CPPTYPE_MESSAGE:
        return toJson(rep ? r->GetRepeatedMessage(m, f, index) : r->GetMessage(m, f));
    }
    return {};
}

} // namespace

QJsonObject toJson(const Message &message)
{
    QJsonObject out;
    const auto *descriptor = message.GetDescriptor();
    const Reflection *r = message.GetReflection();
    for (int i = 0; i < descriptor->field_count(); ++i) {
        const FieldDescriptor *f = descriptor->field(i);
        const QString name = QString::fromStdString(f->name());
        if (f->containing_oneof() && !r->HasField(message, f))
            continue;   // only the body that is set
        if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && !f->is_repeated() && !r->HasField(message, f)) {
            out.insert(name, QJsonValue::Null);   // unset (e.g. not measured yet), not a message of zeros
            continue;
        }
        if (f->is_map()) {
            QJsonObject map;
            for (int j = 0; j < r->FieldSize(message, f); ++j) {
                const Message &entry = r->GetRepeatedMessage(message, f, j);
                const auto *er = entry.GetReflection();
                const auto *ed = entry.GetDescriptor();
                map.insert(QString::fromStdString(er->GetString(entry, ed->field(0))), scalar(entry, er, ed->field(1), 0));
            }
            out.insert(name, map);
        } else if (f->is_repeated()) {
            QJsonArray list;
            for (int j = 0; j < r->FieldSize(message, f); ++j)
                list.append(scalar(message, r, f, j));
            out.insert(name, list);
        } else {
            out.insert(name, scalar(message, r, f, 0));
        }
    }
    return out;
}

} // namespace skiff::admin
