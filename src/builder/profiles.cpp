#include "builder/profiles.h"

namespace kiln::builder
{

using nvinfer1::Dims;

Expected<std::vector<ResolvedProfile>> resolveProfiles(const ir::Graph& graph, const BuildOptions& options, bool implicitBatch)
{
    std::vector<ResolvedProfile> profiles;
    if (implicitBatch)
    {
        if (options.maxBatchSize < 1)
            return invalidConfig("maxBatchSize is " + std::to_string(options.maxBatchSize) + "; it must be at least 1");
        ResolvedProfile p;
        for (const ir::Tensor* t : graph.inputs)
        {
            Dims lo = t->dims, hi = t->dims;
            lo.d[0] = 1;
            hi.d[0] = options.maxBatchSize;
            p.min.push_back(lo);
            p.opt.push_back(hi);
            p.max.push_back(hi);
        }
        profiles.push_back(std::move(p));
        return profiles;
    }
    bool dynamic = false;
    for (const ir::Tensor* t : graph.inputs)
        dynamic = dynamic || hasDynamicExtent(t->dims);
    if (options.profiles.empty())
    {
        if (dynamic)
        {
            for (const ir::Tensor* t : graph.inputs)
                if (hasDynamicExtent(t->dims))
                    return invalidConfig("input '" + t->name + "' has dynamic dimensions " + toString(t->dims)
                        + " but no optimization profile was added (IBuilderConfig::addOptimizationProfile)");
        }
        ResolvedProfile p;
        for (const ir::Tensor* t : graph.inputs)
        {
            p.min.push_back(t->dims);
            p.opt.push_back(t->dims);
            p.max.push_back(t->dims);
        }
        profiles.push_back(std::move(p));
        return profiles;
    }
    for (size_t k = 0; k < options.profiles.size(); ++k)
    {
        const ProfileSpec& spec = options.profiles[k];
        const std::string where = "optimization profile " + std::to_string(k);
        for (const auto& e : spec.entries)
        {
            bool found = false;
            for (const ir::Tensor* t : graph.inputs)
                found = found || t->name == e.input;
            if (!found)
                return invalidConfig(where + " names '" + e.input + "', which is not a network input");
        }
        ResolvedProfile p;
        for (const ir::Tensor* t : graph.inputs)
        {
            const ProfileSpec::Entry* entry = nullptr;
            for (const auto& e : spec.entries)
                if (e.input == t->name)
                    entry = &e;
            if (!entry)
            {
                if (hasDynamicExtent(t->dims))
                    return invalidConfig(where + " has no dimensions for dynamic input '" + t->name + "' " + toString(t->dims));
                p.min.push_back(t->dims);
                p.opt.push_back(t->dims);
                p.max.push_back(t->dims);
                continue;
            }
            const Dims* sel[3] = {&entry->min, &entry->opt, &entry->max};
            for (const Dims* d : sel)
                if (d->nbDims != t->dims.nbDims)
                    return invalidConfig(where + ": input '" + t->name + "' has rank " + std::to_string(t->dims.nbDims)
                        + " but the profile gives " + toString(*d));
            for (int32_t i = 0; i < t->dims.nbDims; ++i)
            {
                const int32_t lo = entry->min.d[i], mid = entry->opt.d[i], hi = entry->max.d[i];
                if (lo < 0 || lo > mid || mid > hi)
                    return invalidConfig(where + ": input '" + t->name + "' axis " + std::to_string(i)
                        + " needs 0 <= min <= opt <= max, got " + std::to_string(lo) + ", " + std::to_string(mid) + ", " + std::to_string(hi));
                if (t->dims.d[i] >= 0 && (lo != t->dims.d[i] || hi != t->dims.d[i]))
                    return invalidConfig(where + ": input '" + t->name + "' axis " + std::to_string(i) + " is fixed at "
                        + std::to_string(t->dims.d[i]) + " in the network but the profile gives " + std::to_string(lo) + ".." + std::to_string(hi));
            }
            p.min.push_back(entry->min);
            p.opt.push_back(entry->opt);
            p.max.push_back(entry->max);
        }
        profiles.push_back(std::move(p));
    }
    return profiles;
}

} // namespace kiln::builder
