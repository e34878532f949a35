// swift-tools-version: 6.0
import PackageDescription

/// The layers WaymarkPipeline composes, which the CLI also names.
let layerModules: [Target.Dependency] = [
    "WaymarkCore", "WaymarkIngest", "WaymarkTrajectories", "WaymarkIndicators", "WaymarkEvaluation",
    "WaymarkDisclosure", "WaymarkReports", "WaymarkRecordLevel", "WaymarkMethods", "WaymarkHistory",
]

/// Every Waymark module, for the targets that see all of them (benchmark, test support, tests).
let waymarkModules: [Target.Dependency] = ["WaymarkPipeline"] + layerModules + ["WaymarkCSV", "WaymarkStats"]

let package = Package(
    name: "Waymark",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "waymark", targets: ["waymark"]),
        .library(name: "Waymark", targets: ["WaymarkPipeline"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // libcsv from Debian's libcsv-dev, wrapped; never a product.
        .systemLibrary(
            name: "CLibCSV",
            providers: [.apt(["libcsv-dev"])]
        ),
        // OpenSSL's libcrypto from Debian's libssl-dev, for SHA-256 of the inputs.
        .systemLibrary(
            name: "COpenSSL",
            providers: [.apt(["libssl-dev"])]
        ),
        // GLPK from Debian's libglpk-dev, wrapped; the disclosure audit's LP solver.
        .systemLibrary(
            name: "CGLPK",
            providers: [.apt(["libglpk-dev"])]
        ),
        // libxlsxwriter from Debian's libxlsxwriter-dev, wrapped; writes indicators.xlsx.
        .systemLibrary(
            name: "CXLSXWriter",
            providers: [.apt(["libxlsxwriter-dev"])]
        ),
        // Domain-free linear programs: how far a hidden quantity can move
        // given linear relations (GLPK's simplex, confirmed exactly).
        .target(name: "WaymarkLP", dependencies: ["CGLPK"]),
        // Every rule of METHODS.md exactly once: scales and orientation,
        // direction, sustained, reliable change, belonging, stop days, group
        // names, the indicator ids. Depends on nothing.
        .target(name: "WaymarkMethods"),
        // Days, dates, decimal text, interned strings, SHA-256, path helpers:
        // domain-free building blocks.
        // A cache-prefetch hint for the interner (C: Swift has none).
        .target(name: "CWaymarkPrefetch"),
        .target(name: "WaymarkCore", dependencies: ["COpenSSL", "CWaymarkPrefetch"]),
        // Ingest: the canonical schema, mappings, row typing, the identifier
        // guard, quarantine reasons and the typed column tables (DATA-CONTRACT.md).
        .target(name: "WaymarkIngest", dependencies: ["WaymarkCore", "WaymarkCSV", "WaymarkMethods"]),
        // Trajectories (M1-M6, M9's cells): series, points and segments with
        // their support context, and the indexes they were built with.
        .target(name: "WaymarkTrajectories", dependencies: ["WaymarkIngest"]),
        // Indicators (M7, M8, M10): every month end's raw figures, with
        // breakdowns and the matrices: RawIndicators, never written as they are.
        .target(name: "WaymarkIndicators", dependencies: ["WaymarkTrajectories"]),
        // Programme evaluation (M12): cohorts and their statistics; writes nothing.
        .target(name: "WaymarkEvaluation", dependencies: ["WaymarkIndicators", "WaymarkStats"]),
        // Disclosure control (M11 with its audit): the only maker of
        // PublishedIndicators, the figures that may leave a run.
        .target(name: "WaymarkDisclosure", dependencies: ["WaymarkIndicators", "WaymarkEvaluation", "WaymarkLP"]),
        // The published outputs: indicators.csv, matrix.csv, quality.csv,
        // quarantine/, indicators.xlsx, the report pack and the evaluation's
        // shared files. Sees published types only (PublishedIndicators,
        // ProtectedEvaluation).
        .target(name: "WaymarkReports", dependencies: ["WaymarkDisclosure", "WaymarkCSV", "CXLSXWriter"]),
        // Record-level files (series, segments, points, cohorts) for the restricted folder.
        .target(name: "WaymarkRecordLevel", dependencies: ["WaymarkEvaluation", "WaymarkCSV"]),
        // The history database (SQLite through GRDB): every run and the figures it published.
        .target(name: "WaymarkHistory", dependencies: ["WaymarkCore", "WaymarkMethods", "WaymarkIndicators", "WaymarkDisclosure",
                                                     .product(name: "GRDB", package: "GRDB.swift")]),
        // Streaming, domain-free CSV reading and writing on top of libcsv.
        .target(name: "WaymarkCSV", dependencies: ["CLibCSV"]),
        // Domain-free statistics: tests, effect sizes, bootstrap, OLS with
        // clustered errors, Kaplan-Meier and the log-rank test.
        .target(
            name: "WaymarkStats",
            dependencies: [.product(name: "RealModule", package: "swift-numerics")]
        ),
        // The pipeline: the pipeline file into per-layer options, the run's
        // context and manifest, and the stages of each command in order.
        .target(
            name: "WaymarkPipeline",
            dependencies: layerModules + ["WaymarkCSV", "WaymarkStats", "WaymarkLP", .product(name: "Yams", package: "Yams")]
        ),
        .executableTarget(
            name: "waymark",
            dependencies: ["WaymarkPipeline"] + layerModules + [.product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(
            name: "waymark-bench",
            dependencies: waymarkModules,
            path: "Benchmarks/waymark-bench"
        ),
        .testTarget(name: "WaymarkCSVTests", dependencies: ["WaymarkCSV"]),
        .testTarget(name: "WaymarkStatsTests", dependencies: ["WaymarkStats"]),
        .testTarget(name: "WaymarkLPTests", dependencies: ["WaymarkLP"]),
        .testTarget(name: "WaymarkMethodsTests", dependencies: ["WaymarkMethods"]),
        .testTarget(name: "WaymarkCoreTests", dependencies: ["WaymarkCore"]),
        // Helpers the test targets share: demo runs, the oracles, hand-made cases.
        .target(
            name: "WaymarkTestSupport",
            dependencies: waymarkModules,
            path: "Tests/WaymarkTestSupport"
        ),
        .testTarget(name: "WaymarkIngestTests", dependencies: ["WaymarkTestSupport"] + waymarkModules),
        .testTarget(name: "WaymarkTrajectoriesTests", dependencies: ["WaymarkTestSupport"] + waymarkModules),
        .testTarget(name: "WaymarkIndicatorsTests", dependencies: ["WaymarkTestSupport"] + waymarkModules),
        .testTarget(name: "WaymarkEvaluationTests", dependencies: ["WaymarkTestSupport"] + waymarkModules),
        .testTarget(name: "WaymarkDisclosureTests", dependencies: ["WaymarkTestSupport"] + waymarkModules),
        .testTarget(name: "WaymarkReportsTests", dependencies: ["WaymarkTestSupport"] + waymarkModules),
        .testTarget(name: "WaymarkRecordLevelTests", dependencies: ["WaymarkTestSupport"] + waymarkModules),
        .testTarget(name: "WaymarkPipelineTests", dependencies: ["WaymarkTestSupport"] + waymarkModules),
    ],
    swiftLanguageModes: [.v6]
)

// The pipeline is split into layered targets; full cross-module optimisation
// lets the hot loops inline the small rules and types they call across those
// boundaries (Day, the interner, the tolerance tests, the tables), as they did
// when everything was one module.
for target in package.targets where target.type == .regular || target.type == .executable {
    target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))]
}

