// What the GEMM family's convolution tactics share: the support checks every 2-D convolution tactic
// runs on (untrusted) engine parameters, and the concrete geometry of one layer instance.
#pragma once

#include "common/status.h"
#include "ir/params.h"
#include "layers/convolution.h"

#include <cstdint>
#include <vector>

namespace kiln::kernels::cpu
{

//! Ok when \p params is a well-formed 2-D FLOAT convolution over \p inputs / \p outputs that a
//! Kiln tactic can index safely: 2-D window with positive kernel, stride and dilation, non-negative
//! padding, a known padding mode, groups dividing C and K, weights of the right counts, no kernel or
//! bias tensor inputs, consistent output dims and a residual input matching the output when the
//! epilogue has one. Otherwise the reason. Never reads weights.
Status checkConvolution2d(
    const ir::LayerParams& params, const std::vector<ir::TensorDesc>& inputs, const std::vector<ir::TensorDesc>& outputs);

//! The geometry of a 2-D convolution with concrete dims (valid for checkConvolution2d).
struct Conv2dGeometry
{
    int64_t batch{1};  //!< product of the dims before C
    int64_t channels{0};
    int64_t maps{0};
    int64_t groups{1};
    int64_t groupChannels{0}; //!< C / G
    int64_t groupMaps{0};     //!< K / G
    int64_t inH{0}, inW{0};
    int64_t outH{0}, outW{0};
    int64_t kernelH{1}, kernelW{1};
    int64_t strideH{1}, strideW{1};
    int64_t dilationH{1}, dilationW{1};
    int64_t padTop{0}, padLeft{0}; //!< effective leading padding (the padding mode applied)

    int64_t inPlane() const { return inH * inW; }
    int64_t outPlane() const { return outH * outW; }
    int64_t taps() const { return kernelH * kernelW; }
    //! 1×1 window, stride 1, no padding and output dims equal to the input's: the input is the
    //! GEMM's B matrix as it is.
    bool isPointwise() const;

    static Conv2dGeometry make(
        const layers::ConvolutionParams& p, const nvinfer1::Dims& inDims, const nvinfer1::Dims& outDims);
};

} // namespace kiln::kernels::cpu
