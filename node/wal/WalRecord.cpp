#include "wal/WalRecord.h"

#include "common/Crc32c.h"

namespace skiff::wal {

namespace {
void putU32(std::string &out, uint32_t v)
{
    for (int i = 0; i < 4; ++i)
        out.push_back(char((v >> (8 * i)) & 0xff));
}
void putU64(std::string &out, uint64_t v)
{
    for (int i = 0; i < 8; ++i)
        out.push_back(char((v >> (8 * i)) & 0xff));
}
uint32_t getU32(const char *p)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i)
        v |= uint32_t(uint8_t(p[i])) << (8 * i);
    return v;
}
uint64_t getU64(const char *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i)
        v |= uint64_t(uint8_t(p[i])) << (8 * i);
    return v;
}
bool knownType(uint8_t t) { return t >= uint8_t(RecordType::SegmentHeader) && t <= uint8_t(RecordType::Truncate); }
} // namespace

const char *recordTypeName(RecordType type)
{
    switch (type) {
    case RecordType::SegmentHeader: return "segment header";
    case RecordType::Entry: return "entry";
    case RecordType::HardState: return "hard state";
    case RecordType::SnapshotMarker: return "snapshot marker";
    case RecordType::Truncate: return "truncate";
    }
    return "unknown";
}

void appendRecord(std::string &out, RecordType type, std::string_view payload)
{
    const char typeByte = char(type);
    uint32_t crc = crc32c(0, &typeByte, 1);
    crc = crc32c(crc, payload.data(), payload.size());
    putU32(out, uint32_t(payload.size()));
    putU32(out, crc);
    out.push_back(typeByte);
    out.append(payload);
}

DecodedRecord decodeRecord(std::string_view data, size_t offset)
{
    DecodedRecord r;
    const size_t left = offset <= data.size() ? data.size() - offset : 0;
    if (left < kRecordHeaderBytes) {
        r.outcome = DecodedRecord::Outcome::Incomplete;
        r.problem = "record header cut short (" + std::to_string(left) + " of " + std::to_string(kRecordHeaderBytes) + " bytes)";
        return r;
    }
    const char *p = data.data() + offset;
    const uint32_t length = getU32(p);
    const uint32_t crc = getU32(p + 4);
    const uint8_t type = uint8_t(p[8]);
    if (length > kMaxRecordPayload || !knownType(type)) {
        r.problem = "implausible record header (length " + std::to_string(length) + ", type " + std::to_string(type) + ")";
        return r;
    }
    if (length > left - kRecordHeaderBytes) {
        r.outcome = DecodedRecord::Outcome::Incomplete;
        r.problem = "record of " + std::to_string(length) + " bytes runs past the end of the file";
        return r;
    }
    uint32_t actual = crc32c(0, p + 8, 1);
    actual = crc32c(actual, p + kRecordHeaderBytes, length);
    if (actual != crc) {
        r.problem = "record CRC mismatch (" + std::string(recordTypeName(RecordType(type))) + " record, " + std::to_string(length) + " bytes)";
        return r;
    }
    r.outcome = DecodedRecord::Outcome::Ok;
    r.type = RecordType(type);
    r.payload = std::string_view(p + kRecordHeaderBytes, length);
    r.totalBytes = kRecordHeaderBytes + length;
    return r;
}

size_t findValidRecordAfter(std::string_view data, size_t from)
{
    // Cheap filters (type byte, length) reject almost every offset before any CRC is computed.
    for (size_t off = from + 1; off + kRecordHeaderBytes <= data.size(); ++off) {
        if (!knownType(uint8_t(data[off + 8])))
            continue;
        if (getU32(data.data() + off) > data.size() - off - kRecordHeaderBytes)
            continue;
        if (decodeRecord(data, off).outcome == DecodedRecord::Outcome::Ok)
            return off;
    }
    return std::string_view::npos;
}

std::string encodeSegmentHeader(uint64_t firstIndex)
{
    std::string out;
    putU32(out, kSegmentMagic);
    putU32(out, kFormatVersion);
    putU64(out, firstIndex);
    return out;
}

bool decodeSegmentHeader(std::string_view payload, SegmentHeader &out)
{
    if (payload.size() != 16 || getU32(payload.data()) != kSegmentMagic)
        return false;
    out.version = getU32(payload.data() + 4);
    out.firstIndex = getU64(payload.data() + 8);
    return true;
}

std::string encodeU64(uint64_t value)
{
    std::string out;
    putU64(out, value);
    return out;
}

bool decodeU64(std::string_view payload, uint64_t &out)
{
    if (payload.size() != 8)
        return false;
    out = getU64(payload.data());
    return true;
}

} // namespace skiff::wal
