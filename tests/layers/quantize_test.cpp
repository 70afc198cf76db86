// Quantize and Dequantize (ONNX QuantizeLinear / DequantizeLinear) against a float64 reference.
// INT8 cannot be a network input (addInput rejects it) and the harness reads no INT8 outputs, so
// INT8 results are checked through a Quantize -> Dequantize chain.
#include "support/harness.h"

#include <algorithm>
#include <cmath>

using namespace nvinfer1;
using kiln::test::HostTensor;
using kiln::test::NetworkHarness;
using kiln::test::Rng;
using kiln::test::toDims;
using Shape = std::vector<int32_t>;

namespace
{

template <typename T>
ITensor* constant(NetworkHarness& h, const Shape& dims, const std::vector<T>& values)
{
    const DataType type = std::is_same<T, int32_t>::value ? DataType::kINT32 : DataType::kFLOAT;
    IConstantLayer* c = h.network().addConstant(toDims(dims), Weights{type, values.data(), static_cast<int64_t>(values.size())});
    return c ? c->getOutput(0) : nullptr;
}

//! Channel of element \p i for a per-axis scale along \p axis (0 for a per-tensor scale).
int64_t channelOf(int64_t i, const Shape& dims, int32_t axis, size_t channels)
{
    if (channels == 1)
        return 0;
    int64_t inner = 1;
    for (size_t k = static_cast<size_t>(axis) + 1; k < dims.size(); ++k)
        inner *= dims[k];
    return (i / inner) % dims[static_cast<size_t>(axis)];
}

double roundHalfEven(double v)
{
    const double f = std::floor(v);
    const double d = v - f;
    if (d > 0.5 || (d == 0.5 && std::fmod(f, 2.0) != 0))
        return f + 1;
    return f;
}

std::vector<double> quantizeRef(const HostTensor& x, int32_t axis, const std::vector<float>& scale,
    const std::vector<double>& zp, double lo, double hi)
{
    std::vector<double> q;
    for (size_t i = 0; i < x.f.size(); ++i)
    {
        const int64_t c = channelOf(static_cast<int64_t>(i), x.dims, axis, scale.size());
        const float ratio = x.f[i] / scale[static_cast<size_t>(c)]; // float division, as ONNX
        q.push_back(std::clamp(roundHalfEven(ratio) + (zp.empty() ? 0 : zp[static_cast<size_t>(c)]), lo, hi));
    }
    return q;
}

struct Case
{
    Shape dims;
    int32_t axis;    //!< as given to the layer (may be negative)
    size_t channels; //!< 1: per tensor
    bool withZeroPoint;
};

TEST(Quantize, Int32OutputMatchesReference)
{
    Rng rng(3401);
    SCOPED_TRACE("seed " + std::to_string(rng.seed()));
    const Case cases[] = {{{2, 3, 4}, 1, 1, false}, {{2, 3, 4}, 1, 3, true}, {{2, 3, 4}, -1, 4, true},
        {{5}, 0, 5, true}, {{5}, 1, 1, true}, {{3, 2, 1, 2}, 0, 3, false}, {{1, 1}, -2, 1, true}};
    for (const Case& c : cases)
    {
        NetworkHarness h;
        HostTensor x = kiln::test::randomTensor(c.dims, rng, -50.f, 50.f);
        x.f[0] = 2.5f; // halves round to even
        if (x.f.size() > 1)
            x.f[1] = -3.5f;
        std::vector<float> scale = kiln::test::randomFloats(static_cast<int64_t>(c.channels), rng, 0.2f, 2.f);
        scale[0] = 1.f;
        std::vector<int32_t> zp;
        for (size_t k = 0; k < c.channels; ++k)
            zp.push_back(rng.uniformInt(-5, 5));
        const Shape scaleDims = c.channels == 1 && !c.withZeroPoint ? Shape{} : Shape{static_cast<int32_t>(c.channels)};
        IQuantizeLayer* q = h.network().addQuantize(*h.input("x", x), *constant(h, scaleDims, scale));
        ASSERT_NE(q, nullptr);
        EXPECT_EQ(q->getType(), LayerType::kQUANTIZE);
        EXPECT_EQ(q->getAxis(), 1);
        EXPECT_EQ(q->getToType(), DataType::kINT8);
        q->setAxis(c.axis);
        q->setToType(DataType::kINT32);
        if (c.withZeroPoint)
            q->setInput(2, *constant(h, scaleDims, zp));
        h.markOutput(q->getOutput(0));
        const auto outs = h.run();
        ASSERT_EQ(outs.size(), 1u);
        const int32_t axis = c.axis < 0 ? c.axis + static_cast<int32_t>(c.dims.size()) : c.axis;
        const std::vector<double> e = quantizeRef(x, axis, scale,
            c.withZeroPoint ? std::vector<double>(zp.begin(), zp.end()) : std::vector<double>{}, -2147483648.0, 2147483647.0);
        kiln::test::expectEqualInts(outs[0], c.dims, std::vector<int32_t>(e.begin(), e.end()));
    }
}

TEST(Quantize, Int8RoundTripSaturates)
{
    Rng rng(3402);
    for (bool perAxis : {false, true})
        for (bool explicitBatch : {true, false})
        {
            NetworkHarness h(explicitBatch);
            h.setBatch(2);
            const Shape dims = {2, 3, 5};
            const HostTensor x = kiln::test::randomTensor(dims, rng, -300.f, 300.f);
            const std::vector<float> scale = perAxis ? std::vector<float>{0.5f, 1.f, 2.f} : std::vector<float>{1.5f};
            const std::vector<float> zpFloat = perAxis ? std::vector<float>{-3.f, 0.f, 7.f} : std::vector<float>{4.f};
            const Shape sd = {static_cast<int32_t>(scale.size())};
            ITensor* in = h.input("x", x);
            IQuantizeLayer* q = h.network().addQuantize(*in, *constant(h, sd, scale));
            ASSERT_NE(q, nullptr);
            q->setInput(2, *constant(h, sd, zpFloat));
            // Implicit batch: axis 0 of [3, 5] is the channel axis.
            q->setAxis(explicitBatch ? 1 : 0);
            IDequantizeLayer* dq = h.network().addDequantize(*q->getOutput(0), *constant(h, sd, scale));
            ASSERT_NE(dq, nullptr);
            EXPECT_EQ(dq->getType(), LayerType::kDEQUANTIZE);
            EXPECT_EQ(dq->getToType(), DataType::kFLOAT);
            dq->setAxis(explicitBatch ? 1 : 0);
            dq->setInput(2, *constant(h, sd, zpFloat));
            EXPECT_EQ(q->getOutput(0)->getType(), DataType::kINT8);
            h.markOutput(dq->getOutput(0));
            const auto outs = h.run();
            ASSERT_EQ(outs.size(), 1u);
            const std::vector<double> zp(zpFloat.begin(), zpFloat.end());
            const std::vector<double> qs = quantizeRef(x, 1, scale, zp, -128, 127);
            std::vector<double> e;
            for (size_t i = 0; i < qs.size(); ++i)
            {
                const int64_t c = channelOf(static_cast<int64_t>(i), dims, 1, scale.size());
                e.push_back((qs[i] - zp[static_cast<size_t>(c)]) * scale[static_cast<size_t>(c)]);
            }
            kiln::test::expectClose(outs[0], dims, e, 1e-6, 1e-6);
        }
}

TEST(Dequantize, Int32InputMatchesReference)
{
    Rng rng(3403);
    const Shape dims = {3, 4, 2};
    const HostTensor x = kiln::test::randomInts(dims, rng, -1000, 1000);
    for (int32_t axis : {1, -2, 0})
    {
        NetworkHarness h;
        const size_t channels = static_cast<size_t>(dims[static_cast<size_t>(axis < 0 ? axis + 3 : axis)]);
        const std::vector<float> scale = kiln::test::randomFloats(static_cast<int64_t>(channels), rng, 0.01f, 1.f);
        std::vector<int32_t> zp;
        for (size_t k = 0; k < channels; ++k)
            zp.push_back(rng.uniformInt(-20, 20));
        IDequantizeLayer* dq = h.network().addDequantize(*h.input("x", x), *constant(h, {static_cast<int32_t>(channels)}, scale));
        ASSERT_NE(dq, nullptr);
        dq->setAxis(axis);
        EXPECT_EQ(dq->getAxis(), axis);
        dq->setInput(2, *constant(h, {static_cast<int32_t>(channels)}, zp));
        h.markOutput(dq->getOutput(0));
        const auto outs = h.run();
        ASSERT_EQ(outs.size(), 1u);
        std::vector<double> e;
        const int32_t a = axis < 0 ? axis + 3 : axis;
        for (size_t i = 0; i < x.i.size(); ++i)
        {
            const size_t c = static_cast<size_t>(channelOf(static_cast<int64_t>(i), dims, a, channels));
            e.push_back((static_cast<double>(x.i[i]) - zp[c]) * scale[c]);
        }
        kiln::test::expectClose(outs[0], dims, e, 1e-6, 1e-6);
    }
}

void expectRejected(NetworkHarness& h, ILayer* layer, const char* name)
{
    ASSERT_NE(layer, nullptr);
    layer->setName(name);
    h.network().markOutput(*layer->getOutput(0));
    EXPECT_EQ(h.build(), nullptr);
    EXPECT_TRUE(h.logger().hasError(name)) << h.logger().errors();
}

TEST(Quantize, BadParametersAreReportedWithTheLayerName)
{
    Rng rng(3404);
    const HostTensor x = kiln::test::randomTensor({2, 3, 4}, rng);
    const std::vector<float> scale3 = {1.f, 2.f, 3.f};
    const std::vector<float> scale2x3 = {1.f, 2.f, 3.f, 4.f, 5.f, 6.f};
    const std::vector<int32_t> zp2 = {0, 0};
    {
        NetworkHarness h;
        h.logger().expectErrors();
        IQuantizeLayer* q = h.network().addQuantize(*h.input("x", x), *constant(h, {3}, scale3));
        q->setAxis(2); // 3 scales, 4 channels
        expectRejected(h, q, "q_scale_length");
    }
    {
        NetworkHarness h;
        h.logger().expectErrors();
        IQuantizeLayer* q = h.network().addQuantize(*h.input("x", x), *constant(h, {3}, scale3));
        q->setAxis(5);
        expectRejected(h, q, "q_axis_out_of_range");
    }
    {
        NetworkHarness h;
        h.logger().expectErrors();
        expectRejected(h, h.network().addQuantize(*h.input("x", x), *constant(h, {2, 3}, scale2x3)), "q_scale_2d");
    }
    {
        NetworkHarness h;
        h.logger().expectErrors();
        IQuantizeLayer* q = h.network().addQuantize(*h.input("x", x), *constant(h, {3}, scale3));
        q->setInput(2, *constant(h, {2}, zp2));
        expectRejected(h, q, "q_zero_point_shape");
    }
    {
        NetworkHarness h;
        h.logger().expectErrors();
        IQuantizeLayer* q = h.network().addQuantize(*h.input("x", x), *constant(h, {3}, scale3));
        q->setToType(DataType::kHALF);
        expectRejected(h, q, "q_to_half");
    }
    {
        NetworkHarness h;
        h.logger().expectErrors();
        IQuantizeLayer* q = h.network().addQuantize(*h.input("x", HostTensor::ints({3}, {1, 2, 3})), *constant(h, {3}, scale3));
        expectRejected(h, q, "q_int_input");
    }
    {
        NetworkHarness h;
        h.logger().expectErrors();
        IDequantizeLayer* dq = h.network().addDequantize(*h.input("x", x), *constant(h, {3}, scale3));
        expectRejected(h, dq, "dq_float_input");
    }
    {
        NetworkHarness h;
        h.logger().expectErrors();
        IDequantizeLayer* dq = h.network().addDequantize(*h.input("x", HostTensor::ints({2, 3}, {1, 2, 3, 4, 5, 6})),
            *constant(h, {3}, scale3));
        dq->setToType(DataType::kINT32);
        expectRejected(h, dq, "dq_to_int");
    }
    {
        NetworkHarness h;
        h.logger().expectErrors();
        const std::vector<int32_t> intScale = {1, 1, 1};
        IDequantizeLayer* dq = h.network().addDequantize(*h.input("x", HostTensor::ints({2, 3}, {1, 2, 3, 4, 5, 6})),
            *constant(h, {3}, intScale));
        expectRejected(h, dq, "dq_int_scale");
    }
}

} // namespace
