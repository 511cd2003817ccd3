import Foundation
import HTTPTypes

/// The web page's files (Sources/Serving/Public), read into memory once at startup.
public struct StaticAssets: Sendable {
    public struct Asset: Sendable {
        public var bytes: [UInt8]
        public var contentType: String
        /// Strong validator: a hash of the bytes.
        public var etag: String
    }

    /// Keyed by URL path ("/index.html", "/app.js").
    public private(set) var assets: [String: Asset] = [:]

    /// The files bundled with this module.
    public static func bundled() throws -> StaticAssets {
        guard let root = Bundle.module.url(forResource: "Public", withExtension: nil) else {
            throw StaticAssetsError(description: "Serving resources: the Public directory is missing from the bundle")
        }
        return try StaticAssets(directory: root)
    }

    public init(directory: URL) throws {
        let fm = FileManager.default
        guard let enumerator = fm.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey]) else {
            throw StaticAssetsError(description: "\(directory.path): cannot list the page's files")
        }
        let rootPath = directory.standardizedFileURL.path
        for case let url as URL in enumerator {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            let path = url.standardizedFileURL.path
            guard path.hasPrefix(rootPath) else { continue }
            let urlPath = String(path.dropFirst(rootPath.count))
            let bytes: [UInt8]
            do { bytes = Array(try Data(contentsOf: url)) }
            catch { throw StaticAssetsError(description: "\(path): cannot read (\(error.localizedDescription))") }
            assets[urlPath.hasPrefix("/") ? urlPath : "/" + urlPath] =
                Asset(bytes: bytes, contentType: Self.contentType(of: url.pathExtension), etag: Self.etag(bytes))
        }
    }

    public init(assets: [String: Asset]) { self.assets = assets }

    /// "/" is the page itself.
    public func asset(at path: String) -> Asset? {
        assets[path == "/" ? "/index.html" : path]
    }

    static func contentType(of fileExtension: String) -> String {
        switch fileExtension.lowercased() {
        case "html", "htm": "text/html; charset=utf-8"
        case "js", "mjs": "text/javascript; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "json", "map": "application/json"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "jpg", "jpeg": "image/jpeg"
        case "ico": "image/x-icon"
        case "webp": "image/webp"
        case "txt": "text/plain; charset=utf-8"
        case "woff2": "font/woff2"
        default: "application/octet-stream"
        }
    }

    /// FNV-1a 64: not cryptographic, only needs to change when the bytes change.
    static func etag(_ bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
        let hex = String(hash, radix: 16)
        return "\"\(String(repeating: "0", count: 16 - hex.count))\(hex)\""
    }
}

public struct StaticAssetsError: Error, CustomStringConvertible, Sendable {
    public var description: String
}
