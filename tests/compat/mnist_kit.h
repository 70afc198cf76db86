// What the MNIST-kit compat programs share, in the spirit of TensorRT's samples/common: a logger,
// the PGM reader the 7.x samples use, the kit's validation file list and the README's accuracy
// figures. C++11, header-only, public API only.
#ifndef KILN_COMPAT_MNIST_KIT_H
#define KILN_COMPAT_MNIST_KIT_H

#include "NvInfer.h"

#include <algorithm>
#include <cstdlib>
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

} // namespace mnistkit

#endif // KILN_COMPAT_MNIST_KIT_H
