// Input, Const, Identity and Shape, and the tables of op converters.
#include "uff_ops.h"
#include "uff_orders.h"

namespace kiln::uffparser
{

Status convertInput(NodeContext& ctx)
{
    KILN_UFF_RETURN_IF_ERROR(ctx.expectInputs(0, 0));
    const InputRegistration* r = ctx.converter().registration(ctx.id());
    if (!r)
        return ctx.fail("the input is not registered (registerInput)");
    int64_t dtype = 0;
    KILN_UFF_RETURN_IF_ERROR(ctx.dtypeField("dtype", static_cast<int64_t>(UffType::kFloat32), dtype));
    nvinfer1::DataType type = nvinfer1::DataType::kFLOAT;
    if (dtype == static_cast<int64_t>(UffType::kInt32))
        type = nvinfer1::DataType::kINT32;
    else if (dtype != static_cast<int64_t>(UffType::kFloat32))
        return ctx.unsupported("inputs of type " + uffTypeName(dtype) + " are not supported (DT_FLOAT32 or DT_INT32)");

    // The registered dims leave the batch out: CHW for kNCHW (the graph holds HWC), HWC for
    // kNHWC, C for kNC.
    const nvinfer1::Dims& dims = r->dims;
    const int32_t n = dims.nbDims;
    std::vector<int64_t> tf(dims.d, dims.d + n);
    std::vector<int32_t> perm = identityPerm(n);
    if (r->order == nvuffparser::UffInputOrder::kNCHW)
    {
        tf.assign(dims.d + 1, dims.d + n);
        tf.push_back(dims.d[0]);
        perm.assign(1, n - 1);
        for (int32_t k = 0; k + 1 < n; ++k)
            perm.push_back(k);
    }
    std::vector<int64_t> shape;
    bool present = false;
    KILN_UFF_RETURN_IF_ERROR(ctx.intsField("shape", shape, present));
    if (present)
    {
        bool agree = shape.size() == tf.size() + 1 && (shape[0] == -1 || shape[0] > 0);
        for (size_t k = 0; agree && k < tf.size(); ++k)
            agree = shape[k + 1] == tf[k] || shape[k + 1] == -1; // -1: the registration gives the extent
        if (!agree)
        {
            std::vector<int64_t> registered(dims.d, dims.d + n);
            const char* order = r->order == nvuffparser::UffInputOrder::kNCHW ? "kNCHW"
                : r->order == nvuffparser::UffInputOrder::kNHWC               ? "kNHWC"
                                                                              : "kNC";
            return ctx.fail("the graph's shape " + toString(shape) + " does not agree with the registered dims "
                + toString(registered) + " (" + order + ", batch left out), which stand for TF shape [-1"
                + (tf.empty() ? std::string() : ", " + toString(tf).substr(1)));
        }
    }
    nvinfer1::ITensor* t = ctx.network().addInput(ctx.id().c_str(), type, dims);
    if (!t || t->getDimensions().nbDims != n)
        return ctx.fail("the network refused the input (see the log)");
    ctx.setOutput(t, perm);
    return Status::ok();
}

Status convertConst(NodeContext& ctx)
{
    KILN_UFF_RETURN_IF_ERROR(ctx.expectInputs(0, 0));
    int64_t dtype = 0;
    KILN_UFF_RETURN_IF_ERROR(ctx.dtypeField("dtype", static_cast<int64_t>(UffType::kFloat32), dtype));
    std::vector<int64_t> shape;
    bool hasShape = false;
    KILN_UFF_RETURN_IF_ERROR(ctx.intsField("shape", shape, hasShape));
    const ::kiln::uff::Data* values = nullptr;
    KILN_UFF_RETURN_IF_ERROR(ctx.field("values", values));
    if (!values)
        return ctx.fail("field 'values' is missing");
    const size_t size = uffTypeSize(dtype);
    if (size == 0)
        return ctx.unsupported("constants of type " + uffTypeName(dtype) + " are not supported");
    ConstTensor c;
    Status s;
    switch (values->data_oneof_case())
    {
    case ::kiln::uff::Data::kBlob:
        if (!hasShape)
            shape = {static_cast<int64_t>(values->blob().size() / size)};
        s = decodeBlob(values->blob(), dtype, shape, c);
        break;
    case ::kiln::uff::Data::kDList:
    case ::kiln::uff::Data::kIList:
    {
        // Small constants may be written inline as lists.
        const bool doubles = values->data_oneof_case() == ::kiln::uff::Data::kDList;
        const int64_t n = doubles ? values->d_list().val_size() : values->i_list().val_size();
        if (!hasShape)
            shape = {n};
        int64_t volume = 0;
        s = checkedVolume(shape, kMaxFoldedElements, volume);
        if (s.isOk() && volume != n)
            s = Status::error("shape " + toString(shape) + " needs " + std::to_string(volume) + " values; the list has "
                + std::to_string(n));
        c.shape = shape;
        c.isInt = dtype != static_cast<int64_t>(UffType::kFloat32) && dtype != static_cast<int64_t>(UffType::kFloat16);
        for (int64_t k = 0; s.isOk() && k < n; ++k)
        {
            const double v = doubles ? values->d_list().val(static_cast<int32_t>(k))
                                     : static_cast<double>(values->i_list().val(static_cast<int32_t>(k)));
            if (c.isInt)
                c.i.push_back(doubles ? saturatedInt(v) : values->i_list().val(static_cast<int32_t>(k)));
            else
                c.f.push_back(static_cast<float>(v));
        }
        break;
    }
    default: return ctx.fail("field 'values' must be a blob (normally a ref into referenced_data)");
    }
    if (!s.isOk())
        return ctx.fail(s.message());
    ctx.setOutput(std::move(c));
    return Status::ok();
}

Status convertIdentity(NodeContext& ctx)
{
    KILN_UFF_RETURN_IF_ERROR(ctx.expectInputs(1, 1));
    ctx.setOutput(ctx.input(0));
    return Status::ok();
}

Status convertShape(NodeContext& ctx)
{
    KILN_UFF_RETURN_IF_ERROR(ctx.expectInputs(1, 1));
    const Value& in = ctx.input(0);
    ConstTensor c;
    c.isInt = true;
    c.i = in.tfShape();
    if (in.isTensor())
        c.i[0] = kBatchExtent; // known only when the engine runs
    c.shape = {static_cast<int64_t>(c.i.size())};
    ctx.setOutput(std::move(c));
    return Status::ok();
}

const std::unordered_map<std::string, OpConverter>& opConverters()
{
    static const std::unordered_map<std::string, OpConverter> table{
        {"Input", convertInput},
        {"Const", convertConst},
        {"Identity", convertIdentity},
        {"Shape", convertShape},
        {"Conv", convertConv},
        {"ConvTranspose", convertConvTranspose},
        {"Pool", convertPool},
        {"FullyConnected", convertFullyConnected},
        {"LRN", convertLRN},
        {"BatchNorm", convertBatchNorm},
        {"Binary", convertBinary},
        {"Unary", convertUnary},
        {"Activation", convertActivation},
        {"LeakyRelu", convertLeakyRelu},
        {"Softmax", convertSoftmax},
        {"Reduce", convertReduce},
        {"ArgMax", convertArgMinMax},
        {"ArgMin", convertArgMinMax},
        {"Reshape", convertReshape},
        {"Flatten", convertFlatten},
        {"Squeeze", convertSqueeze},
        {"ExpandDims", convertExpandDims},
        {"Transpose", convertTranspose},
        {"Concat", convertConcat},
        {"Stack", convertStack},
        {"StridedSlice", convertStridedSlice},
        {"Pad", convertPad},
        {"Gather", convertGather},
        {"GatherV2", convertGather},
    };
    return table;
}

const std::unordered_map<std::string, OpConverter>& foldConverters()
{
    static const std::unordered_map<std::string, OpConverter> table{
        {"Identity", convertIdentity},
        {"Shape", convertShape},
        {"Binary", foldBinary},
        {"Unary", foldUnary},
        {"Reshape", foldReshape},
        {"Flatten", foldReshape},
        {"Squeeze", foldSqueeze},
        {"ExpandDims", foldExpandDims},
        {"Transpose", foldTranspose},
        {"Concat", foldConcat},
        {"Stack", foldStack},
        {"StridedSlice", foldStridedSlice},
        {"Pad", foldPad},
        {"Gather", foldGather},
        {"GatherV2", foldGather},
    };
    return table;
}

} // namespace kiln::uffparser
