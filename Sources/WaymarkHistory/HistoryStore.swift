import Foundation
import GRDB
import WaymarkCore

/// What a run records about itself besides its figures.
public struct RunRecord: Sendable {
    /// `published` (`waymark run`) or `reconstructed` (`waymark history backfill`).
    public enum Kind: String, Sendable { case published, reconstructed }

    /// One input file as the run read it.
    public struct Input: Sendable, Equatable {
        public var file: String
        public var sha256: String
        public var bytes: Int
        public var rowsRead: Int
        public var rowsAccepted: Int
        public var rowsQuarantined: Int
        public init(file: String, sha256: String, bytes: Int, rowsRead: Int, rowsAccepted: Int, rowsQuarantined: Int) {
            self.file = file
            self.sha256 = sha256
            self.bytes = bytes
            self.rowsRead = rowsRead
            self.rowsAccepted = rowsAccepted
            self.rowsQuarantined = rowsQuarantined
        }
    }

    public var kind: Kind
    public var pipeline: String
    public var asOf: Day
    public var extractedOn: Day
    public var startedAt: String
    public var version: String
    public var parametersHash: String
    public var pipelineSHA256: String?
    /// The run's manifest.json, as written.
    public var manifest: String
    public var inputs: [Input]
    /// Accepted rows per input file and month end of their date.
    public var inputMonths: [String: [Day: Int]]

    public init(kind: Kind, pipeline: String, asOf: Day, extractedOn: Day, startedAt: String, version: String, parametersHash: String,
                pipelineSHA256: String?, manifest: String, inputs: [Input], inputMonths: [String: [Day: Int]]) {
        self.kind = kind
        self.pipeline = pipeline
        self.asOf = asOf
        self.extractedOn = extractedOn
        self.startedAt = startedAt
        self.version = version
        self.parametersHash = parametersHash
        self.pipelineSHA256 = pipelineSHA256
        self.manifest = manifest
        self.inputs = inputs
        self.inputMonths = inputMonths
    }
}

/// A recorded run, as `waymark history list` shows it.
public struct RunSummary: Sendable, Equatable {
    public var id: Int64
    public var kind: String
    public var pipeline: String
    public var asOf: String
    public var extractedOn: String
    public var recordedAt: String
    public var version: String
    public var parametersHash: String
    public var figures: Int
}

extension SeriesKey {
    /// A key from a row holding kind, indicator_id, scale, rated_by, breakdown
    /// and grp in six columns from `first`.
    init(_ row: Row, from first: Int) {
        self.init(kind: row[first], indicatorID: row[first + 1], scale: row[first + 2], ratedBy: row[first + 3],
                  breakdown: row[first + 4], group: row[first + 5])
    }
}

/// A problem with the history database: names the file and what to do.
public struct HistoryError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var message: String
    public var description: String { "\(path): \(message)" }
}

/// The history database (OUTPUTS.md "History"; schema in ``HistorySchema``):
/// an SQLite file in WAL mode, opened through GRDB, that remembers every run
/// and every figure it published.
///
/// - A run is recorded in one write transaction, together with whatever the
///   caller must do for the run to count (moving its folder into place): a
///   failed or interrupted run records nothing.
/// - Several processes may use the file at once: SQLite's locks serialise
///   the writers (a writer waits up to a minute for another), and WAL lets
///   readers go on meanwhile.
public final class HistoryStore: @unchecked Sendable {
    public let path: String
    let pool: DatabasePool

    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    public init(path: String) throws {
        self.path = path
        var config = Configuration()
        config.busyMode = .timeout(60)
        config.foreignKeysEnabled = true
        do {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            pool = try DatabasePool(path: path, configuration: config)
            // GRDB's migrator decides what to apply before it takes the write lock, so two
            // processes creating the database at once may both try v1: the loser fails on
            // an existing table, and its second attempt finds the migration applied.
            var attempt = 0
            while true {
                do {
                    try HistorySchema.migrator.migrate(pool)
                    break
                } catch let error as DatabaseError where attempt < 3 {
                    attempt += 1
                    _ = error
                }
            }
        } catch let error as DatabaseError {
            throw HistoryError(path: path, message: "cannot open the history database (\(error.resultCode): \(error.message ?? "")). Check the path (`outputs.history` in the pipeline file) and that the file is a Waymark history database; `waymark history verify` checks one.")
        }
    }

    // MARK: recording

