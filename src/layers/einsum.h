// Einsum: Einstein summation over 1 to 8 inputs of one type (FLOAT or INT32), with ONNX/numpy
// semantics. The equation names each input's axes with letters (a-z, A-Z), terms separated by
// commas, optionally followed by "->" and the output's letters; spaces are ignored.
//   - A letter that appears in several places denotes one index: its extents must agree.
//   - A letter repeated within one term takes the diagonal of those axes ("ii->i").
//   - Letters absent from the output are summed over ("ij,jk->ik"; "ii->" is the trace).
//   - Without "->" the output holds the letters that appear exactly once, in ASCII order
//     (upper case first), after the broadcast axes of an ellipsis if there is one.
//   - "..." (at most once per term) stands for the leading axes not named by letters. These
//     broadcast numpy-style across the terms: aligned on the right, extents equal or 1. An
//     explicit output without "..." sums over them.
// Outputs the input type: FLOAT accumulates in float64; INT32 wraps (two's complement).
//
// The equation is stored as its character codes (FieldVisitor has no string field). Implicit
// batch lowering prepends a letter the equation does not use to every term and to the output,
// and records it in batchLetter: that letter's extents may broadcast (a Constant input has
// batch extent 1), like ellipsis axes.
#pragma once

#include "ir/params.h"

#include <string>
#include <vector>

namespace kiln::layers
{

class EinsumParams final : public ir::LayerParams
{
public:
    static constexpr int32_t kMaxInputs = 8;
    static constexpr int32_t kMaxEquationLength = 1024;

    std::vector<int32_t> equation; //!< character codes of the equation text
    int32_t batchLetter{0};        //!< character code of the implicit-batch letter, 0 when none

    ir::LayerKind kind() const override { return ir::LayerKind::kEinsum; }
    std::unique_ptr<ir::LayerParams> clone() const override { return std::make_unique<EinsumParams>(*this); }
    void visitFields(ir::FieldVisitor& v) override
    {
        v.visit("equation", equation);
        v.visit("batchLetter", batchLetter);
    }
    int32_t minInputs() const override { return 1; }
    int32_t maxInputs() const override { return kMaxInputs; }
    Status inferShapes(ir::ShapeContext& ctx) const override;
    Status addBatchAxis() override;

    void setEquationText(const std::string& text) { equation.assign(text.begin(), text.end()); }
    //! The equation as text (characters outside printable ASCII show as '?').
    std::string equationText() const;
};

//! A parsed equation. Labels 0..25 are 'A'..'Z', 26..51 'a'..'z'; kEllipsis marks "...".
struct EinsumEquation
{
    static constexpr int32_t kEllipsis = -1;
    static constexpr int32_t kNbLetters = 52;

    std::vector<std::vector<int32_t>> inputs;
    std::vector<int32_t> output; //!< explicit, or derived by the implicit-output rule
};

//! Parses and checks an equation's syntax. Errors say what is wrong (without a layer name).
Expected<EinsumEquation> parseEinsumEquation(const std::vector<int32_t>& text);

//! The index space of an equation bound to input dims: ellipsis axes first, then one axis per
//! letter used. Every input and output dimension maps to one axis.
struct EinsumAxes
{
    std::vector<int32_t> extents;                //!< per axis; -1 where not known yet
    std::vector<std::vector<int32_t>> inputAxes; //!< per input, per dimension: its axis
    std::vector<int32_t> outputAxes;             //!< per output dimension: its axis
};

//! Binds \p params' equation to inputs of \p dims; checks ranks and that extents agree.
Expected<EinsumAxes> bindEinsum(const EinsumParams& params, const std::vector<nvinfer1::Dims>& dims);

} // namespace kiln::layers
