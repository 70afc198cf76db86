// Operators computed at parse time or composed from basic layers: the window functions and
// MelWeightMatrix, Compress, ReverseSequence, Unique, Det and TfIdfVectorizer over integer n-grams.
#include "op_utils.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

namespace kiln::onnx
{
namespace
{

using nvinfer1::DataType;
using nvinfer1::Dims;
using nvinfer1::ElementWiseOperation;
using nvinfer1::ITensor;
using nvinfer1::ReduceOperation;
using nvinfer1::UnaryOperation;
using TP = ::onnx::TensorProto;

enum class WindowKind
{
    kHANN,
    kHAMMING,
    kBLACKMAN
};

OnnxExpected<Outputs> windowFunction(Node& node, WindowKind kind)
{
    KILN_ONNX_ASSIGN(int64_t size, constScalarInt(node, 0, "size"));
    KILN_ONNX_CHECK(size >= 0 && size <= (int64_t{1} << 28), kINVALID_NODE,
        "size " + std::to_string(size) + " is out of range");
    KILN_ONNX_ASSIGN(DataType type, outputDatatype(node));
    const bool periodic = node.attrs.i("periodic", 1) != 0;
    const double denominator = static_cast<double>(periodic ? size : size - 1);
    ShapedWeights w = makeWeights(node.arena(), type, {size});
    for (int64_t n = 0; n < size; ++n)
    {
        // A symmetric window of one element divides 0 by 0: it is [1], as in PyTorch.
        if (denominator <= 0)
        {
            w.set(n, 1.0);
            continue;
        }
        const double phase = 2.0 * kPi * static_cast<double>(n) / denominator;
        double v = 0.0;
        switch (kind)
        {
        case WindowKind::kHANN: v = 0.5 - 0.5 * std::cos(phase); break;
        case WindowKind::kHAMMING:
        {
            const double alpha = 25.0 / 46.0;
            v = alpha - (1.0 - alpha) * std::cos(phase);
            break;
        }
        case WindowKind::kBLACKMAN: v = 0.42 - 0.5 * std::cos(phase) + 0.08 * std::cos(2.0 * phase); break;
        }
        w.set(n, v);
    }
    return Outputs{Value::of(w)};
}

// ---- Det ----

//! Determinants by Laplace expansion along the first row, memoized on the set of columns left.
class Determinant
{
public:
    Determinant(ImporterContext& ctx, std::vector<std::vector<ITensor*>> elements)
        : mCtx(ctx)
        , mE(std::move(elements))
        , mM(static_cast<int32_t>(mE.size()))
    {
    }
    ITensor* compute() { return minor((1u << mM) - 1u); }

private:
    //! The determinant of the last popcount(cols) rows restricted to the columns \p cols.
    ITensor* minor(uint32_t cols)
    {
        auto it = mMemo.find(cols);
        if (it != mMemo.end())
            return it->second;
        int32_t left = 0;
        for (uint32_t c = cols; c; c &= c - 1)
            ++left;
        const int32_t row = mM - left;
        ITensor* result = nullptr;
        int32_t position = 0;
        for (int32_t c = 0; c < mM; ++c)
        {
            if (!(cols & (1u << c)))
                continue;
            ITensor* term = mE[static_cast<size_t>(row)][static_cast<size_t>(c)];
            const uint32_t rest = cols & ~(1u << c);
            if (rest)
                term = elementwise(mCtx, term, minor(rest), ElementWiseOperation::kPROD);
            if (!result)
                result = position % 2 ? unary(mCtx, term, UnaryOperation::kNEG) : term;
            else
                result = elementwise(mCtx, result, term, position % 2 ? ElementWiseOperation::kSUB : ElementWiseOperation::kSUM);
            if (!result)
                return nullptr;
            ++position;
        }
        mMemo[cols] = result;
        return result;
    }

