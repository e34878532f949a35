import Foundation
import Testing
import WaymarkTestSupport
import WaymarkPipeline
import WaymarkCore
import WaymarkHistory

/// The history database (issue #12, OUTPUTS.md "History"), through the built binary.
@Suite(.serialized) struct HistoryTests {
    func waymark(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let r = try runWaymarkCapturing(arguments)
        return (r.status, String(decoding: r.output, as: UTF8.self))
    }

    /// A pipeline file over `folder` (canonical files), history at `history`.
    func pipeline(_ root: String, folder: String, name: String = "late") throws -> String {
        let yaml = """
        name: \(name)
        inputs: {folder: \(folder)}
        scales:
          safety: {min: 0, max: 10, direction: higher_is_better, step: 1, sd: baseline, reliability: 0.8, sustained_threshold: 7}
          worry: {min: 0, max: 10, direction: higher_is_worse, step: 1}
        headline: {scale: safety, rater: practitioner}
        milestones:
          - {date: 2025-04-01, label: "Signs of Safety training complete"}
        """
        let path = root + "/\(name)-\(abs(folder.hashValue)).yaml"
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// 24 monthly runs of one council's exports as taken month by month, with
    /// late-recorded scores in a few months: restatements appear for exactly
    /// those month ends, each blamed on exactly the late rows, and nowhere else.
    @Test func restatementsAreFoundExactlyWhereLateRowsWere() throws {
        let root = try InputFolder([:]).path
        #expect(try waymark(["fixtures", "--cases", "900", "--seed", "5", "--snapshots", "24", "--out", root + "/exports"]).status == 0)
        let late = try String(contentsOfFile: root + "/exports/late-rows.csv", encoding: .utf8)
            .split(separator: "\n").dropFirst().map { $0.split(separator: ",") }
        let lateCounts = Dictionary(uniqueKeysWithValues: late.map { (String($0[0]), Int($0[2])!) })
        #expect(lateCounts.count >= 3)
        let history = root + "/history.sqlite"
        let exports = try FileManager.default.contentsOfDirectory(atPath: root + "/exports").filter { $0.hasPrefix("20") }.sorted()
        #expect(exports.count == 24)
        for taken in exports {
            let day = Day(iso: taken)!
            let asOf = day.endOfPreviousMonth
            let p = try pipeline(root, folder: root + "/exports/" + taken)
            let r = try waymark(["run", p, "--as-of", asOf.description, "--extracted-on", taken, "--out", root + "/out/" + asOf.description,
                                 "--history", history, "--quiet"])
            #expect(r.status == 0, "\(taken): \(r.output.prefix(300))")
        }
        let store = try HistoryStore(path: history)
        #expect(try store.runs(pipeline: "late").count == 24)
        #expect(try store.verify().isEmpty)
        let restatements = try store.restatements(pipeline: "late")
        let restated = Set(restatements.map(\.asOf.description))
        #expect(restated == Set(lateCounts.keys), "restated \(restated.sorted()), late \(lateCounts.keys.sorted())")
        for r in restatements {
            // Found by the first run that had the late rows, blamed on exactly them.
            #expect(r.later.asOf == Day(number: r.asOf.number + 1).endOfMonth.description)
            #expect(r.cause == "late-recorded data: \(lateCounts[r.asOf.description]!) scaling_scores.csv rows dated on or before \(r.asOf) that the earlier run did not have")
        }
        // The report of the run that brought the late rows shows the revisions and rings them on the trends.
        let firstLate = lateCounts.keys.sorted()[0]
        let next = Day(number: Day(iso: firstLate)!.number + 1).endOfMonth.description
        let html = try String(contentsOfFile: root + "/out/\(next)/index.html", encoding: .utf8)
        #expect(html.contains("<section id=\"revisions\""))
        #expect(html.contains("late-recorded data: \(lateCounts[firstLate]!) scaling_scores.csv rows"))
        #expect(html.contains("class=\"revised\""))
        // On the section line charts too (r="6"), not only the tiles' sparklines.
        #expect(html.contains("<circle class=\"revised\" cx=") && html.contains("r=\"6\" fill=\"none\""))
        // A run after no late month shows none.
        let quiet = try String(contentsOfFile: root + "/out/\(exports.map { Day(iso: $0)!.endOfPreviousMonth.description }[3])/index.html", encoding: .utf8)
        #expect(quiet.contains("No headline figure has moved since it was first published"))
        // The long view spans every month end, with the milestone marked.
        let last = try String(contentsOfFile: root + "/out/\(Day(iso: exports.last!)!.endOfPreviousMonth)/index.html", encoding: .utf8)
        #expect(last.contains("<section id=\"over-the-years\"") && last.contains("Signs of Safety training complete"))
        #expect(last.contains("Year on year"))

        // The subcommands, on the same database.
        let p = try pipeline(root, folder: root + "/exports/" + exports.last!)
        let list = try waymark(["history", "list", p, "--db", history])
        #expect(list.status == 0 && list.output.split(separator: "\n").count == 25)
        let listed = try waymark(["history", "restatements", p, "--db", history])
        #expect(listed.output.contains("\(restatements.count) restatement(s)"))
        #expect(try waymark(["history", "verify", p, "--db", history]).output.contains(": ok (schema v1, 24 runs"))
        let diff = try waymark(["history", "diff", p, "1", "2", "--db", history])
        #expect(diff.status == 0 && diff.output.contains("figure(s) changed"))
        #expect(try waymark(["history", "show", p, "3", "--db", history]).output.contains("run 3: published"))
        let csv = root + "/long.csv"
        #expect(try waymark(["history", "export", p, "--format", "csv", "--out", csv, "--db", history]).status == 0)
        let rows = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\r\n").count - 1
        #expect(rows == (try store.runs(pipeline: "late")).reduce(0) { $0 + $1.figures })
    }

    /// Two runs at once into one database: both recorded, nothing corrupted.
    @Test func twoRunsAtOnceShareTheDatabase() throws {
        let root = try InputFolder([:]).path
        let history = root + "/history.sqlite"
        var processes: [Process] = []
        for k in 0..<2 {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: waymarkBinary)
            p.arguments = ["run", "Pipelines/monthly.yaml", "--out", root + "/r\(k)", "--history", history, "--quiet"]
            p.currentDirectoryURL = URL(fileURLWithPath: projectRoot())
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            processes.append(p)
        }
        for p in processes { try p.run() }
        for p in processes { p.waitUntilExit() }
        #expect(processes.allSatisfy { $0.terminationStatus == 0 })
        let store = try HistoryStore(path: history)
        #expect(try store.runs().count == 2)
        #expect(try store.verify().isEmpty)
        let runs = try store.runs()
        #expect(runs[0].figures == runs[1].figures && runs[0].figures > 0)
        // A month re-run gives the same page: nothing on it counts the runs, only what they published.
        let pages = try (0..<2).map { try Data(contentsOf: URL(fileURLWithPath: root + "/r\($0)/index.html")) }
        #expect(pages[0] == pages[1])
    }

