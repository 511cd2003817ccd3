"""The int8 network of `digits export-int8 MODEL` as a TFLite flatbuffer, written directly with the schema's object
API (`ai_edge_litert.schema_py_generated` + `flatbuffers`): no TensorFlow needed. Same integer weights, per-channel
weight scales, our activation scales and zero points; NHWC as TFLite wants.

Ops: CONV_2D (SAME/VALID, fused RELU), MAX_POOL_2D, FULLY_CONNECTED (per-channel), RESHAPE (flatten), ADD, MEAN
(global average pool). Biases: ours have −zp_in·Σw folded in (docs/quantization.md §3); TFLite subtracts the
input zero point itself, so the exported bias adds it back. TFLite requantizes with its own fixed-point rounding,
so its logits may differ from ours by one step now and then; the script reports the agreement.
"""
import flatbuffers
import numpy as np
from ai_edge_litert import schema_py_generated as tfl


class Writer:
    def __init__(self):
        self.buffers = [tfl.BufferT()]          # buffer 0: the empty buffer, by convention
        self.tensors = []
        self.operators = []
        self.opcodes = {}

    def tensor(self, name, shape, dtype, scale=None, zero=None, data=None, axis=0):
        t = tfl.TensorT()
        t.name = name
        t.shape = list(shape)
        t.type = dtype
        t.buffer = 0
        if data is not None:
            b = tfl.BufferT()
            b.data = np.frombuffer(np.ascontiguousarray(data).tobytes(), np.uint8)
            self.buffers.append(b)
            t.buffer = len(self.buffers) - 1
        if scale is not None:
            q = tfl.QuantizationParametersT()
            q.scale = list(np.atleast_1d(np.asarray(scale, np.float32)))
            q.zeroPoint = list(np.atleast_1d(np.asarray(zero, np.int64)))
            q.quantizedDimension = axis
            t.quantization = q
        self.tensors.append(t)
        return len(self.tensors) - 1

    def op(self, code, inputs, outputs, options_type=0, options=None, version=1):
        if code not in self.opcodes:
            c = tfl.OperatorCodeT()
            c.builtinCode = code
            c.deprecatedBuiltinCode = min(code, 127)
            c.version = version
            self.opcodes[code] = (len(self.opcodes), c)
        o = tfl.OperatorT()
        o.opcodeIndex = self.opcodes[code][0]
        o.inputs = list(inputs)
        o.outputs = list(outputs)
        if options is not None:
            o.builtinOptionsType = options_type
            o.builtinOptions = options
        self.operators.append(o)

    def finish(self, inputs, outputs, name):
        g = tfl.SubGraphT()
        g.tensors, g.operators, g.inputs, g.outputs, g.name = self.tensors, self.operators, inputs, outputs, name
        m = tfl.ModelT()
        m.version = 3
        m.operatorCodes = [c for _, c in sorted(self.opcodes.values(), key=lambda p: p[0])]
        m.subgraphs = [g]
        m.buffers = self.buffers
        m.description = "digits export-int8"
        builder = flatbuffers.Builder(1 << 20)
        builder.Finish(m.Pack(builder), file_identifier=b"TFL3")
        return bytes(builder.Output())


