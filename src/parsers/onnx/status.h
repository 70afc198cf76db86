// Errors as values inside the ONNX parser. An OnnxStatus carries the IParserError fields (code,
// description, source location); the node index is added where the node is known.
#pragma once

#include "NvOnnxParser.h"

#include <optional>
#include <string>
#include <utility>

namespace kiln::onnx
{

struct ErrorInfo
{
    nvonnxparser::ErrorCode code{nvonnxparser::ErrorCode::kSUCCESS};
    std::string desc;
    const char* file{""};
    int line{0};
    const char* func{""};
    int node{-1};
};

class [[nodiscard]] OnnxStatus
{
public:
    OnnxStatus() = default;
    static OnnxStatus ok() { return OnnxStatus(); }
    static OnnxStatus failure(
        nvonnxparser::ErrorCode code, std::string desc, const char* file, int line, const char* func)
    {
        OnnxStatus s;
        s.mError = ErrorInfo{code, std::move(desc), file, line, func, -1};
        return s;
    }
    bool isOk() const { return !mError.has_value(); }
    const ErrorInfo& error() const { return *mError; }
    ErrorInfo& error() { return *mError; }

private:
    std::optional<ErrorInfo> mError;
};

//! A value or the OnnxStatus explaining why there is none.
template <typename T>
class [[nodiscard]] OnnxExpected
{
public:
    OnnxExpected(T value)
        : mValue(std::move(value))
    {
    }
    OnnxExpected(OnnxStatus status)
        : mStatus(std::move(status))
    {
    }
    bool isOk() const { return mValue.has_value(); }
    const OnnxStatus& status() const { return mStatus; }
    T& value() { return *mValue; }
    T&& take() { return std::move(*mValue); }

private:
    std::optional<T> mValue;
    OnnxStatus mStatus;
};

} // namespace kiln::onnx

#define KILN_ONNX_ERROR(code, desc)                                                                                    \
    ::kiln::onnx::OnnxStatus::failure(::nvonnxparser::ErrorCode::code, (desc), __FILE__, __LINE__, __func__)

//! Returns an error from the enclosing function when \p cond is false.
#define KILN_ONNX_CHECK(cond, code, desc)                                                                              \
    do                                                                                                                 \
    {                                                                                                                  \
        if (!(cond))                                                                                                   \
            return KILN_ONNX_ERROR(code, desc);                                                                        \
    } while (false)

#define KILN_ONNX_RETURN_IF_ERROR(expr)                                                                                \
    do                                                                                                                 \
    {                                                                                                                  \
        ::kiln::onnx::OnnxStatus kilnOnnxStatus_ = (expr);                                                             \
        if (!kilnOnnxStatus_.isOk())                                                                                   \
            return kilnOnnxStatus_;                                                                                    \
    } while (false)

#define KILN_ONNX_CONCAT_INNER(a, b) a##b
#define KILN_ONNX_CONCAT(a, b) KILN_ONNX_CONCAT_INNER(a, b)
//! `KILN_ONNX_ASSIGN(auto x, expectedExpr);` declares x from an OnnxExpected or returns its error.
#define KILN_ONNX_ASSIGN(decl, expr) KILN_ONNX_ASSIGN_IMPL(KILN_ONNX_CONCAT(kilnOnnxExpected_, __LINE__), decl, expr)
#define KILN_ONNX_ASSIGN_IMPL(tmp, decl, expr)                                                                         \
    auto tmp = (expr);                                                                                                 \
    if (!tmp.isOk())                                                                                                   \
        return tmp.status();                                                                                           \
    decl = tmp.take()
