#include "layers/einsum.h"

#include "layers/checks.h"

#include <algorithm>
#include <array>

namespace kiln::layers
{

namespace
{

using nvinfer1::DataType;

int32_t labelOf(int32_t c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    return -2;
}

char letterOf(int32_t label)
{
    return static_cast<char>(label < 26 ? 'A' + label : 'a' + (label - 26));
}

std::string quoted(int32_t c)
{
    return c > 32 && c < 127 ? "'" + std::string(1, static_cast<char>(c)) + "'" : "code " + std::to_string(c);
}

//! One term (between commas or after "->") without spaces.
Expected<std::vector<int32_t>> parseTerm(const std::vector<int32_t>& text, size_t begin, size_t end)
{
    std::vector<int32_t> labels;
    bool ellipsis = false;
    for (size_t i = begin; i < end; ++i)
    {
        const int32_t c = text[i];
        if (c == '.')
        {
            if (i + 2 >= end || text[i + 1] != '.' || text[i + 2] != '.')
                return invalidArgument("'.' must be part of an ellipsis \"...\"");
            if (ellipsis)
                return invalidArgument("a term has more than one ellipsis");
            ellipsis = true;
            labels.push_back(EinsumEquation::kEllipsis);
            i += 2;
            continue;
        }
        const int32_t label = labelOf(c);
        if (label < 0)
            return invalidArgument("unexpected character " + quoted(c) + " (subscripts are letters a-z and A-Z)");
        labels.push_back(label);
    }
    return labels;
}

//! Merges \p extent into \p merged: equal, or (when \p broadcast) 1 stretching; -1 is unknown.
bool mergeExtent(int32_t& merged, int32_t extent, bool broadcast)
{
    if (merged == extent || extent < 0)
    {
        if (extent < 0 && broadcast && merged == 1)
            merged = -1; // the unknown extent may be larger
        return true;
    }
    if (merged < 0)
    {
        if (!(broadcast && extent == 1))
            merged = extent;
        return true;
    }
    if (broadcast && (merged == 1 || extent == 1))
    {
        merged = merged == 1 ? extent : merged;
        return true;
    }
    return false;
}

} // namespace

std::string EinsumParams::equationText() const
{
    std::string s;
    for (int32_t c : equation)
        s += c >= 32 && c < 127 ? static_cast<char>(c) : '?';
    return s;
}

Expected<EinsumEquation> parseEinsumEquation(const std::vector<int32_t>& raw)
{
    if (raw.size() > static_cast<size_t>(EinsumParams::kMaxEquationLength))
        return invalidArgument("the equation is longer than " + std::to_string(EinsumParams::kMaxEquationLength)
            + " characters");
    std::vector<int32_t> text;
    for (int32_t c : raw)
        if (c != ' ')
            text.push_back(c);

    size_t arrow = text.size();
    for (size_t i = 0; i < text.size(); ++i)
    {
        if (text[i] == '-' || text[i] == '>')
        {
            if (text[i] != '-' || i + 1 >= text.size() || text[i + 1] != '>' || arrow != text.size())
                return invalidArgument("'-' and '>' may only appear once, as \"->\"");
            arrow = i;
            ++i;
        }
    }

    EinsumEquation eq;
    size_t begin = 0;
    for (size_t i = 0; i <= arrow; ++i)
    {
        if (i < arrow && text[i] != ',')
            continue;
        if (eq.inputs.size() >= static_cast<size_t>(EinsumParams::kMaxInputs))
            return invalidArgument("the equation has more than " + std::to_string(EinsumParams::kMaxInputs) + " terms");
        Expected<std::vector<int32_t>> term = parseTerm(text, begin, i);
        if (!term)
            return term.status();
        eq.inputs.push_back(std::move(*term));
        begin = i + 1;
    }

    std::array<int32_t, EinsumEquation::kNbLetters> counts{};
    bool anyEllipsis = false;
    for (const auto& term : eq.inputs)
        for (int32_t label : term)
        {
            if (label == EinsumEquation::kEllipsis)
                anyEllipsis = true;
            else
                ++counts[static_cast<size_t>(label)];
        }

    if (arrow == text.size())
    {
        if (anyEllipsis)
            eq.output.push_back(EinsumEquation::kEllipsis);
        for (int32_t label = 0; label < EinsumEquation::kNbLetters; ++label)
            if (counts[static_cast<size_t>(label)] == 1)
                eq.output.push_back(label);
        return eq;
    }

    Expected<std::vector<int32_t>> out = parseTerm(text, arrow + 2, text.size());
    if (!out)
        return out.status();
    std::array<bool, EinsumEquation::kNbLetters> seen{};
    for (int32_t label : *out)
    {
        if (label == EinsumEquation::kEllipsis)
            continue;
        if (counts[static_cast<size_t>(label)] == 0)
            return invalidArgument(std::string("output subscript '") + letterOf(label) + "' appears in no input");
        if (seen[static_cast<size_t>(label)])
            return invalidArgument(std::string("output subscript '") + letterOf(label) + "' appears twice");
        seen[static_cast<size_t>(label)] = true;
    }
    eq.output = std::move(*out);
    return eq;
}

Expected<EinsumAxes> bindEinsum(const EinsumParams& params, const std::vector<nvinfer1::Dims>& dims)
{
    Expected<EinsumEquation> parsed = parseEinsumEquation(params.equation);
    if (!parsed)
        return parsed.status();
    const EinsumEquation& eq = *parsed;
    const int32_t batchLabel = params.batchLetter == 0 ? -1 : labelOf(params.batchLetter);
    if (params.batchLetter != 0 && batchLabel < 0)
        return invalidArgument("invalid batch letter " + quoted(params.batchLetter));
    if (eq.inputs.size() != dims.size())
        return invalidArgument("the equation has " + std::to_string(eq.inputs.size()) + " input terms but the layer has "
            + std::to_string(dims.size()) + " inputs");

    // Ranks: each term names all axes of its input, "..." the ones its letters leave over.
    std::vector<int32_t> ellipsisRanks(dims.size(), 0);
    int32_t ellipsisRank = 0;
    for (size_t i = 0; i < dims.size(); ++i)
    {
        const int32_t rank = dims[i].nbDims;
        int32_t letters = 0;
        bool hasEllipsis = false;
        for (int32_t label : eq.inputs[i])
        {
            if (label == EinsumEquation::kEllipsis)
                hasEllipsis = true;
            else
                ++letters;
        }
        if (rank < 0 || rank > nvinfer1::Dims::MAX_DIMS || (hasEllipsis ? rank < letters : rank != letters))
            return invalidArgument("input " + std::to_string(i) + " has rank " + std::to_string(rank) + " but its term names "
                + std::to_string(letters) + (hasEllipsis ? " or more" : "") + " axes");
        ellipsisRanks[i] = rank - letters;
        ellipsisRank = std::max(ellipsisRank, ellipsisRanks[i]);
    }

    // Axes: the ellipsis axes first, then one per letter in order of first appearance. Axes that
    // broadcast start at extent 1, the others at "unknown".
    EinsumAxes axes;
    axes.extents.assign(static_cast<size_t>(ellipsisRank), 1);
    std::vector<bool> broadcastAxis(static_cast<size_t>(ellipsisRank), true);
    std::array<int32_t, EinsumEquation::kNbLetters> axisOfLabel;
    axisOfLabel.fill(-1);
    for (size_t i = 0; i < dims.size(); ++i)
    {
        std::vector<int32_t> inputAxes;
        std::vector<int32_t> dimLabels;
        for (int32_t label : eq.inputs[i])
        {
            if (label == EinsumEquation::kEllipsis)
            {
                for (int32_t k = ellipsisRank - ellipsisRanks[i]; k < ellipsisRank; ++k)
                {
                    inputAxes.push_back(k);
                    dimLabels.push_back(EinsumEquation::kEllipsis);
                }
                continue;
            }
            int32_t& axis = axisOfLabel[static_cast<size_t>(label)];
            if (axis < 0)
            {
                axis = static_cast<int32_t>(axes.extents.size());
                axes.extents.push_back(label == batchLabel ? 1 : -1);
                broadcastAxis.push_back(label == batchLabel);
            }
            inputAxes.push_back(axis);
            dimLabels.push_back(label);
        }
        for (size_t d = 0; d < inputAxes.size(); ++d)
        {
            const auto axis = static_cast<size_t>(inputAxes[d]);
            const int32_t extent = dims[i].d[d];
            if (!mergeExtent(axes.extents[axis], extent, broadcastAxis[axis]))
            {
                const std::string what = dimLabels[d] == EinsumEquation::kEllipsis
                    ? "the ellipsis axis"
                    : std::string("subscript '") + letterOf(dimLabels[d]) + "'";
                return invalidArgument("input " + std::to_string(i) + " dimension " + std::to_string(d) + " has extent "
                    + std::to_string(extent) + " where " + what + " has extent " + std::to_string(axes.extents[axis]));
            }
        }
        axes.inputAxes.push_back(std::move(inputAxes));
    }

    for (int32_t label : eq.output)
    {
        if (label == EinsumEquation::kEllipsis)
            for (int32_t k = 0; k < ellipsisRank; ++k)
                axes.outputAxes.push_back(k);
        else
            axes.outputAxes.push_back(axisOfLabel[static_cast<size_t>(label)]);
    }
    if (axes.outputAxes.size() > static_cast<size_t>(nvinfer1::Dims::MAX_DIMS))
        return invalidArgument("the output would have rank " + std::to_string(axes.outputAxes.size()) + ", more than "
            + std::to_string(nvinfer1::Dims::MAX_DIMS));
    return axes;
}

Status EinsumParams::inferShapes(ir::ShapeContext& ctx) const
{
    const int32_t n = ctx.nbInputs();
    if (n < 1 || n > kMaxInputs)
        return ctx.error("has " + std::to_string(n) + " inputs, expected 1 to " + std::to_string(kMaxInputs));
    std::vector<nvinfer1::Dims> dims;
    for (int32_t i = 0; i < n; ++i)
    {
        KILN_RETURN_IF_ERROR(checkInputType(ctx, i, {DataType::kFLOAT, DataType::kINT32}));
        KILN_RETURN_IF_ERROR(checkInputRank(ctx, i, 0));
        if (ctx.input(i)->type != ctx.input(0)->type)
            return ctx.error("input " + std::to_string(i) + " has type " + dataTypeName(ctx.input(i)->type)
                + " but input 0 has type " + dataTypeName(ctx.input(0)->type));
        dims.push_back(ctx.input(i)->dims);
    }
    Expected<EinsumAxes> axes = bindEinsum(*this, dims);
    if (!axes)
        return ctx.error("equation \"" + equationText() + "\": " + axes.status().message());

    ir::TensorDesc& out = ctx.output(0);
    out.type = ctx.input(0)->type;
    out.values.reset();
    out.dims.nbDims = static_cast<int32_t>(axes->outputAxes.size());
    for (int32_t d = 0; d < out.dims.nbDims; ++d)
        out.dims.d[d] = axes->extents[static_cast<size_t>(axes->outputAxes[static_cast<size_t>(d)])];
    return Status::ok();
}

Status EinsumParams::addBatchAxis()
{
    Expected<EinsumEquation> parsed = parseEinsumEquation(equation);
    if (!parsed)
        return invalidArgument("equation \"" + equationText() + "\": " + parsed.status().message());
    if (batchLetter != 0)
        return invalidArgument("einsum already has a batch axis");

    std::array<bool, EinsumEquation::kNbLetters> used{};
    for (const auto& term : parsed->inputs)
        for (int32_t label : term)
            if (label >= 0)
                used[static_cast<size_t>(label)] = true;
    int32_t fresh = -1;
    for (int32_t label = EinsumEquation::kNbLetters - 1; label >= 0 && fresh < 0; --label)
        if (!used[static_cast<size_t>(label)])
            fresh = label;
    if (fresh < 0)
        return invalidArgument("the equation uses all 52 letters; none is left for the implicit batch axis");

    // The explicit form of the same equation, with the batch letter leading every term.
    const auto termText = [&](const std::vector<int32_t>& term) {
        std::string s(1, letterOf(fresh));
        for (int32_t label : term)
            s += label == EinsumEquation::kEllipsis ? std::string("...") : std::string(1, letterOf(label));
        return s;
    };
    std::string text;
    for (size_t i = 0; i < parsed->inputs.size(); ++i)
        text += (i ? "," : "") + termText(parsed->inputs[i]);
    text += "->" + termText(parsed->output);
    setEquationText(text);
    batchLetter = letterOf(fresh);
    return Status::ok();
}

} // namespace kiln::layers
