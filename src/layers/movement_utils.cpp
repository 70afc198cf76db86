#include "layers/movement_utils.h"

#include "common/dtype.h"

namespace kiln::layers
{

Status checkRank(const ir::ShapeContext& ctx, const char* what, const nvinfer1::Dims& dims)
{
    if (!isValidRank(dims))
        return ctx.error(std::string(what) + " has invalid rank " + std::to_string(dims.nbDims));
    return Status::ok();
}

Status checkedVolume(const ir::ShapeContext& ctx, const char* what, const nvinfer1::Dims& dims, int64_t& out)
{
    KILN_RETURN_IF_ERROR(checkRank(ctx, what, dims));
    int64_t v = 1;
    bool unknown = false;
    for (int32_t i = 0; i < dims.nbDims; ++i)
    {
        const int32_t e = dims.d[i];
        if (e < -1)
            return ctx.error(std::string(what) + " " + toString(dims) + " has a negative extent");
        if (e == -1)
            unknown = true;
        else if (e == 0)
            v = 0;
        else if (v != 0)
        {
            if (v > kMaxTensorElements / e)
                return ctx.error(std::string(what) + " " + toString(dims) + " has too many elements");
            v *= e;
        }
    }
    out = unknown && v != 0 ? -1 : v;
    return Status::ok();
}

std::vector<int32_t> identityPermutation()
{
    std::vector<int32_t> order(nvinfer1::Dims::MAX_DIMS);
    for (int32_t i = 0; i < nvinfer1::Dims::MAX_DIMS; ++i)
        order[static_cast<size_t>(i)] = i;
    return order;
}

bool isPermutation(const std::vector<int32_t>& order, int32_t rank)
{
    if (rank < 0 || rank > nvinfer1::Dims::MAX_DIMS || static_cast<int32_t>(order.size()) < rank)
        return false;
    bool seen[nvinfer1::Dims::MAX_DIMS] = {};
    for (int32_t i = 0; i < rank; ++i)
    {
        const int32_t a = order[static_cast<size_t>(i)];
        if (a < 0 || a >= rank || seen[a])
            return false;
        seen[a] = true;
    }
    return true;
}

std::string permutationString(const std::vector<int32_t>& order, int32_t rank)
{
    std::string s = "(";
    for (int32_t i = 0; i < rank && i < static_cast<int32_t>(order.size()); ++i)
        s += (i ? "," : "") + std::to_string(order[static_cast<size_t>(i)]);
    return s + ")";
}

std::vector<int32_t> shiftPermutation(const std::vector<int32_t>& order)
{
    std::vector<int32_t> out(nvinfer1::Dims::MAX_DIMS, -1);
    out[0] = 0;
    for (size_t i = 0; i + 1 < out.size() && i < order.size(); ++i)
    {
        const int32_t a = order[i];
        out[i + 1] = a >= 0 && a < nvinfer1::Dims::MAX_DIMS ? a + 1 : -1;
    }
    return out;
}

nvinfer1::Dims permuteDims(const nvinfer1::Dims& dims, const std::vector<int32_t>& order)
{
    nvinfer1::Dims out{};
    out.nbDims = dims.nbDims;
    for (int32_t i = 0; i < dims.nbDims; ++i)
        out.d[i] = dims.d[order[static_cast<size_t>(i)]];
    return out;
}

Status readShapeInput(
    const ir::ShapeContext& ctx, int32_t index, const char* what, int32_t& length, const std::vector<int32_t>*& values)
{
    const ir::TensorDesc* in = ctx.input(index);
    if (!in)
        return ctx.error(std::string(what) + " input " + std::to_string(index) + " is missing");
    if (in->type != nvinfer1::DataType::kINT32)
        return ctx.error(std::string(what) + " input " + std::to_string(index) + " has type " + dataTypeName(in->type)
            + "; a shape tensor must be INT32");
    if (in->dims.nbDims != 1)
        return ctx.error(std::string(what) + " input " + std::to_string(index) + " has dimensions " + toString(in->dims)
            + "; a shape tensor must be 1-D");
    length = in->dims.d[0] < 0 ? -1 : in->dims.d[0];
    values = nullptr;
    if (in->values && length >= 0 && static_cast<int64_t>(in->values->size()) == length)
        values = &*in->values;
    return Status::ok();
}

bool canCarryValues(const nvinfer1::Dims& dims)
{
    if (!isValidRank(dims))
        return false;
    int64_t v = 1;
    for (int32_t i = 0; i < dims.nbDims; ++i)
    {
        if (dims.d[i] < 0)
            return false;
        v *= dims.d[i];
        if (v > kMaxKnownValues)
            return false;
    }
    return true;
}

void unravelIndex(int64_t index, const nvinfer1::Dims& dims, int64_t coords[nvinfer1::Dims::MAX_DIMS])
{
    for (int32_t i = dims.nbDims - 1; i >= 0; --i)
    {
        const int64_t e = dims.d[i] > 0 ? dims.d[i] : 1;
        coords[i] = index % e;
        index /= e;
    }
}

void rowMajorStrides(const nvinfer1::Dims& dims, int64_t strides[nvinfer1::Dims::MAX_DIMS])
{
    int64_t s = 1;
    for (int32_t i = dims.nbDims - 1; i >= 0; --i)
    {
        strides[i] = s;
        s *= dims.d[i] > 0 ? dims.d[i] : 1;
    }
}

} // namespace kiln::layers
