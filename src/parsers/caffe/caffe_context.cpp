#include "caffe_context.h"

#include <cmath>
#include <cstring>
#include <limits>

namespace kiln
{
namespace caffeparser
{

// ---- weights ------------------------------------------------------------------------------------

nvinfer1::Weights WeightsArena::make(const std::vector<float>& values)
{
    if (mType != nvinfer1::DataType::kHALF)
        return makeFloat(values);
    mHalves.push_back(std::make_unique<std::vector<uint16_t>>(values.size()));
    std::vector<uint16_t>& halves = *mHalves.back();
    for (size_t i = 0; i < values.size(); ++i)
        halves[i] = floatToHalf(values[i]);
    return nvinfer1::Weights{nvinfer1::DataType::kHALF, halves.data(), static_cast<int64_t>(halves.size())};
}

nvinfer1::Weights WeightsArena::makeFloat(const std::vector<float>& values)
{
    mFloats.push_back(std::make_unique<std::vector<float>>(values));
    const std::vector<float>& stored = *mFloats.back();
    return nvinfer1::Weights{nvinfer1::DataType::kFLOAT, stored.data(), static_cast<int64_t>(stored.size())};
}

std::vector<int64_t> blobShape(const kiln::caffe::BlobProto& blob)
{
    std::vector<int64_t> shape;
    if (blob.has_shape())
    {
        for (int64_t d : blob.shape().dim())
            shape.push_back(d);
        return shape;
    }
    if (blob.has_num() || blob.has_channels() || blob.has_height() || blob.has_width())
    {
        // Legacy 4-D blobs write 1 for unused leading dims; keep all four.
        shape = {blob.num(), blob.channels(), blob.height(), blob.width()};
    }
    return shape;
}

bool blobValues(const kiln::caffe::BlobProto& blob, std::vector<float>& values, std::string& error)
{
    values.clear();
    if (blob.data_size() > 0)
        values.assign(blob.data().begin(), blob.data().end());
    else if (blob.double_data_size() > 0)
        values.assign(blob.double_data().begin(), blob.double_data().end());
    else if (blob.has_raw_data())
    {
        const std::string& raw = blob.raw_data();
        const kiln::caffe::RawType type = blob.has_raw_data_type() ? blob.raw_data_type() : kiln::caffe::FLOAT;
        size_t size = 0;
        switch (type)
        {
        case kiln::caffe::FLOAT: size = 4; break;
        case kiln::caffe::FLOAT16: size = 2; break;
        case kiln::caffe::DOUBLE: size = 8; break;
        default:
            error = "raw_data has type " + kiln::caffe::RawType_Name(type) + "; only FLOAT, FLOAT16 and DOUBLE are read";
            return false;
        }
        if (raw.size() % size != 0)
        {
            error = "raw_data holds " + std::to_string(raw.size()) + " bytes, not a whole number of "
                + kiln::caffe::RawType_Name(type) + " values";
            return false;
        }
        values.resize(raw.size() / size);
        for (size_t i = 0; i < values.size(); ++i)
        {
            const char* p = raw.data() + i * size;
            if (type == kiln::caffe::FLOAT)
                std::memcpy(&values[i], p, 4);
            else if (type == kiln::caffe::DOUBLE)
            {
                double d;
                std::memcpy(&d, p, 8);
                values[i] = static_cast<float>(d);
            }
            else
            {
                uint16_t h;
                std::memcpy(&h, p, 2);
                values[i] = halfToFloat(h);
            }
        }
    }
    const std::vector<int64_t> shape = blobShape(blob);
    if (!shape.empty())
    {
        int64_t count = 1;
        for (int64_t d : shape)
        {
            if (d < 0 || (d > 0 && count > std::numeric_limits<int32_t>::max() / d))
            {
                error = "the blob's shape has a negative or too large dimension";
                return false;
            }
            count *= d;
        }
        if (count != static_cast<int64_t>(values.size()))
        {
            error = "the blob's shape holds " + std::to_string(count) + " values but it has "
                + std::to_string(values.size());
            return false;
        }
    }
    return true;
}

// ---- layer context ------------------------------------------------------------------------------

std::string LayerContext::where() const
{
    return "layer '" + layer.name() + "' (" + layer.type() + ")";
}

bool LayerContext::fail(const std::string& message, nvinfer1::ErrorCode code) const
{
    diag.error(code, where() + ": " + message);
    return false;
}

bool LayerContext::expectInputs(int minInputs, int maxInputs) const
{
    const int n = static_cast<int>(inputs.size());
    if (n >= minInputs && n <= maxInputs)
        return true;
    const std::string want = minInputs == maxInputs ? std::to_string(minInputs)
                                                    : std::to_string(minInputs) + " to " + std::to_string(maxInputs);
    return fail("has " + std::to_string(n) + " bottom(s); expected " + want);
}

bool LayerContext::check(nvinfer1::ILayer* created, const std::string& suffix) const
{
    if (!created)
        return fail("the network refused the layer" + (suffix.empty() ? std::string() : " (" + suffix + ")")
            + "; the error above says why");
    const std::string name = suffix.empty() ? layer.name() : layer.name() + "/" + suffix;
    created->setName(name.c_str());
    return true;
}

bool LayerContext::tensorAxis(const nvinfer1::ITensor& tensor, int64_t axis, int32_t& out) const
{
    const int32_t rank = tensor.getDimensions().nbDims;
    const int32_t caffeRank = rank + (implicitBatch ? 1 : 0);
    const int64_t a = axis < 0 ? axis + caffeRank : axis;
    if (a < 0 || a >= caffeRank)
        return fail("axis " + std::to_string(axis) + " is out of range for a blob of " + std::to_string(caffeRank)
            + " axes");
    if (implicitBatch && a == 0)
        return fail("axis 0 is the batch axis, which an implicit-batch network does not expose; build the "
                    "network with kEXPLICIT_BATCH to use it");
    out = static_cast<int32_t>(a - (implicitBatch ? 1 : 0));
    return true;
}

int LayerContext::blobCount() const
{
    return blobs ? static_cast<int>(blobs->size()) : 0;
}

bool LayerContext::blob(int index, int64_t expected, std::vector<float>& values,
    const std::function<float(int64_t)>& generate) const
{
    if (!blobs)
    {
        if (expected < 0)
            return fail("needs weight blob " + std::to_string(index) + " and no model was given");
        values.resize(static_cast<size_t>(expected));
        for (int64_t i = 0; i < expected; ++i)
            values[static_cast<size_t>(i)] = generate ? generate(i) : 0.f;
        return true;
    }
    if (index >= static_cast<int>(blobs->size()))
        return fail("the caffemodel has " + std::to_string(blobs->size()) + " blob(s) for this layer; weight blob "
            + std::to_string(index) + " is missing");
    std::string error;
    if (!blobValues(*(*blobs)[static_cast<size_t>(index)], values, error))
        return fail("blob " + std::to_string(index) + ": " + error);
    if (expected >= 0 && static_cast<int64_t>(values.size()) != expected)
        return fail("blob " + std::to_string(index) + " has " + std::to_string(values.size())
            + " values; the layer needs " + std::to_string(expected));
    return true;
}

nvinfer1::ITensor* LayerContext::reshape(nvinfer1::ITensor& tensor, const nvinfer1::Dims& dims, const std::string& suffix)
{
    nvinfer1::IShuffleLayer* shuffle = network.addShuffle(tensor);
    if (!check(shuffle, suffix))
        return nullptr;
    shuffle->setReshapeDimensions(dims);
    return shuffle->getOutput(0);
}

nvinfer1::ITensor* LayerContext::channelConstant(
    const std::vector<float>& values, int32_t rank, int32_t axis, const std::string& suffix)
{
    nvinfer1::Dims dims{};
    dims.nbDims = rank;
    for (int32_t i = 0; i < rank; ++i)
        dims.d[i] = i == axis ? static_cast<int32_t>(values.size()) : 1;
    nvinfer1::IConstantLayer* constant = network.addConstant(dims, weights.makeFloat(values));
    if (!check(constant, suffix))
        return nullptr;
    return constant->getOutput(0);
}

std::map<std::string, LayerConverter>& layerRegistry()
{
    static std::map<std::string, LayerConverter> registry;
    return registry;
}

} // namespace caffeparser
} // namespace kiln
