#include "optimizer/optimizer.h"

#include "optimizer/pass_manager.h"

#include <cstdlib>
#include <sstream>

namespace kiln::optimizer
{

namespace
{

void appendList(std::vector<std::string>& list, const char* value)
{
    std::stringstream in(value);
    std::string item;
    while (std::getline(in, item, ','))
    {
        const auto b = item.find_first_not_of(" \t");
        const auto e = item.find_last_not_of(" \t");
        if (b != std::string::npos)
            list.push_back(item.substr(b, e - b + 1));
    }
}

} // namespace

OptimizerOptions withEnvironment(OptimizerOptions options)
{
    if (const char* v = std::getenv("KILN_VERIFY_PASSES"); v && *v)
        options.verifyPasses = std::string(v) != "0";
    if (const char* v = std::getenv("KILN_DUMP_PASSES"))
        appendList(options.dumpPasses, v);
    if (const char* v = std::getenv("KILN_DISABLE_PASSES"))
        appendList(options.disabledPasses, v);
    if (const char* v = std::getenv("KILN_STOP_AFTER_PASS"); v && *v)
    {
        char* end = nullptr;
        const long n = std::strtol(v, &end, 10);
        if (end && *end == '\0' && n >= 0 && n < 1000000)
            options.stopAfterPass = static_cast<int32_t>(n);
    }
    return options;
}

Status optimize(ir::Graph& graph, const OptimizerOptions& options, const Reporter& reporter, std::vector<PassRecord>* records)
{
    const PassManager manager(defaultPasses());
    return manager.run(graph, withEnvironment(options), reporter, records);
}

} // namespace kiln::optimizer
