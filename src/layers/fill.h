// Fill: generates a tensor from no data input.
//
//  - kLINSPACE: y[i_0..i_{r-1}] = start + sum_k delta[k] * i_k. From the fields, start = alpha and
//    beta is the delta of the last axis (the only axis of a 1-D output; other axes get delta 0).
//    Input 1 (a one-element FLOAT or INT32 tensor) replaces start, input 2 (a 1-D FLOAT or INT32
//    tensor with one entry per output axis) replaces the deltas. Values are computed in float64.
//  - kRANDOM_UNIFORM: uniform in [alpha, beta); kRANDOM_NORMAL: normal with mean alpha and standard
//    deviation beta. Input 1 / input 2 (one-element FLOAT tensors) replace alpha / beta. The
//    numbers are deterministic: element i is derived from the fixed seed kFillSeed and i alone
//    (a counter-based generator), so they do not depend on threads, runs or engines.
//  - Output dims: the `dims` field, or the values of input 0 (a 1-D INT32 shape tensor of known
//    length whose values are needed at shape time; -1 extents until they are known).
//  - Output type: outputType when outputTypeSet (ILayer::setOutputType; FLOAT or INT32), else
//    INT32 when input 1 or 2 is INT32, else FLOAT. Random fills are FLOAT. An INT32 output rounds
//    to nearest and saturates; its values are known at shape time when its operands are.
//  - alpha and beta are doubles in the API; fields hold floats, so each is stored as a pair
//    (value = high + low), which keeps about 48 bits of mantissa (exact for every int32).
//  - Implicit batch: addBatchAxis sets implicitBatch and the output gets a leading extent of 1
//    (like a Constant); inputs 0 and 2 need an explicit-batch network.
#pragma once

#include "ir/params.h"

#include <cmath>

namespace kiln::layers
{

//! The seed of the random fills ("KILN").
constexpr uint64_t kFillSeed = 0x4B494C4Eu;

class FillParams final : public ir::LayerParams
{
public:
    nvinfer1::Dims dims{};
    nvinfer1::FillOperation operation{nvinfer1::FillOperation::kLINSPACE};
    float alphaHigh{0.f};
    float alphaLow{0.f};
    float betaHigh{1.f};
    float betaLow{0.f};
    bool outputTypeSet{false};
    nvinfer1::DataType outputType{nvinfer1::DataType::kFLOAT};
    bool implicitBatch{false};

    ir::LayerKind kind() const override { return ir::LayerKind::kFill; }
    std::unique_ptr<ir::LayerParams> clone() const override { return std::make_unique<FillParams>(*this); }
    void visitFields(ir::FieldVisitor& v) override
    {
        v.visit("dims", dims);
        v.visitEnum("operation", operation);
        v.visit("alphaHigh", alphaHigh);
        v.visit("alphaLow", alphaLow);
        v.visit("betaHigh", betaHigh);
        v.visit("betaLow", betaLow);
        v.visit("outputTypeSet", outputTypeSet);
        v.visitEnum("outputType", outputType);
        v.visit("implicitBatch", implicitBatch);
    }
    int32_t minInputs() const override { return 0; }
    int32_t maxInputs() const override { return 3; }
    bool isShapeInput(int32_t index) const override { return index == 0; }
    Status inferShapes(ir::ShapeContext& ctx) const override;
    Status addBatchAxis() override
    {
        implicitBatch = true;
        return Status::ok();
    }

    double alpha() const { return static_cast<double>(alphaHigh) + static_cast<double>(alphaLow); }
    double beta() const { return static_cast<double>(betaHigh) + static_cast<double>(betaLow); }
    void setAlpha(double value) { splitDouble(value, alphaHigh, alphaLow); }
    void setBeta(double value) { splitDouble(value, betaHigh, betaLow); }

private:
    static void splitDouble(double value, float& high, float& low)
    {
        high = static_cast<float>(value);
        low = std::isfinite(high) ? static_cast<float>(value - static_cast<double>(high)) : 0.f;
    }
};

//! The linspace value at row-major \p index of a tensor of \p dims (deltas per axis).
double linspaceAt(const nvinfer1::Dims& dims, double start, const double* delta, int64_t index);
//! \p value rounded to nearest and saturated to int32 (NaN gives 0).
int32_t saturateToInt32(double value);

} // namespace kiln::layers