    ImporterContext& mCtx;
    std::vector<std::vector<ITensor*>> mE;
    int32_t mM;
    std::map<uint32_t, ITensor*> mMemo;
};

constexpr int32_t kMaxDetSize = 6;

// ---- Unique ----

//! Lexicographic order of the slices of a constant along one axis.
struct Slices
{
    const ShapedWeights& w;
    int64_t n, outer, inner;
    double at(int64_t slice, int64_t k) const { return w.at(((k / inner) * n + slice) * inner + k % inner); }
    int64_t length() const { return outer * inner; }
    int compare(int64_t a, int64_t b) const
    {
        for (int64_t k = 0; k < length(); ++k)
        {
            const double x = at(a, k), y = at(b, k);
            if (x < y)
                return -1;
            if (x > y)
                return 1;
        }
        return 0;
    }
};

} // namespace


KILN_ONNX_IMPORTER(HannWindow) { return windowFunction(node, WindowKind::kHANN); }
KILN_ONNX_IMPORTER(HammingWindow) { return windowFunction(node, WindowKind::kHAMMING); }
KILN_ONNX_IMPORTER(BlackmanWindow) { return windowFunction(node, WindowKind::kBLACKMAN); }

KILN_ONNX_IMPORTER(MelWeightMatrix)
{
    KILN_ONNX_ASSIGN(int64_t numMelBins, constScalarInt(node, 0, "num_mel_bins"));
    KILN_ONNX_ASSIGN(int64_t dftLength, constScalarInt(node, 1, "dft_length"));
    KILN_ONNX_ASSIGN(int64_t sampleRate, constScalarInt(node, 2, "sample_rate"));
    KILN_ONNX_ASSIGN(std::vector<float> lower, node.constFloats(3, "lower_edge_hertz"));
    KILN_ONNX_ASSIGN(std::vector<float> upper, node.constFloats(4, "upper_edge_hertz"));
    KILN_ONNX_CHECK(lower.size() == 1 && upper.size() == 1, kINVALID_NODE, "the edge frequencies must be scalars");
    KILN_ONNX_CHECK(numMelBins > 0 && numMelBins <= (1 << 16) && dftLength > 0 && dftLength <= (1 << 24) && sampleRate > 0,
        kINVALID_NODE, "num_mel_bins, dft_length and sample_rate must be positive (and of sensible size)");
    KILN_ONNX_ASSIGN(DataType type, outputDatatype(node));
    const int64_t spectrogramBins = dftLength / 2 + 1;
    // numMelBins + 2 edges evenly spaced on the mel scale, mapped back to spectrogram bins.
    auto toMel = [](double hz) { return 2595.0 * std::log10(1.0 + hz / 700.0); };
    const double lowMel = toMel(lower[0]);
    const double highMel = toMel(upper[0]);
    const int64_t nbEdges = numMelBins + 2;
    const double step = (highMel - lowMel) / static_cast<double>(nbEdges);
    std::vector<int64_t> bins(static_cast<size_t>(nbEdges));
    for (int64_t i = 0; i < nbEdges; ++i)
    {
        const double hz = 700.0 * (std::pow(10.0, (static_cast<double>(i) * step + lowMel) / 2595.0) - 1.0);
        bins[static_cast<size_t>(i)] = static_cast<int64_t>(std::floor(static_cast<double>(dftLength + 1) * hz / static_cast<double>(sampleRate)));
    }
    KILN_ONNX_ASSIGN(ShapedWeights w, makeGeneratedWeights(node.arena(), type, {spectrogramBins, numMelBins}));
    auto put = [&](int64_t row, int64_t col, double v) -> OnnxStatus {
        KILN_ONNX_CHECK(row >= 0 && row < spectrogramBins, kINVALID_NODE,
            "the mel edges fall outside the spectrogram's bins: check the edge frequencies and sample_rate");
        w.set(row * numMelBins + col, v);
        return OnnxStatus::ok();
    };
    for (int64_t i = 0; i < numMelBins; ++i)
    {
        const int64_t left = bins[static_cast<size_t>(i)], center = bins[static_cast<size_t>(i + 1)], right = bins[static_cast<size_t>(i + 2)];
        if (center == left)
            KILN_ONNX_RETURN_IF_ERROR(put(center, i, 1.0));
        else
            for (int64_t j = left; j <= center; ++j)
                KILN_ONNX_RETURN_IF_ERROR(put(j, i, static_cast<double>(j - left) / static_cast<double>(center - left)));
        for (int64_t j = center; j < right; ++j)
            KILN_ONNX_RETURN_IF_ERROR(put(j, i, static_cast<double>(right - j) / static_cast<double>(right - center)));
    }
    return Outputs{Value::of(w)};
}

KILN_ONNX_IMPORTER(Compress)
{
    KILN_ONNX_CHECK(node.has(0) && node.has(1), kINVALID_NODE, "needs the input and the condition");
    KILN_ONNX_CHECK(node.input(1).isWeights(), kUNSUPPORTED_NODE,
        "the condition (input 1) must be a constant: the output's shape depends on it");
    KILN_ONNX_CHECK(node.input(1).rank() == 1, kINVALID_NODE, "the condition must be 1-D");
    const std::vector<int64_t> condition = node.input(1).weights().ints();
    ITensor* x = node.tensor(0);
    KILN_ONNX_NOT_NULL(x);
    const Dims d = x->getDimensions();
    int64_t axis = 0;
    int64_t extent = -1;
    if (node.attrs.has("axis"))
    {
        axis = node.attrs.i("axis", 0);
        KILN_ONNX_CHECK(normalizeAxis(axis, d.nbDims), kINVALID_NODE, "axis is out of range");
        extent = d.d[axis];
    }
    else
    {
        // Without an axis the input is flattened first.
        extent = isStatic(d) ? volume(d) : -1;
        x = reshape(node.ctx, x, isStatic(d) ? Dims{1, {static_cast<int32_t>(extent)}, {}} : Dims{1, {-1}, {}});
        KILN_ONNX_NOT_NULL(x);
    }
    std::vector<int64_t> picked;
    for (size_t i = 0; i < condition.size(); ++i)
        if (condition[i] != 0)
        {
            KILN_ONNX_CHECK(extent < 0 || static_cast<int64_t>(i) < extent, kINVALID_NODE,
                "the condition selects index " + std::to_string(i) + " beyond the axis extent " + std::to_string(extent));
            picked.push_back(static_cast<int64_t>(i));
        }
    ITensor* indices = intConstant(node.ctx, picked);
    KILN_ONNX_NOT_NULL(indices);
    nvinfer1::IGatherLayer* l = node.network().addGather(*x, *indices, static_cast<int32_t>(axis));
    KILN_ONNX_NOT_NULL(l);
    return Outputs{Value::of(l->getOutput(0))};
}

KILN_ONNX_IMPORTER(ReverseSequence)
{
    KILN_ONNX_CHECK(node.has(0) && node.has(1), kINVALID_NODE, "needs the input and sequence_lens");
    KILN_ONNX_ASSIGN(std::vector<int64_t> lengths, node.constInts(1, "sequence_lens"));
    ITensor* x = node.tensor(0);
    KILN_ONNX_NOT_NULL(x);
    const Dims d = x->getDimensions();
    KILN_ONNX_CHECK(d.nbDims >= 2, kINVALID_NODE, "the input must have rank 2 or more");
    KILN_ONNX_CHECK(isStatic(d), kUNSUPPORTED_NODE, "the input's shape must be static, not " + dimsString(d));
    const int64_t batchAxis = node.attrs.i("batch_axis", 1);
    const int64_t timeAxis = node.attrs.i("time_axis", 0);
    KILN_ONNX_CHECK((batchAxis == 0 || batchAxis == 1) && (timeAxis == 0 || timeAxis == 1) && batchAxis != timeAxis,
        kINVALID_NODE, "batch_axis and time_axis must be 0 and 1 in some order");
    const int64_t batch = d.d[batchAxis], time = d.d[timeAxis];
    KILN_ONNX_CHECK(static_cast<int64_t>(lengths.size()) == batch, kINVALID_NODE,
        "sequence_lens holds " + std::to_string(lengths.size()) + " values for a batch of " + std::to_string(batch));
    for (int64_t len : lengths)
        KILN_ONNX_CHECK(len >= 0 && len <= time, kINVALID_NODE,
            "sequence length " + std::to_string(len) + " is outside [0, " + std::to_string(time) + "]");
    // Each element reads the time step len - 1 - t of its batch entry when t < len, else its own.
    const std::vector<int64_t> shape = dimsVector(d);
    const std::vector<int64_t> strides = stridesOf(shape);
    ShapedWeights index = makeWeights(node.arena(), DataType::kINT32, shape);
    for (int64_t i = 0; i < index.count(); ++i)
    {
        const int64_t b = (i / strides[static_cast<size_t>(batchAxis)]) % batch;
        const int64_t t = (i / strides[static_cast<size_t>(timeAxis)]) % time;
        const int64_t len = lengths[static_cast<size_t>(b)];
        index.set(i, static_cast<double>(t < len ? len - 1 - t : t));
    }
    ITensor* indices = node.ctx.constant(index);
    KILN_ONNX_NOT_NULL(indices);
    nvinfer1::IGatherLayer* l = node.network().addGatherV2(*x, *indices, nvinfer1::GatherMode::kELEMENT);
    KILN_ONNX_NOT_NULL(l);
    l->setGatherAxis(static_cast<int32_t>(timeAxis));
    return Outputs{Value::of(l->getOutput(0))};
}

KILN_ONNX_IMPORTER(Unique)
{
    KILN_ONNX_CHECK(node.has(0) && node.input(0).isWeights(), kUNSUPPORTED_NODE,
        "the input X (input 0) must be a constant: the output's shape depends on its values");
    const ShapedWeights& x = node.input(0).weights();
    const bool sorted = node.attrs.i("sorted", 1) != 0;
    std::vector<int64_t> shape = x.shape;
    int64_t axis = 0;
    if (node.attrs.has("axis"))
    {
        axis = node.attrs.i("axis", 0);
        KILN_ONNX_CHECK(normalizeAxis(axis, static_cast<int32_t>(shape.size())), kINVALID_NODE, "axis is out of range");
    }
    else
        shape = {x.count()};
    const int64_t n = shape[static_cast<size_t>(axis)];
    int64_t outer = 1, inner = 1;
    for (size_t i = 0; i < shape.size(); ++i)
    {
        if (static_cast<int64_t>(i) < axis)
            outer *= shape[i];
        else if (static_cast<int64_t>(i) > axis)
            inner *= shape[i];
    }
    const Slices slices{x, n, outer, inner};

    // Group equal slices: a stable sort keeps each group's first occurrence first.
    std::vector<int64_t> order(static_cast<size_t>(n));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return slices.compare(a, b) < 0; });
    std::vector<int64_t> first;  // first occurrence of each unique slice, in sorted order
    std::vector<int64_t> counts;
    std::vector<int64_t> group(static_cast<size_t>(n)); // slice -> unique number (sorted order)
    for (size_t k = 0; k < order.size(); ++k)
    {
        if (k == 0 || slices.compare(order[k - 1], order[k]) != 0)
        {
            first.push_back(order[k]);
            counts.push_back(0);
        }
        ++counts.back();
        group[static_cast<size_t>(order[k])] = static_cast<int64_t>(first.size()) - 1;
    }
    const int64_t u = static_cast<int64_t>(first.size());
    // rank[g]: the output position of unique number g (sorted, or by first occurrence).
    std::vector<int64_t> position(static_cast<size_t>(u));
    std::iota(position.begin(), position.end(), 0);
    if (!sorted)
    {
        std::vector<int64_t> byFirst(static_cast<size_t>(u));
        std::iota(byFirst.begin(), byFirst.end(), 0);
        std::sort(byFirst.begin(), byFirst.end(), [&](int64_t a, int64_t b) { return first[static_cast<size_t>(a)] < first[static_cast<size_t>(b)]; });
        for (int64_t p = 0; p < u; ++p)
            position[static_cast<size_t>(byFirst[static_cast<size_t>(p)])] = p;
    }

    std::vector<int64_t> yShape = shape;
    yShape[static_cast<size_t>(axis)] = u;
    ShapedWeights y = makeWeights(node.arena(), x.type, yShape);
    ShapedWeights indices = makeWeights(node.arena(), DataType::kINT32, {u});
    ShapedWeights inverse = makeWeights(node.arena(), DataType::kINT32, {n});
    ShapedWeights countW = makeWeights(node.arena(), DataType::kINT32, {u});
    for (int64_t g = 0; g < u; ++g)
    {
        const int64_t p = position[static_cast<size_t>(g)];
        const int64_t src = first[static_cast<size_t>(g)];
        indices.set(p, static_cast<double>(src));
        countW.set(p, static_cast<double>(counts[static_cast<size_t>(g)]));
        for (int64_t k = 0; k < slices.length(); ++k)
            y.set(((k / inner) * u + p) * inner + k % inner, slices.at(src, k));
    }
    for (int64_t i = 0; i < n; ++i)
        inverse.set(i, static_cast<double>(position[static_cast<size_t>(group[static_cast<size_t>(i)])]));
    return Outputs{Value::of(y), Value::of(indices), Value::of(inverse), Value::of(countW)};
}

