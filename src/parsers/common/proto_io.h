// Reading protobuf messages for the Caffe and UFF parsers: whole files with a size limit, binary
// messages with protobuf's total-bytes limit raised to the caller's (2 GB by default, the most a
// protobuf message can be), and text-format messages with line and column in every error.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace google
{
namespace protobuf
{
class Message;
}
} // namespace google

namespace kiln
{
namespace parsers
{

//! The largest message protobuf can read: INT_MAX bytes.
constexpr std::size_t kMaxProtobufBytes = 2147483647u;

//! Reads \p path into \p bytes. False with \p error set when the file cannot be read or is
//! larger than \p limit bytes.
bool readWholeFile(const std::string& path, std::size_t limit, std::string& bytes, std::string& error);

//! Parses a binary message of \p size bytes. The whole input must be one message. What protobuf
//! itself logs meanwhile (e.g. a string field that is not UTF-8) goes to \p warnings, not stderr.
bool parseBinary(const void* data, std::size_t size, std::size_t limit, google::protobuf::Message& message,
    std::string& error, std::vector<std::string>* warnings = nullptr);

//! Parses a text-format message. Unknown fields are skipped; each one adds an entry to
//! \p warnings. Errors name the line and column.
bool parseText(const char* data, std::size_t size, google::protobuf::Message& message, std::string& error,
    std::vector<std::string>& warnings);

} // namespace parsers
} // namespace kiln
