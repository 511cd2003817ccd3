#!/usr/bin/env python3
"""The same int8 network and weights in ONNX Runtime (QDQ, per-channel weights, 1 thread) beside the generated
predictor, measured in one run: batch-1 latency and batch-64 throughput, and the ratio.

Usage (repository root, after `swift build -c release --product digits`):
    python3 Benchmarks/compare_onnx.py [MODEL...]
Needs the Python packages onnx, onnxruntime and numpy; skipped with a message when they are absent.
The network comes from `digits export-int8 MODEL` (the lowered int8 model the generated code was compiled from):
every conv/dense becomes DequantizeLinear(int8 weights, per-channel scales) → Conv/Gemm → [Relu] →
QuantizeLinear/DequantizeLinear with our activation scales and zero points, which ORT fuses into QLinearConv /
QGemm. LiteRT (ai-edge-litert) is not compared: converting to a .tflite needs TensorFlow.
"""
import json
import re
import statistics
import subprocess
import sys
import time

try:
    import numpy as np
    import onnx
    import onnxruntime as ort
    from onnx import TensorProto, helper, numpy_helper
except ImportError as error:
    print(f"skipped: {error.name} is not installed (pip install onnx onnxruntime numpy)")
    sys.exit(0)

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
    for _ in range(20):
        run()
    samples, start = [], time.perf_counter()
    while time.perf_counter() - start < seconds:
        t0 = time.perf_counter()
        run()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


def ours(name):
    text = subprocess.run([DIGITS, "bench", name, "--seconds", "2", "--threads", "0"], check=True,
                          capture_output=True, text=True).stdout
    latency = float(re.search(r"batch 1 median ([0-9.]+) µs", text).group(1))
    throughput = float(re.search(r"batch 64 median ([0-9]+) img/s", text).group(1))
    return latency, throughput


def main():
    names = sys.argv[1:] or ["seed", "lenet5", "resnet", "best"]
    print(f"onnxruntime {ort.__version__}, 1 thread; ours: {DIGITS} bench (fastest kernel path)")
    print("| network | ORT batch 1 | ours batch 1 | ratio | ORT batch 64 | ours batch 64 | ratio |")
    print("|---|---|---|---|---|---|---|")
    for name in names:
        model = json.loads(subprocess.run([DIGITS, "export-int8", name], check=True, capture_output=True).stdout)
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        session = ort.InferenceSession(build(model).SerializeToString(), options, providers=["CPUExecutionProvider"])
        c, h, w = model["inputShape"]
        rng = np.random.default_rng(0)
        pixels = rng.integers(0, 256, size=(64, c, h, w)).astype(np.float32)
        s_in, zp_in = model["input"]["scale"], model["input"]["zeroPoint"]
        batch = (s_in * (pixels - 128 - zp_in)).astype(np.float32)
        one = batch[:1]
        ort1 = median_seconds(lambda: session.run(None, {"pixels": one}))
        ort64 = 64 / median_seconds(lambda: session.run(None, {"pixels": batch}))
        del session
        mine1, mine64 = ours(name)
        print(f"| {name} | {ort1 * 1e6:.1f} µs | {mine1:.1f} µs | {ort1 * 1e6 / mine1:.2f}× | {ort64:,.0f} img/s "
              f"| {mine64:,.0f} img/s | {mine64 / ort64:.2f}× |")


if __name__ == "__main__":
    main()
