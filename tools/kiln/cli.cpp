#include "cli.h"

#include "common/io_formats.h"

#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>

namespace kiln::cli
{

bool Args::parse(int argc, char** argv, int first, const std::vector<std::string>& flags, std::string& error)
{
    for (int i = first; i < argc; ++i)
    {
        std::string a = argv[i];
        if (a.rfind("--", 0) != 0)
        {
            error = "unexpected argument '" + a + "' (options start with --)";
            return false;
        }
        a = a.substr(2);
        const size_t eq = a.find('=');
        if (eq != std::string::npos && a.compare(0, 5, "input") != 0)
        {
            mValues.emplace(a.substr(0, eq), a.substr(eq + 1));
            continue;
        }
        bool isFlag = false;
        for (const auto& f : flags)
            isFlag = isFlag || f == a;
        if (isFlag)
        {
            mValues.emplace(a, "1");
            continue;
        }
        if (i + 1 >= argc)
        {
            error = "option --" + a + " needs a value";
            return false;
        }
        mValues.emplace(a, argv[++i]);
    }
    return true;
}

std::string Args::get(const std::string& name, const std::string& fallback) const
{
    auto it = mValues.find(name);
    return it == mValues.end() ? fallback : it->second;
}

std::vector<std::string> Args::all(const std::string& name) const
{
    std::vector<std::string> v;
    auto range = mValues.equal_range(name);
    for (auto it = range.first; it != range.second; ++it)
        v.push_back(it->second);
    return v;
}

int64_t Args::getInt(const std::string& name, int64_t fallback, std::string& error) const
{
    if (!has(name))
        return fallback;
    const std::string v = get(name);
    char* end = nullptr;
    const long long x = std::strtoll(v.c_str(), &end, 10);
    if (v.empty() || *end)
    {
        error = "--" + name + " expects an integer, got '" + v + "'";
        return fallback;
    }
    return x;
}

std::vector<std::string> Args::unknown(const std::vector<std::string>& known) const
{
    std::vector<std::string> out;
    for (const auto& [k, v] : mValues)
    {
        bool ok = false;
        for (const auto& n : known)
            ok = ok || n == k;
        if (!ok)
            out.push_back(k);
    }
    return out;
}

void Logger::log(Severity severity, const char* msg) noexcept
{
    if (severity > mThreshold)
        return;
    static const char* const kNames[] = {"INTERNAL_ERROR", "ERROR", "WARNING", "INFO", "VERBOSE"};
    const int s = static_cast<int>(severity);
    std::fprintf(stderr, "[%s] %s\n", s >= 0 && s < 5 ? kNames[s] : "?", msg);
}

bool readFile(const std::string& path, std::vector<char>& bytes, std::string& error)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
    {
        error = "cannot open '" + path + "'";
        return false;
    }
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return true;
}

bool writeFile(const std::string& path, const void* data, size_t size, std::string& error)
{
    std::ofstream out(path, std::ios::binary);
    out.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
    if (!out)
    {
        error = "cannot write '" + path + "'";
        return false;
    }
    return true;
}

bool parseShapes(const std::string& text, std::map<std::string, nvinfer1::Dims>& out, std::string& error)
{
    std::stringstream ss(text);
    std::string item;
    while (std::getline(ss, item, ','))
    {
        const size_t colon = item.rfind(':');
        if (colon == std::string::npos || colon == 0)
        {
            error = "shape '" + item + "' must look like name:1x3x224x224";
            return false;
        }
        nvinfer1::Dims d{};
        d.nbDims = 0;
        std::stringstream ds(item.substr(colon + 1));
        std::string e;
        while (std::getline(ds, e, 'x'))
        {
            if (d.nbDims == nvinfer1::Dims::MAX_DIMS || e.empty() || e.find_first_not_of("0123456789") != std::string::npos)
            {
                error = "bad dimensions in '" + item + "'";
                return false;
            }
            d.d[d.nbDims++] = std::stoi(e);
        }
        out[item.substr(0, colon)] = d;
    }
    return true;
}

std::string dimsText(const nvinfer1::Dims& d)
{
    std::string s;
    for (int32_t i = 0; i < d.nbDims; ++i)
        s += (i ? "x" : "") + std::to_string(d.d[i]);
    return s.empty() ? "scalar" : s;
}

int64_t volume(const nvinfer1::Dims& d)
{
    int64_t v = 1;
    for (int32_t i = 0; i < d.nbDims; ++i)
        v *= d.d[i];
    return v;
}

size_t elementSize(nvinfer1::DataType t)
{
    switch (t)
    {
    case nvinfer1::DataType::kFLOAT:
    case nvinfer1::DataType::kINT32: return 4;
    case nvinfer1::DataType::kHALF: return 2;
    default: return 1;
    }
}

