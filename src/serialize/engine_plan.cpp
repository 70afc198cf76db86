#include "serialize/engine_plan.h"

#include <cstring>

namespace kiln::plan
{

WeightsBlock::WeightsBlock(const backends::Allocator& allocator, uint64_t size)
    : mAllocator(allocator)
    , mSize(size)
{
    mData = static_cast<uint8_t*>(mAllocator.allocate(size));
    if (mData)
        std::memset(mData, 0, size); // alignment gaps must not carry stale bytes into engine files
}

WeightsBlock::~WeightsBlock()
{
    mAllocator.free(mData);
}

int32_t EnginePlan::nbInputs() const
{
    int32_t n = 0;
    for (const auto& e : io)
        n += e.isInput ? 1 : 0;
    return n;
}

uint64_t EnginePlan::deviceMemorySize() const
{
    return alignUp(arenaSize) + alignUp(maxWorkspaceSize);
}

} // namespace kiln::plan