def padding_kind(layer, size, kernel, stride):
    """TFLite has SAME (TensorFlow's split, smaller half before — ours too) and VALID; anything else is refused."""
    pads = layer["pads"]
    if not any(pads):
        return tfl.Padding.VALID
    for axis in range(2):
        out = -(-size[axis] // stride[axis])
        total = max((out - 1) * stride[axis] + kernel[axis] - size[axis], 0)
        if (pads[axis], pads[axis + 2]) != (total // 2, total - total // 2):
            raise SystemExit(f"{layer['name']}: padding {pads} is neither SAME nor VALID")
    return tfl.Padding.SAME


def build(model, batch=1):
    """The flatbuffer bytes, the input tensor's (scale, zero point) and the output's."""
    w = Writer()
    c, h, wd = model["inputShape"]
    s_in, zp_in = model["input"]["scale"], model["input"]["zeroPoint"]
    ids = {"input": w.tensor("input", [batch, h, wd, c], tfl.TensorType.INT8, s_in, zp_in)}
    shapes = {"input": [h, wd, c]}
    quant = {"input": (s_in, zp_in)}
    layers = model["layers"]
    for layer in layers:
        name, kind = layer["name"], layer["kind"]
        src = layer["inputs"]
        s_out, zp_out = layer["scale"], layer["zeroPoint"]
        relu = layer["qmin"] > -128
        if kind in ("conv2d", "dense"):
            s_x, zp_x = quant[src[0]]
            scales = np.array(layer["weightScales"], np.float32)
            n = len(scales)
            weights = np.array(layer["weights"], np.int8).reshape(n, -1)
            bias = (np.array(layer["bias"], np.int64) + zp_x * weights.astype(np.int64).sum(1)).astype(np.int32)
            bias_t = w.tensor(name + "_bias", [n], tfl.TensorType.INT32, s_x * scales, np.zeros(n), bias)
            if kind == "conv2d":
                if layer["groups"] != 1:
                    raise SystemExit(f"{name}: grouped/depthwise convolutions are not exported")
                kh, kw = layer["kernel"]
                ih, iw, ic = shapes[src[0]]
                wt = weights.reshape(n, ic, kh, kw).transpose(0, 2, 3, 1)      # OIHW → OHWI
                w_t = w.tensor(name + "_w", wt.shape, tfl.TensorType.INT8, scales, np.zeros(n), wt)
                oc, oh, ow = layer["outputShape"]
                out = w.tensor(name, [batch, oh, ow, oc], tfl.TensorType.INT8, s_out, zp_out)
                opt = tfl.Conv2DOptionsT()
                opt.padding = padding_kind(layer, (ih, iw), (kh, kw), layer["stride"])
                opt.strideH, opt.strideW = layer["stride"]
                opt.dilationHFactor = opt.dilationWFactor = 1
                opt.fusedActivationFunction = tfl.ActivationFunctionType.RELU if relu else 0
                w.op(tfl.BuiltinOperator.CONV_2D, [ids[src[0]], w_t, bias_t], [out],
                     tfl.BuiltinOptions.Conv2DOptions, opt, version=3)
                shapes[name] = [oh, ow, oc]
            else:
                source_shape = layer.get("flattenedFrom")
                if source_shape is not None:
                    # Our features are CHW-ordered; TFLite flattens NHWC: permute the columns to match.
                    fc_, fh, fw = source_shape
                    weights = weights.reshape(n, fc_, fh, fw).transpose(0, 2, 3, 1).reshape(n, -1)
                w_t = w.tensor(name + "_w", weights.shape, tfl.TensorType.INT8, scales, np.zeros(n), weights)
                out = w.tensor(name, [batch, n], tfl.TensorType.INT8, s_out, zp_out)
                opt = tfl.FullyConnectedOptionsT()
                opt.fusedActivationFunction = tfl.ActivationFunctionType.RELU if relu else 0
                w.op(tfl.BuiltinOperator.FULLY_CONNECTED, [ids[src[0]], w_t, bias_t], [out],
                     tfl.BuiltinOptions.FullyConnectedOptions, opt, version=5)
                shapes[name] = [n]
        elif kind == "maxpool":
            ih, iw, ic = shapes[src[0]]
            oc, oh, ow = layer["outputShape"]
            out = w.tensor(name, [batch, oh, ow, oc], tfl.TensorType.INT8, s_out, zp_out)
            opt = tfl.Pool2DOptionsT()
            opt.padding = padding_kind(layer, (ih, iw), layer["kernel"], layer["stride"])
            opt.strideH, opt.strideW = layer["stride"]
            opt.filterHeight, opt.filterWidth = layer["kernel"]
            w.op(tfl.BuiltinOperator.MAX_POOL_2D, [ids[src[0]]], [out], tfl.BuiltinOptions.Pool2DOptions, opt,
                 version=2)
            shapes[name] = [oh, ow, oc]
        elif kind == "flatten":
            hh, ww, cc = shapes[src[0]]
            size = hh * ww * cc
            shape_t = w.tensor(name + "_shape", [2], tfl.TensorType.INT32, data=np.array([-1, size], np.int32))
            out = w.tensor(name, [batch, size], tfl.TensorType.INT8, s_out, zp_out)
            opt = tfl.ReshapeOptionsT()
            opt.newShape = [-1, size]
            w.op(tfl.BuiltinOperator.RESHAPE, [ids[src[0]], shape_t], [out], tfl.BuiltinOptions.ReshapeOptions, opt)
            shapes[name] = [size]
            # Tell the next dense layer which CHW block its columns come from.
            for later in layers:
                if later["inputs"] == [name] and later["kind"] == "dense":
                    later["flattenedFrom"] = [cc, hh, ww]
        elif kind == "add":
            oh, ow, oc = shapes[src[0]]
            out = w.tensor(name, [batch, oh, ow, oc], tfl.TensorType.INT8, s_out, zp_out)
            opt = tfl.AddOptionsT()
            opt.fusedActivationFunction = tfl.ActivationFunctionType.RELU if relu else 0
            w.op(tfl.BuiltinOperator.ADD, [ids[src[0]], ids[src[1]]], [out], tfl.BuiltinOptions.AddOptions, opt,
                 version=2)
            shapes[name] = [oh, ow, oc]
        elif kind == "global_avgpool":
            hh, ww, cc = shapes[src[0]]
            axes = w.tensor(name + "_axes", [2], tfl.TensorType.INT32, data=np.array([1, 2], np.int32))
            out = w.tensor(name, [batch, cc], tfl.TensorType.INT8, s_out, zp_out)
            opt = tfl.ReducerOptionsT()
            opt.keepDims = False
            w.op(tfl.BuiltinOperator.MEAN, [ids[src[0]], axes], [out], tfl.BuiltinOptions.ReducerOptions, opt,
                 version=2)
            shapes[name] = [cc]
        else:
            raise SystemExit(f"{model['name']}: layer kind {kind} is not exported to TFLite")
        ids[name] = out
        quant[name] = (s_out, zp_out)
    last = layers[-1]
    return (w.finish([ids["input"]], [ids[last["name"]]], model["name"]), (s_in, zp_in),
            (last["scale"], last["zeroPoint"]))
