// Values of the UFF parser: errors as values (Status), constants known at parse time
// (ConstTensor) and what a node produces (Value: a network tensor with its layout, or a constant).
//
// Layouts. UFF graphs come from TensorFlow: tensors carry a batch axis 0 and are laid out as TF
// laid them out (NHWC for images). The network is implicit-batch, so a network tensor holds the
// TF axes 1..r-1, in an order of the parser's choosing: Value::perm[i] is the TF axis (counted
// without the batch, so TF axis perm[i] + 1) that network axis i holds. Spatial layers
// (convolution, pooling, LRN) want channels first, so their results are kept channels first and
// converted back only where an op needs TF order (reshapes, flattening, graph outputs).
#pragma once

#include "NvInfer.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace kiln::uffparser
{

//! The outcome of a step: ok, or an error message with an IErrorRecorder code.
class [[nodiscard]] Status
{
public:
    Status() = default;
    static Status ok() { return Status(); }
    static Status error(std::string message, nvinfer1::ErrorCode code = nvinfer1::ErrorCode::kINVALID_ARGUMENT)
    {
        Status s;
        s.mFailed = true;
        s.mCode = code;
        s.mMessage = std::move(message);
        return s;
    }
    static Status unsupported(std::string message)
    {
        return error(std::move(message), nvinfer1::ErrorCode::kUNSUPPORTED_STATE);
    }
    bool isOk() const { return !mFailed; }
    nvinfer1::ErrorCode code() const { return mCode; }
    const std::string& message() const { return mMessage; }

private:
    bool mFailed{false};
    nvinfer1::ErrorCode mCode{nvinfer1::ErrorCode::kSUCCESS};
    std::string mMessage;
};

#define KILN_UFF_RETURN_IF_ERROR(expr)                                                                                 \
    do                                                                                                                 \
    {                                                                                                                  \
        ::kiln::uffparser::Status kilnUffStatus_ = (expr);                                                             \
        if (!kilnUffStatus_.isOk())                                                                                    \
            return kilnUffStatus_;                                                                                     \
    } while (false)

//! Stands for the batch extent inside integer constants computed from a Shape op: the batch is
//! only known when the engine runs, so such a value may move around (slices, stacks, concats) and
//! end up as the batch entry of a Reshape target, but no arithmetic may use it.
constexpr int64_t kBatchExtent = INT64_MIN;

//! The largest constant the parser creates itself (folded values), in elements.
constexpr int64_t kMaxFoldedElements = int64_t{1} << 24;

//! A constant known at parse time: a Const node or a value folded from constants. Its shape is the
//! TF shape; constants have no implicit batch axis.
struct ConstTensor
{
    bool isInt{false};          //!< integer (DT_INT8..DT_INT64) or floating point (DT_FLOAT16/32)
    std::vector<int64_t> shape; //!< TF shape; empty for a scalar
    std::vector<float> f;       //!< values when !isInt
    std::vector<int64_t> i;     //!< values when isInt (kBatchExtent for the batch size)

    int64_t count() const { return isInt ? static_cast<int64_t>(i.size()) : static_cast<int64_t>(f.size()); }
    double at(int64_t k) const
    {
        return isInt ? static_cast<double>(i[static_cast<size_t>(k)]) : f[static_cast<size_t>(k)];
    }
    bool hasBatchExtent() const;
};

using ConstPtr = std::shared_ptr<const ConstTensor>;

//! What a node produces.
struct Value
{
    nvinfer1::ITensor* tensor{nullptr}; //!< a network tensor (the TF tensor less its batch axis)
    std::vector<int32_t> perm;          //!< network axis i holds TF axis perm[i] + 1
    ConstPtr constant;                  //!< or a constant

    bool isTensor() const { return tensor != nullptr; }
    bool isConst() const { return constant != nullptr; }
    //! Rank of the TF tensor (with the batch axis for network tensors).
    int32_t tfRank() const
    {
        return tensor ? static_cast<int32_t>(perm.size()) + 1 : static_cast<int32_t>(constant->shape.size());
    }
    //! True when the network tensor holds the TF axes in TF order.
    bool isNatural() const;
    //! The network axis that holds TF axis \p tfAxis (1 <= tfAxis < tfRank()).
    int32_t netAxis(int32_t tfAxis) const;
    //! The TF shape; the batch extent is reported as -1.
    std::vector<int64_t> tfShape() const;
};

//! \p v as an integer: rounded toward zero, saturated to the int64 range, NaN as 0 (a float to
//! integer conversion that is defined for every input).
int64_t saturatedInt(double v);

//! The identity permutation of \p n axes.
std::vector<int32_t> identityPerm(int32_t n);

//! Shapes and lists in messages: [1, 2, 3].
std::string toString(const std::vector<int64_t>& values);
std::string toString(const std::vector<int32_t>& values);
std::string toString(const nvinfer1::Dims& dims);

} // namespace kiln::uffparser