KILN_ONNX_IMPORTER(Det)
{
    ITensor* x = node.tensor(0);
    KILN_ONNX_NOT_NULL(x);
    KILN_ONNX_CHECK(x->getType() == DataType::kFLOAT, kINVALID_NODE, "the input must be floating point");
    const Dims d = x->getDimensions();
    KILN_ONNX_CHECK(d.nbDims >= 2, kINVALID_NODE, "the input must have shape [*, M, M]");
    const int32_t m = d.d[d.nbDims - 1];
    KILN_ONNX_CHECK(m >= 1 && d.d[d.nbDims - 2] == m, kUNSUPPORTED_NODE,
        "the matrices must be square with a static size, not " + dimsString(d));
    KILN_ONNX_CHECK(m <= kMaxDetSize, kUNSUPPORTED_NODE,
        "determinants of matrices larger than " + std::to_string(kMaxDetSize) + "x" + std::to_string(kMaxDetSize)
            + " are not supported (the input is " + std::to_string(m) + "x" + std::to_string(m) + ")");
    // Element (i, j) of every matrix: gather row i, then column j.
    std::vector<std::vector<ITensor*>> e(static_cast<size_t>(m));
    for (int32_t i = 0; i < m; ++i)
    {
        ITensor* rowIndex = scalarConstant(node.ctx, DataType::kINT32, i);
        KILN_ONNX_NOT_NULL(rowIndex);
        nvinfer1::IGatherLayer* row = node.network().addGather(*x, *rowIndex, d.nbDims - 2);
        KILN_ONNX_NOT_NULL(row);
        for (int32_t j = 0; j < m; ++j)
        {
            ITensor* colIndex = scalarConstant(node.ctx, DataType::kINT32, j);
            KILN_ONNX_NOT_NULL(colIndex);
            nvinfer1::IGatherLayer* el = node.network().addGather(*row->getOutput(0), *colIndex, d.nbDims - 2);
            KILN_ONNX_NOT_NULL(el);
            e[static_cast<size_t>(i)].push_back(el->getOutput(0));
        }
    }
    ITensor* det = Determinant(node.ctx, std::move(e)).compute();
    KILN_ONNX_NOT_NULL(det);
    if (m == 1)
        det = identity(node.ctx, det);
    return single(det);
}

