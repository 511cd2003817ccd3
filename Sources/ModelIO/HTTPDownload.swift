import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP GET into memory through URLSession, with progress and the checks a data download needs:
/// status 200, and a body exactly as long as the Content-Length the server promised.
public enum HTTPDownload {
    public struct Failure: Error, CustomStringConvertible, Sendable, Equatable {
        public var url: String
        public var reason: String
        public var description: String { "cannot download \(url): \(reason)" }
    }

    public static func get(
        _ url: URL,
        timeout: TimeInterval = 60,
        maxBytes: Int = 256 << 20,
        progress: @escaping @Sendable (_ received: Int64, _ total: Int64?) -> Void = { _, _ in }
    ) async throws(Failure) -> Data {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        let delegate = Receiver(maxBytes: maxBytes, progress: progress)
        let session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        let outcome = await withCheckedContinuation { (continuation: CheckedContinuation<Receiver.Outcome, Never>) in
            delegate.start(continuation)
            session.dataTask(with: URLRequest(url: url)).resume()
        }
        switch outcome {
        case .success(let data): return data
        case .failure(let reason): throw Failure(url: url.absoluteString, reason: reason)
        }
    }

    /// Collects the body. URLSession calls it on its own queue; the lock guards the state between those calls
    /// and the caller.
    private final class Receiver: NSObject, URLSessionDataDelegate, @unchecked Sendable {
        enum Outcome: Sendable {
            case success(Data)
            case failure(String)
        }

        private let lock = NSLock()
        private let maxBytes: Int
        private let progress: @Sendable (Int64, Int64?) -> Void
        private var continuation: CheckedContinuation<Outcome, Never>?
        private var body = Data()
        private var expectedLength: Int64?
        private var rejection: String?

        init(maxBytes: Int, progress: @escaping @Sendable (Int64, Int64?) -> Void) {
            self.maxBytes = maxBytes
            self.progress = progress
        }

        func start(_ continuation: CheckedContinuation<Outcome, Never>) {
            lock.withLock { self.continuation = continuation }
        }

        func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            let length = response.expectedContentLength >= 0 ? response.expectedContentLength : nil
            let verdict: String? = lock.withLock {
                expectedLength = length
                if status != 200 {
                    rejection = "HTTP status \(status), expected 200"
                } else if let length, length > Int64(maxBytes) {
                    rejection = "Content-Length \(length) exceeds the limit of \(maxBytes) bytes"
                }
                return rejection
            }
            if verdict == nil { progress(0, length) }
            completionHandler(verdict == nil ? .allow : .cancel)
        }

        func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
            let (received, total, tooLarge): (Int64, Int64?, Bool) = lock.withLock {
                body.append(data)
                let tooLarge = body.count > maxBytes
                if tooLarge { rejection = "body exceeds the limit of \(maxBytes) bytes" }
                return (Int64(body.count), expectedLength, tooLarge)
            }
            if tooLarge { dataTask.cancel() } else { progress(received, total) }
        }

        func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
            let (continuation, outcome): (CheckedContinuation<Outcome, Never>?, Outcome) = lock.withLock {
                let pending = self.continuation
                self.continuation = nil
                return (pending, result(for: error))
            }
            continuation?.resume(returning: outcome)
        }

        /// Called with the lock held.
        private func result(for error: (any Error)?) -> Outcome {
            if let rejection { return .failure(rejection) }
            let received = Int64(body.count)
            if let expectedLength, received != expectedLength {
                let what = received < expectedLength ? "connection dropped" : "server sent too much"
                return .failure("\(what) after \(received) of \(expectedLength) bytes (Content-Length)")
            }
            if let error { return .failure(Self.describe(error)) }
            return .success(body)
        }

        private static func describe(_ error: any Error) -> String {
            guard let urlError = error as? URLError else { return error.localizedDescription }
            switch urlError.code {
            case .notConnectedToInternet: return "no network connection (offline?)"
            case .cannotFindHost, .dnsLookupFailed: return "cannot resolve the host name (offline, or no DNS?)"
            case .cannotConnectToHost: return "connection refused"
            case .timedOut: return "timed out"
            case .networkConnectionLost: return "connection lost"
            case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate:
                return "TLS connection failed"
            case .unsupportedURL: return "unsupported URL"
            default: return "\(urlError.localizedDescription) (URLError \(urlError.code.rawValue))"
            }
        }
    }
}
