#include "serialize/params_codec.h"

#include "common/dtype.h"
#include "serialize/engine_format.h"

#include <algorithm>

namespace kiln::serialize
{

namespace
{

using std::to_string;

constexpr size_t kMinField = 1 + 1;
constexpr size_t kMinWeightsSlot = 4 + 8 + 8;

class FieldWriter final : public ir::FieldVisitor
{
public:
    explicit FieldWriter(ByteWriter& w)
        : mW(w)
    {
    }
    uint32_t count() const { return mCount; }

    void visit(const char*, int32_t& value) override
    {
        tag(FieldType::kInt32);
        mW.i32(value);
    }
    void visit(const char*, float& value) override
    {
        tag(FieldType::kFloat);
        mW.f32(value);
    }
    void visit(const char*, bool& value) override
    {
        tag(FieldType::kBool);
        mW.boolean(value);
    }
    void visit(const char*, nvinfer1::Dims& value) override
    {
        tag(FieldType::kDims);
        writeDims(mW, value);
    }
    void visit(const char*, std::vector<int32_t>& value) override
    {
        tag(FieldType::kInt32List);
        mW.u32(static_cast<uint32_t>(value.size()));
        for (int32_t v : value)
            mW.i32(v);
    }
    void visit(const char*, std::vector<float>& value) override
    {
        tag(FieldType::kFloatList);
        mW.u32(static_cast<uint32_t>(value.size()));
        for (float v : value)
            mW.f32(v);
    }

private:
    void tag(FieldType type)
    {
        mW.u8(static_cast<uint8_t>(type));
        ++mCount;
    }
    ByteWriter& mW;
    uint32_t mCount{0};
};

class FieldReader final : public ir::FieldVisitor
{
public:
    FieldReader(ByteReader& r, uint32_t nbFields, const std::string& who)
        : mR(r)
        , mNbFields(nbFields)
        , mWho(who)
    {
    }
    void visit(const char* name, int32_t& value) override
    {
        if (expect(name, FieldType::kInt32))
            value = mR.i32();
    }
    void visit(const char* name, float& value) override
    {
        if (expect(name, FieldType::kFloat))
            value = mR.f32();
    }
    void visit(const char* name, bool& value) override
    {
        if (expect(name, FieldType::kBool))
            value = mR.boolean();
    }
    void visit(const char* name, nvinfer1::Dims& value) override
    {
        if (expect(name, FieldType::kDims))
            value = readDims(mR, mWho + ": field '" + name + "'");
    }
    void visit(const char* name, std::vector<int32_t>& value) override
    {
        if (!expect(name, FieldType::kInt32List))
            return;
        value.assign(mR.count(4), 0);
        for (auto& v : value)
            v = mR.i32();
    }
    void visit(const char* name, std::vector<float>& value) override
    {
        if (!expect(name, FieldType::kFloatList))
            return;
        value.assign(mR.count(4), 0.f);
        for (auto& v : value)
            v = mR.f32();
    }
    void finish()
    {
        if (mR.ok() && mVisited != mNbFields)
            mR.fail(mWho + ": the file has " + to_string(mNbFields) + " fields, this Kiln reads " + to_string(mVisited));
    }

private:
    bool expect(const char* name, FieldType type)
    {
        if (!mR.ok())
            return false;
        if (mVisited >= mNbFields)
        {
            mR.fail(mWho + ": field '" + name + "' is missing (the file has " + to_string(mNbFields) + " fields)");
            return false;
        }
        ++mVisited;
        const uint8_t stored = mR.u8();
        if (mR.ok() && stored != static_cast<uint8_t>(type))
            mR.fail(mWho + ": field '" + name + "' is stored as type " + to_string(stored) + ", this Kiln reads type "
                + to_string(static_cast<int>(type)));
        return mR.ok();
    }

