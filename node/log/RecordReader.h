#pragma once
// Reads the records of stored, uncompressed v2 batches: what an internal topic wrote with
// RecordBatchBuilder and reads back to rebuild its state (the group coordinator's
// __consumer_offsets). Control batches are skipped; a compressed batch is refused, as nothing
// here writes one.

#include "common/Status.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace skiff::log {

struct StoredRecord {
    int64_t offset = 0;
    int64_t timestampMs = 0;
    std::optional<std::string> key;
    std::optional<std::string> value; // nullopt: a tombstone
};

struct DecodedRecords {
    std::vector<StoredRecord> records;
    int64_t nextOffset = 0; // the offset after the last batch read
};

// `records` holds whole batches (as PartitionLog::read returns them); records below
// `fromOffset` (the head of the first batch) are left out.
Result<DecodedRecords> decodeRecords(std::string_view records, int64_t fromOffset = 0);

} // namespace skiff::log
