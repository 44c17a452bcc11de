#include "log/IndexFile.h"

#include "log/FileHandle.h"
#include "log/FileHandleCache.h"

namespace skiff::log {

IndexFileBytes::IndexFileBytes(std::shared_ptr<FileHandleCache> cache, const std::string &path)
    : m_file(std::make_unique<CachedFile>(std::move(cache), path))
{
}

IndexFileBytes::~IndexFileBytes() = default;

const std::string &IndexFileBytes::path() const { return m_file->path(); }

Result<std::string> IndexFileBytes::load()
{
    auto file = m_file->create(false);
    if (!file)
        return file.status();
    auto size = file.value()->size();
    if (!size)
        return size.status();
    std::string bytes(static_cast<size_t>(size.value()), '\0');
    auto n = file.value()->readAt(bytes.data(), bytes.size(), 0);
    if (!n)
        return n.status();
    bytes.resize(n.value());
    return bytes;
}

Status IndexFileBytes::writeAt(const char *data, size_t size, int64_t position)
{
    auto file = m_file->get();
    if (!file)
        return file.status();
    return file.value()->writeAll(data, size, position);
}

Status IndexFileBytes::replace(const std::string &bytes)
{
    auto file = m_file->get();
    if (!file)
        return file.status();
    SKIFF_RETURN_IF_ERROR(file.value()->truncate(0));
    return file.value()->writeAll(bytes.data(), bytes.size(), 0);
}

} // namespace skiff::log
