// What the MNIST-kit compat programs share, in the spirit of TensorRT's samples/common: a logger,
// the PGM reader the 7.x samples use, the kit's validation file list and the README's accuracy
// figures. C++11, header-only, public API only.
#ifndef KILN_COMPAT_MNIST_KIT_H
#define KILN_COMPAT_MNIST_KIT_H

#include "NvInfer.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <dirent.h>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace mnistkit
{

const int kH = 28;
const int kW = 28;

class Logger : public nvinfer1::ILogger
{
public:
    void log(Severity severity, const char* msg) override
    {
        if (severity <= Severity::kWARNING)
            std::cerr << "[TRT] " << msg << std::endl;
    }
};

//! readPGMFile of the 7.x samples: four whitespace-separated tokens, one byte, then H·W pixels.
inline bool readPGM(const std::string& fileName, std::vector<uint8_t>& pixels)
{
    std::ifstream infile(fileName.c_str(), std::ifstream::binary);
    if (!infile.is_open())
        return false;
    std::string magic, h, w, max;
    infile >> magic >> h >> w >> max;
    infile.seekg(1, infile.cur);
    pixels.resize(kH * kW);
    infile.read(reinterpret_cast<char*>(pixels.data()), kH * kW);
    return infile.good();
}

//! The val/ image names (<label>_<index>.pgm), sorted.
inline std::vector<std::string> valFiles(const std::string& dir)
{
    std::vector<std::string> files;
    if (DIR* d = opendir((dir + "/val").c_str()))
    {
        while (dirent* e = readdir(d))
        {
            const std::string name = e->d_name;
            if (name.size() > 4 && name.substr(name.size() - 4) == ".pgm")
                files.push_back(name);
        }
        closedir(d);
    }
    std::sort(files.begin(), files.end());
    return files;
}

//! The README's accuracy for \p key (caffe, wts, onnx, uff) in percent, from its "kit-accuracy"
//! comment: "<key>=<correct> ... n=<total>".
inline bool kitAccuracy(const std::string& dir, const std::string& key, double& percent)
{
    std::ifstream in((dir + "/README.md").c_str());
    std::string line;
    while (std::getline(in, line))
    {
        const size_t at = line.find("kit-accuracy");
        if (at == std::string::npos)
            continue;
        int correct = -1, total = -1;
        std::istringstream words(line.substr(at));
        std::string word;
        while (words >> word)
        {
            if (word.compare(0, key.size() + 1, key + "=") == 0)
                correct = std::atoi(word.c_str() + key.size() + 1);
            if (word.compare(0, 2, "n=") == 0)
                total = std::atoi(word.c_str() + 2);
        }
        if (correct >= 0 && total > 0)
        {
            percent = 100.0 * correct / total;
            return true;
        }
    }
    return false;
}

//! The per-pixel mean from mnist_mean.binaryproto (a Caffe BlobProto: packed floats in field 5).
inline std::vector<float> readMean(const std::string& file)
{
    std::ifstream in(file.c_str(), std::ios::binary);
    std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<float> mean;
    size_t p = 0;
    while (p < bytes.size())
    {
        uint64_t key = 0;
        for (int shift = 0; p < bytes.size(); shift += 7)
        {
            key |= uint64_t(bytes[p] & 0x7F) << shift;
            if (!(bytes[p++] & 0x80))
                break;
        }
        const int wire = static_cast<int>(key & 7);
        uint64_t v = 0;
        if (wire == 0 || wire == 2)
            for (int shift = 0; p < bytes.size(); shift += 7)
            {
                v |= uint64_t(bytes[p] & 0x7F) << shift;
                if (!(bytes[p++] & 0x80))
                    break;
            }
        if ((key >> 3) == 5 && wire == 2 && p + v <= bytes.size())
        {
            mean.resize(v / 4);
            std::memcpy(mean.data(), &bytes[p], v);
        }
        if (wire == 2)
            p += static_cast<size_t>(v);
        else if (wire == 5)
            p += 4;
        else if (wire == 1)
            p += 8;
    }
    return mean;
}

//! Classifies the val/ images in batches of up to \p maxBatch: classify(pixels, batch, best) gets
//! batch·784 PGM bytes and fills the argmax of each image; false stops the scoring.
template <typename Classify>
void scoreVal(const std::string& dir, int maxBatch, Classify classify, int& correct, int& total)
{
    const std::vector<std::string> files = valFiles(dir);
    correct = total = 0;
    for (size_t start = 0; start < files.size(); start += maxBatch)
    {
        const int batch = static_cast<int>(std::min<size_t>(maxBatch, files.size() - start));
        std::vector<uint8_t> pixels;
        for (int b = 0; b < batch; ++b)
        {
            std::vector<uint8_t> image;
            if (!readPGM(dir + "/val/" + files[start + b], image))
                image.assign(kH * kW, 255);
            pixels.insert(pixels.end(), image.begin(), image.end());
        }
        std::vector<int> best;
        if (!classify(pixels, batch, best))
            return;
        for (int b = 0; b < batch; ++b, ++total)
            correct += best[b] == files[start + b][0] - '0' ? 1 : 0;
    }
}

//! Prints the accuracy next to the README's figure for \p key and the sample's verdict line;
//! passes when no digit failed, every val/ image was scored and the accuracy is within 0.5 points.
inline bool verdict(const std::string& dir, const std::string& key, const std::string& sample, int digitFailures,
    int correct, int total)
{
    double expected = -1.0;
    const bool haveFigure = kitAccuracy(dir, key, expected);
    const double accuracy = total ? 100.0 * correct / total : 0.0;
    std::cout << "val accuracy: " << correct << " / " << total << " (" << accuracy << " %), kit README: " << expected
              << " %" << std::endl;
    const bool pass = digitFailures == 0 && total > 0 && total == static_cast<int>(valFiles(dir).size()) && haveFigure
        && std::fabs(accuracy - expected) <= 0.5;
    std::cout << (pass ? "&&&& PASSED " : "&&&& FAILED ") << sample << std::endl;
    return pass;
}

} // namespace mnistkit

#endif // KILN_COMPAT_MNIST_KIT_H
