// The ingest benchmark: times reading and validating generated exports and
// prints MB/s, rows/s, peak RSS and bytes per accepted score row.
//
//   waymark-bench generate --rows N --out DIR     generate about N score rows
//   waymark-bench parse DIR                        libcsv parse only (no typing)
//   waymark-bench scores DIR                       ingest scaling_scores.csv alone
//   waymark-bench all DIR                          ingest all five files
//   waymark-bench trajectories DIR                 the three required files to every series,
//                                                  segment context and the matrices (M1-M6, M9)
//   waymark-bench record-level DIR                 ingest and trajectories, then the record-level files written
//                                                  twice (buffers written in place, then in the background): MB/s
//   waymark-bench indicators DIR                   all five files, trajectories, then every indicator
//                                                  over a 12-month trend with breakdowns and
//                                                  disclosure control (M7-M11), timed on its own
//   waymark-bench history FIGURES RUNS             records RUNS runs of FIGURES figures each (12 month ends
//                                                  per run, like a monthly pack) into a new history database,
//                                                  then loads every month end of the headline series, as the
//                                                  report does; prints the times and the size per run
//   waymark-bench evaluation N                     M12 statistics on two synthetic cohorts of N series
//                                                  each (2,000 bootstrap resamples): Welch, Hedges' g
//                                                  with its interval, Kaplan-Meier, log-rank, clustered OLS
//
// Run each measurement in its own process (Benchmarks/run-ingest.sh does) so
// peak RSS belongs to that measurement alone. Use a release build.
import Foundation
import WaymarkPipeline
import WaymarkCSV
import WaymarkStats
import WaymarkCore
import WaymarkMethods
import WaymarkIngest
import WaymarkTrajectories
import WaymarkIndicators
import WaymarkDisclosure
import WaymarkEvaluation
import WaymarkReports
import WaymarkRecordLevel
import WaymarkHistory

func peakRSSMiB() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let kb = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
        return kb / 1024
    }
    return 0
}

func now() -> Double { Date().timeIntervalSince1970 }

func fileSize(_ path: String) -> Int {
    ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
}

func report(_ label: String, bytes: Int, rows: Int, seconds: Double, extra: String = "") {
    let mb = Double(bytes) / 1e6
    print(String(format: "%-34@ %9.1f MB %11d rows %7.2f s %8.1f MB/s %11.0f rows/s  peak RSS %7.0f MiB%@",
                 label as NSString, mb, rows, seconds, mb / seconds, Double(rows) / seconds, peakRSSMiB(), extra as NSString))
}

let args = CommandLine.arguments
guard args.count >= 3 else {
    print("usage: waymark-bench generate --rows N --out DIR | parse DIR | parse-libcsv DIR | scores DIR | all DIR")
    exit(64)
}

