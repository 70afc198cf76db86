// pooling.cpu.direct.avx2 against the reference pooling: max / average / blend, both average
// counts, every padding mode (with the ROUND_UP modes' empty windows), the fast windows 2×2/2,
// 3×3/2 and 3×3/1, global pooling, widths around the vector edges and batch > 1.
#include "kernels/tactic_check.h"
#include "layers/pooling.h"

namespace
{

using namespace kiln;
using nvinfer1::PaddingMode;
using nvinfer1::PoolingType;

const kernels::Tactic& pooling()
{
    const kernels::Tactic* t = kernels::findTactic("pooling.cpu.direct.avx2");
    EXPECT_NE(t, nullptr);
    return *t;
}

struct Pool
{
    PoolingType type{PoolingType::kMAX};
    int32_t n{1}, c{3}, h{9}, w{9};
    int32_t fh{3}, fw{3};
    int32_t sh{2}, sw{2};
    int32_t preH{1}, preW{1}, postH{1}, postW{1};
    PaddingMode mode{PaddingMode::kEXPLICIT_ROUND_DOWN};
    bool exclude{true};
    float blend{0.3f};
};

test::TacticCase makeCase(const Pool& s, uint32_t seed = 5)
{
    auto p = std::make_unique<layers::PoolingParams>();
    p->type = s.type;
    p->windowSize = test::dims({s.fh, s.fw});
    p->stride = test::dims({s.sh, s.sw});
    p->prePadding = test::dims({s.preH, s.preW});
    p->postPadding = test::dims({s.postH, s.postW});
    p->paddingMode = s.mode;
    p->averageCountExcludesPadding = s.exclude;
    p->blendFactor = s.type == PoolingType::kMAX_AVERAGE_BLEND ? s.blend : 0.f;
    test::TacticCase c;
    c.params = std::move(p);
    c.inputs = {{nvinfer1::DataType::kFLOAT, test::dims({s.n, s.c, s.h, s.w}), std::nullopt}};
    c.seed = seed;
    return c;
}

const PoolingType kTypes[] = {PoolingType::kMAX, PoolingType::kAVERAGE, PoolingType::kMAX_AVERAGE_BLEND};

TEST(PoolingAvx2, FastWindowsOverWidths)
{
    struct W
    {
        int32_t f, s, pad;
    };
    const W windows[] = {{2, 2, 0}, {3, 2, 1}, {3, 2, 0}, {3, 1, 1}, {2, 1, 0}};
    for (const W& win : windows)
        for (PoolingType type : kTypes)
            for (bool exclude : {true, false})
                for (int32_t w : {1, 7, 8, 9, 15, 16, 17, 33, 40})
                {
                    if (w + 2 * win.pad < win.f)
                        continue; // no window fits
                    Pool s;
                    s.type = type;
                    s.exclude = exclude;
                    s.fh = s.fw = win.f;
                    s.sh = s.sw = win.s;
                    s.preH = s.preW = s.postH = s.postW = win.pad;
                    s.w = w;
                    s.h = 7;
                    EXPECT_TRUE(test::checkTactic(pooling(), makeCase(s)))
                        << "window " << win.f << " stride " << win.s << " pad " << win.pad << " type "
                        << static_cast<int>(type) << " exclude " << exclude << " w " << w;
                }
}

TEST(PoolingAvx2, OtherWindowsAndStrides)
{
    struct W
    {
        int32_t fh, fw, sh, sw, preH, preW, postH, postW;
    };
    const W windows[] = {{5, 5, 1, 1, 2, 2, 2, 2}, {5, 4, 3, 3, 1, 2, 0, 3}, {1, 1, 1, 1, 0, 0, 0, 0},
        {1, 1, 2, 2, 0, 0, 0, 0}, {4, 2, 2, 3, 3, 1, 0, 0}, {2, 7, 1, 2, 0, 3, 1, 6}, {3, 3, 4, 4, 0, 0, 0, 0}};
    for (const W& win : windows)
        for (PoolingType type : kTypes)
            for (int32_t w : {8, 23, 41})
            {
                Pool s;
                s.type = type;
                s.exclude = w % 2 == 1;
                s.fh = win.fh;
                s.fw = win.fw;
                s.sh = win.sh;
                s.sw = win.sw;
                s.preH = win.preH;
                s.preW = win.preW;
                s.postH = win.postH;
                s.postW = win.postW;
                s.w = w;
                s.h = 10;
                EXPECT_TRUE(test::checkTactic(pooling(), makeCase(s)))
                    << "window " << win.fh << "x" << win.fw << " stride " << win.sh << "," << win.sw << " type "
                    << static_cast<int>(type) << " w " << w;
            }
}

TEST(PoolingAvx2, PaddingModesAndEmptyWindows)
{
    for (PaddingMode mode :
        {PaddingMode::kEXPLICIT_ROUND_DOWN, PaddingMode::kEXPLICIT_ROUND_UP, PaddingMode::kSAME_UPPER,
            PaddingMode::kSAME_LOWER, PaddingMode::kCAFFE_ROUND_DOWN, PaddingMode::kCAFFE_ROUND_UP})
        for (PoolingType type : kTypes)
            for (bool exclude : {true, false})
            {
                // Window 2, stride 3, padding 1: ROUND_UP leaves trailing windows with no input cell.
                Pool s;
                s.mode = mode;
                s.type = type;
                s.exclude = exclude;
                s.fh = s.fw = 2;
                s.sh = s.sw = 3;
                s.preH = s.preW = s.postH = s.postW = 1;
                s.h = 8;
                s.w = 29;
                EXPECT_TRUE(test::checkTactic(pooling(), makeCase(s)))
                    << "mode " << static_cast<int>(mode) << " type " << static_cast<int>(type) << " exclude "
                    << exclude;
                s.fh = s.fw = 3;
                s.sh = s.sw = 2;
                s.postH = s.postW = 2;
                s.h = 10;
                s.w = 20;
                EXPECT_TRUE(test::checkTactic(pooling(), makeCase(s)))
                    << "3x3/2 mode " << static_cast<int>(mode) << " type " << static_cast<int>(type) << " exclude "
                    << exclude;
            }
}

TEST(PoolingAvx2, GlobalAndBatch)
{
    for (PoolingType type : kTypes)
        for (int32_t hw : {1, 3, 7, 9})
        {
            Pool s;
            s.type = type;
            s.n = 2;
            s.c = 17;
            s.h = hw;
            s.w = hw + 1;
            s.fh = hw;
            s.fw = hw + 1;
            s.sh = s.sw = 1;
            s.preH = s.preW = s.postH = s.postW = 0;
            EXPECT_TRUE(test::checkTactic(pooling(), makeCase(s)))
                << "global " << hw << " type " << static_cast<int>(type);
            // A padded global window (counts differ with the padding included).
            if (hw > 1)
            {
                s.preH = s.postW = 1;
                s.fh = hw + 1;
                s.exclude = false;
                EXPECT_TRUE(test::checkTactic(pooling(), makeCase(s)))
                    << "padded global " << hw << " type " << static_cast<int>(type);
            }
        }
    // Few planes, many rows: the work splits into row blocks.
    Pool tall;
    tall.c = 1;
    tall.h = 77;
    tall.w = 30;
    EXPECT_TRUE(test::checkTactic(pooling(), makeCase(tall)));
}

TEST(PoolingAvx2, RefusesWhatItDoesNotHandle)
{
    Pool s;
    test::TacticCase c = makeCase(s);
    std::vector<ir::TensorDesc> outs{{nvinfer1::DataType::kFLOAT, test::dims({1, 3, 4, 4}), std::nullopt}};
    EXPECT_TRUE(pooling().supports(*c.params, c.inputs, outs));
    auto& p = static_cast<layers::PoolingParams&>(*c.params);
    p.windowSize = test::dims({2, 2, 2});
    p.stride = test::dims({1, 1, 1});
    Status st = pooling().supports(p, c.inputs, outs);
    EXPECT_FALSE(st);
    EXPECT_NE(st.message().find("2-D"), std::string::npos) << st.message();
    p.windowSize = test::dims({2, 2});
    p.stride = test::dims({0, 1});
    EXPECT_FALSE(pooling().supports(p, c.inputs, outs));
    p.stride = test::dims({1, 1});
    p.type = static_cast<PoolingType>(77);
    EXPECT_FALSE(pooling().supports(p, c.inputs, outs));
    p.type = PoolingType::kMAX;
    c.inputs[0].type = nvinfer1::DataType::kINT8;
    EXPECT_FALSE(pooling().supports(p, c.inputs, outs));
    EXPECT_FALSE(pooling().supports(layers::PoolingParams(), {}, {}));
}

} // namespace