// The row loops of reading, writing and building (issue #15) touch class
// properties millions of times; release builds of those targets skip the
// runtime's dynamic exclusivity checks there (about 6% of a run's
// instructions, callgrind). Debug builds, which the tests use, keep them, so
// an overlapping access is still caught.
let rowLoopTargets: Set<String> = ["WaymarkCSV", "WaymarkCore", "WaymarkIngest", "WaymarkTrajectories", "WaymarkIndicators", "WaymarkRecordLevel"]
for target in package.targets where rowLoopTargets.contains(target.name) {
    target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
}

// Fuzzing (docs/fuzzing.md). The fuzz targets' logic and the replay of the
// committed regression inputs (Tests/FuzzCorpus/) are ordinary targets; the
// libFuzzer executables exist only when WAYMARK_FUZZ=1, since they link only
// with `--sanitize=fuzzer` (scripts/fuzz builds them in .build-fuzz).
package.targets += [
    .target(name: "WaymarkFuzzTargets", dependencies: ["WaymarkCSV", "WaymarkCore", "WaymarkIngest", "WaymarkPipeline"]),
    .testTarget(name: "WaymarkFuzzReplayTests", dependencies: ["WaymarkFuzzTargets", "WaymarkTestSupport"]),
]
if Context.environment["WAYMARK_FUZZ"] == "1" {
    package.targets += ["csv", "ingest", "pipeline"].map { name in
        .executableTarget(name: "waymark-fuzz-\(name)", dependencies: ["WaymarkFuzzTargets"], path: "Fuzz/waymark-fuzz-\(name)")
    }
}
