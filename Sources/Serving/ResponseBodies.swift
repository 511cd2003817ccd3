import Imaging
import Recognition
import Runtime

/// The JSON bodies of the API (shapes documented in openapi.json).
enum ResponseBodies {
    static func prediction(_ p: DigitPrediction, times: StageTimes, top: Int, info: ModelInfo,
                           requestID: String) -> [UInt8] {
        var json = JSONWriter(capacity: 4096)
        json.object { o in
            modelFields(&o, info)
            o.key("digit"); o.int(p.digit)
            o.key("confidence"); o.double(p.confidence)
            digitFields(&o, p, top: top)
            o.key("ink_box"); box(&o, p.input.inkBox)
            o.key("latency_ms"); latency(&o, times)
            o.key("request_id"); o.string(requestID)
        }
        return json.bytes
    }

    static func reading(_ r: NumberReading, times: StageTimes, top: Int, info: ModelInfo,
                        requestID: String) -> [UInt8] {
        var json = JSONWriter(capacity: 4096 * max(1, r.digits.count))
        json.object { o in
            modelFields(&o, info)
            o.key("text"); o.string(r.text)
            o.key("confidence"); o.double(r.confidence)
            o.key("digits")
            o.array { a in
                for d in r.digits {
                    a.object { o in
                        o.key("digit"); o.int(d.digit)
                        o.key("confidence"); o.double(d.confidence)
                        digitFields(&o, d, top: top)
                        o.key("box"); box(&o, d.input.inkBox)
                    }
                }
            }
            o.key("latency_ms"); latency(&o, times)
            o.key("request_id"); o.string(requestID)
        }
        return json.bytes
    }

    static func error(_ error: APIError, requestID: String) -> [UInt8] {
        var json = JSONWriter(capacity: 256)
        json.object { o in
            o.key("error"); o.string(error.code.rawValue)
            o.key("message"); o.string(error.message)
            o.key("request_id"); o.string(requestID)
        }
        return json.bytes
    }

    static func models(_ entries: [ModelRegistry.Entry], served: String) -> [UInt8] {
        var json = JSONWriter(capacity: 1024)
        json.object { o in
            o.key("served"); o.string(served)
            o.key("models")
            o.array { a in
                for entry in entries {
                    let info = entry.info
                    a.object { o in
                        o.key("name"); o.string(info.name)
                        o.key("served"); o.bool(info.name == served)
                        o.key("spec_sha256"); o.string(info.specSHA256)
                        o.key("weights_sha256"); o.string(info.weightsSHA256)
                        o.key("macs"); o.int(info.macs)
                        o.key("parameters"); o.int(info.parameters)
                    }
                }
            }
        }
        return json.bytes
    }

    static func status(_ value: String) -> [UInt8] {
        var json = JSONWriter(capacity: 32)
        json.object { o in o.key("status"); o.string(value) }
        return json.bytes
    }

    private static func modelFields(_ o: inout JSONWriter, _ info: ModelInfo) {
        o.key("model"); o.string(info.name)
        o.key("model_sha256"); o.string(info.weightsSHA256)
    }

    private static func digitFields(_ o: inout JSONWriter, _ p: DigitPrediction, top: Int) {
        o.key("probabilities")
        o.array { a in for q in p.probabilities { a.double(q) } }
        o.key("top")
        o.array { a in
            for c in p.top(top) {
                a.object { o in
                    o.key("digit"); o.int(c.digit)
                    o.key("probability"); o.double(c.probability)
                }
            }
        }
        o.key("input")
        o.object { o in
            o.key("width"); o.int(p.input.size)
            o.key("height"); o.int(p.input.size)
            o.key("pixels"); o.ints(p.input.pixels)
        }
    }

    private static func box(_ o: inout JSONWriter, _ b: PixelBox) {
        o.object { o in
            o.key("x"); o.int(b.minX)
            o.key("y"); o.int(b.minY)
            o.key("width"); o.int(b.maxX - b.minX + 1)
            o.key("height"); o.int(b.maxY - b.minY + 1)
        }
    }

    private static func latency(_ o: inout JSONWriter, _ t: StageTimes) {
        o.object { o in
            o.key("decode"); o.double(t.decode * 1000, digits: 3)
            o.key("preprocess"); o.double(t.preprocess * 1000, digits: 3)
            o.key("inference"); o.double(t.inference * 1000, digits: 3)
            o.key("total"); o.double(t.total * 1000, digits: 3)
        }
    }
}
