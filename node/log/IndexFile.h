#pragma once
// What the offset and time index files of a segment share: a file of fixed-size big-endian
// entries, loaded whole into memory at open (lookups are served from memory), appended to one
// entry at a time and rewritten whole when recovery rebuilds it from the .log. Never fsynced:
// recovery checks it against the .log and rebuilds it when they disagree. The file is opened
// through the FileHandleCache only when written.
//
// IndexFile<Entry> is the typed part (the entries in memory); IndexFileBytes the file part, kept
// out of the header. An Entry provides its encoding:
//   static constexpr size_t kSize;   static Entry decode(const char *);   void encode(char *) const;

#include "common/Status.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace skiff::log {

class CachedFile;
class FileHandleCache;

class IndexFileBytes {
public:
    IndexFileBytes(std::shared_ptr<FileHandleCache> cache, const std::string &path);
    ~IndexFileBytes();
    IndexFileBytes(const IndexFileBytes &) = delete;
    IndexFileBytes &operator=(const IndexFileBytes &) = delete;

    // Opens the file (creating it if missing) and returns what it holds.
    Result<std::string> load();
    Status writeAt(const char *data, size_t size, int64_t position);
    // Replaces the whole content.
    Status replace(const std::string &bytes);
    const std::string &path() const;

private:
    std::unique_ptr<CachedFile> m_file;
};

template <typename E>
class IndexFile {
public:
    using Entry = E;
    static constexpr size_t kEntrySize = Entry::kSize;

    const std::vector<Entry> &entries() const { return m_entries; }
    // False when the file's length is not a whole number of entries (a torn last write).
    bool fileSizeValid() const { return m_fileSizeValid; }
    const std::string &path() const { return m_file.path(); }

    // Replaces the file content with `entries` (recovery rebuild).
    Status rewrite(std::vector<Entry> entries)
    {
        std::string bytes(entries.size() * kEntrySize, '\0');
        for (size_t i = 0; i < entries.size(); ++i)
            entries[i].encode(bytes.data() + i * kEntrySize);
        SKIFF_RETURN_IF_ERROR(m_file.replace(bytes));
        m_entries = std::move(entries);
        m_fileSizeValid = true;
        return Status::ok();
    }

protected:
    IndexFile(std::shared_ptr<FileHandleCache> cache, const std::string &path, int64_t baseOffset)
        : m_baseOffset(baseOffset), m_file(std::move(cache), path)
    {
    }

    // Reads the entries the file holds (checked against the .log by the caller).
    Status load()
    {
        auto bytes = m_file.load();
        if (!bytes)
            return bytes.status();
        m_fileSizeValid = bytes->size() % kEntrySize == 0;
        m_entries.clear();
        for (size_t p = 0; p + kEntrySize <= bytes->size(); p += kEntrySize)
            m_entries.push_back(Entry::decode(bytes->data() + p));
        return Status::ok();
    }

    Status appendEntry(const Entry &e)
    {
        char buf[kEntrySize];
        e.encode(buf);
        SKIFF_RETURN_IF_ERROR(m_file.writeAt(buf, kEntrySize, static_cast<int64_t>(m_entries.size() * kEntrySize)));
        m_entries.push_back(e);
        return Status::ok();
    }

    const int64_t m_baseOffset;
    std::vector<Entry> m_entries;

private:
    IndexFileBytes m_file;
    bool m_fileSizeValid = true;
};

} // namespace skiff::log
