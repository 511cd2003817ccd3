// swift-tools-version:6.1
import PackageDescription

// Kernels and generated predictors are optimized in debug builds too: unoptimized SIMD code is ~100x slower,
// which would make the bit-exactness tests crawl. (Root package only; unsafeFlags are fine here.)
let kernelSettings: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

// The training GEMM needs FMA and AVX2 to be fast (about 2.5x over baseline x86-64); `digits train` checks the
// CPU before calling into Training, so other commands still run on any x86-64.
#if arch(x86_64)
let trainingSettings: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"])]
#else
let trainingSettings: [SwiftSetting] = []
#endif

let package = Package(
    name: "Digits",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "digits", targets: ["digits"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // Latency distributions for bench and loadtest (HdrHistogram: fixed relative precision, mergeable).
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        // The load tester's HTTP/1.1 client (persistent connections, one per worker).
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        // HTTP server for `digits serve` (Sources/Serving) and its in-process/live test client.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // Already Hummingbird's dependencies; named so Serving can import HTTPTypes and
        // ServiceLifecycle directly (connection handler, worker threads, graceful shutdown).
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        // zlib from the system (Debian: zlib1g-dev), used to inflate MNIST .gz files.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        // libpng from the system (Debian: libpng-dev). Only CPNGShim's C code makes calls that can fail, so
        // libpng's longjmp never crosses a Swift frame; C targets don't autolink module maps, hence linkerSettings.
        .systemLibrary(name: "CPNG", path: "Sources/CPNG", providers: [.apt(["libpng-dev"])]),
        .target(name: "CPNGShim", dependencies: ["CPNG"], linkerSettings: [.linkedLibrary("png16")]),

        // CPUID / XCR0 / AT_HWCAP reads, which Swift cannot express directly.
        .target(name: "CCPUFeatures"),

        // The spec language: lexer, parser, graph IR, shape inference, diagnostics.
        .target(name: "NetSpec"),
        // File formats: safetensors, MNIST IDX (+gzip), data lookup and download.
        .target(name: "ModelIO", dependencies: ["NetSpec", "CZlib", "CPNG", "CPNGShim"]),
        // MNIST-style preprocessing of scans, multi-digit segmentation, digit grids.
        // Optimized in debug builds too (kernelSettings): its per-pixel loops are ~30x slower unoptimized, which
        // made the acceptance tests on megapixel scans crawl.
        .target(name: "Imaging", dependencies: ["ModelIO"], swiftSettings: kernelSettings),
        // For tests only: scanning-style renders of MNIST digits, an independent PNG encoder, the t10k loader.
        .target(name: "ImagingTestSupport", dependencies: ["ModelIO", "CZlib"], swiftSettings: kernelSettings),
        // Plain float32 interpreter: the oracle for every faster path.
        .target(name: "Reference", dependencies: ["NetSpec", "ModelIO"]),
        // Backpropagation, optimizers, augmentation.
        .target(name: "Training", dependencies: ["NetSpec", "ModelIO", "Reference"], swiftSettings: trainingSettings),
        // int8 scheme: calibration, per-channel weights, requantization.
        .target(name: "Quantization", dependencies: ["NetSpec", "ModelIO", "Reference"]),

        // AVX-512 VNNI microkernels; each function carries its own target attribute, the target itself is
        // compiled for the baseline CPU (docs/codegen.md).
        .target(name: "CInt8Kernels", cSettings: [.unsafeFlags(["-O2"], .when(configuration: .debug))]),
        // What generated predictors need at run time: CPU feature detection, kernel path selection, kernels.
        .target(name: "Runtime", dependencies: ["CCPUFeatures", "CInt8Kernels"], swiftSettings: kernelSettings),
        // Int8 model → specialized Swift predictor source (templates, weight packing, registry).
        .target(name: "CodeGen", dependencies: ["NetSpec", "ModelIO", "Reference", "Quantization", "Runtime"]),
        // PNG bytes → digits: decoding, preprocessing/segmentation and a pooled predictor; shared by CLI and server.
        .target(name: "Recognition", dependencies: ["Runtime", "Imaging", "ModelIO"]),
        // `digits serve`: HTTP JSON API over Recognition, static page assets, metrics, hardening.
        .target(
            name: "Serving",
            dependencies: [
                "Recognition", "Runtime", "Generated",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Public"), .copy("openapi.json")]
        ),
        // Output of `digits compile`: one file per shipped model plus the registry. Never edited by hand.
        .target(name: "Generated", dependencies: ["Runtime"], path: "Generated", exclude: ["README.md"],
                swiftSettings: kernelSettings),

        // Closed- and open-loop load generation against any `LoadTarget` (in-process recognizer, HTTP), reports
        // and charts.
        .target(
            name: "LoadTesting",
            dependencies: [
                "Runtime", "Recognition", "ModelIO",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),

        .executableTarget(
            name: "digits",
            dependencies: [
                "NetSpec", "ModelIO", "Reference", "Training", "Quantization", "Runtime", "Imaging", "CodeGen",
                "Generated", "Recognition", "LoadTesting", "Serving", "CInt8Kernels",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),

        .testTarget(name: "NetSpecTests", dependencies: ["NetSpec"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ModelIOTests", dependencies: ["ModelIO", "NetSpec"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ReferenceTests", dependencies: ["Reference", "NetSpec", "ModelIO"]),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "Reference", "NetSpec", "ModelIO"]),
        .testTarget(name: "RuntimeTests", dependencies: ["Runtime"]),
        // Edge-case specs compiled with synthetic weights (digits compile … --out Tests/GeneratedEdgeCases).
        .target(name: "GeneratedEdgeCases", dependencies: ["Runtime"], path: "Tests/GeneratedEdgeCases",
                swiftSettings: kernelSettings),
        .testTarget(name: "CodeGenTests", dependencies: ["CodeGen", "Generated", "GeneratedEdgeCases", "Runtime", "Quantization", "Reference", "NetSpec", "ModelIO"]),
        // Runs the built `digits` binary: exit codes, stderr messages, files left (or not) on disk.
        .testTarget(name: "CLITests", dependencies: ["digits", "ImagingTestSupport", "ModelIO", "Recognition"]),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging", "ImagingTestSupport", "ModelIO"], resources: [.copy("Fixtures")]),
        // Recognizer (probabilities, pool) and issue 6's acceptance measurement on generated scans.
        .testTarget(name: "RecognitionTests", dependencies: ["Recognition", "Generated", "Runtime", "Imaging", "ImagingTestSupport", "ModelIO"]),
        .testTarget(name: "LoadTestingTests", dependencies: [
            "LoadTesting",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ], exclude: ["Fixtures"]),
        .testTarget(
            name: "ServingTests",
            dependencies: [
                "Serving", "Recognition", "Runtime", "Generated", "ImagingTestSupport", "ModelIO",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(name: "QuantizationTests", dependencies: ["Quantization", "Reference", "NetSpec", "ModelIO"]),
    ],
    swiftLanguageModes: [.v6]
)
