#include "layers/shuffle.h"

#include "common/dtype.h"

namespace kiln::layers
{

namespace
{

//! The reshape specification (before placeholders and -1 are resolved), or none (\p has false).
Status reshapeSpec(ir::ShapeContext& ctx, const ShuffleParams& p, bool& has, bool& known, nvinfer1::Dims& spec)
{
    has = false;
    known = true;
    if (ctx.input(1))
    {
        if (p.implicitBatch)
            return ctx.error("a reshape from a shape tensor (input 1) needs an explicit-batch network");
        int32_t length = 0;
        const std::vector<int32_t>* values = nullptr;
        KILN_RETURN_IF_ERROR(readShapeInput(ctx, 1, "reshape dimensions", length, values));
        if (length < 0 || length > nvinfer1::Dims::MAX_DIMS)
            return ctx.error("the reshape shape tensor (input 1) must have a known length of at most 8, not "
                + std::to_string(length));
        has = true;
        known = values != nullptr;
        spec = known ? makeDims(*values) : nvinfer1::Dims{};
        spec.nbDims = length;
        return Status::ok();
    }
    if (!p.reshapeSet)
        return Status::ok();
    KILN_RETURN_IF_ERROR(checkRank(ctx, "reshape dimensions", p.reshapeDims));
    if (p.implicitBatch && p.reshapeDims.nbDims < 1)
        return ctx.error("implicit-batch reshape dimensions lack the batch axis");
    has = true;
    spec = p.reshapeDims;
    return Status::ok();
}

//! Resolves placeholders and -1 of \p spec against the transposed input dims \p t.
Status resolveReshape(ir::ShapeContext& ctx, const ShuffleParams& p, const nvinfer1::Dims& spec,
    const nvinfer1::Dims& t, nvinfer1::Dims& r)
{
    r = nvinfer1::Dims{};
    r.nbDims = spec.nbDims;
    // Axes of t copied into r with an unknown extent cancel out of both volumes, so a -1 can still
    // be inferred for a dynamic batch (e.g. [0, -1] on [-1, C, H, W]).
    bool cancelled[nvinfer1::Dims::MAX_DIMS] = {};
    int32_t inferAt = -1;
    int64_t outKnown = 1;
    for (int32_t i = 0; i < spec.nbDims; ++i)
    {
        int32_t d = spec.d[i];
        const bool copy = (p.implicitBatch && i == 0) || (d == 0 && p.zeroIsPlaceholder);
        if (copy)
        {
            if (i >= t.nbDims)
                return ctx.error("reshape dimension " + std::to_string(i)
                    + " copies an input extent, but the input has rank " + std::to_string(t.nbDims));
            d = t.d[i];
            if (d < 0)
            {
                cancelled[i] = true;
                r.d[i] = -1;
                continue;
            }
        }
        else if (d == -1)
        {
            if (inferAt >= 0)
                return ctx.error("reshape dimensions " + toString(spec) + " hold more than one -1");
            inferAt = i;
            r.d[i] = -1;
            continue;
        }
        else if (d < -1)
            return ctx.error("reshape dimensions " + toString(spec) + " hold a negative extent");
        r.d[i] = d;
        if (outKnown != 0 && d != 0 && outKnown > kMaxTensorElements / d)
            return ctx.error("reshape dimensions " + toString(spec) + " have too many elements");
        outKnown = d == 0 ? 0 : outKnown * d;
    }
    int64_t inKnown = 1;
    bool inUnknown = false;
    for (int32_t j = 0; j < t.nbDims; ++j)
    {
        if (cancelled[j])
            continue;
        if (t.d[j] < 0)
            inUnknown = true;
        else
            inKnown *= t.d[j]; // bounded: the input volume was checked
    }
    if (inUnknown)
        return Status::ok();
    if (inferAt >= 0)
    {
        if (outKnown == 0 || inKnown % outKnown != 0 || inKnown / outKnown > INT32_MAX)
            return ctx.error(
                "cannot infer the -1 of reshape dimensions " + toString(spec) + " for input dimensions " + toString(t));
        r.d[inferAt] = static_cast<int32_t>(inKnown / outKnown);
    }
    else if (inKnown != outKnown)
        return ctx.error(
            "reshape dimensions " + toString(spec) + " change the volume of input dimensions " + toString(t));
    return Status::ok();
}

} // namespace

Status ShuffleParams::inferShapes(ir::ShapeContext& ctx) const
{
    const ir::TensorDesc* in = ctx.input(0);
    if (!in)
        return ctx.error("input 0 is missing");
    if (!isValidDataType(in->type))
        return ctx.error("input 0 has an invalid type");
    int64_t volume = 0;
    KILN_RETURN_IF_ERROR(checkedVolume(ctx, "input 0", in->dims, volume));
    const int32_t rank = in->dims.nbDims;
    if (!isPermutation(firstTranspose, rank))
        return ctx.error("first transpose " + permutationString(firstTranspose, rank) + " is not a permutation of "
            + std::to_string(rank) + " axes");
    const nvinfer1::Dims t = permuteDims(in->dims, firstTranspose);

    bool hasReshape = false;
    bool specKnown = true;
    nvinfer1::Dims spec{};
    KILN_RETURN_IF_ERROR(reshapeSpec(ctx, *this, hasReshape, specKnown, spec));
    nvinfer1::Dims r = t;
    if (hasReshape && !specKnown)
    {
        for (int32_t i = 0; i < spec.nbDims; ++i)
            r.d[i] = -1;
        r.nbDims = spec.nbDims;
    }
    else if (hasReshape)
        KILN_RETURN_IF_ERROR(resolveReshape(ctx, *this, spec, t, r));

    if (!isPermutation(secondTranspose, r.nbDims))
        return ctx.error("second transpose " + permutationString(secondTranspose, r.nbDims)
            + " is not a permutation of " + std::to_string(r.nbDims) + " axes");
    ir::TensorDesc& out = ctx.output(0);
    out.type = in->type;
    out.dims = permuteDims(r, secondTranspose);
    if (in->type == nvinfer1::DataType::kINT32 && in->values && canCarryValues(out.dims)
        && static_cast<int64_t>(in->values->size()) == volume && volume == kiln::volume(out.dims))
    {
        const ShuffleIndexer indexer(in->dims, out.dims, firstTranspose, secondTranspose);
        std::vector<int32_t> values(static_cast<size_t>(volume));
        for (int64_t o = 0; o < volume; ++o)
            values[static_cast<size_t>(o)] = (*in->values)[static_cast<size_t>(indexer.source(o))];
        out.values = std::move(values);
    }
    return Status::ok();
}

Status ShuffleParams::addBatchAxis()
{
    if (reshapeSet)
    {
        if (!isValidRank(reshapeDims) || reshapeDims.nbDims >= nvinfer1::Dims::MAX_DIMS)
            return invalidArgument(
                "Shuffle reshape dimensions " + toString(reshapeDims) + " leave no room for the batch axis");
        reshapeDims = prepend(reshapeDims, 0);
    }
    firstTranspose = shiftPermutation(firstTranspose);
    secondTranspose = shiftPermutation(secondTranspose);
    implicitBatch = true;
    return Status::ok();
}

ShuffleIndexer::ShuffleIndexer(const nvinfer1::Dims& in, const nvinfer1::Dims& out, const std::vector<int32_t>& first,
    const std::vector<int32_t>& second)
    : mOut(out)
{
    mTransposed = permuteDims(in, first);
    int64_t inStrides[nvinfer1::Dims::MAX_DIMS];
    rowMajorStrides(in, inStrides);
    for (int32_t j = 0; j < in.nbDims; ++j)
        mInputStride[j] = inStrides[first[static_cast<size_t>(j)]];
    nvinfer1::Dims reshaped{};
    reshaped.nbDims = out.nbDims;
    for (int32_t i = 0; i < out.nbDims; ++i)
        reshaped.d[second[static_cast<size_t>(i)]] = out.d[i];
    int64_t reshapedStrides[nvinfer1::Dims::MAX_DIMS];
    rowMajorStrides(reshaped, reshapedStrides);
    for (int32_t i = 0; i < out.nbDims; ++i)
        mReshapedStride[i] = reshapedStrides[second[static_cast<size_t>(i)]];
}

int64_t ShuffleIndexer::source(int64_t outIndex) const
{
    int64_t coords[nvinfer1::Dims::MAX_DIMS];
    unravelIndex(outIndex, mOut, coords);
    int64_t linear = 0;
    for (int32_t i = 0; i < mOut.nbDims; ++i)
        linear += coords[i] * mReshapedStride[i];
    unravelIndex(linear, mTransposed, coords);
    int64_t src = 0;
    for (int32_t j = 0; j < mTransposed.nbDims; ++j)
        src += coords[j] * mInputStride[j];
    return src;
}

} // namespace kiln::layers
