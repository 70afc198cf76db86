// kiln: build, run, benchmark and inspect engines (Kiln's trtexec).
#include "cli.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <unistd.h>

namespace
{

void usage(FILE* out)
{
    std::fprintf(out,
        "usage: kiln <command> [options]\n"
        "\n"
        "commands:\n"
        "  build    build an engine and save it\n"
        "  run      run one inference; outputs go to <outputDir>/<name>.npy\n"
        "  bench    measure build time, latency (min/median/p99), throughput and per-layer times\n"
        "  inspect  show an engine's bindings, layers, chosen kernels and memory plan\n"
        "  refit    give a refittable engine (build --refit) new weights and save it\n"
        "\n"
        "network (build, or run/bench without --loadEngine):\n"
        "  --onnx model.onnx        an ONNX model (explicit batch)\n"
        "  --shapes name:1x3x8x8[,...]                   dims of dynamic inputs (profile min = opt = max,\n"
        "                                                and the dims run/bench use)\n"
        "  --minShapes/--optShapes/--maxShapes name:dims  an optimization profile for dynamic inputs\n"
        "  --deploy f.prototxt [--model f.caffemodel] --output blob[,blob]\n"
        "                           a Caffe model (explicit batch; --implicit for implicit batch;\n"
        "                           no --model: generated weights)\n"
        "  --uff f.uff --uffInput name,C,H,W [--uffNHWC] --output name\n"
        "                           a UFF model (implicit batch; --uffNHWC: the input dims are H,W,C)\n"
        "  --halfWeights            (Caffe, UFF) parse with kHALF weights\n"
        "  --zoo lenet|resnet18|resnet50   a network defined through the API\n"
        "  --weights f.wts          LeNet weights in TensorRT's .wts format (else seeded random)\n"
        "  --implicit               implicit-batch network (default: explicit batch)\n"
        "  --batch N                max batch size (and the batch run/bench use)\n"
        "  --input-size S           ResNet input extent (default 224)   --classes K (default 1000)\n"
        "  --workspace MiB          max workspace per layer (default 1024)\n"
        "  --fp16 / --int8          accepted; not honoured on the CPU yet (a warning says so)\n"
        "  --refit                  a refittable engine (BuilderFlag::kREFIT) for 'kiln refit'\n"
        "  --seed N                 weights and random inputs\n"
        "tactic selection (build):\n"
        "  --timingCache f          load, update and save a timing cache file (missing: start empty)\n"
        "  --ignoreTimingCacheMismatch   use a cache made on another machine\n"
        "  --noTimingCache          time every layer (kDISABLE_TIMING_CACHE)\n"
        "  --minTiming N --avgTiming N   timing iterations (defaults 1 and 8)\n"
        "  --profilingVerbosity detailed|layer_names_only|none   detailed keeps every candidate's time\n"
        "                           in the engine for 'kiln inspect'\n"
        "  --tactics a[,b]          only tactics whose names contain a or b, for the kinds that have\n"
        "                           such tactics ('reference': a reference-only engine); as KILN_TACTICS\n"
        "engine files:\n"
        "  --saveEngine f           (build) write the engine\n"
        "  --loadEngine f           (run, bench, inspect) read an engine\n"
        "inputs (run, bench):\n"
        "  --input name=x.npy       input data (float32/int32/bool .npy); others are random\n"
        "  --loadInputs name:x.npy[,name:y.npy]   the same, trtexec's form\n"
        "  (dynamic inputs run with --shapes, else the profile's kOPT)\n"
        "  --pgm f.pgm [--mean m.binaryproto] [--invert]   an MNIST image as input 0\n"
        "refit:\n"
        "  kiln refit --loadEngine in.engine --weights w.npz|w.wts [--onnx model.onnx] --saveEngine out.engine\n"
        "                           sets every array of the file: names '<layer>:<role>' (role: kernel, bias,\n"
        "                           shift, scale, constant) address a layer; with --onnx, the model's\n"
        "                           initializer names map through the parser's refit map. .npz: np.savez or\n"
        "                           np.savez_compressed of float32/float16/int32 C-order arrays; .wts:\n"
        "                           TensorRT's sample format. Unknown names and weights still missing (parts\n"
        "                           of a fused group) are listed and fail the command\n"
        "other:\n"
        "  --outputDir d            (run) where outputs go (default .)\n"
        "  --iterations N --warmup N  (bench) timed and untimed runs (default 20 and 2)\n"
        "  --json                   (inspect) JSON instead of text\n"
        "  --verbose                builder and runtime log at kVERBOSE\n"
        "\n"
        "threads: KILN_NUM_THREADS (default: all hardware threads); oneDNN's OpenMP threads use the\n"
        "same count. kiln runs with OMP_WAIT_POLICY=passive unless it is set.\n");
}

//! oneDNN's OpenMP threads spin after each call by default and then compete with Kiln's own pool
//! for the cores. libgomp reads OMP_WAIT_POLICY when it loads, before main(): so when it is unset,
//! kiln sets it to passive and starts itself again.
void passiveOpenMp(char** argv)
{
    if (std::getenv("OMP_WAIT_POLICY"))
        return;
    setenv("OMP_WAIT_POLICY", "passive", 1);
    execv("/proc/self/exe", argv);
    // If that fails, run on with OpenMP's default policy.
}

} // namespace

int main(int argc, char** argv)
{
    passiveOpenMp(argv);
    if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") || !std::strcmp(argv[1], "help"))
    {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const std::string cmd = argv[1];
    if (cmd == "build")
        return kiln::cli::commandBuild(argc, argv);
    if (cmd == "run")
        return kiln::cli::commandRun(argc, argv);
    if (cmd == "bench")
        return kiln::cli::commandBench(argc, argv);
    if (cmd == "inspect")
        return kiln::cli::commandInspect(argc, argv);
    if (cmd == "refit")
        return kiln::cli::commandRefit(argc, argv);
    std::fprintf(stderr, "kiln: unknown command '%s'\n\n", cmd.c_str());
    usage(stderr);
    return 2;
}