KILN_ONNX_IMPORTER(TfIdfVectorizer)
{
    ImporterContext& ctx = node.ctx;
    KILN_ONNX_CHECK(!node.attrs.has("pool_strings"), kUNSUPPORTED_NODE, "string n-grams (pool_strings) are not supported");
    ITensor* x = node.tensor(0);
    KILN_ONNX_NOT_NULL(x);
    KILN_ONNX_CHECK(x->getType() == DataType::kINT32, kUNSUPPORTED_NODE, "the input must hold integers");
    const Dims d = x->getDimensions();
    KILN_ONNX_CHECK((d.nbDims == 1 || d.nbDims == 2) && isStatic(d), kUNSUPPORTED_NODE,
        "the input must be [C] or [B, C] of static shape, not " + dimsString(d));
    const int64_t minGram = node.attrs.i("min_gram_length", 0);
    const int64_t maxGram = node.attrs.i("max_gram_length", 0);
    const int64_t maxSkip = node.attrs.i("max_skip_count", 0);
    const std::string mode = node.attrs.s("mode", "");
    KILN_ONNX_CHECK(mode == "TF" || mode == "IDF" || mode == "TFIDF", kINVALID_NODE, "mode must be TF, IDF or TFIDF, not '" + mode + "'");
    KILN_ONNX_CHECK(minGram >= 1 && maxGram >= minGram && maxSkip >= 0, kINVALID_NODE,
        "needs 1 <= min_gram_length <= max_gram_length and max_skip_count >= 0");
    const std::vector<int64_t> counts = node.attrs.ints("ngram_counts");
    const std::vector<int64_t> indexes = node.attrs.ints("ngram_indexes");
    const std::vector<int64_t> pool = node.attrs.ints("pool_int64s");
    const std::vector<float> weights = node.attrs.floats("weights");
    KILN_ONNX_CHECK(!indexes.empty(), kINVALID_NODE, "ngram_indexes is empty");
    const int64_t outputSize = *std::max_element(indexes.begin(), indexes.end()) + 1;
    KILN_ONNX_CHECK(weights.empty() || static_cast<int64_t>(weights.size()) >= outputSize, kINVALID_NODE,
        "weights must hold a value per output");

    // The pooled n-grams by size (each an output index and its items); a repeated n-gram counts
    // towards its last occurrence only.
    std::map<std::vector<int64_t>, int64_t> outputOf;
    int64_t gramNumber = 0;
    const int64_t total = static_cast<int64_t>(pool.size());
    for (size_t level = 0; level < counts.size(); ++level)
    {
        const int64_t n = static_cast<int64_t>(level) + 1;
        const int64_t begin = counts[level];
        const int64_t end = level + 1 < counts.size() ? counts[level + 1] : total;
        KILN_ONNX_CHECK(begin >= 0 && begin <= end && end <= total, kINVALID_NODE, "ngram_counts does not fit pool_int64s");
        for (int64_t g = 0; g < (end - begin) / n; ++g, ++gramNumber)
        {
            if (n < minGram || n > maxGram)
                continue;
            KILN_ONNX_CHECK(gramNumber < static_cast<int64_t>(indexes.size()), kINVALID_NODE, "ngram_indexes has too few entries");
            const int64_t out = indexes[static_cast<size_t>(gramNumber)];
            KILN_ONNX_CHECK(out >= 0, kINVALID_NODE, "ngram_indexes holds a negative index");
            outputOf[std::vector<int64_t>(pool.begin() + begin + g * n, pool.begin() + begin + (g + 1) * n)] = out;
        }
    }
    std::map<int64_t, std::vector<std::pair<std::vector<int64_t>, int64_t>>> bySize;
    for (const auto& [gram, out] : outputOf)
        bySize[static_cast<int64_t>(gram.size())].emplace_back(gram, out);

    const int64_t batch = d.nbDims == 2 ? d.d[0] : 1;
    const int64_t length = d.d[d.nbDims - 1];
    ITensor* rows = d.nbDims == 2 ? x : reshape(ctx, x, Dims{2, {1, static_cast<int32_t>(length)}, {}});
    KILN_ONNX_NOT_NULL(rows);
    // Per size n: the matches of every n-gram at every start, for each skip distance (1 only for
    // unigrams), summed over the starts: [B, G_n]; then mapped onto the outputs by a 0/1 matrix.
    std::vector<ITensor*> gramCounts;
    std::vector<int64_t> gramOutputs;
    for (const auto& [n, grams] : bySize)
    {
        const int64_t nbGrams = static_cast<int64_t>(grams.size());
        ITensor* sum = nullptr;
        for (int64_t skip = 1; skip <= (n == 1 ? 1 : maxSkip + 1); ++skip)
        {
            const int64_t starts = length - (n - 1) * skip;
            if (starts <= 0)
                break;
            ITensor* match = nullptr;
            for (int64_t k = 0; k < n; ++k)
            {
                nvinfer1::ISliceLayer* s = ctx.network().addSlice(*rows, Dims{2, {0, static_cast<int32_t>(k * skip)}, {}},
                    Dims{2, {static_cast<int32_t>(batch), static_cast<int32_t>(starts)}, {}}, Dims{2, {1, 1}, {}});
                KILN_ONNX_NOT_NULL(s);
                ShapedWeights item = makeWeights(node.arena(), DataType::kINT32, {1, 1, nbGrams});
                for (int64_t g = 0; g < nbGrams; ++g)
                    item.set(g, static_cast<double>(grams[static_cast<size_t>(g)].first[static_cast<size_t>(k)]));
                ITensor* eq = elementwise(ctx, unsqueeze(ctx, s->getOutput(0), {2}), ctx.constant(item), ElementWiseOperation::kEQUAL);
                match = match ? elementwise(ctx, match, eq, ElementWiseOperation::kAND) : eq;
                KILN_ONNX_NOT_NULL(match);
            }
            ITensor* ones = select(ctx, match, floatConst(ctx, 1.0, 3), floatConst(ctx, 0.0, 3));
            KILN_ONNX_NOT_NULL(ones);
            nvinfer1::IReduceLayer* r = ctx.network().addReduce(*ones, ReduceOperation::kSUM, 1u << 1, false);
            KILN_ONNX_NOT_NULL(r);
            sum = sum ? elementwise(ctx, sum, r->getOutput(0), ElementWiseOperation::kSUM) : r->getOutput(0);
            KILN_ONNX_NOT_NULL(sum);
        }
        if (!sum)
            continue;
        gramCounts.push_back(sum);
        for (const auto& gram : grams)
            gramOutputs.push_back(gram.second);
    }
    ITensor* frequencies = nullptr;
    if (gramCounts.empty())
    {
        KILN_ONNX_ASSIGN(ShapedWeights zeros, makeGeneratedWeights(node.arena(), DataType::kFLOAT, {batch, outputSize}));
        frequencies = ctx.constant(zeros);
    }
    else
    {
        KILN_ONNX_ASSIGN(ShapedWeights toOutput,
            makeGeneratedWeights(node.arena(), DataType::kFLOAT, {static_cast<int64_t>(gramOutputs.size()), outputSize}));
        for (size_t g = 0; g < gramOutputs.size(); ++g)
            toOutput.set(static_cast<int64_t>(g) * outputSize + gramOutputs[g], 1.0);
        frequencies = matmul(ctx, concat(ctx, gramCounts, 1), ctx.constant(toOutput));
    }
    KILN_ONNX_NOT_NULL(frequencies);
    ITensor* w = nullptr;
    if (!weights.empty())
    {
        ShapedWeights wv = makeWeights(node.arena(), DataType::kFLOAT, {1, outputSize});
        for (int64_t i = 0; i < outputSize; ++i)
            wv.set(i, weights[static_cast<size_t>(i)]);
        w = ctx.constant(wv);
    }
    ITensor* out = frequencies;
    if (mode == "IDF")
    {
        ITensor* seen = elementwise(ctx, frequencies, floatConst(ctx, 0.0, 2), ElementWiseOperation::kGREATER);
        out = select(ctx, seen, w ? w : floatConst(ctx, 1.0, 2), floatConst(ctx, 0.0, 2));
    }
    else if (mode == "TFIDF" && w)
        out = elementwise(ctx, frequencies, w, ElementWiseOperation::kPROD);
    if (d.nbDims == 1)
        out = reshape(ctx, out, Dims{1, {static_cast<int32_t>(outputSize)}, {}});
    return single(out);
}

} // namespace kiln::onnx
