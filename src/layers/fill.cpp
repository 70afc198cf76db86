#include "layers/fill.h"

#include "layers/checks.h"
#include "layers/movement_utils.h"
#include "layers/pointwise_utils.h"

#include <cmath>
#include <limits>

namespace kiln::layers
{

using nvinfer1::DataType;
using nvinfer1::FillOperation;

double linspaceAt(const nvinfer1::Dims& dims, double start, const double* delta, int64_t index)
{
    double value = start;
    for (int32_t i = dims.nbDims - 1; i >= 0; --i)
    {
        const int64_t coord = index % dims.d[i];
        index /= dims.d[i];
        value += delta[i] * static_cast<double>(coord);
    }
    return value;
}

int32_t saturateToInt32(double value)
{
    if (std::isnan(value))
        return 0;
    const double r = std::nearbyint(value);
    if (r <= static_cast<double>(std::numeric_limits<int32_t>::min()))
        return std::numeric_limits<int32_t>::min();
    if (r >= static_cast<double>(std::numeric_limits<int32_t>::max()))
        return std::numeric_limits<int32_t>::max();
    return static_cast<int32_t>(r);
}

namespace
{

//! Input \p index, when present, must be FLOAT or INT32 (FLOAT only for random fills).
Status checkOperand(const ir::ShapeContext& ctx, int32_t index, bool random)
{
    if (!ctx.input(index))
        return Status::ok();
    if (random)
        return checkInputType(ctx, index, {DataType::kFLOAT});
    return checkInputType(ctx, index, {DataType::kFLOAT, DataType::kINT32});
}

//! Input \p index, when present, must hold one element.
Status checkOneElement(const ir::ShapeContext& ctx, int32_t index, const char* what)
{
    const ir::TensorDesc* in = ctx.input(index);
    if (in && volume(in->dims) != 1 && !hasDynamicExtent(in->dims))
        return ctx.error(std::string(what) + " (input " + std::to_string(index) + ") must hold one element, not "
            + toString(in->dims));
    return Status::ok();
}

Status outputDims(const ir::ShapeContext& ctx, const FillParams& p, nvinfer1::Dims& out)
{
    if (ctx.input(0))
    {
        if (p.implicitBatch)
            return ctx.error("output dimensions from a shape tensor (input 0) need an explicit-batch network");
        int32_t length = 0;
        const std::vector<int32_t>* values = nullptr;
        KILN_RETURN_IF_ERROR(readShapeInput(ctx, 0, "output dimensions", length, values));
        if (length < 0 || length > nvinfer1::Dims::MAX_DIMS)
            return ctx.error("the output shape tensor (input 0) must have a known length of at most 8, not "
                + std::to_string(length));
        out = nvinfer1::Dims{};
        out.nbDims = length;
        for (int32_t i = 0; i < length; ++i)
            out.d[i] = values ? (*values)[static_cast<size_t>(i)] : -1;
        if (values)
            for (int32_t i = 0; i < length; ++i)
                if (out.d[i] < 0)
                    return ctx.error("output dimensions " + toString(out) + " from input 0 have a negative extent");
    }
    else
    {
        KILN_RETURN_IF_ERROR(checkRank(ctx, "output dimensions", p.dims));
        out = p.dims;
        for (int32_t i = 0; i < out.nbDims; ++i)
            if (out.d[i] < 0)
                return ctx.error("output dimensions " + toString(out) + " have a negative extent");
        if (p.implicitBatch)
        {
            if (out.nbDims >= nvinfer1::Dims::MAX_DIMS)
                return ctx.error("output dimensions " + toString(out) + " leave no room for the batch axis");
            out = prepend(out, 1);
        }
    }
    int64_t count = 0;
    return checkedVolume(ctx, "output dimensions", out, count);
}

} // namespace

Status FillParams::inferShapes(ir::ShapeContext& ctx) const
{
    KILN_RETURN_IF_ERROR(checkEnum(ctx, "fill operation", operation));
    const bool random = operation != FillOperation::kLINSPACE;
    ir::TensorDesc& out = ctx.output(0);
    KILN_RETURN_IF_ERROR(outputDims(ctx, *this, out.dims));
    const int32_t rank = out.dims.nbDims;

    KILN_RETURN_IF_ERROR(checkOperand(ctx, 1, random));
    KILN_RETURN_IF_ERROR(checkOperand(ctx, 2, random));
    KILN_RETURN_IF_ERROR(checkOneElement(ctx, 1, random ? "alpha" : "the start"));
    const ir::TensorDesc* start = ctx.input(1);
    const ir::TensorDesc* delta = ctx.input(2);
    if (random)
        KILN_RETURN_IF_ERROR(checkOneElement(ctx, 2, "beta"));
    else if (delta)
    {
        if (implicitBatch)
            return ctx.error("a delta tensor (input 2) needs an explicit-batch network");
        if (delta->dims.nbDims != 1 || (delta->dims.d[0] != rank && delta->dims.d[0] != -1))
            return ctx.error("the delta (input 2) must be 1-D with one entry per output axis (" + std::to_string(rank)
                + "), not " + toString(delta->dims));
    }

    DataType type = DataType::kFLOAT;
    if (outputTypeSet)
        type = outputType;
    else if ((start && start->type == DataType::kINT32) || (delta && delta->type == DataType::kINT32))
        type = DataType::kINT32;
    if (type != DataType::kFLOAT && (random || type != DataType::kINT32))
        return ctx.error(std::string("output type ") + dataTypeName(type) + " is not supported ("
            + (random ? "random fills are FLOAT" : "FLOAT or INT32") + ")");
    if (!std::isfinite(alpha()) || !std::isfinite(beta()))
        return ctx.error("alpha and beta must be finite");
    if (operation == FillOperation::kRANDOM_UNIFORM && !start && !delta && alpha() > beta())
        return ctx.error("the minimum (alpha " + std::to_string(alpha()) + ") exceeds the maximum (beta "
            + std::to_string(beta()) + ")");
    if (operation == FillOperation::kRANDOM_NORMAL && !delta && beta() < 0)
        return ctx.error("the standard deviation (beta) must not be negative, not " + std::to_string(beta()));
    out.type = type;
    out.values.reset();

    // Known INT32 values for shape arithmetic (e.g. a Range feeding a reshape).
    const std::vector<int32_t>* startValues = start ? knownInts(start) : nullptr;
    const std::vector<int32_t>* deltaValues = delta ? knownInts(delta) : nullptr;
    if (!random && type == DataType::kINT32 && canCarryValues(out.dims) && (!start || startValues)
        && (!delta || deltaValues))
    {
        double steps[nvinfer1::Dims::MAX_DIMS] = {};
        for (int32_t i = 0; i < rank; ++i)
            steps[i] = deltaValues ? (*deltaValues)[static_cast<size_t>(i)] : (i == rank - 1 ? beta() : 0.0);
        const double first = startValues ? (*startValues)[0] : alpha();
        std::vector<int32_t> values(static_cast<size_t>(volume(out.dims)));
        for (size_t i = 0; i < values.size(); ++i)
            values[i] = saturateToInt32(linspaceAt(out.dims, first, steps, static_cast<int64_t>(i)));
        out.values = std::move(values);
    }
    return Status::ok();
}

} // namespace kiln::layers
