#!/usr/bin/env python3
"""The same int8 network and weights in ONNX Runtime (QDQ, per-channel weights, 1 thread) beside the generated
predictor, measured in one run: batch-1 latency and batch-64 throughput, and the ratio.

Usage (repository root, after `swift build -c release --product digits`):
    python3 Benchmarks/compare_onnx.py [MODEL...]
Needs the Python packages onnx, onnxruntime and numpy; skipped with a message when they are absent.
The network comes from `digits export-int8 MODEL` (the lowered int8 model the generated code was compiled from):
every conv/dense becomes DequantizeLinear(int8 weights, per-channel scales) → Conv/Gemm → [Relu] →
QuantizeLinear/DequantizeLinear with our activation scales and zero points, which ORT fuses into QLinearConv /
QGemm. The same network also runs in LiteRT (ai-edge-litert, its interpreter with the default XNNPACK delegate,
1 thread): Benchmarks/tflite_export.py writes the .tflite flatbuffer directly (no TensorFlow). Each runtime is
skipped with a message when its package is absent. Ratios are against the better of the two runtimes.
"""
import json
import re
import statistics
import subprocess
import sys
import time

import gzip
import os

try:
    import numpy as np
except ImportError:
    print("skipped: numpy is not installed (pip install numpy onnx onnxruntime ai-edge-litert)")
    sys.exit(0)
try:
    import onnx
    import onnxruntime as ort
    from onnx import TensorProto, helper, numpy_helper
except ImportError as error:
    print(f"ONNX Runtime skipped: {error.name} is not installed (pip install onnx onnxruntime)")
    ort = None
try:
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import tflite_export
    from ai_edge_litert.interpreter import Interpreter
except ImportError as error:
    print(f"LiteRT skipped: {error.name} is not installed (pip install ai-edge-litert flatbuffers)")
    Interpreter = None

DIGITS = ".build/release/digits"


