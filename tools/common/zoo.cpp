#include "common/zoo.h"

#include <cmath>
#include <random>

namespace kiln::tools
{

using namespace nvinfer1;

namespace
{

std::vector<float> randomValues(std::mt19937& rng, int64_t n, float scale, float mean = 0.f)
{
    std::normal_distribution<float> dist(mean, scale);
    std::vector<float> v(static_cast<size_t>(n));
    for (auto& x : v)
        x = dist(rng);
    return v;
}

struct Builder
{
    INetworkDefinition& net;
    WeightStore& store;
    std::mt19937 rng;
    std::string& error;
    int32_t counter{0};

    bool check(void* p, const std::string& what)
    {
        if (!p && error.empty())
            error = "could not add " + what;
        return p != nullptr;
    }

    ITensor* conv(ITensor* in, int32_t cin, int32_t cout, int32_t k, int32_t stride, int32_t pad, const std::string& name)
    {
        if (!in)
            return nullptr;
        const float std = std::sqrt(2.f / static_cast<float>(cin * k * k));
        Weights w = store.add(randomValues(rng, int64_t(cout) * cin * k * k, std));
        Weights b{DataType::kFLOAT, nullptr, 0};
        IConvolutionLayer* c = net.addConvolutionNd(*in, cout, Dims{2, {k, k}, {}}, w, b);
        if (!check(c, name))
            return nullptr;
        c->setStrideNd(Dims{2, {stride, stride}, {}});
        c->setPaddingNd(Dims{2, {pad, pad}, {}});
        c->setName(name.c_str());
        return c->getOutput(0);
    }

    //! Batch norm folded to a per-channel scale and shift.
    ITensor* batchNorm(ITensor* in, int32_t c, const std::string& name)
    {
        if (!in)
            return nullptr;
        Weights scale = store.add(randomValues(rng, c, 0.1f, 1.f));
        Weights shift = store.add(randomValues(rng, c, 0.1f));
        Weights power{DataType::kFLOAT, nullptr, 0};
        IScaleLayer* s = net.addScale(*in, ScaleMode::kCHANNEL, shift, scale, power);
        if (!check(s, name))
            return nullptr;
        s->setName(name.c_str());
        return s->getOutput(0);
    }

    ITensor* relu(ITensor* in, const std::string& name)
    {
        if (!in)
            return nullptr;
        IActivationLayer* a = net.addActivation(*in, ActivationType::kRELU);
        if (!check(a, name))
            return nullptr;
        a->setName(name.c_str());
        return a->getOutput(0);
    }

    ITensor* basicBlock(ITensor* in, int32_t cin, int32_t cout, int32_t stride, const std::string& name)
    {
        ITensor* x = relu(batchNorm(conv(in, cin, cout, 3, stride, 1, name + ".conv1"), cout, name + ".bn1"), name + ".relu1");
        x = batchNorm(conv(x, cout, cout, 3, 1, 1, name + ".conv2"), cout, name + ".bn2");
        return shortcutAdd(x, in, cin, cout, stride, name, name + ".relu2");
    }

    //! relu(x + shortcut), the shortcut being \p in or, when the shape changes, a 1×1 convolution
    //! with batch norm of it.
    ITensor* shortcutAdd(ITensor* x, ITensor* in, int32_t cin, int32_t cout, int32_t stride, const std::string& name,
        const std::string& reluName)
    {
        ITensor* shortcut = in;
        if (stride != 1 || cin != cout)
            shortcut = batchNorm(conv(in, cin, cout, 1, stride, 0, name + ".down"), cout, name + ".down_bn");
        if (!x || !shortcut)
            return nullptr;
        IElementWiseLayer* add = net.addElementWise(*x, *shortcut, ElementWiseOperation::kSUM);
        if (!check(add, name + ".add"))
            return nullptr;
        add->setName((name + ".add").c_str());
        return relu(add->getOutput(0), reluName);
    }

