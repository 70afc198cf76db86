#include "layers/scale.h"
#include "common/dims.h"
#include "kernels/kernel.h"

#include <cmath>

namespace kiln::kernels::reference
{

Status runScale(const KernelArgs& args)
{
    const auto& p = args.paramsAs<layers::ScaleParams>();
    const nvinfer1::Dims& dims = args.inputs[0].dims;
    const float* x = args.inputs[0].as<const float>();
    float* y = args.outputs[0].as<float>();
    const float* shift = p.shift.empty() ? nullptr : p.shift.floats();
    const float* scale = p.scale.empty() ? nullptr : p.scale.floats();
    const float* power = p.power.empty() ? nullptr : p.power.floats();

    // Element i uses weight (i / inner) % channels: inner = 1 and channels = the weight count
    // covers kELEMENTWISE, inner = the volume after the channel axis covers kCHANNEL.
    int64_t inner = 1;
    int64_t channels = 1;
    if (p.mode == nvinfer1::ScaleMode::kCHANNEL)
    {
        inner = volume(dims, p.channelAxis + 1, dims.nbDims);
        channels = dims.d[p.channelAxis];
    }
    else if (p.mode == nvinfer1::ScaleMode::kELEMENTWISE)
        channels = volume(dims, p.channelAxis, dims.nbDims);

    args.pool->parallelFor(args.outputs[0].elementCount(), 4096, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i)
        {
            const int64_t w = inner > 0 && channels > 0 ? (i / inner) % channels : 0;
            float v = x[i];
            if (scale)
                v *= scale[w];
            if (shift)
                v += shift[w];
            if (power)
                v = std::pow(v, power[w]);
            y[i] = v;
        }
    });
    return Status::ok();
}

} // namespace kiln::kernels::reference
