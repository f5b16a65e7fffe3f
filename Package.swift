// swift-tools-version:6.0
import PackageDescription

// Layers (see DESIGN.md): offcloud CLI → Server (SwiftNIO) → Wire (AWS protocols)
// → service engines (SQS, …) → Storage (SQLite). Everything below Server uses
// Foundation and SQLite only.
let package = Package(
    name: "Offcloud",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "offcloud", targets: ["offcloud"]),
        .library(name: "OffcloudServer", targets: ["Server"]),
        .library(name: "Offcloud", targets: ["Offcloud"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "5.0.1"),
    ],
    targets: [
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "JSON"),
        .target(name: "Digest"),
        .target(name: "Storage", dependencies: ["CSQLite"]),
        .target(name: "Wire", dependencies: ["JSON", "Digest"]),
        .target(name: "States", dependencies: ["JSON", "Digest"]),
        .target(name: "SQS", dependencies: ["JSON", "Digest", "Storage", "Wire"]),
        .target(name: "DynamoDB", dependencies: ["JSON", "Digest", "Storage", "Wire"]),
        .target(name: "Lambda", dependencies: ["JSON", "Digest", "Storage", "Wire", "SQS"]),
        .target(name: "APIGateway", dependencies: ["JSON", "Storage", "Wire", "Lambda"]),
        .target(name: "SNS", dependencies: ["JSON", "Digest", "Storage", "Wire", "SQS", "Lambda"]),
        .target(name: "StepFunctions", dependencies: ["JSON", "States", "Storage", "Wire", "SQS"]),
        .target(name: "YAML", dependencies: ["JSON", .product(name: "Yams", package: "Yams")]),
        .target(name: "Stacks", dependencies: ["JSON", "YAML", "Storage", "Wire", "Lambda"]),
        .target(name: "Server", dependencies: [
            "Wire", "Storage", "SQS", "SNS", "States", "StepFunctions", "DynamoDB", "Lambda", "APIGateway", "Stacks", "JSON",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOWebSocket", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "OrderHandlers", dependencies: ["Lambda", "JSON"]),
        .target(name: "WorkflowTesting", dependencies: ["States", "JSON", "YAML", "Lambda"]),
        .target(name: "Offcloud", dependencies: ["Server", "Lambda", "Wire", "JSON"]),
        .executableTarget(name: "offcloud", dependencies: [
            "Server", "States", "StepFunctions", "SQS", "Lambda", "APIGateway", "Stacks", "Storage", "Wire", "JSON", "OrderHandlers", "WorkflowTesting",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "JSONTests", dependencies: ["JSON"]),
        .testTarget(name: "DigestTests", dependencies: ["Digest"]),
        .testTarget(name: "StorageTests", dependencies: ["Storage"]),
        .testTarget(name: "WireTests", dependencies: ["Wire", "JSON"]),
        .testTarget(name: "SQSTests", dependencies: ["SQS", "Storage", "Wire", "JSON"]),
        .testTarget(name: "ServerTests", dependencies: ["Server", "Wire", "Lambda", "APIGateway", "JSON"]),
        .testTarget(name: "StatesTests", dependencies: ["States", "JSON"]),
        .testTarget(name: "DynamoDBTests", dependencies: ["DynamoDB", "JSON", "Wire"]),
        .testTarget(name: "StacksTests", dependencies: ["Stacks", "JSON"]),
        .testTarget(name: "OffcloudTests", dependencies: ["Offcloud", "Lambda", "JSON"]),
        .testTarget(name: "LambdaTests", dependencies: ["Lambda", "Storage", "JSON", "Wire"]),
        .testTarget(name: "SNSTests", dependencies: ["SNS", "JSON"]),
        .testTarget(name: "WorkflowTestingTests", dependencies: ["WorkflowTesting", "States", "JSON", "Lambda"]),
        .testTarget(name: "OrderHandlersTests", dependencies: ["OrderHandlers", "Server", "Lambda", "APIGateway", "Wire", "JSON"]),
    ],
    swiftLanguageModes: [.v6]
)
