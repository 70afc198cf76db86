// Damaged and foreign engine files: every truncation, a bit flip at every byte, random changes with
// the checksums recomputed (so the checks behind them are reached), other format and Kiln versions
// and foreign devices. Each must end in an error that says what is wrong, never in a crash (the
// sanitizer build runs these too).
#include "engine_test_plans.h"

#include "NvInferVersion.h"

#include <cstdlib>
#include <random>

namespace kiln::serialize::test
{
namespace
{

TEST(EngineFormat, EveryTruncationIsReported)
{
    const auto bytes = writeEngine(*allKindsPlan().plan);
    const size_t weightsAt = mapFile(bytes).sections[4].first + kSectionFrameSize;
    for (size_t len = 0; len < bytes.size(); len += (len < weightsAt ? 1 : 61))
    {
        const std::vector<uint8_t> cut(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(len));
        const std::string error = readError(cut);
        ASSERT_EQ(error.rfind("truncated: section '", 0), 0u) << "length " << len << ": " << error;
    }
    EXPECT_EQ(readError({}), "truncated: section 'header' needs 8 bytes, 0 left");
    auto longer = bytes;
    longer.push_back(0);
    EXPECT_EQ(readError(longer), "1 unexpected bytes after the last section");
}

TEST(EngineFormat, EveryFlippedByteIsReported)
{
    const auto bytes = writeEngine(*allKindsPlan().plan);
    const FileMap map = mapFile(bytes);
    ASSERT_EQ(map.sections.size(), kNbSections);
    ASSERT_EQ(map.sections.back().second, bytes.size());
    const size_t weightsAt = map.sections[4].first + kSectionFrameSize;
    for (size_t i = 0; i < bytes.size(); i += (i < weightsAt || i + 8 > bytes.size() ? 1 : 61))
    {
        for (uint8_t mask : {uint8_t(1u << (i % 8)), uint8_t(0xFF)})
        {
            auto bad = bytes;
            bad[i] ^= mask;
            const std::string error = readError(bad);
            std::string where = "section 'header'";
            for (uint32_t s = 0; s < kNbSections; ++s)
            {
                if (i >= map.sections[s].first && i < map.sections[s].second)
                    where = std::string("section '") + sectionName(kSectionOrder[s]) + "'";
            }
            if (i < 8)
            {
                EXPECT_EQ(error, "not a Kiln engine file (bad magic)") << i;
            }
            else if (i < 12)
            {
                EXPECT_EQ(error.rfind("engine format version ", 0), 0u) << i << ": " << error;
            }
            else
            {
                // Header size and section lengths may also read as a truncation.
                const bool named = error.find(where) != std::string::npos;
                const bool checksum = error.rfind("checksum mismatch in ", 0) == 0;
                const bool truncated = error.rfind("truncated: ", 0) == 0 || error.find("too small") != std::string::npos;
                EXPECT_TRUE(named && (checksum || truncated))
                    << i << ": " << error;
            }
        }
    }
}

TEST(EngineFormat, ResealedMutationsAreRejectedOrCanonical)
{
    // Checksums recomputed after each change, so the checks behind them see the damage.
    // KILN_ENGINE_FUZZ_ITERATIONS=200000 runs a longer search.
    const auto bytes = writeEngine(*allKindsPlan().plan);
    const size_t end = mapFile(bytes).sections[4].first + kSectionFrameSize;
    std::mt19937 rng(20240611);
    const uint8_t kValues[] = {0, 1, 0x7F, 0x80, 0xFF};
    int accepted = 0;
    const char* env = std::getenv("KILN_ENGINE_FUZZ_ITERATIONS"); // longer runs by hand
    const int iterations = env ? std::atoi(env) : 2000;
    for (int iteration = 0; iteration < iterations; ++iteration)
    {
        auto bad = bytes;
        for (int k = 0; k <= iteration % 3; ++k)
        {
            const size_t at = 16 + rng() % (end - 16);
            const uint32_t pick = rng() % 8;
            bad[at] = pick < 5 ? kValues[pick] : pick == 5 ? static_cast<uint8_t>(bad[at] + 1) : static_cast<uint8_t>(rng());
        }
        reseal(bad);
        auto result = readEngine(bad.data(), bad.size(), backends::Allocator());
        if (result.isOk())
        {
            ++accepted;
            ASSERT_EQ(writeEngine(*result.value()), bad) << "iteration " << iteration; // one encoding per plan
        }
        else
            ASSERT_FALSE(result.status().message().empty());
    }
    EXPECT_GT(accepted, 0);
}

TEST(EngineFormat, ForeignVersionsAndDevicesAreNamed)
{
    auto p = activationPlan();
    const auto bytes = writeEngine(*p);
    auto bad = bytes;
    bad[0] = 'X';
    EXPECT_EQ(readError(bad), "not a Kiln engine file (bad magic)");
    EXPECT_EQ(readError({'K', 'I', 'L'}), "truncated: section 'header' needs 8 bytes, 3 left");

    bad = bytes;
    bad[8] = 5;
    EXPECT_EQ(readError(bad), "engine format version 5, this Kiln reads version 4");
    reseal(bad);
    EXPECT_EQ(readError(bad), "engine format version 5, this Kiln reads version 4");

    // Another Kiln version of the same length, checksums recomputed.
    bad = bytes;
    const std::string version = KILN_VERSION_STRING;
    ASSERT_EQ(0, std::memcmp(bad.data() + 20, version.data(), version.size()));
    bad[20 + version.size() - 1] ^= 0x01;
    const std::string other(reinterpret_cast<const char*>(bad.data()) + 20, version.size());
    EXPECT_EQ(readError(bad), "checksum mismatch in section 'header'");
    reseal(bad);
    EXPECT_EQ(readError(bad), "built by Kiln " + other + ", this is Kiln " + version);

    const auto foreign = [&](const std::function<void(backends::DeviceFingerprint&)>& change) {
        auto plan = activationPlan();
        change(plan->device);
        const std::string error = readError(writeEngine(*plan));
        EXPECT_EQ(error.rfind("built for " + plan->device.describe() + ": ", 0), 0u) << error;
        return error;
    };
    EXPECT_NE(foreign([](auto& d) { d.kind = backends::DeviceKind::kCUDA; }).find("CUDA"), std::string::npos);
    EXPECT_NE(foreign([](auto& d) { d.arch = "aarch64"; }).find("'aarch64'"), std::string::npos);
    EXPECT_NE(foreign([](auto& d) { d.features = 0xFFFFFFFFu; }).find("lacks"), std::string::npos);
}

TEST(EngineFormat, TensorLayoutsAreChecked)
{
    auto withLayout = [](size_t tensor, int32_t layout) {
        auto p = activationPlan();
        p->tensors[tensor].layout = static_cast<ir::Layout>(layout);
        return readError(writeEngine(*p));
    };
    // An internal FLOAT tensor may be blocked (whether its layers' tactics can read it is the
    // runtime's check, at load).
    EXPECT_EQ(withLayout(1, static_cast<int32_t>(ir::Layout::kChannels8)), "<no error>");
    EXPECT_NE(withLayout(1, 7).find("unknown layout 7"), std::string::npos);
    EXPECT_NE(withLayout(1, -1).find("unknown layout -1"), std::string::npos);
    EXPECT_NE(withLayout(0, static_cast<int32_t>(ir::Layout::kChannels16)).find("is a binding and must be row-major"), std::string::npos);
    EXPECT_NE(withLayout(2, static_cast<int32_t>(ir::Layout::kChannels8)).find("only FLOAT execution tensors"), std::string::npos);
}

} // namespace
} // namespace kiln::serialize::test
