// Refit time of a ResNet-50-sized engine (kiln zoo resnet50, 224², 25.6 M weights) against a
// fresh build of the same network with the new weights (warm timing cache, so both end with the
// same tactics). Every network weight is replaced: the weights of a second copy of the network
// drawn from another seed, read back through the layers' get*Weights().
//
//   build/bench/kiln_refit_bench [--rounds 5] [--size 224]
#include "common/zoo.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

using namespace nvinfer1;

namespace
{

class Logger : public ILogger
{
public:
    void log(Severity severity, const char* msg) noexcept override
    {
        if (severity <= Severity::kERROR)
            std::cerr << msg << std::endl;
    }
} gLogger;

struct Destroy
{
    template <typename T>
    void operator()(T* p) const
    {
        if (p)
            p->destroy();
    }
};
template <typename T>
using Ptr = std::unique_ptr<T, Destroy>;

double msSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

//! One network of the zoo with seed \p seed, and the weights it points at.
struct Network
{
    Ptr<INetworkDefinition> network;
    kiln::tools::WeightStore store;
};

bool define(IBuilder& builder, Network& n, uint32_t seed, int32_t size)
{
    n.network.reset(builder.createNetworkV2(1u << static_cast<uint32_t>(NetworkDefinitionCreationFlag::kEXPLICIT_BATCH)));
    kiln::tools::ZooOptions options;
    options.seed = seed;
    options.inputSize = size;
    std::string error;
    if (!kiln::tools::buildResNet(*n.network, n.store, options, 50, error))
    {
        std::cerr << error << std::endl;
        return false;
    }
    return true;
}

} // namespace

int main(int argc, char** argv)
{
    int rounds = 5;
    int32_t size = 224;
    for (int i = 1; i + 1 < argc; i += 2)
    {
        if (!std::strcmp(argv[i], "--rounds"))
            rounds = std::max(1, std::atoi(argv[i + 1]));
        else if (!std::strcmp(argv[i], "--size"))
            size = std::atoi(argv[i + 1]);
    }
    Ptr<IBuilder> builder(createInferBuilder(gLogger));
    Ptr<IBuilderConfig> config(builder->createBuilderConfig());
    Ptr<ITimingCache> cache(config->createTimingCache(nullptr, 0));
    config->setTimingCache(*cache, false);
    config->setFlag(BuilderFlag::kREFIT);
    Network first, second;
    if (!define(*builder, first, 1, size) || !define(*builder, second, 2, size))
        return 1;
    IOptimizationProfile* profile = builder->createOptimizationProfile();
    for (OptProfileSelector s : {OptProfileSelector::kMIN, OptProfileSelector::kOPT, OptProfileSelector::kMAX})
        profile->setDimensions("input", s, Dims4{1, 3, size, size});
    config->addOptimizationProfile(profile);
    auto t0 = std::chrono::steady_clock::now();
    Ptr<ICudaEngine> engine(builder->buildEngineWithConfig(*first.network, *config));
    const double coldBuild = msSince(t0);
    if (!engine)
        return 1;
    std::vector<double> builds, refits;
    for (int r = 0; r < rounds; ++r)
    {
        t0 = std::chrono::steady_clock::now();
        Ptr<ICudaEngine> fresh(builder->buildEngineWithConfig(*(r % 2 ? first : second).network, *config));
        builds.push_back(msSince(t0));
        if (!fresh)
            return 1;
        Ptr<IRefitter> refitter(createInferRefitter(*engine, gLogger));
        const int set = kiln::tools::setWeightsFrom(*refitter, *(r % 2 ? first : second).network);
        t0 = std::chrono::steady_clock::now();
        const bool ok = refitter->refitCudaEngine();
        refits.push_back(msSince(t0));
        if (!ok || set != refitter->getAll(0, nullptr, nullptr))
        {
            std::cerr << "refit failed (" << set << " weights set of " << refitter->getAll(0, nullptr, nullptr) << ")" << std::endl;
            return 1;
        }
        if (r == 0)
            std::printf("resnet50 %dx%d: %d refittable weights, all replaced each round\n", size, size, set);
    }
    std::printf("first build (cold timing cache): %.1f ms\n", coldBuild);
    std::printf("fresh build, warm timing cache:  median %.1f ms over %d\n", median(builds), rounds);
    std::printf("refitCudaEngine:                 median %.1f ms over %d\n", median(refits), rounds);
    std::printf("build / refit: %.1fx\n", median(builds) / median(refits));
    return 0;
}
