// Reformat (layers/reformat.h): the reference kernel and reformat.cpu.parallel against the layout's
// definition written out here, element by element, for both blocks and both directions.
#include "kernels/tactic.h"
#include "layers/reformat.h"
#include "tactic_check.h"

namespace kiln::test
{
namespace
{

using ir::Layout;

//! Runs \p tactic on a Reformat \p from -> \p to of \p values.
std::vector<float> runReformat(const kernels::Tactic& tactic, const std::vector<float>& values, const nvinfer1::Dims& d, Layout from,
    Layout to)
{
    layers::ReformatParams p;
    p.from = from;
    p.to = to;
    ir::TensorDesc in{nvinfer1::DataType::kFLOAT, d, std::nullopt, from};
    ir::TensorDesc out{nvinfer1::DataType::kFLOAT, d, std::nullopt, to};
    Status s = tactic.supports(p, {in}, {out});
    EXPECT_TRUE(s.isOk()) << tactic.name() << ": " << s.message();
    std::vector<float> result(values.size(), std::nanf(""));
    kernels::KernelArgs a;
    a.params = &p;
    a.inputs.push_back(kernels::TensorBuffer{const_cast<float*>(values.data()), nvinfer1::DataType::kFLOAT, d});
    a.outputs.push_back(kernels::TensorBuffer{result.data(), nvinfer1::DataType::kFLOAT, d});
    a.pool = &backends::cpu::ThreadPool::global();
    s = tactic.run(a);
    EXPECT_TRUE(s.isOk()) << tactic.name() << ": " << s.message();
    return result;
}

class ReformatTest : public ::testing::TestWithParam<const char*>
{
};

TEST_P(ReformatTest, MatchesTheLayoutDefinition)
{
    const kernels::Tactic* tactic = kernels::findTactic(GetParam());
    ASSERT_NE(tactic, nullptr);
    for (Layout blocked : {Layout::kChannels8, Layout::kChannels16})
        for (const nvinfer1::Dims& d : {dims({1, 16, 5, 7}), dims({3, 32, 9, 1}), dims({2, 48, 13, 11})})
        {
            const std::vector<float> linear = randomFloats(static_cast<size_t>(volume(d)), 5);
            const std::vector<float> expected = relayout(linear, d, Layout::kLinear, blocked);
            const std::vector<float> toBlocked = runReformat(*tactic, linear, d, Layout::kLinear, blocked);
            EXPECT_EQ(toBlocked, expected) << ir::layoutName(blocked) << " " << toString(d);
            EXPECT_EQ(runReformat(*tactic, expected, d, blocked, Layout::kLinear), linear) << ir::layoutName(blocked) << " " << toString(d);
        }
}

INSTANTIATE_TEST_SUITE_P(Tactics, ReformatTest, ::testing::Values("reformat.cpu.reference", "reformat.cpu.parallel"));

TEST(Reformat, ReferenceConvertsBetweenBlockedLayouts)
{
    const kernels::Tactic* tactic = kernels::findTactic("reformat.cpu.reference");
    ASSERT_NE(tactic, nullptr);
    const nvinfer1::Dims d = dims({2, 32, 3, 5});
    const std::vector<float> linear = randomFloats(static_cast<size_t>(volume(d)), 9);
    const std::vector<float> in8 = relayout(linear, d, Layout::kLinear, Layout::kChannels8);
    EXPECT_EQ(runReformat(*tactic, in8, d, Layout::kChannels8, Layout::kChannels16),
        relayout(linear, d, Layout::kLinear, Layout::kChannels16));
}

TEST(Reformat, RefusesDimsAndLayoutsThatDoNotFit)
{
    const kernels::Tactic* tactic = kernels::findTactic("reformat.cpu.parallel");
    ASSERT_NE(tactic, nullptr);
    layers::ReformatParams p;
    p.from = Layout::kLinear;
    p.to = Layout::kChannels8;
    auto desc = [](nvinfer1::Dims d, Layout l) { return ir::TensorDesc{nvinfer1::DataType::kFLOAT, d, std::nullopt, l}; };
    // 12 channels do not fill blocks of 8; a 3-D tensor has no blocked form.
    EXPECT_FALSE(tactic->supports(p, {desc(dims({1, 12, 4, 4}), Layout::kLinear)}, {desc(dims({1, 12, 4, 4}), Layout::kChannels8)}));
    EXPECT_FALSE(tactic->supports(p, {desc(dims({16, 4, 4}), Layout::kLinear)}, {desc(dims({16, 4, 4}), Layout::kChannels8)}));
    // The descriptors' layouts must be the ones the parameters convert between.
    EXPECT_FALSE(tactic->supports(p, {desc(dims({1, 16, 4, 4}), Layout::kLinear)}, {desc(dims({1, 16, 4, 4}), Layout::kChannels16)}));
    EXPECT_TRUE(tactic->supports(p, {desc(dims({1, 16, 4, 4}), Layout::kLinear)}, {desc(dims({1, 16, 4, 4}), Layout::kChannels8)}));
    // Shape inference refuses what the layouts cannot hold.
    const ir::TensorDesc bad = desc(dims({1, 12, 4, 4}), Layout::kLinear);
    ir::ShapeContext ctx("r", ir::LayerKind::kReformat, {&bad}, 1);
    const Status s = p.inferShapes(ctx);
    ASSERT_FALSE(s.isOk());
    EXPECT_NE(s.message().find("multiple of 8"), std::string::npos) << s.message();
}

TEST(Reformat, ReferenceTacticsRefuseBlockedTensors)
{
    // Every other kind's reference kernel reads row-major only.
    const kernels::Tactic* relu = kernels::findTactic("activation.cpu.reference");
    ASSERT_NE(relu, nullptr);
    EXPECT_EQ(relu->layouts(), ir::kLinearOnly);
    layers::ReformatParams unused;
    const ir::TensorDesc blocked{nvinfer1::DataType::kFLOAT, dims({1, 8, 2, 2}), std::nullopt, Layout::kChannels8};
    EXPECT_FALSE(relu->supports(unused, {blocked}, {blocked}));
}

} // namespace
} // namespace kiln::test
