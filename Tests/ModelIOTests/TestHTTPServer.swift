import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A minimal HTTP/1.1 server on 127.0.0.1 for exercising the downloader without the internet. It answers
/// one request per connection, serves connections one at a time, and shuts itself down after `lifetime`
/// seconds or `maxConnections` connections even if a test forgets to stop it.
final class TestHTTPServer: @unchecked Sendable {
    enum Response {
        case file([UInt8])
        /// Promises `claimedLength` bytes, sends `bytes`, then closes the connection.
        case dropped(bytes: [UInt8], claimedLength: Int)
        case status(Int)
    }

    struct StartError: Error, CustomStringConvertible {
        var description: String
    }

    let port: UInt16
    private let listener: Int32
    private let routes: [String: Response]
    private let lock = NSLock()
    private var stopped = false
    private var paths: [String] = []
    private let finished = DispatchSemaphore(value: 0)

    var baseURL: String { "http://127.0.0.1:\(port)/" }

    var requestedPaths: [String] { lock.withLock { paths } }

    init(routes: [String: Response], maxConnections: Int = 64, lifetime: TimeInterval = 300) throws {
        self.routes = routes
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw StartError(description: "socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0  // ephemeral
        address.sin_addr = in_addr(s_addr: inet_addr("127.0.0.1"))
        let length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0, listen(fd, 8) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw StartError(description: "bind/listen on 127.0.0.1: \(reason)")
        }
        var actual = sockaddr_in()
        var actualLength = length
        _ = withUnsafeMutablePointer(to: &actual) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &actualLength) } }
        listener = fd
        port = UInt16(bigEndian: actual.sin_port)
        let deadline = Date().addingTimeInterval(lifetime)
        Thread.detachNewThread { [self] in
            serve(maxConnections: maxConnections, deadline: deadline)
            close(listener)
            finished.signal()
        }
    }

    /// Stops accepting and waits for the serving thread to finish.
    func stop() {
        lock.withLock { stopped = true }
        finished.wait()
        finished.signal()  // later calls return at once
    }

    private func serve(maxConnections: Int, deadline: Date) {
        var served = 0
        while served < maxConnections, Date() < deadline, !lock.withLock({ stopped }) {
            var poller = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 50) > 0 else { continue }
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { continue }
            served += 1
            handle(connection)
            close(connection)
        }
    }

    private func handle(_ connection: Int32) {
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var request: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !request.containsHeaderEnd, request.count < 65_536 {
            let count = recv(connection, &buffer, buffer.count, 0)
            guard count > 0 else { return }
            request += buffer[0..<count]
        }
        let requestLine = String(decoding: request.prefix { $0 != 13 && $0 != 10 }, as: UTF8.self)
        let parts = requestLine.split(separator: " ")
        let path = parts.count >= 2 ? String(parts[1]) : ""
        lock.withLock { paths.append(path) }
        switch routes[path] ?? .status(404) {
        case .file(let bytes):
            transmit(connection, header(status: 200, length: bytes.count) + bytes)
        case .dropped(let bytes, let claimedLength):
            transmit(connection, header(status: 200, length: claimedLength) + bytes)
        case .status(let code):
            let body = Array("status \(code)\n".utf8)
            transmit(connection, header(status: code, length: body.count) + body)
        }
        shutdown(connection, Int32(SHUT_RDWR))
    }

    private func header(status: Int, length: Int) -> [UInt8] {
        let reason = status == 200 ? "OK" : status == 404 ? "Not Found" : "Error"
        return Array("HTTP/1.1 \(status) \(reason)\r\nContent-Type: application/octet-stream\r\nContent-Length: \(length)\r\nConnection: close\r\n\r\n".utf8)
    }

    private func transmit(_ connection: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            #if canImport(Glibc)
            let flags = Int32(MSG_NOSIGNAL)
            #else
            let flags: Int32 = 0
            #endif
            let written = bytes.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return send(connection, base + offset, bytes.count - offset, flags)
            }
            guard written > 0 else { return }
            offset += written
        }
    }
}

private extension [UInt8] {
    var containsHeaderEnd: Bool {
        count >= 4 && indices.dropLast(3).contains { self[$0] == 13 && self[$0 + 1] == 10 && self[$0 + 2] == 13 && self[$0 + 3] == 10 }
    }
}
