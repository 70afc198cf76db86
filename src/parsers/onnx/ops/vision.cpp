// Vision operators: GridSample (composed from element-wise math and element gathers),
// RoiAlign (regions known at parse time; the feature map may be a run-time tensor) and
// NonMaxSuppression (its output shape depends on the data: folded when the inputs are constant).
#include "helpers.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace kiln::onnx
{
namespace
{

using nvinfer1::DataType;
using nvinfer1::Dims;
using nvinfer1::ElementWiseOperation;
using nvinfer1::ITensor;
using nvinfer1::UnaryOperation;

//! Element-wise arithmetic on [N, P] float tensors, with scalar constants broadcast.
struct Math
{
    ImporterContext& ctx;
    ITensor* c(double v) const { return scalarConstant(ctx, DataType::kFLOAT, v, 2); }
    ITensor* add(ITensor* a, ITensor* b) const { return elementwise(ctx, a, b, ElementWiseOperation::kSUM); }
    ITensor* sub(ITensor* a, ITensor* b) const { return elementwise(ctx, a, b, ElementWiseOperation::kSUB); }
    ITensor* mul(ITensor* a, ITensor* b) const { return elementwise(ctx, a, b, ElementWiseOperation::kPROD); }
    ITensor* div(ITensor* a, ITensor* b) const { return elementwise(ctx, a, b, ElementWiseOperation::kDIV); }
    ITensor* min(ITensor* a, ITensor* b) const { return elementwise(ctx, a, b, ElementWiseOperation::kMIN); }
    ITensor* max(ITensor* a, ITensor* b) const { return elementwise(ctx, a, b, ElementWiseOperation::kMAX); }
    ITensor* floor(ITensor* a) const { return unary(ctx, a, UnaryOperation::kFLOOR); }
    ITensor* clamp(ITensor* a, double lo, double hi) const { return min(max(a, c(lo)), c(hi)); }
    //! 1.0 where lo <= a <= hi, else 0.0.
    ITensor* inside(ITensor* a, double lo, double hi) const
    {
        ITensor* ok = elementwise(ctx, unary(ctx, elementwise(ctx, a, c(lo), ElementWiseOperation::kLESS), UnaryOperation::kNOT),
            unary(ctx, elementwise(ctx, a, c(hi), ElementWiseOperation::kGREATER), UnaryOperation::kNOT), ElementWiseOperation::kAND);
        return cast(ctx, ok, DataType::kFLOAT);
    }
    //! Reflects a into [lo, hi] (a triangle wave of period 2·(hi - lo)).
    ITensor* reflect(ITensor* a, double lo, double hi) const
    {
        const double range = hi - lo;
        if (range <= 0)
            return mul(a, c(0.0));
        ITensor* t = div(sub(a, c(lo)), c(range));
        ITensor* u = sub(t, mul(c(2.0), floor(div(t, c(2.0)))));
        return add(c(lo), mul(c(range), sub(c(1.0), unary(ctx, sub(u, c(1.0)), UnaryOperation::kABS))));
    }
};

//! Cubic convolution weights (A = -0.75) of the taps at offsets -1, 0, 1, 2 for fraction t.
std::vector<ITensor*> cubicWeights(const Math& m, ITensor* t)
{
    const double a = -0.75;
    const auto near = [&](ITensor* d) { // |d| <= 1: ((A+2)d - (A+3)) d² + 1
        return m.add(m.mul(m.sub(m.mul(m.c(a + 2), d), m.c(a + 3)), m.mul(d, d)), m.c(1.0));
    };
    const auto far = [&](ITensor* d) { // 1 < |d| < 2: ((A d - 5A) d + 8A) d - 4A
        return m.sub(m.mul(m.add(m.mul(m.sub(m.mul(m.c(a), d), m.c(5 * a)), d), m.c(8 * a)), d), m.c(4 * a));
    };
    ITensor* oneMinus = m.sub(m.c(1.0), t);
    return {far(m.add(t, m.c(1.0))), near(t), near(oneMinus), far(m.add(oneMinus, m.c(1.0)))};
}

} // namespace

KILN_ONNX_IMPORTER(GridSample)
{
    ITensor* x = node.tensor(0);
    ITensor* grid = node.tensor(1);
    KILN_ONNX_NOT_NULL(x && grid ? x : nullptr);
    const Dims xd = x->getDimensions();
    const Dims gd = grid->getDimensions();
    KILN_ONNX_CHECK(xd.nbDims == 4 && gd.nbDims == 4 && gd.d[3] == 2, kUNSUPPORTED_NODE, "2-D GridSample (X [N,C,H,W], grid [N,Ho,Wo,2]) is supported");
    KILN_ONNX_CHECK(xd.d[1] > 0 && xd.d[2] > 0 && xd.d[3] > 0 && gd.d[1] > 0 && gd.d[2] > 0, kUNSUPPORTED_NODE,
        "needs static C, H, W, Ho and Wo");
    std::string mode = node.attrs.s("mode", node.opset >= 20 ? "linear" : "bilinear");
    mode = mode == "bilinear" ? "linear" : mode == "bicubic" ? "cubic" : mode;
    KILN_ONNX_CHECK(mode == "linear" || mode == "nearest" || mode == "cubic", kINVALID_NODE, "unknown mode '" + mode + "'");
    const std::string padding = node.attrs.s("padding_mode", "zeros");
    KILN_ONNX_CHECK(padding == "zeros" || padding == "border" || padding == "reflection", kINVALID_NODE,
        "unknown padding_mode '" + padding + "'");
    const bool alignCorners = node.attrs.i("align_corners", 0) != 0;
    const int64_t c = xd.d[1], h = xd.d[2], w = xd.d[3], points = int64_t{gd.d[1]} * gd.d[2];
    const Math m{node.ctx};

    // Grid coordinates as [N, P] in input pixels.
    ITensor* flat = reshape(node.ctx, grid, Dims{3, {0, static_cast<int32_t>(points), 2}, {}}, true);
    KILN_ONNX_NOT_NULL(flat);
    const auto component = [&](int32_t k) {
        nvinfer1::ISliceLayer* s = node.network().addSlice(*flat, Dims{3, {0, 0, k}, {}}, Dims{3, {1, static_cast<int32_t>(points), 1}, {}}, Dims{3, {1, 1, 1}, {}});
        if (!s)
            return static_cast<ITensor*>(nullptr);
        ITensor* size = concat(node.ctx, {slice1d(node.ctx, shapeOf(node.ctx, flat), 0, 1), intConstant(node.ctx, {points, 1})});
        if (size)
            s->setInput(2, *size);
        return reshape(node.ctx, s->getOutput(0), Dims{2, {0, static_cast<int32_t>(points)}, {}}, true);
    };
    const auto unnormalize = [&](ITensor* g, int64_t extent) {
        return alignCorners ? m.mul(m.add(g, m.c(1.0)), m.c((extent - 1) / 2.0)) : m.div(m.sub(m.mul(m.add(g, m.c(1.0)), m.c(static_cast<double>(extent))), m.c(1.0)), m.c(2.0));
    };
    ITensor* gx = unnormalize(component(0), w);
    ITensor* gy = unnormalize(component(1), h);
    // Coordinates of taps outside the image follow padding_mode.
    const double lo = alignCorners ? 0.0 : -0.5;
    const auto bound = [&](ITensor* v, int64_t extent) {
        if (padding == "border")
            return m.clamp(v, 0.0, static_cast<double>(extent - 1));
        if (padding == "reflection")
            return m.reflect(v, lo, alignCorners ? extent - 1.0 : extent - 0.5);
        return v;
    };
    if (padding != "zeros")
    {
        gx = bound(gx, w);
        gy = bound(gy, h);
    }
    KILN_ONNX_NOT_NULL(gx && gy ? gx : nullptr);

    // Data as [N, C, H·W]; a tap at integer (tx, ty) with weight wt adds wt · X[n, :, ty·W + tx].
    ITensor* data = reshape(node.ctx, x, Dims{3, {0, static_cast<int32_t>(c), static_cast<int32_t>(h * w)}, {}}, true);
    // Zeros [1, C, 1]: adding them spreads a tap's [N, 1, P] index over the channels.
    ITensor* spread = node.ctx.constant(makeWeights(node.arena(), DataType::kINT32, {1, c, 1}));
    ITensor* sum = nullptr;
    const auto tap = [&](ITensor* tx, ITensor* ty, ITensor* wt) -> ITensor* {
        if (padding == "zeros")
            wt = m.mul(wt, m.mul(m.inside(tx, 0.0, static_cast<double>(w - 1)), m.inside(ty, 0.0, static_cast<double>(h - 1))));
        else if (padding == "reflection")
        {
            tx = m.reflect(tx, lo, alignCorners ? w - 1.0 : w - 0.5);
            ty = m.reflect(ty, lo, alignCorners ? h - 1.0 : h - 0.5);
        }
        tx = m.clamp(unary(node.ctx, tx, UnaryOperation::kROUND), 0.0, static_cast<double>(w - 1));
        ty = m.clamp(unary(node.ctx, ty, UnaryOperation::kROUND), 0.0, static_cast<double>(h - 1));
        ITensor* index = cast(node.ctx, m.add(m.mul(ty, m.c(static_cast<double>(w))), tx), DataType::kINT32);
        index = elementwise(node.ctx, unsqueeze(node.ctx, index, {1}), spread, ElementWiseOperation::kSUM);
        if (!index || !data)
            return nullptr;
        nvinfer1::IGatherLayer* g = node.network().addGatherV2(*data, *index, nvinfer1::GatherMode::kELEMENT);
        if (!g)
            return nullptr;
        g->setGatherAxis(2);
        ITensor* term = elementwise(node.ctx, g->getOutput(0), unsqueeze(node.ctx, wt, {1}), ElementWiseOperation::kPROD);
        return sum ? m.add(sum, term) : term;
    };
    if (mode == "nearest")
        sum = tap(unary(node.ctx, gx, UnaryOperation::kROUND), unary(node.ctx, gy, UnaryOperation::kROUND), m.add(m.mul(gx, m.c(0.0)), m.c(1.0)));
    else
    {
        ITensor* x0 = m.floor(gx);
        ITensor* y0 = m.floor(gy);
        ITensor* fx = m.sub(gx, x0);
        ITensor* fy = m.sub(gy, y0);
        const bool cubic = mode == "cubic";
        const std::vector<ITensor*> wx = cubic ? cubicWeights(m, fx) : std::vector<ITensor*>{m.sub(m.c(1.0), fx), fx};
        const std::vector<ITensor*> wy = cubic ? cubicWeights(m, fy) : std::vector<ITensor*>{m.sub(m.c(1.0), fy), fy};
        const int first = cubic ? -1 : 0;
        for (size_t j = 0; j < wy.size(); ++j)
            for (size_t i = 0; i < wx.size(); ++i)
            {
                sum = tap(m.add(x0, m.c(first + static_cast<double>(i))), m.add(y0, m.c(first + static_cast<double>(j))), m.mul(wx[i], wy[j]));
                KILN_ONNX_NOT_NULL(sum);
            }
    }
    KILN_ONNX_NOT_NULL(sum);
    return single(reshape(node.ctx, sum, Dims{4, {0, static_cast<int32_t>(c), gd.d[1], gd.d[2]}, {}}, true));
}

KILN_ONNX_IMPORTER(RoiAlign)
{
    ITensor* x = node.tensor(0);
    KILN_ONNX_NOT_NULL(x);
    const Dims xd = x->getDimensions();
    KILN_ONNX_CHECK(xd.nbDims == 4 && xd.d[1] > 0 && xd.d[2] > 0 && xd.d[3] > 0, kUNSUPPORTED_NODE, "needs X [N,C,H,W] with static C, H, W");
    KILN_ONNX_ASSIGN(std::vector<float> rois, node.constFloats(1, "rois"));
    KILN_ONNX_ASSIGN(std::vector<int64_t> batch, node.constInts(2, "batch_indices"));
    const int64_t r = static_cast<int64_t>(batch.size());
    KILN_ONNX_CHECK(static_cast<int64_t>(rois.size()) == 4 * r, kINVALID_NODE, "rois must be [num_rois, 4] matching batch_indices");
    const std::string mode = node.attrs.s("mode", "avg");
    KILN_ONNX_CHECK(mode == "avg" || mode == "max", kINVALID_NODE, "mode must be avg or max");
    const int64_t oh = node.attrs.i("output_height", 1), ow = node.attrs.i("output_width", 1);
    const int64_t ratio = node.attrs.i("sampling_ratio", 0);
    const float scale = node.attrs.f("spatial_scale", 1.f);
    const bool halfPixel = node.attrs.s("coordinate_transformation_mode", node.opset >= 16 ? "half_pixel" : "output_half_pixel") == "half_pixel";
    KILN_ONNX_CHECK(oh > 0 && ow > 0 && ratio >= 0 && oh * ow <= 4096, kINVALID_NODE, "invalid output size or sampling_ratio");
    const int64_t c = xd.d[1], h = xd.d[2], w = xd.d[3];
    for (int64_t b : batch)
        KILN_ONNX_CHECK(b >= 0 && (xd.d[0] < 0 || b < xd.d[0]), kINVALID_NODE, "batch index " + std::to_string(b) + " is out of range");

    // Every sample point of every bin as 4 bilinear taps (flat index into H·W, weight); bins with
    // fewer samples than the largest are padded with repeats of their first sample (weight 0 for avg).
    struct Roi
    {
        double x0, y0, binW, binH;
        int64_t gw, gh;
    };
    std::vector<Roi> geometry;
    int64_t samples = 1;
    for (int64_t k = 0; k < r; ++k)
    {
        const double offset = halfPixel ? 0.5 : 0.0;
        const double x1 = rois[static_cast<size_t>(4 * k)] * scale - offset, y1 = rois[static_cast<size_t>(4 * k + 1)] * scale - offset;
        double rw = rois[static_cast<size_t>(4 * k + 2)] * scale - offset - x1, rh = rois[static_cast<size_t>(4 * k + 3)] * scale - offset - y1;
        if (!halfPixel)
        {
            rw = std::max(rw, 1.0);
            rh = std::max(rh, 1.0);
        }
        KILN_ONNX_CHECK(std::isfinite(rw) && std::isfinite(rh) && std::fabs(rw) < 1e6 && std::fabs(rh) < 1e6, kINVALID_NODE, "a region is not finite");
        Roi g{x1, y1, rw / static_cast<double>(ow), rh / static_cast<double>(oh), 0, 0};
        g.gh = ratio > 0 ? ratio : std::max<int64_t>(1, static_cast<int64_t>(std::ceil(rh / static_cast<double>(oh))));
        g.gw = ratio > 0 ? ratio : std::max<int64_t>(1, static_cast<int64_t>(std::ceil(rw / static_cast<double>(ow))));
        samples = std::max(samples, g.gh * g.gw);
        geometry.push_back(g);
    }
    const int64_t taps = samples * 4;
    KILN_ONNX_CHECK(r * oh * ow * taps <= kMaxGeneratedElements / 4, kUNSUPPORTED_NODE, "too many sample points");
    ShapedWeights index = makeWeights(node.arena(), DataType::kINT32, {r, 1, oh * ow * taps});
    ShapedWeights weight = makeWeights(node.arena(), DataType::kFLOAT, {r, 1, oh * ow * taps});
    for (int64_t k = 0; k < r; ++k)
    {
        const Roi& g = geometry[static_cast<size_t>(k)];
        const double count = static_cast<double>(g.gh * g.gw);
        for (int64_t bin = 0; bin < oh * ow; ++bin)
        {
            const int64_t ph = bin / ow, pw = bin % ow;
            for (int64_t s = 0; s < samples; ++s)
            {
                const bool real = s < g.gh * g.gw;
                const int64_t iy = (real ? s : 0) / g.gw, ix = (real ? s : 0) % g.gw;
                double y = g.y0 + ph * g.binH + (iy + 0.5) * g.binH / g.gh;
                double xx = g.x0 + pw * g.binW + (ix + 0.5) * g.binW / g.gw;
                int64_t idx[4] = {0, 0, 0, 0};
                double wt[4] = {0, 0, 0, 0};
                if (!(y < -1.0 || y > h || xx < -1.0 || xx > w))
                {
                    y = std::max(y, 0.0);
                    xx = std::max(xx, 0.0);
                    int64_t yl = static_cast<int64_t>(y), xl = static_cast<int64_t>(xx), yh, xh;
                    if (yl >= h - 1)
                        yh = yl = h - 1, y = static_cast<double>(yl);
                    else
                        yh = yl + 1;
                    if (xl >= w - 1)
                        xh = xl = w - 1, xx = static_cast<double>(xl);
                    else
                        xh = xl + 1;
                    const double ly = y - yl, lx = xx - xl, hy = 1 - ly, hx = 1 - lx;
                    const int64_t at[4] = {yl * w + xl, yl * w + xh, yh * w + xl, yh * w + xh};
                    const double by[4] = {hy * hx, hy * lx, ly * hx, ly * lx};
                    for (int q = 0; q < 4; ++q)
                    {
                        idx[q] = at[q];
                        wt[q] = by[q] / (mode == "avg" ? count : 1.0) * (mode == "avg" && !real ? 0.0 : 1.0);
                    }
                }
                for (int q = 0; q < 4; ++q)
                {
                    const int64_t p = (k * oh * ow + bin) * taps + s * 4 + q;
                    index.set(p, static_cast<double>(idx[q]));
                    weight.set(p, wt[q]);
                }
            }
        }
    }
    // [N, C, H·W] -> the regions' images [R, C, H·W] -> taps [R, C, bins·taps].
    ITensor* data = reshape(node.ctx, x, Dims{3, {0, static_cast<int32_t>(c), static_cast<int32_t>(h * w)}, {}}, true);
    ITensor* perRoi = nullptr;
    ITensor* batchIndices = intConstant(node.ctx, batch);
    if (data && batchIndices)
        if (nvinfer1::IGatherLayer* g = node.network().addGather(*data, *batchIndices, 0))
            perRoi = g->getOutput(0);
    ShapedWeights zeros = makeWeights(node.arena(), DataType::kINT32, {1, c, 1});
    ITensor* indices = elementwise(node.ctx, node.ctx.constant(index), node.ctx.constant(zeros), ElementWiseOperation::kSUM);
    KILN_ONNX_NOT_NULL(perRoi && indices ? perRoi : nullptr);
    nvinfer1::IGatherLayer* g = node.network().addGatherV2(*perRoi, *indices, nvinfer1::GatherMode::kELEMENT);
    KILN_ONNX_NOT_NULL(g);
    g->setGatherAxis(2);
    ITensor* weighted = elementwise(node.ctx, g->getOutput(0), node.ctx.constant(weight), ElementWiseOperation::kPROD);
    ITensor* grouped = reshape(node.ctx, weighted,
        Dims{5, {static_cast<int32_t>(r), static_cast<int32_t>(c), static_cast<int32_t>(oh * ow), static_cast<int32_t>(samples), 4}, {}});
    ITensor* out = nullptr;
    if (grouped)
        if (nvinfer1::IReduceLayer* perSample = node.network().addReduce(*grouped, nvinfer1::ReduceOperation::kSUM, 1u << 4, false))
            if (nvinfer1::IReduceLayer* perBin = node.network().addReduce(
                    *perSample->getOutput(0), mode == "avg" ? nvinfer1::ReduceOperation::kSUM : nvinfer1::ReduceOperation::kMAX, 1u << 3, false))
                out = perBin->getOutput(0);
    return single(reshape(node.ctx, out, Dims{4, {static_cast<int32_t>(r), static_cast<int32_t>(c), static_cast<int32_t>(oh), static_cast<int32_t>(ow)}, {}}));
}

KILN_ONNX_IMPORTER(NonMaxSuppression)
{
    KILN_ONNX_ASSIGN(std::vector<float> boxes, node.constFloats(0, "boxes (its output shape depends on the data)"));
    KILN_ONNX_ASSIGN(std::vector<float> scores, node.constFloats(1, "scores (its output shape depends on the data)"));
    const Dims bd = node.input(0).dims(), sd = node.input(1).dims();
    KILN_ONNX_CHECK(bd.nbDims == 3 && bd.d[2] == 4 && sd.nbDims == 3 && sd.d[0] == bd.d[0] && sd.d[2] == bd.d[1], kINVALID_NODE,
        "boxes must be [B, S, 4] and scores [B, C, S]");
    int64_t maxPerClass = 0;
    float iouThreshold = 0.f;
    bool hasScoreThreshold = false;
    float scoreThreshold = 0.f;
    if (node.has(2))
    {
        KILN_ONNX_ASSIGN(std::vector<int64_t> v, node.constInts(2, "max_output_boxes_per_class"));
        maxPerClass = v.empty() ? 0 : v[0];
    }
    if (node.has(3))
    {
        KILN_ONNX_ASSIGN(std::vector<float> v, node.constFloats(3, "iou_threshold"));
        iouThreshold = v.empty() ? 0.f : v[0];
    }
    if (node.has(4))
    {
        KILN_ONNX_ASSIGN(std::vector<float> v, node.constFloats(4, "score_threshold"));
        hasScoreThreshold = !v.empty();
        scoreThreshold = hasScoreThreshold ? v[0] : 0.f;
    }
    const bool centered = node.attrs.i("center_point_box", 0) != 0;
    const int64_t nb = bd.d[0], ns = bd.d[1], nc = sd.d[1];
    // Corners (y1, x1, y2, x2) ordered min/max, whatever the format.
    const auto corners = [&](int64_t b, int64_t i, double out[4]) {
        const float* p = &boxes[static_cast<size_t>((b * ns + i) * 4)];
        if (centered)
        {
            out[0] = p[1] - p[3] / 2.0, out[1] = p[0] - p[2] / 2.0, out[2] = p[1] + p[3] / 2.0, out[3] = p[0] + p[2] / 2.0;
            return;
        }
        out[0] = std::min(p[0], p[2]), out[1] = std::min(p[1], p[3]), out[2] = std::max(p[0], p[2]), out[3] = std::max(p[1], p[3]);
    };
    const auto iou = [&](int64_t b, int64_t i, int64_t j) {
        double a[4], c[4];
        corners(b, i, a);
        corners(b, j, c);
        const double ih = std::max(0.0, std::min(a[2], c[2]) - std::max(a[0], c[0]));
        const double iw = std::max(0.0, std::min(a[3], c[3]) - std::max(a[1], c[1]));
        const double inter = ih * iw;
        const double uni = (a[2] - a[0]) * (a[3] - a[1]) + (c[2] - c[0]) * (c[3] - c[1]) - inter;
        return uni <= 0 ? 0.0 : inter / uni;
    };
    std::vector<int64_t> selected;
    for (int64_t b = 0; b < nb; ++b)
        for (int64_t cl = 0; cl < nc; ++cl)
        {
            const float* s = &scores[static_cast<size_t>((b * nc + cl) * ns)];
            std::vector<int64_t> order;
            for (int64_t i = 0; i < ns; ++i)
                if (!hasScoreThreshold || s[i] > scoreThreshold)
                    order.push_back(i);
            std::stable_sort(order.begin(), order.end(), [&](int64_t i, int64_t j) { return s[i] > s[j]; });
            std::vector<int64_t> kept;
            for (int64_t i : order)
            {
                if (static_cast<int64_t>(kept.size()) >= maxPerClass)
                    break;
                if (std::all_of(kept.begin(), kept.end(), [&](int64_t k) { return iou(b, i, k) <= iouThreshold; }))
                    kept.push_back(i);
            }
            for (int64_t i : kept)
                selected.insert(selected.end(), {b, cl, i});
        }
    ShapedWeights out = makeWeights(node.arena(), DataType::kINT32, {static_cast<int64_t>(selected.size() / 3), 3});
    for (size_t i = 0; i < selected.size(); ++i)
        out.set(static_cast<int64_t>(i), static_cast<double>(selected[i]));
    return Outputs{Value::of(out)};
}

} // namespace kiln::onnx
