#include "common/dtype.h"
#include "kernels/kernel.h"
#include "layers/padding.h"

#include <algorithm>
#include <cstring>

namespace kiln::kernels::reference
{

// Works row by row over the output (a row is the innermost axis): a row whose source lies outside
// the input along some outer padded axis is zero; otherwise it is zeros, a copied run, zeros.
Status runPadding(const KernelArgs& args)
{
    const auto& p = args.paramsAs<layers::PaddingParams>();
    const TensorBuffer& input = args.inputs[0];
    const TensorBuffer& output = args.outputs[0];
    const nvinfer1::Dims& in = input.dims;
    const nvinfer1::Dims& out = output.dims;
    const int32_t rank = in.nbDims;
    const int32_t first = rank - p.prePadding.nbDims; // first padded axis
    const size_t elem = elementSize(input.type);
    const int64_t rows = volume(out, 0, rank - 1);
    const int32_t inWidth = in.d[rank - 1];
    const int32_t outWidth = out.d[rank - 1];
    const int32_t preWidth = p.prePadding.d[p.prePadding.nbDims - 1];
    const int64_t dstBegin = std::max(0, preWidth);
    const int64_t srcBegin = std::max(0, -preWidth);
    const int64_t run = std::max<int64_t>(0, std::min<int64_t>(outWidth - dstBegin, inWidth - srcBegin));
    const auto* x = static_cast<const unsigned char*>(input.data);
    auto* y = static_cast<unsigned char*>(output.data);

    args.pool->parallelFor(rows, 64, [&](int64_t begin, int64_t end) {
        for (int64_t r = begin; r < end; ++r)
        {
            unsigned char* dst = y + static_cast<size_t>(r * outWidth) * elem;
            // Source row index, axis by axis from the innermost row axis outwards.
            int64_t rest = r;
            int64_t srcRow = 0;
            int64_t srcStride = 1;
            bool inside = true;
            for (int32_t a = rank - 2; a >= 0; --a)
            {
                const int64_t o = rest % out.d[a];
                rest /= out.d[a];
                const int64_t i = a >= first ? o - p.prePadding.d[a - first] : o;
                inside = inside && i >= 0 && i < in.d[a];
                srcRow += i * srcStride;
                srcStride *= in.d[a];
            }
            if (!inside || run == 0)
            {
                std::memset(dst, 0, static_cast<size_t>(outWidth) * elem);
                continue;
            }
            const unsigned char* src = x + static_cast<size_t>(srcRow * inWidth + srcBegin) * elem;
            std::memset(dst, 0, static_cast<size_t>(dstBegin) * elem);
            std::memcpy(dst + dstBegin * elem, src, static_cast<size_t>(run) * elem);
            std::memset(dst + (dstBegin + run) * elem, 0, static_cast<size_t>(outWidth - dstBegin - run) * elem);
        }
    });
    return Status::ok();
}

} // namespace kiln::kernels::reference
