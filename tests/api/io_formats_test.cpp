// The tool's file readers: .npy round trips (the format `kiln run` reads and writes), and clear
// errors for malformed .wts, .pgm and .npy files.
#include "common/io_formats.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <fstream>

namespace
{

using kiln::tools::NpyArray;

std::string tempPath(const std::string& name)
{
    return ::testing::TempDir() + "/kiln_io_" + name;
}

TEST(IoFormats, NpyRoundTripsEveryType)
{
    for (auto type : {nvinfer1::DataType::kFLOAT, nvinfer1::DataType::kINT32, nvinfer1::DataType::kBOOL})
        for (const std::vector<int32_t>& shape : {std::vector<int32_t>{2, 3, 4}, {7}, {1, 1}})
        {
            NpyArray a;
            a.type = type;
            a.shape = shape;
            a.bytes.resize(static_cast<size_t>(a.count()) * (type == nvinfer1::DataType::kBOOL ? 1 : 4));
            for (size_t i = 0; i < a.bytes.size(); ++i)
                a.bytes[i] = static_cast<uint8_t>(type == nvinfer1::DataType::kBOOL ? i % 2 : i * 7);
            std::string error;
            const std::string path = tempPath("a.npy");
            ASSERT_TRUE(kiln::tools::writeNpy(path, a, error)) << error;
            NpyArray b;
            ASSERT_TRUE(kiln::tools::readNpy(path, b, error)) << error;
            EXPECT_EQ(b.type, a.type);
            EXPECT_EQ(b.shape, a.shape);
            EXPECT_EQ(b.bytes, a.bytes);
            // The header is a multiple of 64 bytes, as NumPy writes it.
            std::ifstream in(path, std::ios::binary);
            std::vector<char> raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
            EXPECT_EQ((raw.size() - a.bytes.size()) % 64, 0u);
        }
}

TEST(IoFormats, MalformedFilesAreReported)
{
    std::string error;
    const std::string path = tempPath("bad");
    {
        std::ofstream(path) << "2\nconv1 0 3 3f800000 40000000\n";
    }
    kiln::tools::WtsMap wts;
    EXPECT_FALSE(kiln::tools::readWts(path, wts, error));
    EXPECT_NE(error.find("ends after 2 of 3"), std::string::npos) << error;
    int32_t h = 0, w = 0;
    std::vector<uint8_t> pixels;
    {
        std::ofstream(path) << "P5\n28 28\n255\nshort";
    }
    EXPECT_FALSE(kiln::tools::readPgm(path, h, w, pixels, error));
    EXPECT_NE(error.find("truncated"), std::string::npos) << error;
    NpyArray a;
    EXPECT_FALSE(kiln::tools::readNpy(path, a, error));
    EXPECT_NE(error.find("not a .npy"), std::string::npos) << error;
    EXPECT_FALSE(kiln::tools::readNpy(tempPath("missing.npy"), a, error));
    std::vector<int32_t> shape;
    std::vector<float> data;
    EXPECT_FALSE(kiln::tools::readBlobProto(path, shape, data, error));
    std::remove(path.c_str());
}

TEST(IoFormats, TheKitsMeanImage)
{
    std::vector<int32_t> shape;
    std::vector<float> mean;
    std::string error;
    ASSERT_TRUE(kiln::tools::readBlobProto(std::string(KILN_DATA_DIR) + "/mnist/mnist_mean.binaryproto", shape, mean, error)) << error;
    EXPECT_EQ(shape, (std::vector<int32_t>{1, 1, 28, 28}));
    ASSERT_EQ(mean.size(), 784u);
    EXPECT_FLOAT_EQ(mean[0], 255.f); // the border is always paper
    float sum = 0;
    for (float m : mean)
        sum += m;
    EXPECT_NEAR(sum / 784.f, 221.2f, 0.1f); // the kit's README: average 221.2
}

} // namespace
