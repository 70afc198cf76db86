#!/usr/bin/env python3
"""Writes the Caffe fuzzer's seed corpus: the layer cases of tests/caffe/layers/make_layer_cases.py
(each a small deploy prototxt + caffemodel with seeded weights), in the fuzzer's input layout
(flags byte, 16-bit deploy length, deploy text, caffemodel), alternating the batch mode and the
weight type. Run from anywhere; writes tests/caffe/fuzz/corpus/."""
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "layers"))
import make_layer_cases as cases  # noqa: E402


def main():
    out = os.path.join(HERE, "corpus")
    os.makedirs(out, exist_ok=True)
    for old in os.listdir(out):
        os.remove(os.path.join(out, old))
    written = 0
    for i, c in enumerate(cases.cases()):
        deploy = cases.deploy_text(c).encode()
        model = cases.model_bytes(c)
        if len(deploy) > 65535 or len(deploy) + len(model) > 20000:
            continue
        flags = (i % 2) | ((i // 2 % 2) << 1)
        with open(os.path.join(out, "%02d_%s" % (i, c.name)), "wb") as f:
            f.write(struct.pack("<BH", flags, len(deploy)) + deploy + model)
        written += 1
    print("wrote %d seeds to %s" % (written, out))


if __name__ == "__main__":
    main()
