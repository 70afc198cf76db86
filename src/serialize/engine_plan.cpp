#include "serialize/engine_plan.h"

#include "common/dtype.h"

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

namespace
{

//! Visits every weights slot of a graph, measuring or copying.
class NetworkWeights final : public ir::WeightsVisitor
{
public:
    explicit NetworkWeights(uint8_t* block)
        : mBlock(block)
    {
    }
    void visit(const char*, int32_t, ir::WeightsRef& w) override
    {
        const size_t bytes = static_cast<size_t>(w.count) * elementSize(w.type);
        if (bytes == 0 || !w.values)
            return;
        const size_t at = (mSize + 15) / 16 * 16;
        mSize = at + bytes;
        if (!mBlock)
            return;
        std::memcpy(mBlock + at, w.values, bytes);
        w.values = mBlock + at;
    }
    uint64_t size() const { return mSize; }

private:
    uint8_t* mBlock;
    uint64_t mSize{0};
};

} // namespace

Expected<std::shared_ptr<WeightsBlock>> ownNetworkWeights(ir::Graph& network, const backends::Allocator& allocator)
{
    NetworkWeights measure(nullptr);
    for (auto& layer : network.layers)
        layer->params->visitWeights(measure);
    auto block = std::make_shared<WeightsBlock>(allocator, measure.size());
    if (!block->ok())
        return allocationFailed("the allocator could not provide " + std::to_string(measure.size())
            + " bytes for the weights a refittable engine keeps");
    NetworkWeights copy(block->data());
    for (auto& layer : network.layers)
        layer->params->visitWeights(copy);
    return block;
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
