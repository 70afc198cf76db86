// IEinsumLayer and INetworkDefinition::addEinsum.
#include "api/layer_impl.h"
#include "layers/einsum.h"

#include <cstring>

namespace kiln::api
{

namespace
{

//! The equation text as stored in the params, or an error message. The number of terms must be
//! \p nbInputs unless that is negative (setEquation: inputs may still change).
Expected<std::vector<int32_t>> checkedEquation(const char* equation, int32_t nbInputs)
{
    if (!equation)
        return invalidArgument("the equation is null");
    const size_t length = std::strlen(equation);
    if (length > static_cast<size_t>(layers::EinsumParams::kMaxEquationLength))
        return invalidArgument("the equation is longer than "
            + std::to_string(layers::EinsumParams::kMaxEquationLength) + " characters");
    std::vector<int32_t> text(equation, equation + length);
    Expected<layers::EinsumEquation> parsed = layers::parseEinsumEquation(text);
    if (!parsed)
        return invalidArgument("invalid equation \"" + std::string(equation) + "\": " + parsed.status().message());
    if (nbInputs >= 0 && parsed->inputs.size() != static_cast<size_t>(nbInputs))
        return invalidArgument("the equation \"" + std::string(equation) + "\" has " + std::to_string(parsed->inputs.size())
            + " input terms for " + std::to_string(nbInputs) + " inputs");
    return text;
}

class EinsumLayer final : public LayerImpl<nvinfer1::IEinsumLayer, layers::EinsumParams>
{
public:
    using LayerImpl::LayerImpl;

    bool setEquation(const char* equation) noexcept override
    {
        Expected<std::vector<int32_t>> text = checkedEquation(equation, -1);
        if (!text)
        {
            usageError("setEquation: " + text.status().message());
            return false;
        }
        params().equation = std::move(*text);
        changed();
        return true;
    }
    const char* getEquation() const noexcept override
    {
        mEquationText = params().equationText();
        return mEquationText.c_str();
    }

private:
    mutable std::string mEquationText; //!< keeps getEquation()'s string alive until the next call
};

} // namespace

nvinfer1::IEinsumLayer* NetworkImpl::addEinsum(
    nvinfer1::ITensor* const* inputs, int32_t nbInputs, const char* equation) noexcept
{
    if (!inputs || nbInputs < 1 || nbInputs > layers::EinsumParams::kMaxInputs)
        return fail("addEinsum: needs 1 to " + std::to_string(layers::EinsumParams::kMaxInputs) + " input tensors");
    std::vector<ir::Tensor*> ins;
    for (int32_t i = 0; i < nbInputs; ++i)
    {
        ir::Tensor* t = unwrap(inputs[i], "addEinsum input");
        if (!t)
            return nullptr;
        ins.push_back(t);
    }
    Expected<std::vector<int32_t>> text = checkedEquation(equation, nbInputs);
    if (!text)
        return fail("addEinsum: " + text.status().message());
    auto params = std::make_unique<layers::EinsumParams>();
    params->equation = std::move(*text);
    return addLayer<EinsumLayer>(std::move(params), std::move(ins));
}

} // namespace kiln::api
