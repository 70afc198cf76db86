// The tactic registry and the tactic check itself: every kind has its reference tactic last, names
// and ids are unique, and checkTactic catches a tactic that computes something else.
#include "kernels/tactic_check.h"
#include "layers/activation.h"
#include "layers/convolution.h"

#include <set>

namespace
{

using namespace kiln;

TEST(TacticRegistry, EveryKindEndsWithItsReference)
{
    for (int32_t k = 0; k < ir::kLayerKindCount; ++k)
    {
        const auto& list = kernels::cpuTactics(static_cast<ir::LayerKind>(k));
        ASSERT_FALSE(list.empty());
        EXPECT_STREQ(list.back()->implementation(), "reference") << list.back()->name();
    }
}

TEST(TacticRegistry, NamesAndIdsAreUniqueAndFollowThePattern)
{
    std::set<std::string> names;
    std::set<int64_t> ids;
    for (const kernels::Tactic* t : kernels::allTactics())
    {
        EXPECT_TRUE(names.insert(t->name()).second) << t->name();
        EXPECT_TRUE(ids.insert(t->id()).second) << t->name();
        EXPECT_EQ(t->id(), kernels::tacticIdFromName(t->name()));
        EXPECT_EQ(kernels::findTactic(t->name()), t);
        EXPECT_EQ(kernels::findTacticById(t->id()), t);
        // <layer>.cpu.<algorithm>[.<variant>]
        EXPECT_NE(t->name().find(".cpu."), std::string::npos) << t->name();
    }
}

//! A tactic that computes ReLU as the identity: the check must catch it.
class WrongRelu final : public kernels::NamedTactic
{
public:
    WrongRelu()
        : NamedTactic(ir::LayerKind::kActivation, "activation.cpu.wrong_for_test", "kiln")
    {
    }
    Status supports(const ir::LayerParams&, const std::vector<ir::TensorDesc>&, const std::vector<ir::TensorDesc>&) const override
    {
        return Status::ok();
    }
    Status run(const kernels::KernelArgs& a) const override
    {
        std::memcpy(a.outputs[0].data, a.inputs[0].data, static_cast<size_t>(a.inputs[0].elementCount()) * sizeof(float));
        return Status::ok();
    }
};

TEST(TacticCheck, CatchesAWrongTactic)
{
    test::TacticCase c;
    auto p = std::make_unique<layers::ActivationParams>();
    p->type = nvinfer1::ActivationType::kRELU;
    c.params = std::move(p);
    c.inputs = {{nvinfer1::DataType::kFLOAT, test::dims({2, 3, 5}), std::nullopt}};
    EXPECT_FALSE(test::checkTactic(WrongRelu(), c));
    EXPECT_TRUE(test::checkTactic(*kernels::findTactic("activation.cpu.reference"), c));
}

TEST(ReferenceConvolution, AppliesItsFusedEpilogue)
{
    // 1×1 convolution with weight 1 over one channel: y = relu(x + residual).
    std::vector<float> w{1.f};
    auto p = std::make_unique<layers::ConvolutionParams>();
    p->nbOutputMaps = 1;
    p->kernelSize = test::dims({1, 1});
    p->stride = test::dims({1, 1});
    p->prePadding = test::dims({0, 0});
    p->postPadding = test::dims({0, 0});
    p->dilation = test::dims({1, 1});
    p->kernelWeights = ir::WeightsRef{nvinfer1::DataType::kFLOAT, w.data(), 1};
    p->epilogue.hasActivation = true;
    p->epilogue.hasResidual = true;
    const ir::TensorDesc d{nvinfer1::DataType::kFLOAT, test::dims({1, 1, 2, 2}), std::nullopt};
    const ir::TensorDesc none{nvinfer1::DataType::kFLOAT, kiln::invalidDims(), std::nullopt};
    std::vector<float> x{1.f, -2.f, 3.f, -4.f}, r{0.5f, 0.5f, -5.f, 5.f}, y(4);
    kernels::KernelArgs a;
    a.params = p.get();
    a.pool = &backends::cpu::ThreadPool::global();
    a.inputs = {{x.data(), nvinfer1::DataType::kFLOAT, d.dims}, {nullptr, nvinfer1::DataType::kFLOAT, none.dims},
        {nullptr, nvinfer1::DataType::kFLOAT, none.dims}, {r.data(), nvinfer1::DataType::kFLOAT, d.dims}};
    a.outputs = {{y.data(), nvinfer1::DataType::kFLOAT, d.dims}};
    ASSERT_TRUE(kernels::findTactic("convolution.cpu.reference")->run(a));
    EXPECT_EQ(y, (std::vector<float>{1.5f, 0.f, 0.f, 1.f}));
}

} // namespace
