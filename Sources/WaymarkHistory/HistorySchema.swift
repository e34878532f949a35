import GRDB

/// The history database's schema, versioned by GRDB's migrator (docs/history.md).
///
/// - `run`: one row per recorded run: `kind` (`published` for `waymark run`,
///   `reconstructed` for `waymark history backfill`), pipeline name, dates,
///   Waymark version, the parameters' SHA-256, the pipeline file's SHA-256
///   and the run's whole manifest (JSON).
/// - `run_input`: per run and input file, its SHA-256, size and row counts.
/// - `input_month`: per run, input file and month end, the accepted rows dated
///   in that month (counts only): how late-recorded data is recognised.
/// - `series`: one row per published series (an indicator row's key without
///   its month end, or a matrix cell, or a bin of the distribution).
/// - `figure`: per run, series and month end (`as_of` as a day number: days
///   since 1970-01-01), the figure exactly as published (status; numerator,
///   denominator and value only when published). `run.figures` counts them.
///
/// Nothing record-level is ever stored.
public enum HistorySchema {
    public static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(sql: """
            CREATE TABLE run (
                id INTEGER PRIMARY KEY,
                kind TEXT NOT NULL CHECK (kind IN ('published', 'reconstructed')),
                pipeline TEXT NOT NULL,
                as_of TEXT NOT NULL,
                extracted_on TEXT NOT NULL,
                started_at TEXT NOT NULL,
                recorded_at TEXT NOT NULL,
                version TEXT NOT NULL,
                parameters_hash TEXT NOT NULL,
                pipeline_sha256 TEXT,
                manifest TEXT NOT NULL,
                figures INTEGER NOT NULL
            );
            CREATE INDEX run_by_pipeline ON run (pipeline, kind, as_of);
            CREATE TABLE run_input (
                run_id INTEGER NOT NULL REFERENCES run (id) ON DELETE CASCADE,
                file TEXT NOT NULL,
                sha256 TEXT NOT NULL,
                bytes INTEGER NOT NULL,
                rows_read INTEGER NOT NULL,
                rows_accepted INTEGER NOT NULL,
                rows_quarantined INTEGER NOT NULL,
                PRIMARY KEY (run_id, file)
            ) WITHOUT ROWID;
            CREATE TABLE input_month (
                run_id INTEGER NOT NULL REFERENCES run (id) ON DELETE CASCADE,
                file TEXT NOT NULL,
                month_end TEXT NOT NULL,
                rows INTEGER NOT NULL,
                PRIMARY KEY (run_id, file, month_end)
            ) WITHOUT ROWID;
            CREATE TABLE series (
                id INTEGER PRIMARY KEY,
                kind TEXT NOT NULL CHECK (kind IN ('indicator', 'matrix', 'distribution')),
                indicator_id TEXT NOT NULL,
                scale TEXT NOT NULL,
                rated_by TEXT NOT NULL,
                breakdown TEXT NOT NULL,
                grp TEXT NOT NULL,
                UNIQUE (kind, indicator_id, scale, rated_by, breakdown, grp)
            );
            CREATE TABLE figure (
                run_id INTEGER NOT NULL REFERENCES run (id) ON DELETE CASCADE,
                series_id INTEGER NOT NULL REFERENCES series (id),
                as_of INTEGER NOT NULL,
                status TEXT NOT NULL,
                numerator REAL,
                denominator INTEGER,
                value REAL,
                PRIMARY KEY (run_id, series_id, as_of)
            ) WITHOUT ROWID;
            """)
        }
        return m
    }

    /// The latest migration's name: what `waymark history verify` expects.
    public static let currentVersion = "v1"
}
