#pragma once
// A plain text table for skiffctl's human output: columns as wide as their widest cell.

#include <string>
#include <vector>

namespace skiff::ctl {

class TextTable {
public:
    explicit TextTable(std::vector<std::string> header) : m_rows{std::move(header)} {}
    void add(std::vector<std::string> row) { m_rows.push_back(std::move(row)); }
    std::string render() const;

private:
    std::vector<std::vector<std::string>> m_rows;
};

} // namespace skiff::ctl