    /// Several first opens of a new database at once (as two processes starting
    /// together): every one migrates or finds it migrated, and every record lands.
    @Test func firstOpensAtOnceAllSucceed() throws {
        let path = try InputFolder([:]).path + "/h.sqlite"
        let failures = ManagedCount()
        DispatchQueue.concurrentPerform(iterations: 4) { k in
            do {
                let store = try HistoryStore(path: path)
                let r = RunRecord(kind: .published, pipeline: "p", asOf: Day(iso: "2026-10-31")!, extractedOn: Day(iso: "2026-11-05")!,
                                  startedAt: "t\(k)", version: "test", parametersHash: "h", pipelineSHA256: nil, manifest: "{}",
                                  inputs: [RunRecord.Input(file: "scaling_scores.csv", sha256: "x", bytes: 1, rowsRead: 1, rowsAccepted: 1, rowsQuarantined: 0)],
                                  inputMonths: [:])
                try store.record(r, figures: [])
            } catch {
                failures.add()
            }
        }
        #expect(failures.value == 0)
        #expect(try HistoryStore(path: path).runs().count == 4)
    }

    /// A run whose folder cannot be moved into place records nothing; an
    /// interrupted run records nothing either.
    @Test func aFailedRunRecordsNothing() throws {
        let root = try InputFolder([:]).path
        let store = try HistoryStore(path: root + "/h.sqlite")
        let record = RunRecord(kind: .published, pipeline: "p", asOf: Day(iso: "2026-10-31")!, extractedOn: Day(iso: "2026-11-05")!,
                               startedAt: "2026-11-05T00:00:00Z", version: "test", parametersHash: "h", pipelineSHA256: nil, manifest: "{}",
                               inputs: [RunRecord.Input(file: "scaling_scores.csv", sha256: "x", bytes: 1, rowsRead: 1, rowsAccepted: 1, rowsQuarantined: 0)],
                               inputMonths: [:])
        let figure = HistoryFigure(key: .indicator(.i1, scale: "safety", ratedBy: "practitioner"), asOf: Day(iso: "2026-10-31")!,
                                   status: "published", numerator: 3, denominator: 10, value: 0.3)
        struct Refused: Error {}
        #expect(throws: Refused.self) { try store.record(record, figures: [figure]) { throw Refused() } }
        #expect(try store.runs().isEmpty)
        try store.record(record, figures: [figure])
        #expect(try store.runs().count == 1)
        #expect(try store.figures(run: 1) == [figure])
    }