def build(model):
    nodes, inits = [], []

    def const(name, array):
        inits.append(numpy_helper.from_array(array, name))
        return name

    def qdq(x, scale, zero, name, keep_quantized=False):
        s = const(name + "_scale", np.array(scale, np.float32))
        z = const(name + "_zero", np.array(zero, np.int8))
        nodes.append(helper.make_node("QuantizeLinear", [x, s, z], [name + "_q"]))
        if keep_quantized:
            return name + "_q"
        nodes.append(helper.make_node("DequantizeLinear", [name + "_q", s, z], [name + "_dq"]))
        return name + "_dq"

    s_in, zp_in = model["input"]["scale"], model["input"]["zeroPoint"]
    tensors = {"input": qdq("pixels", s_in, zp_in, "input")}
    quant = {"input": (s_in, zp_in)}
    layers = model["layers"]
    for index, layer in enumerate(layers):
        name, kind = layer["name"], layer["kind"]
        sources = [tensors[i] for i in layer["inputs"]]
        out = name + "_out"
        if kind in ("conv2d", "dense"):
            s_x, zp_x = quant[layer["inputs"][0]]
            scales = np.array(layer["weightScales"], np.float32)
            channels = len(scales)
            w = np.array(layer["weights"], np.int8)
            # Our bias has −zp_in·Σw folded in (docs/quantization.md §3); ONNX subtracts zero points itself.
            bias = np.array(layer["bias"], np.int64) + zp_x * w.reshape(channels, -1).astype(np.int64).sum(1)
            if kind == "conv2d":
                kh, kw = layer["kernel"]
                w = w.reshape(channels, -1, kh, kw)
            else:
                w = w.reshape(channels, -1)
            wq = const(name + "_w", w)
            ws = const(name + "_ws", scales)
            wz = const(name + "_wz", np.zeros(channels, np.int8))
            nodes.append(helper.make_node("DequantizeLinear", [wq, ws, wz], [name + "_wdq"], axis=0))
            bq = const(name + "_b", bias.astype(np.int32))
            bs = const(name + "_bs", (s_x * scales).astype(np.float32))
            bz = const(name + "_bz", np.zeros(channels, np.int32))
            nodes.append(helper.make_node("DequantizeLinear", [bq, bs, bz], [name + "_bdq"], axis=0))
            if kind == "conv2d":
                t, l, b, r = layer["pads"][0], layer["pads"][1], layer["pads"][2], layer["pads"][3]
                nodes.append(helper.make_node("Conv", [sources[0], name + "_wdq", name + "_bdq"], [out],
                                              kernel_shape=layer["kernel"], strides=layer["stride"],
                                              pads=[t, l, b, r], group=layer["groups"]))
            else:
                nodes.append(helper.make_node("Gemm", [sources[0], name + "_wdq", name + "_bdq"], [out], transB=1))
        elif kind == "maxpool":
            t, l, b, r = layer["pads"]
            nodes.append(helper.make_node("MaxPool", sources, [out], kernel_shape=layer["kernel"],
                                          strides=layer["stride"], pads=[t, l, b, r]))
        elif kind == "global_avgpool":
            nodes.append(helper.make_node("GlobalAveragePool", sources, [name + "_gap"]))
            nodes.append(helper.make_node("Flatten", [name + "_gap"], [out], axis=1))
        elif kind == "add":
            nodes.append(helper.make_node("Add", sources, [out]))
        elif kind == "flatten":
            nodes.append(helper.make_node("Flatten", sources, [out], axis=1))
        elif kind == "relu":
            nodes.append(helper.make_node("Relu", sources, [out]))
        else:
            raise SystemExit(f"{model['name']}: layer kind {kind} is not exported")
        if layer["qmin"] > -128 and kind != "relu":
            nodes.append(helper.make_node("Relu", [out], [out + "_relu"]))
            out = out + "_relu"
        last = index == len(layers) - 1
        if kind == "flatten":
            tensors[name] = out
        else:
            tensors[name] = qdq(out, layer["scale"], layer["zeroPoint"], name, keep_quantized=last)
        quant[name] = (layer["scale"], layer["zeroPoint"])
    c, h, w = model["inputShape"]
    graph = helper.make_graph(
        nodes, model["name"], [helper.make_tensor_value_info("pixels", TensorProto.FLOAT, ["N", c, h, w])],
        [helper.make_tensor_value_info(tensors[layers[-1]["name"]], TensorProto.INT8, ["N", None])], inits)
    proto = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 21)])
    onnx.checker.check_model(proto)
    return proto


def median_seconds(run, seconds=2.0):
    """(median, fastest) seconds per call. On a shared machine the fastest call shows the undisturbed speed."""
    for _ in range(20):
        run()
    samples, start = [], time.perf_counter()
    while time.perf_counter() - start < seconds:
        t0 = time.perf_counter()
        run()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples), min(samples)


def ours(name):
    """((median, fastest) batch-1 seconds, (median, fastest) batch-64 images/s) from `digits bench --json`: every
    call timed, like the runtimes here (batch 1: HdrHistogram p50 and min; batch 64: 64 / median or fastest call)."""
    text = subprocess.run([DIGITS, "bench", name, "--seconds", "2", "--threads", "1", "--batch", "64", "--json"],
                          check=True, capture_output=True, text=True).stdout
    result = json.loads(text)["models"][0]
    micro = result["latencyMicroseconds"]
    row = next(t for t in result["throughput"] if t["batch"] == 64 and t["threads"] == 1)
    return ((micro["p50"] * 1e-6, micro["min"] * 1e-6), (row["medianCallImagesPerSecond"], row["fastestCallImagesPerSecond"]))


def onnx_times(model, batch):
    """ORT batch-1 seconds and batch-64 images/s."""
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    session = ort.InferenceSession(build(model).SerializeToString(), options, providers=["CPUExecutionProvider"])
    s_in, zp_in = model["input"]["scale"], model["input"]["zeroPoint"]
    c, h, w = model["inputShape"]
    floats = (s_in * (batch.reshape(64, c, h, w).astype(np.float32) - 128 - zp_in)).astype(np.float32)
    one = floats[:1]
    latency = median_seconds(lambda: session.run(None, {"pixels": one}))
    median, fastest = median_seconds(lambda: session.run(None, {"pixels": floats}))
    return latency, (64 / median, 64 / fastest)