    /// Records a run and its figures in one transaction, then calls `commit`
    /// inside it (the run's folder moved into place): if `commit` throws, or
    /// the process dies first, nothing is recorded. Returns the run's id.
    @discardableResult
    public func record(_ run: RunRecord, figures: [HistoryFigure], commit: () throws -> Void = {}) throws -> Int64 {
        try pool.write { db in
            try db.execute(sql: """
                INSERT INTO run (kind, pipeline, as_of, extracted_on, started_at, recorded_at, version, parameters_hash, pipeline_sha256, manifest, figures)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [run.kind.rawValue, run.pipeline, run.asOf.description, run.extractedOn.description, run.startedAt,
                                 ISO8601DateFormatter().string(from: Date()), run.version, run.parametersHash, run.pipelineSHA256, run.manifest,
                                 figures.count])
            let runID = db.lastInsertedRowID
            let input = try db.makeStatement(sql: "INSERT INTO run_input VALUES (?, ?, ?, ?, ?, ?, ?)")
            for i in run.inputs {
                try input.execute(arguments: [runID, i.file, i.sha256, i.bytes, i.rowsRead, i.rowsAccepted, i.rowsQuarantined])
            }
            let month = try db.makeStatement(sql: "INSERT INTO input_month VALUES (?, ?, ?, ?)")
            for (file, months) in run.inputMonths.sorted(by: { $0.key < $1.key }) {
                for (day, rows) in months.sorted(by: { $0.key < $1.key }) {
                    try month.execute(arguments: [runID, file, day.description, rows])
                }
            }
            let ids = try seriesIDs(db, Set(figures.map(\.key)))
            let figure = try db.makeStatement(sql: "INSERT INTO figure VALUES (?, ?, ?, ?, ?, ?, ?)")
            for f in figures {
                try figure.execute(arguments: [runID, ids[f.key]!, f.asOf.number, f.status, f.numerator, f.denominator, f.value])
            }
            try commit()
            return runID
        }
    }

    /// Every series in the database, by id.
    func allSeries(_ db: Database) throws -> [Int64: SeriesKey] {
        var out: [Int64: SeriesKey] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, kind, indicator_id, scale, rated_by, breakdown, grp FROM series") {
            out[row[0]] = SeriesKey(row, from: 1)
        }
        return out
    }

    /// The ids of `keys` in `series`, adding the new ones.
    private func seriesIDs(_ db: Database, _ keys: Set<SeriesKey>) throws -> [SeriesKey: Int64] {
        var ids: [SeriesKey: Int64] = [:]
        for (id, key) in try allSeries(db) where keys.contains(key) { ids[key] = id }
        let insert = try db.makeStatement(sql: "INSERT INTO series (kind, indicator_id, scale, rated_by, breakdown, grp) VALUES (?, ?, ?, ?, ?, ?)")
        for key in keys where ids[key] == nil {
            try insert.execute(arguments: [key.kind, key.indicatorID, key.scale, key.ratedBy, key.breakdown, key.group])
            ids[key] = db.lastInsertedRowID
        }
        return ids
    }

    // MARK: reading

    /// Every recorded run, oldest first (of one pipeline, when given).
    public func runs(pipeline: String? = nil) throws -> [RunSummary] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT r.id, r.kind, r.pipeline, r.as_of, r.extracted_on, r.recorded_at, r.version, r.parameters_hash, r.figures
                FROM run r WHERE (? IS NULL OR r.pipeline = ?) ORDER BY r.id
                """, arguments: [pipeline, pipeline]).map { row in
                RunSummary(id: row[0], kind: row[1], pipeline: row[2], asOf: row[3], extractedOn: row[4], recordedAt: row[5],
                           version: row[6], parametersHash: row[7], figures: row[8])
            }
        }
    }

    /// A run's manifest as recorded.
    public func manifest(run: Int64) throws -> String? {
        try pool.read { db in try String.fetchOne(db, sql: "SELECT manifest FROM run WHERE id = ?", arguments: [run]) }
    }

