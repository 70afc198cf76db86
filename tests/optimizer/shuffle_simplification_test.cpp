// shuffle_simplification: identity Shuffles disappear, consecutive Shuffles merge when one can
// express both, and the engine computes the same values.
#include "optimizer_test_util.h"

namespace kiln::optimizer::test
{
namespace
{

int shuffles(const ir::Graph& g)
{
    int n = 0;
    for (const auto& l : g.layers)
        n += l->kind() == ir::LayerKind::kShuffle;
    return n;
}

struct Case
{
    const char* what;
    std::function<ir::Tensor*(TestGraph&, ir::Tensor*)> build;
    int shufflesLeft;
};

TEST(ShuffleSimplification, RemovesAndMerges)
{
    const Dims r64 = dims({6, 4});
    const Dims r38 = dims({3, 8});
    const Dims same = dims({0, 0, 4});
    const Dims placeholder = dims({0, 2, 2});
    const std::vector<Case> cases = {
        {"identity reshape", [&](TestGraph& t, ir::Tensor* x) { return t.shuffle(x, {}, &same, {}); }, 0},
        {"transpose and its inverse",
            [&](TestGraph& t, ir::Tensor* x) { return t.shuffle(t.shuffle(x, {1, 2, 0}, nullptr, {}), {2, 0, 1}, nullptr, {}); }, 0},
        {"transpose then reshape", [&](TestGraph& t, ir::Tensor* x) { return t.shuffle(t.shuffle(x, {2, 0, 1}, nullptr, {}), {}, &r64, {}); },
            1},
        {"reshape then transpose", [&](TestGraph& t, ir::Tensor* x) { return t.shuffle(t.shuffle(x, {}, &r64, {}), {1, 0}, nullptr, {}); },
            1},
        {"reshape then reshape", [&](TestGraph& t, ir::Tensor* x) { return t.shuffle(t.shuffle(x, {}, &r64, {}), {}, &r38, {}); }, 1},
        {"transposed reshape then reshape",
            [&](TestGraph& t, ir::Tensor* x) { return t.shuffle(t.shuffle(x, {1, 0, 2}, &r64, {1, 0}), {1, 0}, &r38, {}); }, 1},
        {"second reshape copies extents (not merged)",
            [&](TestGraph& t, ir::Tensor* x) {
                return t.shuffle(t.shuffle(x, {}, &r64, {}), {}, &placeholder, {});
            },
            2},
        {"two readers (not merged)",
            [&](TestGraph& t, ir::Tensor* x) {
                auto* a = t.shuffle(x, {2, 1, 0}, nullptr, {});
                t.output(t.unary(a, UnaryOperation::kABS));
                return t.shuffle(a, {}, &r64, {});
            },
            2},
    };
    for (const Case& c : cases)
    {
        SCOPED_TRACE(c.what);
        TestGraph t;
        auto* x = t.input("x", dims({2, 3, 4}));
        t.output(t.unary(c.build(t, x), UnaryOperation::kNEG));
        auto g = optimized(t.g);
        EXPECT_EQ(shuffles(*g), c.shufflesLeft) << ir::printGraph(*g);
        expectSameOutputs(t.g, {feed("x", dims({2, 3, 4}))}, 0, 0);
    }
}

TEST(ShuffleSimplification, IdentityShuffleOnANetworkOutput)
{
    TestGraph t;
    auto* x = t.input("x", dims({-1, 3, 4}));
    const Dims same = dims({-1, 3, 4});
    auto* y = t.shuffle(t.unary(x, UnaryOperation::kABS), {}, &same, {});
    t.output(y);
    auto g = optimized(t.g);
    ASSERT_EQ(g->layers.size(), 1u) << ir::printGraph(*g);
    EXPECT_EQ(g->layers[0]->outputs[0], g->outputs[0]);
    EXPECT_EQ(g->outputs[0]->name, "Shuffle2 output");
    builder::ProfileSpec profile;
    profile.entries.push_back({"x", dims({1, 3, 4}), dims({2, 3, 4}), dims({5, 3, 4})});
    expectSameOutputs(t.g, {feed("x", dims({5, 3, 4}))}, 0, 0, 0, {profile});

    // A network input straight to a network output through an identity Shuffle stays.
    TestGraph u;
    u.output(u.shuffle(u.input("x", dims({2, 2})), {}, nullptr, {}));
    auto h = optimized(u.g);
    EXPECT_EQ(h->layers.size(), 1u);
}

} // namespace
} // namespace kiln::optimizer::test