def litert_interpreter(data, count):
    interpreter = Interpreter(model_content=data, num_threads=1)
    index = interpreter.get_input_details()[0]["index"]
    interpreter.resize_tensor_input(index, [count, 28, 28, 1])
    interpreter.allocate_tensors()
    return interpreter, index, interpreter.get_output_details()[0]["index"]


def litert_times(model, batch, images, labels):
    """LiteRT batch-1 seconds, batch-64 images/s and its accuracy on the whole test set (a check of the export)."""
    data, _, _ = tflite_export.build(model)
    # HWC with one channel is CHW; int8 input q = pixel − 128 (our stored form minus 128).
    nhwc = (batch.reshape(64, 28, 28, 1).astype(np.int16) - 128).astype(np.int8)
    results = []
    for count in (1, 64):
        interpreter, index, _ = litert_interpreter(data, count)
        x = nhwc[:count]

        def run():
            interpreter.set_tensor(index, x)
            interpreter.invoke()
        results.append(median_seconds(run))
        del interpreter
    interpreter, index, output = litert_interpreter(data, 1000)
    correct = 0
    for start in range(0, len(labels), 1000):
        interpreter.set_tensor(index, (images[start:start + 1000].reshape(-1, 28, 28, 1).astype(np.int16) - 128).astype(np.int8))
        interpreter.invoke()
        correct += int((interpreter.get_tensor(output).argmax(1) == labels[start:start + 1000]).sum())
    return results[0], (64 / results[1][0], 64 / results[1][1]), 100 * correct / len(labels)


def mnist_test_set():
    images = np.frombuffer(gzip.open("Data/mnist/t10k-images-idx3-ubyte.gz").read()[16:], np.uint8).reshape(-1, 784)
    labels = np.frombuffer(gzip.open("Data/mnist/t10k-labels-idx1-ubyte.gz").read()[8:], np.uint8)
    return images, labels


def main():
    names = sys.argv[1:] or ["seed", "lenet5", "convpool", "resnet", "best"]
    images, labels = mnist_test_set()
    batch = images[:64]                      # the images `digits bench` uses
    print(f"onnxruntime {ort.__version__ if ort else 'absent'}, LiteRT "
          f"{'ai-edge-litert + XNNPACK' if Interpreter else 'absent'}, 1 thread each; ours: {DIGITS} bench "
          f"(fastest kernel path); load average {os.getloadavg()[0]:.1f}")
    rows = []
    for name in names:
        model = json.loads(subprocess.run([DIGITS, "export-int8", name], check=True, capture_output=True).stdout)
        ort1, ort64 = onnx_times(model, batch) if ort else (None, None)
        lite1, lite64, accuracy = litert_times(model, batch, images, labels) if Interpreter else (None, None, None)
        mine1, mine64 = ours(name)
        rows.append((name, ort1, ort64, lite1, lite64, mine1, mine64, accuracy))
    for k, title in ((0, "median"), (1, "fastest")):
        print(f"\n{title} call (ratio: ours against the better runtime)")
        print("| network | ORT batch 1 | LiteRT batch 1 | ours batch 1 | ratio | ORT batch 64 | LiteRT batch 64 "
              "| ours batch 64 | ratio | LiteRT accuracy |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        for name, ort1, ort64, lite1, lite64, mine1, mine64, accuracy in rows:
            times = [t[k] for t in (ort1, lite1) if t is not None]
            rates = [r[k] for r in (ort64, lite64) if r is not None]

            def us(t):
                return f"{t[k] * 1e6:.1f} µs" if t is not None else "—"

            def rate(r):
                return f"{r[k]:,.0f} img/s" if r is not None else "—"
            ratio1 = f"{min(times) / mine1[k]:.2f}×" if times else "—"
            ratio64 = f"{mine64[k] / max(rates):.2f}×" if rates else "—"
            acc = f"{accuracy:.2f} %" if accuracy is not None else "—"
            print(f"| {name} | {us(ort1)} | {us(lite1)} | {us(mine1)} | {ratio1} | {rate(ort64)} | {rate(lite64)} "
                  f"| {rate(mine64)} | {ratio64} | {acc} |")
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
