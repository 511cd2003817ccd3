#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Testing

/// `digits serve` failures that happen before it listens: one line on stderr, exit 1.
@Suite struct ServeCommandTests {
    @Test func portInUseIsOneLineAndExitOne() throws {
        let (socketFD, port) = try Self.listenOnFreePort()
        defer { close(socketFD) }
        let result = try CLIRunner.run(["serve", "--port", String(port)])
        #expect(result.status == 1)
        #expect(result.stderr == "digits serve: cannot listen on 127.0.0.1:\(port): address already in use\n")
        #expect(result.stdout.isEmpty)
    }

    @Test func badOptionsAreRejected() throws {
        let body = try CLIRunner.run(["serve", "--max-body", "lots"])
        #expect(body.status != 0)
        #expect(body.stderr.contains("--max-body: expected a byte count such as 8388608, 512k or 8M, got 'lots'"))
        let model = try CLIRunner.run(["serve", "--model", "nosuch"])
        #expect(model.status == 1)
        #expect(model.stderr.contains("nosuch"))
        #expect(model.stderr.split(separator: "\n").count == 1)
    }

    /// A socket bound and listening on 127.0.0.1 with a port the OS picked.
    static func listenOnFreePort() throws -> (Int32, Int) {
        struct SocketError: Error, CustomStringConvertible { var description: String }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SocketError(description: "socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && listen(fd, 1) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else {
            close(fd)
            throw SocketError(description: "bind/listen on 127.0.0.1 failed")
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }
}