bool prepareBindings(nvinfer1::ICudaEngine& engine, nvinfer1::IExecutionContext& ctx, const Args& args, Bindings& b, std::string& error)
{
    const bool implicit = engine.hasImplicitBatchDimension();
    const int32_t nb = engine.getNbBindings() / std::max(engine.getNbOptimizationProfiles(), 1);
    b.batch = static_cast<int32_t>(args.getInt("batch", implicit ? engine.getMaxBatchSize() : 1, error));
    if (!error.empty())
        return false;
    std::map<std::string, nvinfer1::Dims> shapes;
    if (args.has("shapes") && !parseShapes(args.get("shapes"), shapes, error))
        return false;
    std::map<std::string, std::string> files;
    for (const std::string& spec : args.all("input"))
    {
        const size_t eq = spec.find('=');
        if (eq == std::string::npos)
        {
            error = "--input expects name=file.npy, got '" + spec + "'";
            return false;
        }
        files[spec.substr(0, eq)] = spec.substr(eq + 1);
    }
    // trtexec's form: --loadInputs name:file.npy[,name2:file2.npy]
    const std::string load = args.get("loadInputs");
    for (size_t pos = 0; pos < load.size();)
    {
        const size_t end = std::min(load.find(',', pos), load.size());
        const std::string spec = load.substr(pos, end - pos);
        const size_t colon = spec.rfind(':');
        if (colon == std::string::npos || colon == 0)
        {
            error = "--loadInputs expects name:file.npy[,name:file.npy], got '" + spec + "'";
            return false;
        }
        files[spec.substr(0, colon)] = spec.substr(colon + 1);
        pos = end + 1;
    }
    std::mt19937 rng(static_cast<uint32_t>(args.getInt("seed", 1, error)));
    b.buffers.assign(static_cast<size_t>(engine.getNbBindings()), {});
    b.pointers.assign(static_cast<size_t>(engine.getNbBindings()), nullptr);
    b.dims.assign(static_cast<size_t>(nb), nvinfer1::Dims{});
    for (int32_t i = 0; i < nb; ++i)
    {
        if (!engine.bindingIsInput(i))
            continue;
        const std::string name = engine.getBindingName(i);
        nvinfer1::Dims d = engine.getBindingDimensions(i);
        tools::NpyArray npy;
        const bool fromFile = files.count(name) != 0;
        if (fromFile)
        {
            if (!tools::readNpy(files[name], npy, error))
                return false;
            nvinfer1::Dims fd{};
            fd.nbDims = static_cast<int32_t>(npy.shape.size()) - (implicit ? 1 : 0);
            for (int32_t k = 0; k < fd.nbDims; ++k)
                fd.d[k] = npy.shape[static_cast<size_t>(k) + (implicit ? 1 : 0)];
            if (implicit && !npy.shape.empty())
                b.batch = npy.shape[0];
            d = fd;
        }
        else if (shapes.count(name))
            d = shapes[name];
        else
            for (int32_t k = 0; k < d.nbDims; ++k)
                if (d.d[k] < 0)
                    d = engine.getProfileDimensions(i, 0, nvinfer1::OptProfileSelector::kOPT);
        if (args.has("pgm") && i == 0)
        {
            int32_t h = 0, w = 0;
            std::vector<uint8_t> pixels;
            if (!tools::readPgm(args.get("pgm"), h, w, pixels, error))
                return false;
            std::vector<float> mean(pixels.size(), 0.f);
            if (args.has("mean"))
            {
                std::vector<int32_t> meanShape;
                if (!tools::readBlobProto(args.get("mean"), meanShape, mean, error))
                    return false;
                if (mean.size() != pixels.size())
                {
                    error = "the mean image has " + std::to_string(mean.size()) + " values, the image " + std::to_string(pixels.size());
                    return false;
                }
            }
            npy.type = nvinfer1::DataType::kFLOAT;
            npy.bytes.resize(pixels.size() * 4);
            auto* f = reinterpret_cast<float*>(npy.bytes.data());
            for (size_t k = 0; k < pixels.size(); ++k)
                f[k] = args.has("invert") ? 1.f - pixels[k] / 255.f : static_cast<float>(pixels[k]) - mean[k];
            if (implicit)
                b.batch = 1;
            else
                d.d[0] = 1;
        }
        if (!implicit && !ctx.setBindingDimensions(i, d))
        {
            error = "input '" + name + "' cannot take dimensions " + dimsText(d);
            return false;
        }
        b.dims[static_cast<size_t>(i)] = d;
        const int64_t count = volume(d) * (implicit ? b.batch : 1);
        const size_t bytes = static_cast<size_t>(count) * elementSize(engine.getBindingDataType(i));
        auto& buf = b.buffers[static_cast<size_t>(i)];
        if (!npy.bytes.empty())
        {
            if (npy.bytes.size() != bytes)
            {
                error = "input '" + name + "' needs " + std::to_string(bytes) + " bytes, the data has " + std::to_string(npy.bytes.size());
                return false;
            }
            buf = npy.bytes;
        }
        else
        {
            buf.resize(bytes);
            if (engine.getBindingDataType(i) == nvinfer1::DataType::kFLOAT)
            {
                std::uniform_real_distribution<float> dist(-1.f, 1.f);
                auto* f = reinterpret_cast<float*>(buf.data());
                for (int64_t k = 0; k < count; ++k)
                    f[k] = dist(rng);
            }
        }
        b.pointers[static_cast<size_t>(i)] = buf.data();
    }
    if (!implicit && !ctx.allInputDimensionsSpecified())
    {
        error = "not all input dimensions are specified";
        return false;
    }
    for (int32_t i = 0; i < nb; ++i)
    {
        if (engine.bindingIsInput(i))
            continue;
        const nvinfer1::Dims d = ctx.getBindingDimensions(i);
        b.dims[static_cast<size_t>(i)] = d;
        const size_t bytes = static_cast<size_t>(volume(d) * (implicit ? b.batch : 1)) * elementSize(engine.getBindingDataType(i));
        b.buffers[static_cast<size_t>(i)].assign(bytes, 0);
        b.pointers[static_cast<size_t>(i)] = b.buffers[static_cast<size_t>(i)].data();
    }
    return true;
}

} // namespace kiln::cli
