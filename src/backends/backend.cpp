#include "backends/backend.h"

#include <cstdlib>

namespace kiln::backends
{

std::string DeviceFingerprint::describe() const
{
    std::string s = kind == DeviceKind::kCPU ? "cpu" : "cuda";
    s += " " + arch;
    if (kind == DeviceKind::kCPU)
        s += " [" + cpuFeatureNames(features) + "]";
    if (!name.empty())
        s += " (" + name + ")";
    return s;
}

void* Allocator::allocate(uint64_t size) const
{
    if (size == 0)
        return nullptr;
    if (mUser)
        return mUser->allocate(size, kAlignment, 0);
    const uint64_t rounded = (size + kAlignment - 1) / kAlignment * kAlignment;
    return std::aligned_alloc(kAlignment, rounded);
}

void Allocator::free(void* memory) const
{
    if (!memory)
        return;
    if (mUser)
        mUser->free(memory);
    else
        std::free(memory);
}

} // namespace kiln::backends
