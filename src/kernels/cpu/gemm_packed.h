// PackedWeights: the prepared state of the GEMM family's tactics, one block of floats from the
// engine's allocator (packed or re-laid weights), freed with the state.
#pragma once

#include "backends/backend.h"
#include "common/status.h"
#include "kernels/kernel.h"

#include <cstdint>
#include <memory>
#include <string>

namespace kiln::kernels::cpu
{

class PackedWeights final : public TacticState
{
public:
    PackedWeights(const backends::Allocator& allocator, float* data, int64_t count)
        : mAllocator(allocator)
        , mData(data)
        , mCount(count)
    {
    }
    ~PackedWeights() override { mAllocator.free(mData); }
    PackedWeights(const PackedWeights&) = delete;
    PackedWeights& operator=(const PackedWeights&) = delete;

    float* data() const { return mData; }
    int64_t count() const { return mCount; }

    //! \p count floats (at least one) from \p allocator, zero-filled; an error when it fails.
    static Expected<std::unique_ptr<PackedWeights>> allocate(const backends::Allocator& allocator, int64_t count)
    {
        const int64_t n = count > 0 ? count : 1;
        void* p = allocator.allocate(static_cast<uint64_t>(n) * sizeof(float));
        if (!p)
            return allocationFailed("could not allocate " + std::to_string(n * 4) + " bytes of packed weights");
        auto* f = static_cast<float*>(p);
        for (int64_t i = 0; i < n; ++i)
            f[i] = 0.f;
        return std::make_unique<PackedWeights>(allocator, f, count);
    }

private:
    backends::Allocator mAllocator;
    float* mData;
    int64_t mCount;
};

} // namespace kiln::kernels::cpu
