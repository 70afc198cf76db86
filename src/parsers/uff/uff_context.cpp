#include "uff_context.h"

#include "uff_orders.h"

#include <algorithm>
#include <cmath>
#include <unordered_set>

namespace kiln::uffparser
{

namespace
{

template <typename T> std::string joined(const std::vector<T>& values)
{
    std::string s = "[";
    for (size_t k = 0; k < values.size(); ++k)
    {
        if (k)
            s += ", ";
        if constexpr (sizeof(T) == sizeof(int64_t))
            s += values[k] == kBatchExtent ? std::string("batch") : std::to_string(values[k]);
        else
            s += std::to_string(values[k]);
    }
    return s + "]";
}

const char* kindName(::kiln::uff::Data::DataOneofCase kind)
{
    using D = ::kiln::uff::Data;
    switch (kind)
    {
    case D::kS: return "s (string)";
    case D::kSList: return "s_list";
    case D::kD: return "d (double)";
    case D::kDList: return "d_list";
    case D::kB: return "b (bool)";
    case D::kBList: return "b_list";
    case D::kI: return "i (int)";
    case D::kIList: return "i_list";
    case D::kBlob: return "blob";
    case D::kRef: return "ref";
    case D::kDtype: return "dtype";
    case D::kDtypeList: return "dtype_list";
    case D::kDimOrders: return "dim_orders";
    case D::kDimOrdersList: return "dim_orders_list";
    case D::DATA_ONEOF_NOT_SET: return "nothing";
    }
    return "unknown";
}

} // namespace

std::string toString(const std::vector<int64_t>& values)
{
    return joined(values);
}

std::string toString(const std::vector<int32_t>& values)
{
    return joined(values);
}

std::string toString(const nvinfer1::Dims& dims)
{
    if (dims.nbDims < 0 || dims.nbDims > nvinfer1::Dims::MAX_DIMS)
        return "(invalid)";
    return joined(std::vector<int32_t>(dims.d, dims.d + dims.nbDims));
}

bool ConstTensor::hasBatchExtent() const
{
    return isInt && std::find(i.begin(), i.end(), kBatchExtent) != i.end();
}

int64_t saturatedInt(double v)
{
    if (!(v == v))
        return 0;
    if (v >= 9.2e18)
        return INT64_MAX;
    if (v <= -9.2e18)
        return INT64_MIN + 1;
    return static_cast<int64_t>(v);
}

std::vector<int32_t> identityPerm(int32_t n)
{
    std::vector<int32_t> p(static_cast<size_t>(std::max(n, 0)));
    for (int32_t k = 0; k < n; ++k)
        p[static_cast<size_t>(k)] = k;
    return p;
}

bool Value::isNatural() const
{
    return perm == identityPerm(static_cast<int32_t>(perm.size()));
}

int32_t Value::netAxis(int32_t tfAxis) const
{
    for (size_t i = 0; i < perm.size(); ++i)
        if (perm[i] == tfAxis - 1)
            return static_cast<int32_t>(i);
    return -1;
}

std::vector<int64_t> Value::tfShape() const
{
    if (!tensor)
        return constant ? constant->shape : std::vector<int64_t>{};
    const nvinfer1::Dims d = tensor->getDimensions();
    std::vector<int64_t> shape(perm.size() + 1, -1);
    for (size_t i = 0; i < perm.size() && static_cast<int32_t>(i) < d.nbDims; ++i)
        shape[static_cast<size_t>(perm[i]) + 1] = d.d[i];
    return shape;
}

Status DataResolver::resolve(
    const ::kiln::uff::Data& data, const std::string& what, const ::kiln::uff::Data*& out) const
{
    const ::kiln::uff::Data* d = &data;
    std::unordered_set<std::string> seen;
    while (d->data_oneof_case() == ::kiln::uff::Data::kRef)
    {
        const std::string& key = d->ref();
        if (!seen.insert(key).second)
            return Status::error(what + ": ref '" + key + "' leads back to itself (a loop of refs)");
        const auto it = mMeta.referenced_data().find(key);
        if (it == mMeta.referenced_data().end())
            return Status::error(what + ": ref '" + key + "' is not a key of referenced_data");
        d = &it->second;
    }
    out = d;
    return Status::ok();
}

std::string NodeContext::describe() const
{
    return "node '" + id() + "' (" + op() + ")";
}

Status NodeContext::fail(const std::string& message) const
{
    return Status::error(describe() + ": " + message);
}

Status NodeContext::unsupported(const std::string& message) const
{
    return Status::unsupported(describe() + ": " + message);
}

nvinfer1::INetworkDefinition& NodeContext::network()
{
    return mConverter.network();
}

WeightsStore& NodeContext::weights()
{
    return mConverter.weights();
}

bool NodeContext::allInputsConst() const
{
    if (mInputs.empty())
        return false;
    for (const Value* v : mInputs)
        if (!v->isConst())
            return false;
    return true;
}

Status NodeContext::expectInputs(int32_t min, int32_t max) const
{
    const int32_t n = nbInputs();
    if (n >= min && (max < 0 || n <= max))
        return Status::ok();
    std::string want = max < 0 ? "at least " + std::to_string(min)
        : min == max           ? std::to_string(min)
                               : std::to_string(min) + " to " + std::to_string(max);
    return fail("has " + std::to_string(n) + " inputs; " + op() + " takes " + want);
}

Status NodeContext::constInput(int32_t index, const char* what, ConstPtr& out) const
{
    const Value& v = input(index);
    if (!v.isConst())
        return unsupported(std::string(what) + " (input " + std::to_string(index) + ", '" + mNode.inputs(index)
            + "') must be a constant known when parsing, not a network tensor");
    out = v.constant;
    return Status::ok();
}

Status NodeContext::tensorInput(int32_t index, Value& out)
{
    const Value& v = input(index);
    if (v.isTensor())
    {
        out = v;
        return Status::ok();
    }
    const ConstTensor& c = *v.constant;
    if (c.shape.empty() || c.shape[0] != 1)
        return fail("input " + std::to_string(index) + " ('" + mNode.inputs(index) + "') is a constant of shape "
            + toString(c.shape) + "; as a network tensor its first axis is the batch axis and must have extent 1");
    std::vector<int64_t> dims(c.shape.begin() + 1, c.shape.end());
    nvinfer1::ITensor* t = nullptr;
    KILN_UFF_RETURN_IF_ERROR(constantLayer(*this, c, dims, "constant", t));
    out = Value{};
    out.tensor = t;
    out.perm = identityPerm(static_cast<int32_t>(dims.size()));
    return Status::ok();
}

void NodeContext::setOutput(ConstTensor constant)
{
    mOutput = Value{};
    mOutput.constant = std::make_shared<const ConstTensor>(std::move(constant));
}

Status NodeContext::field(const std::string& name, const ::kiln::uff::Data*& out) const
{
    out = nullptr;
    const auto it = mNode.fields().find(name);
    if (it == mNode.fields().end())
        return Status::ok();
    Status s = mConverter.resolver().resolve(it->second, "field '" + name + "'", out);
    if (!s.isOk())
        return fail(s.message());
    return Status::ok();
}

bool NodeContext::has(const std::string& name) const
{
    return mNode.fields().count(name) != 0;
}

namespace
{
Status wrongKind(const NodeContext& ctx, const std::string& name, const ::kiln::uff::Data& d, const char* want)
{
    return ctx.fail("field '" + name + "' holds " + kindName(d.data_oneof_case()) + "; expected " + want);
}
} // namespace

Status NodeContext::intField(const std::string& name, int64_t fallback, int64_t& out) const
{
    const ::kiln::uff::Data* d = nullptr;
    KILN_UFF_RETURN_IF_ERROR(field(name, d));
    out = fallback;
    if (!d)
        return Status::ok();
    if (d->data_oneof_case() == ::kiln::uff::Data::kI)
        out = d->i();
    else if (d->data_oneof_case() == ::kiln::uff::Data::kIList && d->i_list().val_size() == 1)
        out = d->i_list().val(0);
    else
        return wrongKind(*this, name, *d, "i (int)");
    return Status::ok();
}

Status NodeContext::doubleField(const std::string& name, double fallback, double& out) const
{
    const ::kiln::uff::Data* d = nullptr;
    KILN_UFF_RETURN_IF_ERROR(field(name, d));
    out = fallback;
    if (!d)
        return Status::ok();
    if (d->data_oneof_case() == ::kiln::uff::Data::kD)
        out = d->d();
    else if (d->data_oneof_case() == ::kiln::uff::Data::kI)
        out = static_cast<double>(d->i());
    else
        return wrongKind(*this, name, *d, "d (double)");
    if (!std::isfinite(out))
        return fail("field '" + name + "' is not a finite number");
    return Status::ok();
}

Status NodeContext::boolField(const std::string& name, bool fallback, bool& out) const
{
    const ::kiln::uff::Data* d = nullptr;
    KILN_UFF_RETURN_IF_ERROR(field(name, d));
    out = fallback;
    if (!d)
        return Status::ok();
    if (d->data_oneof_case() == ::kiln::uff::Data::kB)
        out = d->b();
    else if (d->data_oneof_case() == ::kiln::uff::Data::kI)
        out = d->i() != 0;
    else
        return wrongKind(*this, name, *d, "b (bool)");
    return Status::ok();
}

Status NodeContext::stringField(const std::string& name, const std::string& fallback, std::string& out) const
{
    const ::kiln::uff::Data* d = nullptr;
    KILN_UFF_RETURN_IF_ERROR(field(name, d));
    out = fallback;
    if (!d)
        return Status::ok();
    if (d->data_oneof_case() != ::kiln::uff::Data::kS)
        return wrongKind(*this, name, *d, "s (string)");
    out = d->s();
    return Status::ok();
}

Status NodeContext::intsField(const std::string& name, std::vector<int64_t>& out, bool& present) const
{
    const ::kiln::uff::Data* d = nullptr;
    KILN_UFF_RETURN_IF_ERROR(field(name, d));
    out.clear();
    present = d != nullptr;
    if (!d)
        return Status::ok();
    if (d->data_oneof_case() == ::kiln::uff::Data::kIList)
        out.assign(d->i_list().val().begin(), d->i_list().val().end());
    else if (d->data_oneof_case() == ::kiln::uff::Data::kI)
        out.push_back(d->i());
    else
        return wrongKind(*this, name, *d, "i_list");
    return Status::ok();
}

Status NodeContext::dtypeField(const std::string& name, int64_t fallback, int64_t& out) const
{
    const ::kiln::uff::Data* d = nullptr;
    KILN_UFF_RETURN_IF_ERROR(field(name, d));
    out = fallback;
    if (!d)
        return Status::ok();
    if (d->data_oneof_case() == ::kiln::uff::Data::kDtype)
        out = d->dtype();
    else if (d->data_oneof_case() == ::kiln::uff::Data::kI)
        out = d->i();
    else
        return wrongKind(*this, name, *d, "dtype");
    return Status::ok();
}

Status NodeContext::ordersField(const std::string& name, const std::vector<int32_t>& ranks,
    std::vector<std::vector<int32_t>>& out, bool& present) const
{
    const ::kiln::uff::Data* d = nullptr;
    KILN_UFF_RETURN_IF_ERROR(field(name, d));
    out.clear();
    present = d != nullptr;
    if (!d)
        return Status::ok();
    std::vector<const ::kiln::uff::DimensionOrders*> orders;
    if (d->data_oneof_case() == ::kiln::uff::Data::kDimOrdersList)
        for (const auto& o : d->dim_orders_list().val())
            orders.push_back(&o);
    else if (d->data_oneof_case() == ::kiln::uff::Data::kDimOrders)
        orders.push_back(&d->dim_orders());
    else
        return wrongKind(*this, name, *d, "dim_orders_list");
    if (orders.size() < ranks.size())
        return fail("field '" + name + "' has " + std::to_string(orders.size()) + " orders; " + op() + " needs "
            + std::to_string(ranks.size()));
    for (size_t k = 0; k < ranks.size(); ++k)
    {
        std::vector<int32_t> canon;
        Status s = expandOrder(*orders[k], ranks[k], canon);
        if (!s.isOk())
            return fail("field '" + name + "', order " + std::to_string(k) + ": " + s.message());
        out.push_back(std::move(canon));
    }
    return Status::ok();
}

Status NodeContext::layerOutput(nvinfer1::ILayer* layer, const char* suffix, nvinfer1::ITensor*& out, int32_t index)
{
    out = nullptr;
    if (!layer)
        return fail(std::string("the network refused the ") + (suffix ? suffix : "main") + " layer (see the log)");
    const std::string name = mConverter.uniqueLayerName(suffix ? id() + "/" + suffix : id());
    layer->setName(name.c_str());
    out = layer->getOutput(index);
    if (!out)
        return fail("layer '" + name + "' has no output " + std::to_string(index));
    const nvinfer1::Dims d = out->getDimensions();
    if (d.nbDims < 0)
        return fail("layer '" + name + "' is invalid for its inputs (see the log)");
    return Status::ok();
}

} // namespace kiln::uffparser
