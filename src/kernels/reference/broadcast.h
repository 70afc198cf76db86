// BroadcastMap: walks an output tensor row by row (a row is the innermost axis) and gives, for
// each of several equal-rank inputs whose extents of 1 broadcast, where that row starts in the
// input and the step along it (0 for a broadcast innermost axis). Used by the reference kernels
// of ElementWise, ParametricReLU and Select.
//
//   BroadcastMap map(out.dims, {a.dims, b.dims});
//   map.forEachRow(*args.pool, [&](int64_t row, int64_t outStart, const int64_t* starts) {
//       for (int64_t j = 0; j < map.cols(); ++j)
//           y[outStart + j] = f(x0[starts[0] + j * map.colStep(0)], x1[starts[1] + j * map.colStep(1)]);
//   });
#pragma once

#include "backends/cpu/thread_pool.h"

#include "NvInferRuntimeCommon.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <initializer_list>
#include <vector>

namespace kiln::kernels::reference
{

class BroadcastMap
{
public:
    static constexpr size_t kMaxInputs = 3;

    BroadcastMap(const nvinfer1::Dims& out, std::initializer_list<nvinfer1::Dims> inputs)
        : mOut(out)
        , mNbInputs(std::min(inputs.size(), kMaxInputs))
    {
        size_t k = 0;
        for (const nvinfer1::Dims& in : inputs)
        {
            if (k == kMaxInputs)
                break;
            int64_t stride = 1;
            for (int32_t i = out.nbDims - 1; i >= 0; --i)
            {
                mStrides[k][static_cast<size_t>(i)] = in.d[i] == 1 ? 0 : stride;
                stride *= in.d[i];
            }
            ++k;
        }
        mCols = out.nbDims > 0 ? out.d[out.nbDims - 1] : 1;
        mRows = 1;
        for (int32_t i = 0; i + 1 < out.nbDims; ++i)
            mRows *= out.d[i];
        if (mCols == 0)
            mRows = 0;
    }

    int64_t rows() const { return mRows; }
    int64_t cols() const { return mCols; }
    //! Step between consecutive row elements in input \p k (0 when it broadcasts the axis).
    int64_t colStep(size_t k) const { return mOut.nbDims > 0 ? mStrides[k][static_cast<size_t>(mOut.nbDims - 1)] : 0; }

    //! Calls fn(row, outStart, starts) for every row, in parallel over rows; starts[k] is the
    //! offset in input k of the row's first element.
    template <typename Fn>
    void forEachRow(backends::cpu::ThreadPool& pool, Fn fn) const
    {
        const int64_t grain = std::max<int64_t>(1, 4096 / std::max<int64_t>(mCols, 1));
        pool.parallelFor(mRows, grain, [&](int64_t begin, int64_t end) {
            std::array<int64_t, kMaxInputs> starts{};
            for (int64_t row = begin; row < end; ++row)
            {
                starts.fill(0);
                int64_t rest = row;
                for (int32_t i = mOut.nbDims - 2; i >= 0; --i)
                {
                    const int64_t coord = rest % mOut.d[i];
                    rest /= mOut.d[i];
                    for (size_t k = 0; k < mNbInputs; ++k)
                        starts[k] += coord * mStrides[k][static_cast<size_t>(i)];
                }
                fn(row, row * mCols, starts.data());
            }
        });
    }

private:
    nvinfer1::Dims mOut;
    size_t mNbInputs;
    std::array<std::array<int64_t, nvinfer1::Dims::MAX_DIMS>, kMaxInputs> mStrides{};
    int64_t mRows{1};
    int64_t mCols{1};
};

} // namespace kiln::kernels::reference