    /// Restatement rules by hand: a status change or a move over 1e-9 is one;
    /// 1e-10 is not; a run with other parameters is a method change, never one.
    @Test func restatementRules() throws {
        let root = try InputFolder([:]).path
        let store = try HistoryStore(path: root + "/h.sqlite")
        let day = Day(iso: "2026-09-30")!
        func run(_ hash: String, _ value: Double?, status: String = "published", asOf: String) throws {
            let r = RunRecord(kind: .published, pipeline: "p", asOf: Day(iso: asOf)!, extractedOn: Day(iso: asOf)! + 5, startedAt: "t",
                              version: "test", parametersHash: hash, pipelineSHA256: nil, manifest: "{}",
                              inputs: [RunRecord.Input(file: "scaling_scores.csv", sha256: "x", bytes: 1, rowsRead: 1, rowsAccepted: 1, rowsQuarantined: 0)],
                              inputMonths: ["scaling_scores.csv": [day: 10]])
            try store.record(r, figures: [HistoryFigure(key: .indicator(.i2, scale: "safety", ratedBy: "practitioner"), asOf: day, status: status,
                                                        numerator: value.map { $0 * 10 }, denominator: value == nil ? nil : 10, value: value)])
        }
        try run("a", 0.5, asOf: "2026-09-30")
        try run("a", 0.5 + 1e-10, asOf: "2026-10-31")    // not a restatement
        try run("a", 0.6, asOf: "2026-11-30")            // a restatement (0.5 -> 0.6)
        try run("a", nil, status: "c", asOf: "2026-12-31") // a status change: shown without values
        try run("b", 0.9, asOf: "2027-01-31")            // a method change
        let found = try store.restatements(pipeline: "p")
        #expect(found.count == 2)
        #expect(found[0].before.value == 0.5 + 1e-10 && found[0].after.value == 0.6 && found[0].showsValues)
        #expect(found[1].after.status == "c" && !found[1].showsValues)
        #expect(found.allSatisfy { $0.cause.hasPrefix("rows dated on or before 2026-09-30 were corrected") })
        #expect(try store.methodChanges(pipeline: "p").map(\.run.asOf) == ["2027-01-31"])
    }

    /// Backfill stores reconstructed month ends apart from published ones.
    @Test func backfillIsKeptApartFromWhatWasPublished() throws {
        let root = try InputFolder([:]).path
        let history = root + "/history.sqlite"
        let r = try waymark(["history", "backfill", "Pipelines/monthly.yaml", "--from", "2025-06", "--to", "2025-08", "--db", history])
        #expect(r.status == 0, "\(r.output.prefix(300))")
        let store = try HistoryStore(path: history)
        #expect(try store.runs().map(\.kind) == ["reconstructed", "reconstructed", "reconstructed"])
        #expect(try store.runs().map(\.asOf) == ["2025-06-30", "2025-07-31", "2025-08-31"])
        #expect(try store.restatements(pipeline: "monthly").isEmpty)
        #expect(try waymark(["run", "Pipelines/monthly.yaml", "--out", root + "/oct", "--history", history, "--quiet"]).status == 0)
        let html = try String(contentsOfFile: root + "/oct/index.html", encoding: .utf8)
        #expect(html.contains("Reconstructed (never published)"))
    }
}

/// A count several threads add to.
final class ManagedCount: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    var value: Int { lock.lock(); defer { lock.unlock() }; return n }
    func add() { lock.lock(); n += 1; lock.unlock() }
}
