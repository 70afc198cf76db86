#include "api/network_impl.h"

#include "api/layer_impl.h"
#include "api/tensor_impl.h"
#include "common/dtype.h"

#include <algorithm>
#include <unordered_set>

namespace kiln::api
{

namespace
{

//! The legacy output-dimension formulas are accepted and ignored; this is what the getters return.
class DefaultFormula final : public nvinfer1::IOutputDimensionsFormula
{
public:
    nvinfer1::DimsHW compute(nvinfer1::DimsHW in, nvinfer1::DimsHW k, nvinfer1::DimsHW s, nvinfer1::DimsHW p,
        nvinfer1::DimsHW d, const char*) const override
    {
        const int32_t h = (in.h() + 2 * p.h() - (d.h() * (k.h() - 1) + 1)) / s.h() + 1;
        const int32_t w = (in.w() + 2 * p.w() - (d.w() * (k.w() - 1) + 1)) / s.w() + 1;
        return nvinfer1::DimsHW(h, w);
    }
};

DefaultFormula gDefaultFormula;

} // namespace

NetworkImpl::NetworkImpl(const Reporter& reporter, bool implicitBatch)
    : mReporter(reporter)
{
    mGraph.implicitBatch = implicitBatch;
}

NetworkImpl::~NetworkImpl() noexcept = default;

std::nullptr_t NetworkImpl::fail(const std::string& message) const
{
    mReporter.error(nvinfer1::ErrorCode::kINVALID_ARGUMENT, message);
    return nullptr;
}

TensorImpl* NetworkImpl::wrap(ir::Tensor* tensor)
{
    if (!tensor)
        return nullptr;
    auto it = mTensorOf.find(tensor);
    if (it != mTensorOf.end())
        return it->second.get();
    auto impl = std::make_unique<TensorImpl>(*this, *tensor);
    TensorImpl* raw = impl.get();
    mIrOf[raw] = tensor;
    mTensorOf[tensor] = std::move(impl);
    return raw;
}

ir::Tensor* NetworkImpl::unwrap(const nvinfer1::ITensor* tensor, const char* what)
{
    if (!tensor)
    {
        fail(std::string(what) + ": tensor is null");
        return nullptr;
    }
    auto it = mIrOf.find(tensor);
    if (it == mIrOf.end())
    {
        fail(std::string(what) + ": the tensor does not belong to this network");
        return nullptr;
    }
    return it->second;
}

nvinfer1::ILayer* NetworkImpl::wrapperOf(const ir::Layer* layer) const
{
    auto it = mLayerOf.find(layer);
    return it == mLayerOf.end() ? nullptr : it->second;
}

std::string NetworkImpl::uniqueLayerName(ir::LayerKind kind)
{
    // TensorRT-style default names: "(Unnamed Layer* 3) [Convolution]".
    return "(Unnamed Layer* " + std::to_string(mLayerCounter++) + ") [" + ir::layerKindName(kind) + "]";
}

void NetworkImpl::registerLayer(ir::Layer* layer, std::unique_ptr<nvinfer1::ILayer> wrapper)
{
    mLayerOf[layer] = wrapper.get();
    mCreationIndex[layer] = mGraph.layers.size() - 1;
    mLayers.push_back(std::move(wrapper));
    for (ir::Tensor* out : layer->outputs)
        wrap(out);
    changed(layer);
}

void NetworkImpl::changed()
{
    mShapesValid = false;
    mShapedLayers = 0;
}

void NetworkImpl::changed(const ir::Layer* layer)
{
    if (!layer)
        return changed();
    auto it = mCreationIndex.find(layer);
    if (it == mCreationIndex.end() || it->second < mShapedLayers)
        changed();
}

const ir::TensorDesc* NetworkImpl::describe(const ir::Tensor* tensor)
{
    const auto inputDesc = [](const ir::Tensor& t) {
        ir::TensorDesc d;
        d.type = t.type;
        d.dims = t.dims;
        return d;
    };
    // Layers appended since the last inference, in creation order (which is topological for
    // appended layers), on top of what is known; anything unusual falls back to a full pass.
    if (mShapesValid && mShapeStatus.isOk() && mShapedLayers < mGraph.layers.size())
    {
        std::vector<ir::Layer*> fresh;
        for (size_t i = mShapedLayers; i < mGraph.layers.size(); ++i)
            fresh.push_back(mGraph.layers[i].get());
        if (ir::propagateShapes(mGraph, fresh, inputDesc, mShapes).isOk())
            mShapedLayers = mGraph.layers.size();
        else
            changed(); // the full pass below clears what the failed one added
    }
    if (!mShapesValid || mShapedLayers < mGraph.layers.size())
    {
        mShapes.clear();
        mShapesValid = true;
        mShapedLayers = mGraph.layers.size();
        auto order = mGraph.topologicalOrder();
        if (!order)
            mShapeStatus = order.status();
        else
            mShapeStatus = ir::propagateShapes(mGraph, order.value(), inputDesc, mShapes);
        if (!mShapeStatus.isOk())
            mReporter.error(mShapeStatus);
    }
    auto it = mShapes.find(tensor);
    return it == mShapes.end() ? nullptr : &it->second;
}

nvinfer1::ITensor* NetworkImpl::addInput(const char* name, nvinfer1::DataType type, nvinfer1::Dims dims) noexcept
{
    if (!name || !*name)
        return fail("addInput: an input needs a non-empty name");
    if (!isValidDataType(type) || type == nvinfer1::DataType::kINT8)
        return fail(std::string("addInput '") + name + "': unsupported input type " + dataTypeName(type));
    if (!isValidRank(dims))
        return fail(std::string("addInput '") + name + "': invalid rank " + std::to_string(dims.nbDims));
    for (int32_t i = 0; i < dims.nbDims; ++i)
        if (dims.d[i] < -1 || (mGraph.implicitBatch && dims.d[i] < 0))
            return fail(std::string("addInput '") + name + "': invalid dimensions " + toString(dims)
                + (mGraph.implicitBatch ? " (implicit-batch networks have no dynamic dimensions)" : ""));
    for (const ir::Tensor* t : mGraph.inputs)
        if (t->name == name)
            return fail(std::string("addInput: an input named '") + name + "' already exists");
    ir::Tensor* t = mGraph.addInput(name, type, makeDims(toVector(dims)));
    changed();
    return wrap(t);
}

void NetworkImpl::markOutput(nvinfer1::ITensor& tensor) noexcept
{
    ir::Tensor* t = unwrap(tensor, "markOutput");
    if (!t)
        return;
    mGraph.markOutput(t);
    changed();
}

void NetworkImpl::unmarkOutput(nvinfer1::ITensor& tensor) noexcept
{
    ir::Tensor* t = unwrap(tensor, "unmarkOutput");
    if (!t)
        return;
    if (!t->isOutput)
    {
        fail("unmarkOutput: tensor '" + t->name + "' is not an output");
        return;
    }
    mGraph.unmarkOutput(t);
    changed();
}

bool NetworkImpl::markOutputForShapes(nvinfer1::ITensor& tensor) noexcept
{
    ir::Tensor* t = unwrap(tensor, "markOutputForShapes");
    if (!t)
        return false;
    fail("markOutputForShapes: shape outputs are not supported by Kiln yet (tensor '" + t->name + "')");
    return false;
}

bool NetworkImpl::unmarkOutputForShapes(nvinfer1::ITensor& tensor) noexcept
{
    ir::Tensor* t = unwrap(tensor, "unmarkOutputForShapes");
    if (!t)
        return false;
    return false;
}

void NetworkImpl::removeTensor(nvinfer1::ITensor& tensor) noexcept
{
    ir::Tensor* t = unwrap(tensor, "removeTensor");
    if (!t)
        return;
    if (t->producer || t->isInput)
    {
        fail("removeTensor: tensor '" + t->name + "' is still produced by a layer or is a network input");
        return;
    }
    for (const auto& l : mGraph.layers)
        for (const ir::Tensor* in : l->inputs)
            if (in == t)
            {
                fail("removeTensor: tensor '" + t->name + "' is still used by layer '" + l->name + "'");
                return;
            }
}

int32_t NetworkImpl::getNbLayers() const noexcept
{
    return static_cast<int32_t>(mLayers.size());
}

nvinfer1::ILayer* NetworkImpl::getLayer(int32_t index) const noexcept
{
    if (index < 0 || index >= getNbLayers())
    {
        mReporter.error(nvinfer1::ErrorCode::kINVALID_ARGUMENT, "getLayer: index " + std::to_string(index) + " out of range");
        return nullptr;
    }
    return mLayers[static_cast<size_t>(index)].get();
}

int32_t NetworkImpl::getNbInputs() const noexcept
{
    return static_cast<int32_t>(mGraph.inputs.size());
}

nvinfer1::ITensor* NetworkImpl::getInput(int32_t index) const noexcept
{
    if (index < 0 || index >= getNbInputs())
    {
        mReporter.error(nvinfer1::ErrorCode::kINVALID_ARGUMENT, "getInput: index " + std::to_string(index) + " out of range");
        return nullptr;
    }
    return const_cast<NetworkImpl*>(this)->wrap(mGraph.inputs[static_cast<size_t>(index)]);
}

int32_t NetworkImpl::getNbOutputs() const noexcept
{
    return static_cast<int32_t>(mGraph.outputs.size());
}

nvinfer1::ITensor* NetworkImpl::getOutput(int32_t index) const noexcept
{
    if (index < 0 || index >= getNbOutputs())
    {
        mReporter.error(nvinfer1::ErrorCode::kINVALID_ARGUMENT, "getOutput: index " + std::to_string(index) + " out of range");
        return nullptr;
    }
    return const_cast<NetworkImpl*>(this)->wrap(mGraph.outputs[static_cast<size_t>(index)]);
}

void NetworkImpl::setName(const char* name) noexcept
{
    if (!name)
    {
        fail("INetworkDefinition::setName: name is null");
        return;
    }
    mGraph.name = name;
}

const char* NetworkImpl::getName() const noexcept
{
    return mGraph.name.c_str();
}

void NetworkImpl::setPoolingOutputDimensionsFormula(nvinfer1::IOutputDimensionsFormula* formula) noexcept
{
    if (formula)
        mReporter.warning("setPoolingOutputDimensionsFormula: custom formulas are ignored by Kiln; use PaddingMode");
}
nvinfer1::IOutputDimensionsFormula& NetworkImpl::getPoolingOutputDimensionsFormula() const noexcept
{
    return gDefaultFormula;
}
void NetworkImpl::setConvolutionOutputDimensionsFormula(nvinfer1::IOutputDimensionsFormula* formula) noexcept
{
    if (formula)
        mReporter.warning("setConvolutionOutputDimensionsFormula: custom formulas are ignored by Kiln; use PaddingMode");
}
nvinfer1::IOutputDimensionsFormula& NetworkImpl::getConvolutionOutputDimensionsFormula() const noexcept
{
    return gDefaultFormula;
}
void NetworkImpl::setDeconvolutionOutputDimensionsFormula(nvinfer1::IOutputDimensionsFormula* formula) noexcept
{
    if (formula)
        mReporter.warning("setDeconvolutionOutputDimensionsFormula: custom formulas are ignored by Kiln; use PaddingMode");
}
nvinfer1::IOutputDimensionsFormula& NetworkImpl::getDeconvolutionOutputDimensionsFormula() const noexcept
{
    return gDefaultFormula;
}

} // namespace kiln::api
