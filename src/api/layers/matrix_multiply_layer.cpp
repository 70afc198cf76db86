// IMatrixMultiplyLayer and both INetworkDefinition::addMatrixMultiply forms.
#include "api/layer_impl.h"
#include "layers/matrix_multiply.h"

namespace kiln::api
{

namespace
{

class MatrixMultiplyLayer final : public LayerImpl<nvinfer1::IMatrixMultiplyLayer, layers::MatrixMultiplyParams>
{
public:
    using LayerImpl::LayerImpl;

    void setOperation(int32_t index, nvinfer1::MatrixOperation op) noexcept override
    {
        if (index != 0 && index != 1)
        {
            usageError("setOperation: index " + std::to_string(index) + " must be 0 or 1");
            return;
        }
        (index == 0 ? params().op0 : params().op1) = op;
        changed();
    }
    nvinfer1::MatrixOperation getOperation(int32_t index) const noexcept override
    {
        return index == 1 ? params().op1 : params().op0;
    }
    void setTranspose(int32_t index, bool val) noexcept override
    {
        setOperation(index, val ? nvinfer1::MatrixOperation::kTRANSPOSE : nvinfer1::MatrixOperation::kNONE);
    }
    bool getTranspose(int32_t index) const noexcept override
    {
        return getOperation(index) == nvinfer1::MatrixOperation::kTRANSPOSE;
    }
};

} // namespace

nvinfer1::IMatrixMultiplyLayer* NetworkImpl::addMatrixMultiply(nvinfer1::ITensor& input0, nvinfer1::MatrixOperation op0,
    nvinfer1::ITensor& input1, nvinfer1::MatrixOperation op1) noexcept
{
    ir::Tensor* a = unwrap(input0, "addMatrixMultiply input 0");
    if (!a)
        return nullptr;
    ir::Tensor* b = unwrap(input1, "addMatrixMultiply input 1");
    if (!b)
        return nullptr;
    auto params = std::make_unique<layers::MatrixMultiplyParams>();
    params->op0 = op0;
    params->op1 = op1;
    return addLayer<MatrixMultiplyLayer>(std::move(params), {a, b});
}

nvinfer1::IMatrixMultiplyLayer* NetworkImpl::addMatrixMultiply(
    nvinfer1::ITensor& input0, bool transpose0, nvinfer1::ITensor& input1, bool transpose1) noexcept
{
    using nvinfer1::MatrixOperation;
    return addMatrixMultiply(input0, transpose0 ? MatrixOperation::kTRANSPOSE : MatrixOperation::kNONE, input1,
        transpose1 ? MatrixOperation::kTRANSPOSE : MatrixOperation::kNONE);
}

} // namespace kiln::api