switch args[1] {
case "generate":
    let rows = Int(args[args.firstIndex(of: "--rows").map { $0 + 1 } ?? 0]) ?? 1_000_000
    let out = args[args.firstIndex(of: "--out").map { $0 + 1 } ?? 0]
    // The generator writes about 31 score rows per case.
    let generator = FixtureGenerator(cases: max(1, rows / 31), seed: 2026)
    let t = now()
    let counts = try generator.write(to: out)
    print("generated \(counts.scores) score rows, \(counts.interventions) interventions, \(counts.responses) responses in \(String(format: "%.1f", now() - t)) s")

case "parse", "parse-libcsv":
    // parse: the reader as ingest uses it (quote-free lines split directly);
    // parse-libcsv: every line through libcsv (the fast path off).
    let path = args[2] + "/scaling_scores.csv"
    let t = now()
    var fields = 0
    let reader = CSVReader(path: path)
    reader.quoteFreeFastPath = args[1] == "parse"
    let summary = try reader.read { fields += $0.count }
    report(args[1] == "parse" ? "reader parse (scores)" : "libcsv parse (scores)", bytes: summary.bytes, rows: summary.records - 1, seconds: now() - t)

case "scores", "all":
    let folder = args[2]
    var config = PipelineConfig.canonicalFolder(folder) { FileManager.default.fileExists(atPath: $0) }
    if args[1] == "scores" {
        // Scores alone: the other inputs are given empty (header only).
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("waymark-bench-empty").path
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        for file in [InputFile.interventions, .responses] {
            let p = empty + "/" + file.fileName
            try (file.columns.map(\.name).joined(separator: ",") + "\n").write(toFile: p, atomically: true, encoding: .utf8)
            config.inputs[file] = FileMapping(path: p)
        }
        config.inputs[.episodes] = nil
        config.inputs[.children] = nil
    }
    let t = now()
    let result = try Ingestor(config: config, extractedOn: Day(iso: "2026-11-05") ?? .today()).run()
    let seconds = now() - t
    let bytes = result.files.reduce(0) { $0 + $1.bytes }
    let rows = result.files.reduce(0) { $0 + $1.rowsRead }
    let perRow = Double(result.scores.footprint) / Double(max(1, result.scores.count))
    report(args[1] == "scores" ? "ingest scaling_scores.csv" : "ingest all five files", bytes: bytes, rows: rows,
           seconds: seconds, extra: String(format: "  %.1f B/accepted score row", perRow))
    for f in result.files {
        print(String(format: "    %-20@ %9.1f MB %11d rows %6.2f s", f.file.fileName as NSString, Double(f.bytes) / 1e6, f.rowsRead, f.seconds))
    }

case "trajectories":
    let folder = args[2]
    var config = PipelineConfig.canonicalFolder(folder) { FileManager.default.fileExists(atPath: $0) }
    config.inputs[.episodes] = nil
    config.inputs[.children] = nil
    config.scales[0].sd = .baseline
    config.scales[0].reliability = 0.8
    let asOf = Day(iso: "2026-10-31") ?? .today()
    let t0 = now()
    let result = try Ingestor(config: config, extractedOn: Day(iso: "2026-11-05") ?? .today()).run()
    let t1 = now()
    let t = TrajectoryBuilder.build(result, config: config, asOf: asOf)
    var cells = 0
    for scale in config.scales.indices {
        for rater in Rater.allCases {
            let m = SupportMatrix.compute(t, scale: scale, rater: rater, asOf: asOf, windowDays: config.windowDays)
            cells += m.cells.flatMap { $0 }.reduce(0) { $0 + $1.segments }
        }
    }
    let t2 = now()
    let bytes = result.files.reduce(0) { $0 + $1.bytes }
    let rows = result.files.reduce(0) { $0 + $1.rowsRead }
    report("CSV to trajectories (3 files)", bytes: bytes, rows: rows, seconds: t2 - t0)
    print(String(format: "    ingest %.2f s, series/segments/context/summaries/matrices %.2f s: %d series, %d segments, %d points, %d segments in matrices",
                 t1 - t0, t2 - t1, t.series.count, t.segments.count, t.points.count, cells))

case "record-level":
    // Ingest and trajectories, then the record-level files twice: buffers written in place
    // (the reference), then on a thread of their own (what runs use).
    let folder = args[2]
    var config = PipelineConfig.canonicalFolder(folder) { FileManager.default.fileExists(atPath: $0) }
    config.scales[0].sd = .baseline
    config.scales[0].reliability = 0.8
    let asOf = Day(iso: "2026-10-31") ?? .today()
    let result = try Ingestor(config: config, extractedOn: Day(iso: "2026-11-05") ?? .today()).run()
    let t = TrajectoryBuilder.build(result, config: config, asOf: asOf)
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("waymark-record-level-bench-\(getpid())").path
    defer { try? FileManager.default.removeItem(atPath: out) }
    for background in [false, true] {
        try? FileManager.default.removeItem(atPath: out)
        CSVWriter.writesInBackground = background
        let folders = OutputFolders(reportFolder: out + "/report", restrictedFolder: out + "/restricted")
        let t0 = now()
        try RecordLevelWriter.write(t, ingest: result, scales: config.scales.map(\.name), pipeline: "bench", folders: folders)
        let seconds = now() - t0
        let bytes = ["series.csv", "segments.csv", "points.csv"].reduce(0) { $0 + fileSize(out + "/restricted/record-level/" + $1) }
        report(background ? "record-level, background writes" : "record-level, writes in place", bytes: bytes, rows: t.points.count, seconds: seconds)
    }

case "indicators":
    let folder = args[2]
    var config = PipelineConfig.canonicalFolder(folder) { FileManager.default.fileExists(atPath: $0) }
    config.scales[0].sd = .baseline
    config.scales[0].reliability = 0.8
    config.trendMonths = 12
    let asOf = Day(iso: "2026-10-31") ?? .today()
    let t0 = now()
    let result = try Ingestor(config: config, extractedOn: Day(iso: "2026-11-05") ?? .today()).run()
    let t1 = now()
    let t = TrajectoryBuilder.build(result, config: config, asOf: asOf)
    let t2 = now()
    let raw = IndicatorEngine.compute(t, ingest: result, config: config)
    let t3 = now()
    let protected = Disclosure(smallCount: config.smallCount, minDenominator: config.minDenominator).apply(raw)
    let t4 = now()
    let rows = result.files.reduce(0) { $0 + $1.rowsRead }
    report("indicators, 12 month ends", bytes: result.files.reduce(0) { $0 + $1.bytes }, rows: rows, seconds: t4 - t2)
    print(String(format: "    ingest %.2f s, trajectories %.2f s, indicators %.2f s, disclosure %.2f s: %d rows (%d suppressed), %d matrices",
                 t1 - t0, t2 - t1, t3 - t2, t4 - t3, protected.rows.count,
                 protected.rows.filter { $0.status == .suppressed }.count, protected.matrices.count))

case "evaluation":
    let n = Int(args[2]) ?? 100_000
    var rng = SeededGenerator(seed: 7)
    func uniform() -> Double { Double(rng.next() >> 11) / Double(1 << 53) }
    var members: [CohortMember] = []
    members.reserveCapacity(2 * n)
    for k in 0..<(2 * n) {
        let cohort = k < n ? 0 : 1
        let baseline = Double(rng.below(11))
        let outcome = min(10, max(0, baseline + Double(rng.below(7)) - 3 + (cohort == 0 ? 0.3 : 0)))
        let time = Int32(1 + rng.below(400))
        members.append(CohortMember(series: k, cohort: cohort, entry: 0, baselineDay: 0, baseline: baseline, outcomeDay: 100,
                                    outcome: outcome, engagedHours: Double(rng.below(40)), time: time, sustained: uniform() < 0.5))
    }
    var spec = EvaluationSpec()
    spec.bootstrap = 2000
    let t0 = now()
    let r = EvaluationEngine.statistics(members, clusterOf: { $0.series / 3 }, spec: spec, scale: "safety", rater: .practitioner,
                                        asOf: Day(iso: "2026-10-31") ?? .today(), hasThreshold: true)
    let seconds = now() - t0
    print(String(format: "evaluation: 2 x %d series, %d resamples  %.2f s  peak RSS %.0f MiB  (g %.4f, interval %.4f to %.4f, log-rank p %.3g)",
                 n, spec.bootstrap, seconds, peakRSSMiB(), r.comparison?.hedgesG ?? .nan, r.gInterval?.low ?? .nan,
                 r.gInterval?.high ?? .nan, r.logRank?.p ?? .nan))

case "history":
    let perRun = Int(args[2]) ?? 25_000
    let runs = Int(args.count > 3 ? args[3] : "60") ?? 60
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("waymark-history-bench-\(getpid())").path
    try? FileManager.default.removeItem(atPath: folder)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let store = try HistoryStore(path: folder + "/history.sqlite")
    var config = PipelineConfig(name: "bench")
    config.scales = PipelineConfig.defaultScales
    let headline = HistoryStage.headlineSeries(config).map(\.1)
    // Series: the headline ones, then team and group breakdowns, 12 month ends each.
    var keys = headline
    var g = 0
    while keys.count * 12 < perRun {
        keys.append(SeriesKey(kind: "indicator", indicatorID: "I\(g % 16 + 1)", scale: "safety", ratedBy: "practitioner", breakdown: "team", group: "Team \(g)"))
        g += 1
    }
    var recordTimes: [Double] = []
    var end = Day(iso: "2021-11-30")!
    for r in 0..<runs {
        var months = [end]
        while months.count < 12 { months.insert(months[0].endOfPreviousMonth, at: 0) }
        var figures: [HistoryFigure] = []
        figures.reserveCapacity(perRun)
        outer: for key in keys {
            for m in months {
                if figures.count == perRun { break outer }
                let v = Double((key.group.hashValue ^ Int(m.number) ^ r) & 0xFFFF) / 65_536
                figures.append(HistoryFigure(key: key, asOf: m, status: v < 0.1 ? "c" : "published", numerator: v < 0.1 ? nil : v * 100,
                                             denominator: v < 0.1 ? nil : 100, value: v < 0.1 ? nil : v))
            }
        }
        let record = RunRecord(kind: .published, pipeline: "bench", asOf: end, extractedOn: end + 5, startedAt: "", version: WaymarkVersion.string,
                               parametersHash: "bench", pipelineSHA256: nil, manifest: String(repeating: "x", count: 20_000),
                               inputs: InputFile.allCases.map { RunRecord.Input(file: $0.fileName, sha256: String(repeating: "0", count: 64), bytes: 1, rowsRead: 1, rowsAccepted: 1, rowsQuarantined: 0) },
                               inputMonths: ["scaling_scores.csv": Dictionary(uniqueKeysWithValues: months.map { ($0, 1000) })])
        let t0 = now()
        try store.record(record, figures: figures)
        recordTimes.append(now() - t0)
        end = Day(number: end.number + 1).endOfMonth
    }
    let t0 = now()
    let long = try store.allFigures(pipeline: "bench", series: Set(headline))
    let loadSeconds = now() - t0
    let monthEnds = Set(long.map(\.figure.asOf)).count
    recordTimes.sort()
    print(String(format: "history: %d runs of %d figures; recording a run: median %.3f s, slowest %.3f s", runs, perRun,
                 recordTimes[recordTimes.count / 2], recordTimes.last ?? 0))
    print(String(format: "history: loading %d headline series over %d month ends (%d figures): %.3f s", headline.count, monthEnds, long.count, loadSeconds))
    print(String(format: "history: database %.1f MB, %.0f KB per run; peak RSS %.0f MiB", Double(store.sizeInBytes) / 1e6,
                 Double(store.sizeInBytes) / 1e3 / Double(runs), peakRSSMiB()))

default:
    print("unknown mode \(args[1])")
    exit(64)
}