    ByteReader& mR;
    uint32_t mNbFields;
    uint32_t mVisited{0};
    const std::string& mWho;
};

class WeightsReader final : public ir::WeightsVisitor
{
public:
    WeightsReader(ByteReader& r, uint32_t nbSlots, const plan::WeightsBlock& block, const std::string& who)
        : mR(r)
        , mNbSlots(nbSlots)
        , mBlock(block)
        , mWho(who)
    {
    }
    void visit(const char* name, int32_t, ir::WeightsRef& weights) override
    {
        if (!mR.ok())
            return;
        const std::string what = mWho + ": weights '" + name + "'";
        if (mVisited >= mNbSlots)
            return mR.fail(what + " are missing (the file has " + to_string(mNbSlots) + " weights)");
        ++mVisited;
        const auto type = static_cast<nvinfer1::DataType>(mR.i32());
        const int64_t count = mR.i64();
        const uint64_t offset = mR.u64();
        if (!mR.ok())
            return;
        if (!isValidDataType(type))
            return mR.fail(what + " have unknown data type " + to_string(static_cast<int32_t>(type)));
        if (count < 0)
            return mR.fail(what + " have a negative count " + to_string(count));
        if (count == 0 && offset != 0)
            return mR.fail(what + " are empty but stored at offset " + to_string(offset) + " (must be 0)");
        if (count == 0)
        {
            weights = ir::WeightsRef{type, nullptr, 0};
            return;
        }
        if (type == nvinfer1::DataType::kHALF)
            return mR.fail(what + " have type HALF; engine weights are FLOAT, INT32, INT8 or BOOL");
        const uint64_t size = elementSize(type);
        if (offset % size != 0)
            return mR.fail(what + " start at offset " + to_string(offset) + ", not a multiple of " + to_string(size));
        if (offset > mBlock.size() || uint64_t(count) > (mBlock.size() - offset) / size)
            return mR.fail(what + ": " + to_string(count) + " elements at offset " + to_string(offset)
                + " do not fit in the weights block of " + to_string(mBlock.size()) + " bytes");
        weights = ir::WeightsRef{type, mBlock.data() + offset, count};
    }
    void finish()
    {
        if (mR.ok() && mVisited != mNbSlots)
            mR.fail(mWho + ": the file has " + to_string(mNbSlots) + " weights, this Kiln reads " + to_string(mVisited));
    }

private:
    ByteReader& mR;
    uint32_t mNbSlots;
    uint32_t mVisited{0};
    const plan::WeightsBlock& mBlock;
    const std::string& mWho;
};

} // namespace

void writeDims(ByteWriter& w, const nvinfer1::Dims& dims)
{
    // An out-of-range rank is written as is (the reader rejects it) but never over-read here.
    w.i32(dims.nbDims);
    const int32_t maxDims = nvinfer1::Dims::MAX_DIMS; // a copy: std::clamp would odr-use the member
    const int32_t n = std::clamp(dims.nbDims, 0, maxDims);
    for (int32_t i = 0; i < n; ++i)
        w.i32(dims.d[i]);
}

nvinfer1::Dims readDims(ByteReader& r, const std::string& what)
{
    nvinfer1::Dims dims{};
    const int32_t nbDims = r.i32();
    if (!r.ok())
        return dims;
    if (nbDims < -1 || nbDims > nvinfer1::Dims::MAX_DIMS)
    {
        r.fail(what + " has nbDims " + to_string(nbDims) + ", outside [-1, 8]");
        return dims;
    }
    dims.nbDims = nbDims;
    for (int32_t i = 0; i < nbDims; ++i)
        dims.d[i] = r.i32();
    return dims;
}

void writeFields(ByteWriter& w, const ir::LayerParams& params)
{
    const size_t countAt = w.size();
    w.u32(0);
    FieldWriter fields(w);
    params.visitFieldsConst(fields);
    w.patchU32(countAt, fields.count());
}

void readFields(ByteReader& r, ir::LayerParams& params, const std::string& who)
{
    FieldReader fields(r, r.count(kMinField), who);
    params.visitFields(fields);
    fields.finish();
}

void readWeightsSlots(ByteReader& r, ir::LayerParams& params, const plan::WeightsBlock& block, const std::string& who)
{
    WeightsReader weights(r, r.count(kMinWeightsSlot), block, who);
    params.visitWeights(weights);
    weights.finish();
}

} // namespace kiln::serialize
