#include "proto_io.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/message.h>
#include <google/protobuf/stubs/logging.h>
#include <google/protobuf/text_format.h>

#include <climits>
#include <fstream>
#include <mutex>
#include <sys/stat.h>

namespace kiln
{
namespace parsers
{

bool readWholeFile(const std::string& path, std::size_t limit, std::string& bytes, std::string& error)
{
    struct stat info{};
    if (::stat(path.c_str(), &info) != 0)
    {
        error = "cannot open '" + path + "'";
        return false;
    }
    if (!S_ISREG(info.st_mode))
    {
        error = "'" + path + "' is not a regular file";
        return false;
    }
    if (static_cast<unsigned long long>(info.st_size) > limit)
    {
        error = "'" + path + "' is " + std::to_string(info.st_size) + " bytes, more than the limit of "
            + std::to_string(limit) + " (setProtobufBufferSize raises it, up to 2 GB)";
        return false;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in)
    {
        error = "cannot open '" + path + "'";
        return false;
    }
    bytes.resize(static_cast<std::size_t>(info.st_size));
    if (!bytes.empty() && !in.read(&bytes[0], static_cast<std::streamsize>(bytes.size())))
    {
        error = "cannot read '" + path + "'";
        return false;
    }
    return true;
}

namespace
{

// protobuf logs some findings itself (invalid UTF-8 in a string field, for instance). While a
// parser reads a message on this thread, those lines are collected instead of printed; otherwise
// they go to whatever handler was installed before.
thread_local std::vector<std::string>* tCollected = nullptr;
google::protobuf::LogHandler* gPreviousHandler = nullptr;

void collectingHandler(google::protobuf::LogLevel level, const char* file, int line, const std::string& message)
{
    if (tCollected)
        tCollected->push_back("protobuf: " + message);
    else if (gPreviousHandler)
        gPreviousHandler(level, file, line, message);
}

class CollectProtobufLog
{
public:
    explicit CollectProtobufLog(std::vector<std::string>* into)
    {
        static std::once_flag installed;
        std::call_once(installed, [] { gPreviousHandler = google::protobuf::SetLogHandler(&collectingHandler); });
        mSaved = tCollected;
        tCollected = into ? into : &mDropped;
    }
    ~CollectProtobufLog() { tCollected = mSaved; }

private:
    std::vector<std::string>* mSaved;
    std::vector<std::string> mDropped;
};

} // namespace

bool parseBinary(const void* data, std::size_t size, std::size_t limit, google::protobuf::Message& message,
    std::string& error, std::vector<std::string>* warnings)
{
    CollectProtobufLog collect(warnings);
    if (size > limit || size > kMaxProtobufBytes)
    {
        error = "the message is " + std::to_string(size) + " bytes, more than the limit of "
            + std::to_string(limit < kMaxProtobufBytes ? limit : kMaxProtobufBytes);
        return false;
    }
    google::protobuf::io::ArrayInputStream array(data, static_cast<int>(size));
    google::protobuf::io::CodedInputStream coded(&array);
    coded.SetTotalBytesLimit(static_cast<int>(size > 0 ? size : 1));
    if (!message.ParseFromCodedStream(&coded) || !coded.ConsumedEntireMessage())
    {
        error = "not a valid binary " + message.GetTypeName() + " message (malformed or truncated protobuf)";
        return false;
    }
    return true;
}

namespace
{
class CollectErrors : public google::protobuf::io::ErrorCollector
{
public:
    void AddError(int line, google::protobuf::io::ColumnNumber column, const std::string& message) override
    {
        if (errors.empty())
            errors = "line " + std::to_string(line + 1) + ", column " + std::to_string(column + 1) + ": " + message;
    }
    void AddWarning(int line, google::protobuf::io::ColumnNumber column, const std::string& message) override
    {
        warnings.push_back(
            "line " + std::to_string(line + 1) + ", column " + std::to_string(column + 1) + ": " + message);
    }
    std::string errors;
    std::vector<std::string> warnings;
};
} // namespace

bool parseText(const char* data, std::size_t size, google::protobuf::Message& message, std::string& error,
    std::vector<std::string>& warnings)
{
    if (size > kMaxProtobufBytes)
    {
        error = "the text is larger than 2 GB";
        return false;
    }
    CollectProtobufLog collect(&warnings);
    CollectErrors collector;
    google::protobuf::TextFormat::Parser parser;
    parser.RecordErrorsTo(&collector);
    parser.AllowUnknownField(true);
    parser.AllowUnknownExtension(true);
    google::protobuf::io::ArrayInputStream array(data, static_cast<int>(size));
    const bool ok = parser.Parse(&array, &message);
    warnings.insert(warnings.end(), collector.warnings.begin(), collector.warnings.end());
    if (!ok)
    {
        error = collector.errors.empty() ? "not a valid text " + message.GetTypeName() + " message"
                                         : collector.errors;
        return false;
    }
    return true;
}

} // namespace parsers
} // namespace kiln
