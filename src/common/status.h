// Status and Expected<T>: errors as values inside the library. Nothing throws across the API;
// the api/ layer turns a failed Status into a log message and a nullptr/false return.
#pragma once

#include "NvInferRuntimeCommon.h"

#include <optional>
#include <string>
#include <utility>

namespace kiln
{

//! Outcome of an operation: ok, or an error code with a message that already names the layer,
//! node or binding at fault.
class [[nodiscard]] Status
{
public:
    Status() = default;
    static Status ok() { return Status(); }
    static Status error(nvinfer1::ErrorCode code, std::string message)
    {
        Status s;
        s.mCode = code;
        s.mMessage = std::move(message);
        return s;
    }
    bool isOk() const { return mCode == nvinfer1::ErrorCode::kSUCCESS; }
    explicit operator bool() const { return isOk(); }
    nvinfer1::ErrorCode code() const { return mCode; }
    const std::string& message() const { return mMessage; }
    //! Prefixes the message with context ("layer 'conv1': ...").
    Status withContext(const std::string& context) const
    {
        if (isOk())
            return *this;
        return error(mCode, context + ": " + mMessage);
    }

private:
    nvinfer1::ErrorCode mCode{nvinfer1::ErrorCode::kSUCCESS};
    std::string mMessage;
};

inline Status invalidArgument(std::string message)
{
    return Status::error(nvinfer1::ErrorCode::kINVALID_ARGUMENT, std::move(message));
}
inline Status invalidConfig(std::string message)
{
    return Status::error(nvinfer1::ErrorCode::kINVALID_CONFIG, std::move(message));
}
inline Status invalidState(std::string message)
{
    return Status::error(nvinfer1::ErrorCode::kINVALID_STATE, std::move(message));
}
inline Status unsupported(std::string message)
{
    return Status::error(nvinfer1::ErrorCode::kUNSUPPORTED_STATE, std::move(message));
}
inline Status internalError(std::string message)
{
    return Status::error(nvinfer1::ErrorCode::kINTERNAL_ERROR, std::move(message));
}
inline Status allocationFailed(std::string message)
{
    return Status::error(nvinfer1::ErrorCode::kFAILED_ALLOCATION, std::move(message));
}

//! A value or the Status explaining why there is none.
template <typename T>
class [[nodiscard]] Expected
{
public:
    Expected(T value)
        : mValue(std::move(value))
    {
    }
    Expected(Status status)
        : mStatus(std::move(status))
    {
    }
    bool isOk() const { return mValue.has_value(); }
    explicit operator bool() const { return isOk(); }
    T& value() { return *mValue; }
    const T& value() const { return *mValue; }
    T& operator*() { return *mValue; }
    T* operator->() { return &*mValue; }
    const Status& status() const { return mStatus; }

private:
    std::optional<T> mValue;
    Status mStatus;
};

} // namespace kiln

#define KILN_CONCAT_INNER(a, b) a##b
#define KILN_CONCAT(a, b) KILN_CONCAT_INNER(a, b)

//! Returns the Status from the enclosing function if \p expr failed.
#define KILN_RETURN_IF_ERROR(expr)                                                                                     \
    do                                                                                                                 \
    {                                                                                                                  \
        ::kiln::Status kilnStatus_ = (expr);                                                                           \
        if (!kilnStatus_.isOk())                                                                                       \
            return kilnStatus_;                                                                                        \
    } while (0)

//! Returns an invalid-argument Status with \p msg (a std::string expression) unless \p cond holds.
#define KILN_CHECK_ARG(cond, msg)                                                                                      \
    do                                                                                                                 \
    {                                                                                                                  \
        if (!(cond))                                                                                                   \
            return ::kiln::invalidArgument(msg);                                                                       \
    } while (0)