    //! ResNet v1.5 bottleneck: 1×1 (width) → 3×3/stride (width) → 1×1 (4·width) + shortcut.
    ITensor* bottleneck(ITensor* in, int32_t cin, int32_t width, int32_t stride, const std::string& name)
    {
        const int32_t cout = 4 * width;
        ITensor* x = relu(batchNorm(conv(in, cin, width, 1, 1, 0, name + ".conv1"), width, name + ".bn1"), name + ".relu1");
        x = relu(batchNorm(conv(x, width, width, 3, stride, 1, name + ".conv2"), width, name + ".bn2"), name + ".relu2");
        x = batchNorm(conv(x, width, cout, 1, 1, 0, name + ".conv3"), cout, name + ".bn3");
        return shortcutAdd(x, in, cin, cout, stride, name, name + ".relu3");
    }
};

} // namespace

const std::vector<std::string>& zooNames()
{
    static const std::vector<std::string> names{"lenet", "resnet18", "resnet50"};
    return names;
}

bool buildLeNet(INetworkDefinition& net, const WtsMap* wts, WeightStore& store, const ZooOptions& options, std::string& error)
{
    std::mt19937 rng(options.seed);
    auto weights = [&](const char* name, int64_t count, float std) -> Weights {
        if (wts)
        {
            auto it = wts->find(name);
            if (it == wts->end())
            {
                error = std::string("the weights file has no blob '") + name + "'";
                return Weights{DataType::kFLOAT, nullptr, 0};
            }
            if (it->second.weights().count != count)
            {
                error = std::string("blob '") + name + "' has " + std::to_string(it->second.weights().count) + " values, expected "
                    + std::to_string(count);
                return Weights{DataType::kFLOAT, nullptr, 0};
            }
            return it->second.weights();
        }
        return store.add(randomValues(rng, count, std));
    };
    ITensor* data = options.explicitBatch ? net.addInput("data", DataType::kFLOAT, Dims4{-1, 1, 28, 28})
                                          : net.addInput("data", DataType::kFLOAT, Dims3{1, 28, 28});
    if (!data)
    {
        error = "could not add the input";
        return false;
    }
    Weights scaleW = store.add({0.0125f});
    Weights none{DataType::kFLOAT, nullptr, 0};
    IScaleLayer* scale = net.addScale(*data, ScaleMode::kUNIFORM, none, scaleW, none);
    if (!scale)
        return error = "could not add the scale layer", false;
    scale->setName("scale");

    const Weights c1w = weights("conv1filter", 20 * 1 * 5 * 5, 0.2f), c1b = weights("conv1bias", 20, 0.1f);
    if (!error.empty())
        return false;
    IConvolutionLayer* conv1 = net.addConvolutionNd(*scale->getOutput(0), 20, Dims{2, {5, 5}, {}}, c1w, c1b);
    if (!conv1)
        return error = "could not add conv1", false;
    conv1->setStride(DimsHW{1, 1});
    conv1->setName("conv1");
    IPoolingLayer* pool1 = net.addPoolingNd(*conv1->getOutput(0), PoolingType::kMAX, Dims{2, {2, 2}, {}});
    if (!pool1)
        return error = "could not add pool1", false;
    pool1->setStride(DimsHW{2, 2});
    pool1->setName("pool1");

    const Weights c2w = weights("conv2filter", 50 * 20 * 5 * 5, 0.06f), c2b = weights("conv2bias", 50, 0.1f);
    if (!error.empty())
        return false;
    IConvolutionLayer* conv2 = net.addConvolutionNd(*pool1->getOutput(0), 50, Dims{2, {5, 5}, {}}, c2w, c2b);
    if (!conv2)
        return error = "could not add conv2", false;
    conv2->setStride(DimsHW{1, 1});
    conv2->setName("conv2");
    IPoolingLayer* pool2 = net.addPoolingNd(*conv2->getOutput(0), PoolingType::kMAX, Dims{2, {2, 2}, {}});
    if (!pool2)
        return error = "could not add pool2", false;
    pool2->setStride(DimsHW{2, 2});
    pool2->setName("pool2");

    const Weights f1w = weights("ip1filter", 500 * 800, 0.05f), f1b = weights("ip1bias", 500, 0.1f);
    if (!error.empty())
        return false;
    IFullyConnectedLayer* ip1 = net.addFullyConnected(*pool2->getOutput(0), 500, f1w, f1b);
    if (!ip1)
        return error = "could not add ip1", false;
    ip1->setName("ip1");
    IActivationLayer* relu1 = net.addActivation(*ip1->getOutput(0), ActivationType::kRELU);
    if (!relu1)
        return error = "could not add relu1", false;
    relu1->setName("relu1");
    const Weights f2w = weights("ip2filter", 10 * 500, 0.05f), f2b = weights("ip2bias", 10, 0.1f);
    if (!error.empty())
        return false;
    IFullyConnectedLayer* ip2 = net.addFullyConnected(*relu1->getOutput(0), 10, f2w, f2b);
    if (!ip2)
        return error = "could not add ip2", false;
    ip2->setName("ip2");
    ISoftMaxLayer* prob = net.addSoftMax(*ip2->getOutput(0));
    if (!prob)
        return error = "could not add prob", false;
    prob->setName("prob");
    prob->getOutput(0)->setName("prob");
    net.markOutput(*prob->getOutput(0));
    return true;
}

bool buildResNet18(INetworkDefinition& net, WeightStore& store, const ZooOptions& options, std::string& error)
{
    return buildResNet(net, store, options, 18, error);
}

bool buildResNet50(INetworkDefinition& net, WeightStore& store, const ZooOptions& options, std::string& error)
{
    return buildResNet(net, store, options, 50, error);
}

bool buildResNet(INetworkDefinition& net, WeightStore& store, const ZooOptions& options, int32_t depth, std::string& error)
{
    if (depth != 18 && depth != 50)
        return error = "ResNet depth " + std::to_string(depth) + ": the zoo has 18 and 50", false;
    Builder b{net, store, std::mt19937(options.seed), error};
    const int32_t s = options.inputSize;
    ITensor* input = options.explicitBatch ? net.addInput("input", DataType::kFLOAT, Dims4{-1, 3, s, s})
                                           : net.addInput("input", DataType::kFLOAT, Dims3{3, s, s});
    if (!b.check(input, "the input"))
        return false;
    ITensor* x = b.relu(b.batchNorm(b.conv(input, 3, 64, 7, 2, 3, "conv1"), 64, "bn1"), "relu");
    if (!x)
        return false;
    IPoolingLayer* pool = net.addPoolingNd(*x, PoolingType::kMAX, Dims{2, {3, 3}, {}});
    if (!b.check(pool, "maxpool"))
        return false;
    pool->setStrideNd(Dims{2, {2, 2}, {}});
    pool->setPaddingNd(Dims{2, {1, 1}, {}});
    pool->setName("maxpool");
    x = pool->getOutput(0);
    const int32_t widths[4] = {64, 128, 256, 512};
    const int32_t blocks18[4] = {2, 2, 2, 2};
    const int32_t blocks50[4] = {3, 4, 6, 3};
    const int32_t* blocks = depth == 50 ? blocks50 : blocks18;
    int32_t cin = 64;
    for (int32_t stage = 0; stage < 4; ++stage)
        for (int32_t block = 0; block < blocks[stage]; ++block)
        {
            const int32_t stride = (stage > 0 && block == 0) ? 2 : 1;
            const std::string name = "layer" + std::to_string(stage + 1) + "." + std::to_string(block);
            if (depth == 50)
            {
                x = b.bottleneck(x, cin, widths[stage], stride, name);
                cin = 4 * widths[stage];
            }
            else
            {
                x = b.basicBlock(x, cin, widths[stage], stride, name);
                cin = widths[stage];
            }
            if (!x)
                return false;
        }
    const Dims d = x->getDimensions();
    if (d.nbDims < 2)
        return error = "unexpected feature map dimensions", false;
    const int32_t h = d.d[d.nbDims - 2], w = d.d[d.nbDims - 1];
    IPoolingLayer* gap = net.addPoolingNd(*x, PoolingType::kAVERAGE, Dims{2, {h, w}, {}});
    if (!b.check(gap, "avgpool"))
        return false;
    gap->setName("avgpool");
    Weights fcw = store.add(randomValues(b.rng, int64_t(options.numClasses) * cin, std::sqrt(1.f / static_cast<float>(cin))));
    Weights fcb = store.add(randomValues(b.rng, options.numClasses, 0.01f));
    IFullyConnectedLayer* fc = net.addFullyConnected(*gap->getOutput(0), options.numClasses, fcw, fcb);
    if (!b.check(fc, "fc"))
        return false;
    fc->setName("fc");
    ISoftMaxLayer* prob = net.addSoftMax(*fc->getOutput(0));
    if (!b.check(prob, "prob"))
        return false;
    prob->setName("prob");
    prob->getOutput(0)->setName("prob");
    net.markOutput(*prob->getOutput(0));
    return true;
}

int setWeightsFrom(nvinfer1::IRefitter& refitter, const nvinfer1::INetworkDefinition& source)
{
    using namespace nvinfer1;
    int count = 0;
    auto set = [&](ILayer* l, WeightsRole role, Weights w) {
        if (w.count > 0)
            count += refitter.setWeights(l->getName(), role, w) ? 1 : 0;
    };
    for (int32_t i = 0; i < source.getNbLayers(); ++i)
    {
        ILayer* l = source.getLayer(i);
        switch (l->getType())
        {
        case LayerType::kCONVOLUTION:
            set(l, WeightsRole::kKERNEL, static_cast<IConvolutionLayer*>(l)->getKernelWeights());
            set(l, WeightsRole::kBIAS, static_cast<IConvolutionLayer*>(l)->getBiasWeights());
            break;
        case LayerType::kFULLY_CONNECTED:
            set(l, WeightsRole::kKERNEL, static_cast<IFullyConnectedLayer*>(l)->getKernelWeights());
            set(l, WeightsRole::kBIAS, static_cast<IFullyConnectedLayer*>(l)->getBiasWeights());
            break;
        case LayerType::kSCALE:
            set(l, WeightsRole::kSCALE, static_cast<IScaleLayer*>(l)->getScale());
            set(l, WeightsRole::kSHIFT, static_cast<IScaleLayer*>(l)->getShift());
            break;
        case LayerType::kCONSTANT: set(l, WeightsRole::kCONSTANT, static_cast<IConstantLayer*>(l)->getWeights()); break;
        default: break;
        }
    }
    return count;
}

} // namespace kiln::tools
