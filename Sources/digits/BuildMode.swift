/// Debug builds time unoptimized code: the performance commands say so (on stderr, after their arguments are
/// checked, so error output stays one line).
enum BuildMode {
    static var isDebug: Bool {
        #if DEBUG
        true
        #else
        false
        #endif
    }

    static let debugWarning = "warning: this is a debug build; build with `swift build -c release` for meaningful numbers"
}
