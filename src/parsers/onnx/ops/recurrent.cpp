// Recurrent operators: RNN, GRU and LSTM, unrolled over their (static) sequence length into
// MatrixMultiply, ElementWise, Activation and Select layers. Per direction and gate the input
// projection X·Wᵀ + biases is computed once for all time steps; each step adds H·Rᵀ and applies
// the gate activations. An absent initial state is a known zero: the first step skips its terms.
// sequence_lens other than the full length masks the steps past each sequence's end (the state
// is kept, Y is 0), which also gives ONNX's per-sequence reversal for the reverse direction.
#include "helpers.h"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace kiln::onnx
{
namespace
{

using nvinfer1::ActivationType;
using nvinfer1::DataType;
using nvinfer1::Dims;
using nvinfer1::ElementWiseOperation;
using nvinfer1::ITensor;

enum class Cell
{
    kRNN,
    kGRU,
    kLSTM
};

//! One activation function of the activations attribute, with its alpha and beta.
struct Activation
{
    std::string name; //!< lower case
    float alpha{0.f};
    float beta{0.f};
};

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

//! Reads activations, activation_alpha and activation_beta: \p perDirection functions for each of
//! \p nbDirections directions. Alphas and betas are consumed in order by the functions that take
//! them; the others use the defaults of the corresponding ONNX operators.
OnnxExpected<std::vector<Activation>> readActivations(
    Node& node, int32_t perDirection, int32_t nbDirections, const std::vector<std::string>& defaults)
{
    std::vector<std::string> names;
    for (const auto& a : node.proto.attribute())
        if (a.name() == "activations")
            names.assign(a.strings().begin(), a.strings().end());
    if (names.empty())
        for (int32_t d = 0; d < nbDirections; ++d)
            names.insert(names.end(), defaults.begin(), defaults.end());
    else if (static_cast<int32_t>(names.size()) == perDirection && nbDirections == 2)
        names.insert(names.end(), names.begin(), names.end());
    KILN_ONNX_CHECK(static_cast<int32_t>(names.size()) == perDirection * nbDirections, kINVALID_NODE,
        "activations has " + std::to_string(names.size()) + " functions, expected " + std::to_string(perDirection)
            + " per direction");
    const std::vector<float> alphas = node.attrs.floats("activation_alpha");
    const std::vector<float> betas = node.attrs.floats("activation_beta");
    size_t nextAlpha = 0, nextBeta = 0;
    auto alpha = [&](float fallback) { return nextAlpha < alphas.size() ? alphas[nextAlpha++] : fallback; };
    auto beta = [&](float fallback) { return nextBeta < betas.size() ? betas[nextBeta++] : fallback; };
    std::vector<Activation> out;
    for (const std::string& n : names)
    {
        Activation a{lower(n)};
        if (a.name == "relu" || a.name == "tanh" || a.name == "sigmoid" || a.name == "softsign" || a.name == "softplus")
        {
        }
        else if (a.name == "leakyrelu")
            a.alpha = alpha(0.01f);
        else if (a.name == "thresholdedrelu" || a.name == "elu")
            a.alpha = alpha(1.f);
        else if (a.name == "scaledtanh")
        {
            a.alpha = alpha(1.f);
            a.beta = beta(1.f);
        }
        else if (a.name == "hardsigmoid")
        {
            a.alpha = alpha(0.2f);
            a.beta = beta(0.5f);
        }
        else if (a.name == "affine")
        {
            a.alpha = alpha(1.f);
            a.beta = beta(0.f);
        }
        else
            return KILN_ONNX_ERROR(kUNSUPPORTED_NODE,
                "activation function '" + n + "' is not supported (Kiln supports Relu, Tanh, Sigmoid, Affine, LeakyRelu, "
                    + "ThresholdedRelu, ScaledTanh, HardSigmoid, Elu, Softsign and Softplus)");
        out.push_back(a);
    }
    return out;
}

//! The step's layers. A layer the network refuses is remembered (failed()), so that a missing
//! tensor is never mistaken for an absent (zero) term.
class Builder
{
public:
    explicit Builder(Node& node)
        : mNode(node)
        , mCtx(node.ctx)
    {
    }

    bool failed() const { return mFailed; }
    ITensor* note(ITensor* t)
    {
        mFailed = mFailed || !t;
        return t;
    }

    ITensor* add(ITensor* a, ITensor* b) { return note(elementwise(mCtx, a, b, ElementWiseOperation::kSUM)); }
    ITensor* sub(ITensor* a, ITensor* b) { return note(elementwise(mCtx, a, b, ElementWiseOperation::kSUB)); }
    ITensor* mul(ITensor* a, ITensor* b) { return note(elementwise(mCtx, a, b, ElementWiseOperation::kPROD)); }
    //! a + b where b may be absent (a zero term).
    ITensor* plus(ITensor* a, ITensor* b) { return b ? add(a, b) : note(a); }
    ITensor* one() { return mOne ? mOne : (mOne = note(scalarConstant(mCtx, DataType::kFLOAT, 1.0, 2))); }
    ITensor* zero() { return mZero ? mZero : (mZero = note(scalarConstant(mCtx, DataType::kFLOAT, 0.0, 2))); }

    //! Element \p index of axis 0 of \p x (that axis removed).
    ITensor* take(ITensor* x, int64_t index)
    {
        ITensor* idx = note(scalarConstant(mCtx, DataType::kINT32, static_cast<double>(index), 0));
        if (!x || !idx)
            return note(nullptr);
        nvinfer1::IGatherLayer* g = mNode.network().addGather(*x, *idx, 0);
        return note(g ? g->getOutput(0) : nullptr);
    }

    //! a · bᵀ.
    ITensor* matmulT(ITensor* a, ITensor* b)
    {
        if (!a || !b)
            return note(nullptr);
        nvinfer1::IMatrixMultiplyLayer* l = mNode.network().addMatrixMultiply(
            *a, nvinfer1::MatrixOperation::kNONE, *b, nvinfer1::MatrixOperation::kTRANSPOSE);
        return note(l ? l->getOutput(0) : nullptr);
    }

    ITensor* select(ITensor* c, ITensor* a, ITensor* b)
    {
        if (!c || !a || !b)
            return note(nullptr);
        nvinfer1::ISelectLayer* l = mNode.network().addSelect(*c, *a, *b);
        return note(l ? l->getOutput(0) : nullptr);
    }

    //! f(clip(x)).
    ITensor* apply(const Activation& f, ITensor* x, float clip)
    {
        if (clip > 0.f)
            x = note(activation(mCtx, x, ActivationType::kCLIP, -clip, clip));
        if (!x)
            return note(nullptr);
        if (f.name == "relu")
            return note(activation(mCtx, x, ActivationType::kRELU));
        if (f.name == "tanh")
            return note(activation(mCtx, x, ActivationType::kTANH));
        if (f.name == "sigmoid")
            return note(activation(mCtx, x, ActivationType::kSIGMOID));
        if (f.name == "softsign")
            return note(activation(mCtx, x, ActivationType::kSOFTSIGN));
        if (f.name == "softplus")
            return note(activation(mCtx, x, ActivationType::kSOFTPLUS, 1.f, 1.f));
        if (f.name == "leakyrelu")
            return note(activation(mCtx, x, ActivationType::kLEAKY_RELU, f.alpha));
        if (f.name == "thresholdedrelu")
            return note(activation(mCtx, x, ActivationType::kTHRESHOLDED_RELU, f.alpha));
        if (f.name == "elu")
            return note(activation(mCtx, x, ActivationType::kELU, f.alpha));
        if (f.name == "scaledtanh")
            return note(activation(mCtx, x, ActivationType::kSCALED_TANH, f.alpha, f.beta));
        if (f.name == "hardsigmoid")
            return note(activation(mCtx, x, ActivationType::kHARD_SIGMOID, f.alpha, f.beta));
        // affine: alpha·x + beta
        ITensor* a = note(scalarConstant(mCtx, DataType::kFLOAT, f.alpha, 2));
        ITensor* b = note(scalarConstant(mCtx, DataType::kFLOAT, f.beta, 2));
        return add(mul(x, a), b);
    }

private:
    Node& mNode;
    ImporterContext& mCtx;
    ITensor* mOne{nullptr};
    ITensor* mZero{nullptr};
    bool mFailed{false};
};

//! Rows [begin, begin + size) of direction \p d of a [directions, rows, cols] (W, R) or
//! [directions, rows] (B, P) input: a [size, cols] or [size] tensor.
OnnxExpected<ITensor*> block(Node& node, const Value& v, int64_t d, int64_t begin, int64_t size, const std::string& what)
{
    const Dims dims = v.dims();
    const bool matrix = dims.nbDims == 3;
    const int64_t cols = matrix ? dims.d[2] : 1;
    const std::vector<int64_t> shape = matrix ? std::vector<int64_t>{size, cols} : std::vector<int64_t>{size};
    if (v.isWeights())
    {
        const ShapedWeights& w = v.weights();
        KILN_ONNX_CHECK(w.type == DataType::kFLOAT, kUNSUPPORTED_NODE, what + " must be a float tensor");
        ShapedWeights out = makeWeights(node.arena(), DataType::kFLOAT, shape);
        const float* src = static_cast<const float*>(w.data) + (d * dims.d[1] + begin) * cols;
        std::memcpy(out.data, src, static_cast<size_t>(size * cols) * sizeof(float));
        ITensor* t = node.ctx.constant(out);
        KILN_ONNX_NOT_NULL(t);
        return t;
    }
    ITensor* x = v.tensor();
    std::vector<int64_t> start{d, begin}, extent{1, size}, stride{1, 1};
    if (matrix)
    {
        start.push_back(0);
        extent.push_back(cols);
        stride.push_back(1);
    }
    nvinfer1::ISliceLayer* s = node.network().addSlice(*x, makeDims(start), makeDims(extent), makeDims(stride));
    KILN_ONNX_NOT_NULL(s);
    ITensor* out = reshape(node.ctx, s->getOutput(0), makeDims(shape));
    KILN_ONNX_NOT_NULL(out);
    return out;
}

//! Checks that input \p i (when present) has static dims \p expected.
OnnxStatus checkShape(Node& node, int32_t i, const std::string& what, const std::vector<int64_t>& expected)
{
    if (!node.has(i))
        return OnnxStatus::ok();
    const Dims d = node.input(i).dims();
    KILN_ONNX_CHECK(node.input(i).type() == DataType::kFLOAT, kUNSUPPORTED_NODE, what + " must be a float tensor");
    bool ok = d.nbDims == static_cast<int32_t>(expected.size());
    for (int32_t k = 0; ok && k < d.nbDims; ++k)
        ok = expected[static_cast<size_t>(k)] < 0 ? true : d.d[k] == expected[static_cast<size_t>(k)];
    const bool anyExtent = std::count(expected.begin(), expected.end(), -1) != 0;
    KILN_ONNX_CHECK(ok, kINVALID_NODE, what + " has shape " + dimsString(d) + ", expected " + dimsString(makeDims(expected))
        + (anyExtent ? " (-1: any extent)" : ""));
    return OnnxStatus::ok();
}

OnnxExpected<Outputs> importRecurrent(Node& node, Cell cell)
{
    const int32_t nbGates = cell == Cell::kRNN ? 1 : cell == Cell::kGRU ? 3 : 4;
    const int32_t nbActivations = cell == Cell::kRNN ? 1 : cell == Cell::kGRU ? 2 : 3;
    const std::vector<std::string> defaults = cell == Cell::kRNN ? std::vector<std::string>{"Tanh"}
        : cell == Cell::kGRU                                     ? std::vector<std::string>{"Sigmoid", "Tanh"}
                                                                 : std::vector<std::string>{"Sigmoid", "Tanh", "Tanh"};
    KILN_ONNX_CHECK(node.has(0) && node.has(1) && node.has(2), kINVALID_NODE, "needs the inputs X, W and R");
    const std::string direction = node.attrs.s("direction", "forward");
    KILN_ONNX_CHECK(direction == "forward" || direction == "reverse" || direction == "bidirectional", kINVALID_NODE,
        "unknown direction '" + direction + "'");
    const int32_t nbDirections = direction == "bidirectional" ? 2 : 1;
    const int64_t layout = node.attrs.i("layout", 0);
    KILN_ONNX_CHECK(layout == 0 || layout == 1, kINVALID_NODE, "layout must be 0 or 1");
    const float clip = node.attrs.has("clip") ? node.attrs.f("clip", 0.f) : 0.f;
    KILN_ONNX_CHECK(!node.attrs.has("clip") || clip > 0.f, kINVALID_NODE, "clip must be positive");
    const bool linearBeforeReset = cell == Cell::kGRU && node.attrs.i("linear_before_reset", 0) != 0;
    const bool inputForget = cell == Cell::kLSTM && node.attrs.i("input_forget", 0) != 0;
    KILN_ONNX_ASSIGN(std::vector<Activation> acts, readActivations(node, nbActivations, nbDirections, defaults));

    // X as [seq, batch, input].
    ITensor* x = node.tensor(0);
    KILN_ONNX_NOT_NULL(x);
    KILN_ONNX_CHECK(x->getType() == DataType::kFLOAT, kUNSUPPORTED_NODE, "X must be a float tensor");
    KILN_ONNX_CHECK(x->getDimensions().nbDims == 3, kINVALID_NODE, "X must have rank 3");
    if (layout == 1)
        x = transpose(node.ctx, x, {1, 0, 2});
    KILN_ONNX_NOT_NULL(x);
    const Dims xd = x->getDimensions();
    const int64_t seq = xd.d[0];
    const int64_t batch = xd.d[1];
    KILN_ONNX_CHECK(seq > 0, kUNSUPPORTED_NODE,
        "the sequence length must be known when the network is built (Kiln unrolls the recurrence) and positive");
    constexpr int64_t kMaxSteps = 4096;
    KILN_ONNX_CHECK(seq <= kMaxSteps, kUNSUPPORTED_NODE,
        "Kiln unrolls the recurrence, up to " + std::to_string(kMaxSteps) + " steps; the sequence length is " + std::to_string(seq));
    const Dims rd = node.input(2).dims();
    KILN_ONNX_CHECK(rd.nbDims == 3 && rd.d[2] > 0, kINVALID_NODE, "R must have rank 3 with a static hidden size");
    const int64_t hidden = node.attrs.i("hidden_size", rd.d[2]);
    const int64_t inputSize = xd.d[2];
    KILN_ONNX_CHECK(inputSize > 0, kUNSUPPORTED_NODE, "the input size (last extent of X) must be static");
    const int64_t gh = nbGates * hidden;
    KILN_ONNX_RETURN_IF_ERROR(checkShape(node, 1, "W", {nbDirections, gh, inputSize}));
    KILN_ONNX_RETURN_IF_ERROR(checkShape(node, 2, "R", {nbDirections, gh, hidden}));
    KILN_ONNX_RETURN_IF_ERROR(checkShape(node, 3, "B", {nbDirections, 2 * gh}));
    const std::vector<int64_t> stateShape = layout == 0 ? std::vector<int64_t>{nbDirections, batch, hidden}
                                                        : std::vector<int64_t>{batch, nbDirections, hidden};
    KILN_ONNX_RETURN_IF_ERROR(checkShape(node, 5, "initial_h", stateShape));
    if (cell == Cell::kLSTM)
    {
        KILN_ONNX_RETURN_IF_ERROR(checkShape(node, 6, "initial_c", stateShape));
        KILN_ONNX_RETURN_IF_ERROR(checkShape(node, 7, "P", {nbDirections, 3 * hidden}));
    }

    // Initial states as [directions, batch, hidden].
    auto initialState = [&](int32_t i) -> ITensor* {
        if (!node.has(i))
            return nullptr;
        ITensor* s = node.tensor(i);
        return layout == 1 ? transpose(node.ctx, s, {1, 0, 2}) : s;
    };
    ITensor* initialH = initialState(5);
    ITensor* initialC = cell == Cell::kLSTM ? initialState(6) : nullptr;
    KILN_ONNX_CHECK(!node.has(5) || initialH, kINVALID_NODE, "the network refused a layer for initial_h");
    KILN_ONNX_CHECK(!node.has(6) || cell != Cell::kLSTM || initialC, kINVALID_NODE, "the network refused a layer for initial_c");

    // sequence_lens: masks are needed unless every sequence has the full length.
    ITensor* lengths = nullptr;
    if (node.has(4))
    {
        bool full = false;
        if (node.input(4).isWeights())
        {
            const std::vector<int64_t> lens = node.input(4).weights().ints();
            full = std::all_of(lens.begin(), lens.end(), [&](int64_t l) { return l == seq; });
        }
        if (!full)
        {
            ITensor* l = cast(node.ctx, node.tensor(4), DataType::kINT32);
            KILN_ONNX_NOT_NULL(l);
            KILN_ONNX_CHECK(l->getDimensions().nbDims == 1, kINVALID_NODE, "sequence_lens must have rank 1");
            lengths = unsqueeze(node.ctx, l, {1});
            KILN_ONNX_NOT_NULL(lengths);
        }
    }

    Builder b(node);
    // Per direction: the hidden state at each time step, and the final H and C.
    std::vector<std::vector<ITensor*>> ys(static_cast<size_t>(seq), std::vector<ITensor*>(static_cast<size_t>(nbDirections)));
    std::vector<ITensor*> finalH, finalC;
    for (int32_t d = 0; d < nbDirections; ++d)
    {
        const bool reverse = direction == "reverse" || d == 1;
        const Activation* f = &acts[static_cast<size_t>(d * nbActivations)];
        // Weights per gate, and the input projection of every time step: X·Wᵀ + Wb + Rb
        // ([seq, batch, hidden]); for GRU's linear_before_reset Rb of the hidden gate stays apart.
        std::vector<ITensor*> xg(static_cast<size_t>(nbGates)), rg(static_cast<size_t>(nbGates));
        ITensor* rbh = nullptr;
        for (int32_t g = 0; g < nbGates; ++g)
        {
            KILN_ONNX_ASSIGN(ITensor * w, block(node, node.input(1), d, g * hidden, hidden, "W"));
            KILN_ONNX_ASSIGN(ITensor * r, block(node, node.input(2), d, g * hidden, hidden, "R"));
            rg[static_cast<size_t>(g)] = r;
            ITensor* proj = b.matmulT(x, b.note(unsqueeze(node.ctx, w, {0})));
            if (node.has(3))
            {
                KILN_ONNX_ASSIGN(ITensor * wb, block(node, node.input(3), d, g * hidden, hidden, "B"));
                KILN_ONNX_ASSIGN(ITensor * rb, block(node, node.input(3), d, gh + g * hidden, hidden, "B"));
                if (linearBeforeReset && g == 2)
                {
                    rbh = rb;
                    proj = b.add(proj, wb);
                }
                else
                    proj = b.add(proj, b.add(wb, rb));
            }
            KILN_ONNX_CHECK(!b.failed(), kINVALID_NODE, "the network refused a layer (see the log above)");
            xg[static_cast<size_t>(g)] = proj;
        }
        std::vector<ITensor*> peep;
        if (cell == Cell::kLSTM && node.has(7))
            for (int32_t p = 0; p < 3; ++p)
            {
                KILN_ONNX_ASSIGN(ITensor * t, block(node, node.input(7), d, p * hidden, hidden, "P"));
                peep.push_back(t);
            }

        ITensor* h = initialH ? b.take(initialH, d) : nullptr;
        ITensor* c = initialC ? b.take(initialC, d) : nullptr;
        KILN_ONNX_CHECK(!initialH || h, kINVALID_NODE, "the network refused a layer for initial_h");
        KILN_ONNX_CHECK(!initialC || c, kINVALID_NODE, "the network refused a layer for initial_c");
        for (int64_t k = 0; k < seq; ++k)
        {
            const int64_t t = reverse ? seq - 1 - k : k;
            auto xAt = [&](int32_t g) { return b.take(xg[static_cast<size_t>(g)], t); };
            auto hR = [&](int32_t g) -> ITensor* { return h ? b.matmulT(h, rg[static_cast<size_t>(g)]) : nullptr; };
            ITensor* hNew = nullptr;
            ITensor* cNew = nullptr;
            if (cell == Cell::kRNN)
                hNew = b.apply(f[0], b.plus(xAt(0), hR(0)), clip);
            else if (cell == Cell::kGRU)
            {
                ITensor* z = b.apply(f[0], b.plus(xAt(0), hR(0)), clip);
                ITensor* r = b.apply(f[0], b.plus(xAt(1), hR(1)), clip);
                ITensor* pre = nullptr;
                if (linearBeforeReset)
                {
                    ITensor* inner = hR(2);
                    inner = inner ? b.plus(inner, rbh) : rbh;
                    pre = b.plus(xAt(2), inner ? b.mul(r, inner) : nullptr);
                }
                else
                    pre = b.plus(xAt(2), h ? b.matmulT(b.mul(r, h), rg[2]) : nullptr);
                ITensor* candidate = b.apply(f[1], pre, clip);
                hNew = b.plus(b.mul(b.sub(b.one(), z), candidate), h ? b.mul(z, h) : nullptr);
            }
            else
            {
                // Gates i, o, f, c; peepholes i, o, f.
                const bool hasPeep = !peep.empty();
                ITensor* i = b.apply(f[0], b.plus(b.plus(xAt(0), hR(0)), hasPeep && c ? b.mul(peep[0], c) : nullptr), clip);
                ITensor* fg = inputForget
                    ? b.sub(b.one(), i)
                    : b.apply(f[0], b.plus(b.plus(xAt(2), hR(2)), hasPeep && c ? b.mul(peep[2], c) : nullptr), clip);
                ITensor* cand = b.apply(f[1], b.plus(xAt(3), hR(3)), clip);
                cNew = b.plus(b.mul(i, cand), c ? b.mul(fg, c) : nullptr);
                ITensor* o = b.apply(f[0], b.plus(b.plus(xAt(1), hR(1)), hasPeep ? b.mul(peep[1], cNew) : nullptr), clip);
                hNew = b.mul(o, b.apply(f[2], cNew, 0.f));
            }
            ITensor* y = hNew;
            if (lengths)
            {
                // Steps at or past a sequence's length keep the state and output zeros.
                ITensor* step = scalarConstant(node.ctx, DataType::kINT32, static_cast<double>(t), 2);
                ITensor* valid = b.note(elementwise(node.ctx, step, lengths, ElementWiseOperation::kLESS));
                y = b.select(valid, hNew, b.zero());
                hNew = b.select(valid, hNew, h ? h : b.zero());
                if (cNew)
                    cNew = b.select(valid, cNew, c ? c : b.zero());
            }
            KILN_ONNX_CHECK(!b.failed(), kINVALID_NODE, "the network refused a layer (see the log above)");
            ys[static_cast<size_t>(t)][static_cast<size_t>(d)] = y;
            h = hNew;
            c = cNew;
        }
        if (lengths)
        {
            // An empty sequence has zero final states (as onnxruntime gives), not the initial ones.
            ITensor* nonEmpty = b.note(elementwise(node.ctx, scalarConstant(node.ctx, DataType::kINT32, 0.0, 2), lengths,
                ElementWiseOperation::kLESS));
            h = b.select(nonEmpty, h, b.zero());
            if (c)
                c = b.select(nonEmpty, c, b.zero());
            KILN_ONNX_CHECK(!b.failed(), kINVALID_NODE, "the network refused a layer (see the log above)");
        }
        finalH.push_back(h);
        finalC.push_back(c);
    }

    auto wanted = [&](int32_t j) { return node.proto.output_size() > j && !node.proto.output(j).empty(); };
    // [directions, batch, hidden], or [batch, directions, hidden] for layout 1.
    auto stackStates = [&](const std::vector<ITensor*>& states) -> ITensor* {
        std::vector<ITensor*> parts;
        for (ITensor* s : states)
            parts.push_back(unsqueeze(node.ctx, s, {0}));
        ITensor* out = concat(node.ctx, parts, 0);
        return layout == 1 ? transpose(node.ctx, out, {1, 0, 2}) : out;
    };
    Outputs outputs(static_cast<size_t>(cell == Cell::kLSTM ? 3 : 2));
    if (wanted(0))
    {
        std::vector<ITensor*> steps;
        for (int64_t t = 0; t < seq; ++t)
        {
            std::vector<ITensor*> parts;
            for (ITensor* y : ys[static_cast<size_t>(t)])
                parts.push_back(unsqueeze(node.ctx, y, {0, 1}));
            steps.push_back(concat(node.ctx, parts, 1));
        }
        ITensor* y = concat(node.ctx, steps, 0);
        if (layout == 1)
            y = transpose(node.ctx, y, {2, 0, 1, 3});
        KILN_ONNX_NOT_NULL(y);
        outputs[0] = Value::of(y);
    }
    if (wanted(1))
    {
        ITensor* yh = stackStates(finalH);
        KILN_ONNX_NOT_NULL(yh);
        outputs[1] = Value::of(yh);
    }
    if (cell == Cell::kLSTM && wanted(2))
    {
        ITensor* yc = stackStates(finalC);
        KILN_ONNX_NOT_NULL(yc);
        outputs[2] = Value::of(yc);
    }
    return outputs;
}

} // namespace

KILN_ONNX_IMPORTER(RNN) { return importRecurrent(node, Cell::kRNN); }
KILN_ONNX_IMPORTER(GRU) { return importRecurrent(node, Cell::kGRU); }
KILN_ONNX_IMPORTER(LSTM) { return importRecurrent(node, Cell::kLSTM); }

} // namespace kiln::onnx
