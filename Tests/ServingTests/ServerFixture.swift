import Hummingbird
import HTTPTypes
import Testing
import Foundation
import Generated
import HummingbirdTesting
import Logging
import Recognition
import Runtime
import Serving

/// Servers for tests: the shipped `best` model, quiet logs, small limits where a test needs them.
enum ServerFixture {
    static let entry: ModelRegistry.Entry = ModelRegistry.all.entry(named: "best") ?? ModelRegistry.all.entries[0]
    static let recognizer = Recognizer(entry: entry, path: .portable, maxPixels: 1_000_000)

    static var logger: Logger {
        var logger = Logger(label: "digits.serve.test")
        logger.logLevel = .warning
        return logger
    }

    static func options(_ configure: (inout ServeOptions) -> Void = { _ in }) -> ServeOptions {
        var options = ServeOptions()
        options.host = "127.0.0.1"
        options.port = 0
        options.maxPixels = 1_000_000
        options.maxBodyBytes = 64 << 10
        configure(&options)
        return options
    }

    static func server(recognizer: any DigitRecognizing = recognizer, ready: Bool = true,
                       _ configure: (inout ServeOptions) -> Void = { _ in }) throws -> DigitsServer {
        let server = try DigitsServer(options: options(configure), recognizer: recognizer,
                                      models: ModelRegistry.all.entries, logger: logger)
        if ready { server.state.markReady() }
        return server
    }
}

/// JSON body of a test response as a dictionary.
func jsonObject(_ response: TestResponse) throws -> [String: Any] {
    let data = Data(buffer: response.body)
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
}

extension Data {
    init(buffer: ByteBuffer) {
        self.init(buffer.readableBytesView)
    }
}
