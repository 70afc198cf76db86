// The activation memory plan: tensors alive at the same time never overlap, and for a chain the
// arena equals the lower bound max over layers of (input + output).
#include "builder/memory_planner.h"
#include "layers/activation.h"

#include <gtest/gtest.h>

namespace
{

using namespace kiln;

plan::EnginePlan chain(const std::vector<int64_t>& sizes)
{
    plan::EnginePlan p;
    for (size_t i = 0; i < sizes.size(); ++i)
    {
        plan::PlanTensor t;
        t.name = "t" + std::to_string(i);
        t.maxBytes = sizes[i];
        p.tensors.push_back(t);
    }
    for (size_t i = 0; i + 1 < sizes.size(); ++i)
    {
        plan::PlanLayer l;
        l.name = "l" + std::to_string(i);
        l.params = std::make_unique<layers::ActivationParams>();
        l.inputs = {static_cast<int32_t>(i)};
        l.outputs = {static_cast<int32_t>(i + 1)};
        p.layers.push_back(std::move(l));
    }
    return p;
}

TEST(MemoryPlanner, ChainUsesTheLowerBound)
{
    const std::vector<int64_t> sizes{1024, 4096, 512, 8192, 256, 2048};
    plan::EnginePlan p = chain(sizes);
    std::vector<bool> binding(sizes.size(), false);
    binding.front() = binding.back() = true; // network input and output live outside the arena
    ASSERT_TRUE(builder::planMemory(p, binding).isOk());
    // Inner tensors 1..4: consecutive pairs live together.
    int64_t bound = 0;
    for (size_t i = 1; i + 2 < sizes.size(); ++i)
        bound = std::max(bound, sizes[i] + sizes[i + 1]);
    bound = std::max({bound, sizes[1], sizes[sizes.size() - 2]});
    EXPECT_EQ(static_cast<int64_t>(p.arenaSize), bound);
    EXPECT_EQ(p.tensors.front().arenaOffset, -1);
    EXPECT_EQ(p.tensors.back().arenaOffset, -1);
}

TEST(MemoryPlanner, LiveTensorsNeverOverlap)
{
    // in -> t1, in -> t2, (t1, t2) -> t3, t3 -> out: t1, t2 and t3 are all alive at the third layer.
    plan::EnginePlan p;
    const std::vector<int64_t> sizes{500, 1000, 2000, 3000, 700};
    for (size_t i = 0; i < sizes.size(); ++i)
    {
        plan::PlanTensor t;
        t.name = "t" + std::to_string(i);
        t.maxBytes = sizes[i];
        p.tensors.push_back(t);
    }
    auto layer = [&](std::vector<int32_t> in, std::vector<int32_t> out) {
        plan::PlanLayer l;
        l.params = std::make_unique<layers::ActivationParams>();
        l.inputs = std::move(in);
        l.outputs = std::move(out);
        p.layers.push_back(std::move(l));
    };
    layer({0}, {1});
    layer({0}, {2});
    layer({1, 2}, {3});
    layer({3}, {4});
    ASSERT_TRUE(builder::planMemory(p, {true, false, false, false, true}).isOk());
    for (int a = 1; a <= 3; ++a)
        for (int b = a + 1; b <= 3; ++b)
        {
            const auto& x = p.tensors[static_cast<size_t>(a)];
            const auto& y = p.tensors[static_cast<size_t>(b)];
            ASSERT_GE(x.arenaOffset, 0);
            ASSERT_GE(y.arenaOffset, 0);
            const bool disjoint = x.arenaOffset + x.maxBytes <= y.arenaOffset || y.arenaOffset + y.maxBytes <= x.arenaOffset;
            EXPECT_TRUE(disjoint) << "t" << a << " and t" << b << " overlap";
        }
    EXPECT_GE(static_cast<int64_t>(p.arenaSize), 1000 + 2000 + 3000);
}

} // namespace
