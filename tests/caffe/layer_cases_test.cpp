// Every Caffe layer type and option the parser converts, each in a small network checked against
// numpy: tests/caffe/layers/make_layer_cases.py writes the deploy files, caffemodels with seeded
// weights, inputs and the outputs numpy computes with Caffe's semantics (the caffe.layer_cases
// fixture runs it into <build>/caffe_layer_cases). Each case runs in an explicit-batch network
// (N = 1) and, where listed, an implicit-batch network with batch 2.
#include "NvCaffeParser.h"
#include "NvInfer.h"
#include "common/io_formats.h"
#include "support/harness.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using namespace nvinfer1;
using kiln::test::HostTensor;
using kiln::test::NetworkHarness;
using kiln::test::UniquePtr;

#ifndef KILN_CAFFE_LAYER_CASES_DIR
#define KILN_CAFFE_LAYER_CASES_DIR "caffe_layer_cases"
#endif

namespace
{

struct LayerCase
{
    std::string name, input, output, modes;
    double rtol{0}, atol{0};
};

std::vector<LayerCase> readManifest()
{
    std::vector<LayerCase> cases;
    std::ifstream in(std::string(KILN_CAFFE_LAYER_CASES_DIR) + "/manifest.txt");
    std::string line;
    while (std::getline(in, line))
    {
        std::istringstream s(line);
        LayerCase c;
        if (s >> c.name >> c.input >> c.output >> c.modes >> c.rtol >> c.atol)
            cases.push_back(c);
    }
    return cases;
}

HostTensor loadNpy(const std::string& path, int32_t items)
{
    kiln::tools::NpyArray a;
    std::string error;
    EXPECT_TRUE(kiln::tools::readNpy(path, a, error)) << error;
    HostTensor t;
    t.dims = a.shape;
    const int64_t total = a.count();
    const int64_t per = a.shape.empty() || a.shape[0] == 0 ? 0 : total / a.shape[0];
    if (items > 0 && !t.dims.empty())
        t.dims[0] = items;
    const int64_t n = items > 0 ? per * items : total;
    t.f.resize(static_cast<size_t>(n));
    if (n > 0)
        std::memcpy(t.f.data(), a.bytes.data(), static_cast<size_t>(n) * sizeof(float));
    return t;
}

void runCase(const LayerCase& c, bool explicitBatch)
{
    SCOPED_TRACE(c.name + (explicitBatch ? " (explicit batch, N = 1)" : " (implicit batch, batch 2)"));
    const std::string dir = std::string(KILN_CAFFE_LAYER_CASES_DIR) + "/" + c.name;
    NetworkHarness h(explicitBatch);
    UniquePtr<nvcaffeparser1::ICaffeParser> parser(nvcaffeparser1::createCaffeParser());
    const auto* blobs = parser->parse((dir + "/deploy.prototxt").c_str(), (dir + "/model.caffemodel").c_str(),
        h.network(), DataType::kFLOAT);
    ASSERT_NE(blobs, nullptr) << h.logger().errors();
    ITensor* out = blobs->find(c.output.c_str());
    ASSERT_NE(out, nullptr);
    h.markOutput(out);
    const int32_t items = explicitBatch ? 1 : 2;
    h.setBatch(items);
    h.feed(c.input, loadNpy(dir + "/input.npy", items));
    const HostTensor expected = loadNpy(dir + "/expected.npy", items);
    auto outs = h.run();
    ASSERT_EQ(outs.size(), 1u);
    // Caffe and Kiln may shape a blob differently (InnerProduct gives {N, K} in Caffe and
    // {N, K, 1, 1} in Kiln); the values and their order must agree.
    ASSERT_EQ(outs[0].f.size(), expected.f.size());
    double worst = 0;
    size_t bad = 0;
    for (size_t i = 0; i < expected.f.size(); ++i)
    {
        const double e = expected.f[i], a = outs[0].f[i];
        const double err = std::fabs(a - e);
        worst = std::max(worst, err);
        if (!(err <= c.atol + c.rtol * std::fabs(e)) && bad++ < 5)
            ADD_FAILURE() << "element " << i << ": kiln " << a << ", numpy " << e;
    }
    EXPECT_EQ(bad, 0u) << "worst abs error " << worst;
}

TEST(CaffeLayerCases, ManifestIsPresent)
{
    EXPECT_GE(readManifest().size(), 40u) << "no cases in " << KILN_CAFFE_LAYER_CASES_DIR
                                          << "/manifest.txt: run tests/caffe/layers/make_layer_cases.py (the "
                                             "caffe.layer_cases_generated fixture)";
}

TEST(CaffeLayerCases, EveryCaseMatchesNumpy)
{
    for (const LayerCase& c : readManifest())
    {
        if (c.modes.find("explicit") != std::string::npos)
            runCase(c, true);
        if (c.modes.find("implicit") != std::string::npos)
            runCase(c, false);
    }
}

} // namespace