    /// A run's inputs as recorded.
    public func inputs(run: Int64) throws -> [RunRecord.Input] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT file, sha256, bytes, rows_read, rows_accepted, rows_quarantined FROM run_input WHERE run_id = ? ORDER BY file",
                             arguments: [run]).map { r in
                RunRecord.Input(file: r[0], sha256: r[1], bytes: r[2], rowsRead: r[3], rowsAccepted: r[4], rowsQuarantined: r[5])
            }
        }
    }

    /// Accepted rows per file dated on or before `monthEnd`, as a run read them.
    public func rowsDated(onOrBefore monthEnd: Day, run: Int64) throws -> [String: Int] {
        try pool.read { db in
            var out: [String: Int] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT file, SUM(rows) FROM input_month WHERE run_id = ? AND month_end <= ? GROUP BY file",
                                      arguments: [run, monthEnd.description]) {
                out[r[0]] = r[1]
            }
            return out
        }
    }

    /// A run's figures (of the given series only, when given).
    public func figures(run: Int64, series: Set<SeriesKey>? = nil) throws -> [HistoryFigure] {
        try pool.read { db in try self.figures(db, runs: [run], series: series).map(\.1) }
    }

    /// Figures of `runs` (all runs when nil), with the run each came from, in run and series order.
    func figures(_ db: Database, runs: [Int64]?, series: Set<SeriesKey>?) throws -> [(Int64, HistoryFigure)] {
        let keys = try allSeries(db).filter { series?.contains($0.value) ?? true }
        if keys.isEmpty { return [] }
        var sql = "SELECT run_id, series_id, as_of, status, numerator, denominator, value FROM figure"
        var arguments: StatementArguments = []
        var clauses: [String] = []
        if let runs {
            clauses.append("run_id IN (\(runs.map { _ in "?" }.joined(separator: ",")))")
            arguments += StatementArguments(runs)
        }
        if series != nil {
            clauses.append("series_id IN (\(keys.keys.map { _ in "?" }.joined(separator: ",")))")
            arguments += StatementArguments(Array(keys.keys))
        }
        if !clauses.isEmpty { sql += " WHERE " + clauses.joined(separator: " AND ") }
        sql += " ORDER BY run_id, series_id, as_of"
        var out: [(Int64, HistoryFigure)] = []
        let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        while let row = try cursor.next() {
            guard let key = keys[row[1]] else { continue }
            out.append((row[0], HistoryFigure(key: key, asOf: Day(number: row[2]), status: row[3], numerator: row[4], denominator: row[5], value: row[6])))
        }
        return out
    }

    /// Every figure of `series` in every run (of one pipeline and kind), with its run: the long view.
    public func allFigures(pipeline: String, kind: RunRecord.Kind? = nil, series: Set<SeriesKey>? = nil) throws -> [(run: RunSummary, figure: HistoryFigure)] {
        let runs = try self.runs(pipeline: pipeline).filter { kind == nil || $0.kind == kind!.rawValue }
        let byID = Dictionary(uniqueKeysWithValues: runs.map { ($0.id, $0) })
        if runs.isEmpty { return [] }
        return try pool.read { db in
            try figures(db, runs: runs.map(\.id), series: series).compactMap { id, f in byID[id].map { ($0, f) } }
        }
    }

    /// The schema and integrity check of `waymark history verify`: SQLite's
    /// integrity and foreign-key checks, the schema version, and that every
    /// figure's numbers are present exactly when it is published.
    public func verify() throws -> [String] {
        try pool.read { db in
            var problems: [String] = []
            let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check")
            if integrity != ["ok"] { problems += integrity.map { "integrity: \($0)" } }
            let fk = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check")
            if !fk.isEmpty { problems.append("foreign keys: \(fk.count) row(s) point at nothing") }
            let applied = try HistorySchema.migrator.appliedMigrations(db)
            if applied.last != HistorySchema.currentVersion { problems.append("schema: at \(applied.last ?? "none"), expected \(HistorySchema.currentVersion)") }
            let bad = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM figure WHERE (status = 'published') <> (denominator IS NOT NULL)
                   OR (status <> 'published' AND (numerator IS NOT NULL OR value IS NOT NULL))
                """) ?? 0
            if bad > 0 { problems.append("figures: \(bad) figure(s) carry numbers their status does not allow") }
            let orphans = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM run r WHERE NOT EXISTS (SELECT 1 FROM run_input i WHERE i.run_id = r.id)") ?? 0
            if orphans > 0 { problems.append("runs: \(orphans) run(s) without inputs") }
            return problems
        }
    }

    /// The file's size in bytes (the database and its WAL).
    public var sizeInBytes: Int {
        [path, path + "-wal"].reduce(0) { total, p in
            total + ((try? FileManager.default.attributesOfItem(atPath: p)[.size] as? Int) ?? 0)
        }
    }
}
