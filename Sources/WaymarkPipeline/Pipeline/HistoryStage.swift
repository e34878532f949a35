import Foundation
import WaymarkCore
import WaymarkMethods
import WaymarkIngest
import WaymarkIndicators
import WaymarkDisclosure
import WaymarkReports
import WaymarkHistory

/// The history stage of `waymark run` (OUTPUTS.md "History"): reads what the
/// history database remembers about the headline figures, for the report's
/// "Revisions" and "Over the years" sections, and arranges for the run and
/// every figure it published to be recorded in the same transaction that
/// moves its folder into place.
public enum HistoryStage {
    /// The parameters' SHA-256: runs with different hashes are method changes, never restatements.
    public static func parametersHash(_ config: PipelineConfig) -> String {
        SHA256Digest.hex(Array(Manifest.parameters(config).serialised().utf8))
    }

    /// Accepted rows per input file and month end of their date (the date a
    /// row is "dated": scores and responses when recorded, interventions when
    /// offered, episodes when opened). Counts only.
    public static func inputMonths(_ ingest: IngestResult) -> [String: [Day: Int]] {
        func count(_ days: [Int32]) -> [Day: Int] {
            var out: [Day: Int] = [:]
            for d in days where d != Int32.blankDay { out[Day(number: d).endOfMonth, default: 0] += 1 }
            return out
        }
        var months: [String: [Day: Int]] = [
            InputFile.scalingScores.fileName: ingest.scoreMonths,
            InputFile.interventions.fileName: count(ingest.interventions.offered),
            InputFile.responses.fileName: count(ingest.responses.day),
        ]
        if let e = ingest.episodes { months[InputFile.episodes.fileName] = count(e.opened) }
        return months
    }

    /// The history's record of each input file, from what ingest read.
    public static func inputs(_ ingest: IngestResult) -> [RunRecord.Input] {
        ingest.files.enumerated().map { k, f in
            // An input read from several files records each under its own name (the table's key is the file).
            let several = ingest.files.filter { $0.file == f.file }.count > 1
            let name = several ? "\(f.file.fileName):\(k):\(lastPathComponent(f.path))" : f.file.fileName
            return RunRecord.Input(file: name, sha256: f.sha256, bytes: f.bytes, rowsRead: f.rowsRead,
                            rowsAccepted: f.rowsAccepted, rowsQuarantined: f.rowsQuarantined)
        }
    }

    /// The headline series the long views follow: each tile's indicator at the headline scale and rater.
    public static func headlineSeries(_ config: PipelineConfig) -> [(IndicatorID, SeriesKey)] {
        let scale = config.headlineScale ?? config.scales.first?.name ?? ""
        return ReportPage.tileIDs.map { id in
            let (s, r) = ReportPage.headlineKey(IndicatorCatalogue.definition(id), scale: scale, rater: config.headlineRater.rawValue)
            return (id, SeriesKey.indicator(id, scale: s, ratedBy: r))
        }
    }

    public static func run(_ context: RunContext, ingest: IngestResult, published: PublishedIndicators,
                           kind: RunRecord.Kind = .published) throws -> HistoryView? {
        guard let path = context.historyPath else { return nil }
        return try context.stage("history", rowsIn: published.rows.count) { () -> (HistoryView?, Int) in
            let store = try HistoryStore(path: path)
            let config = context.config
            let hash = parametersHash(config)
            let months = inputMonths(ingest)
            let figures = HistoryFigure.all(from: published)
            let view = try self.view(store, config: config, hash: hash, months: months, figures: figures)
            let record = RunRecord(kind: kind, pipeline: config.name, asOf: context.dates.asOf, extractedOn: context.dates.extractedOn,
                                   startedAt: ISO8601DateFormatter().string(from: context.startedAt), version: WaymarkVersion.string,
                                   parametersHash: hash, pipelineSHA256: config.sourceHash, manifest: "",
                                   inputs: HistoryStage.inputs(ingest), inputMonths: months)
            context.recordHistory = { manifest, commit in
                var r = record
                r.manifest = manifest
                try store.record(r, figures: figures, commit: commit)
            }
            return (view, figures.count)
        }
    }

    /// The report's view of the history, with this (unrecorded) run's figures laid over it.
    static func view(_ store: HistoryStore, config: PipelineConfig, hash: String, months: [String: [Day: Int]],
                     figures: [HistoryFigure]) throws -> HistoryView {
        let headline = headlineSeries(config)
        let keys = Set(headline.map(\.1))
        let idOf = Dictionary(uniqueKeysWithValues: headline.map { ($0.1, $0.0) })
        let earlier = try store.runs(pipeline: config.name).filter { $0.kind == RunRecord.Kind.published.rawValue }
        let methodChanged = earlier.last.map { $0.parametersHash != hash } ?? false
        let current = figures.filter { keys.contains($0.key) }

        var revisions: [HistoryView.Revision] = []
        if !methodChanged {
            for r in try store.revisions(of: current, pipeline: config.name, parametersHash: hash, rows: months) {
                guard let id = idOf[r.now.key], let firstAsOf = Day(iso: r.firstRun.asOf) else { continue }
                revisions.append(HistoryView.Revision(id: id, asOf: r.now.asOf, firstRunAsOf: firstAsOf, firstStatus: r.first.status,
                                                      firstValue: r.first.value, nowStatus: r.now.status, nowValue: r.now.value, cause: r.cause))
            }
        }

        // The long view: first publication, latest publication, and reconstructions.
        var points: [IndicatorID: [Int32: HistoryView.Point]] = [:]
        func published(_ f: HistoryFigure) -> Double? { f.isPublished ? f.value : nil }
        for (run, f) in try store.allFigures(pipeline: config.name, series: keys) {
            guard let id = idOf[f.key] else { continue }
            var p = points[id]?[f.asOf.number] ?? HistoryView.Point(asOf: f.asOf, firstPublished: nil, now: nil, reconstructed: nil)
            if run.kind == RunRecord.Kind.reconstructed.rawValue {
                p.reconstructed = published(f)
            } else {
                if !(points[id]?[f.asOf.number].map { $0.firstPublished != nil || $0.now != nil } ?? false) { p.firstPublished = published(f) }
                p.now = published(f)
            }
            points[id, default: [:]][f.asOf.number] = p
        }
        for f in current {
            guard let id = idOf[f.key] else { continue }
            var p = points[id]?[f.asOf.number] ?? HistoryView.Point(asOf: f.asOf, firstPublished: nil, now: nil, reconstructed: nil)
            let known = p.firstPublished != nil || p.now != nil
            p.now = published(f)
            if !known { p.firstPublished = published(f) }
            points[id, default: [:]][f.asOf.number] = p
        }
        // A reconstruction is shown only where nothing was ever published.
        var long: [IndicatorID: [HistoryView.Point]] = [:]
        for (id, byMonth) in points {
            long[id] = byMonth.values.sorted { $0.asOf < $1.asOf }.map { p in
                var q = p
                if q.firstPublished != nil || q.now != nil { q.reconstructed = nil }
                return q
            }
        }
        return HistoryView(revisions: revisions, long: long, milestones: config.milestones, methodChanged: methodChanged)
    }
}
