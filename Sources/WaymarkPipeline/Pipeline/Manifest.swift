import Foundation
import WaymarkCore
import WaymarkMethods
import WaymarkIngest
import WaymarkTrajectories
import WaymarkIndicators
import WaymarkDisclosure
import WaymarkEvaluation
import WaymarkReports
import WaymarkRecordLevel

/// Builds `manifest.json`: what was run, on what, with what result
/// (OUTPUTS.md). Everything but `started_at` and the stage timings is a
/// function of the inputs, the pipeline file and the two run dates.
public enum Manifest {
    public static func build(_ context: RunContext, ingest: IngestResult?, status: String) -> JSON {
        let config = context.config
        var pairs: [(String, JSON)] = [
            ("tool", .string("waymark")),
            ("version", .string(WaymarkVersion.string)),
            ("command", .string(context.command)),
            ("status", .string(status)),
            ("pipeline", .object([
                ("name", .string(config.name)),
                ("path", config.sourcePath.map { .string($0) } ?? .null),
                ("sha256", config.sourceHash.map { .string($0) } ?? .null),
            ])),
            ("as_of", .string(context.dates.asOf.description)),
            ("extracted_on", .string(context.dates.extractedOn.description)),
            ("started_at", .string(ISO8601DateFormatter().string(from: context.startedAt))),
        ]
        if let ingest {
            pairs.append(("inputs", .array(ingest.files.map { f in
                .object([
                    ("file", .string(f.file.fileName)),
                    ("path", .string(f.path)),
                    ("sha256", .string(f.sha256)),
                    ("bytes", .integer(f.bytes)),
                    ("rows_read", .integer(f.rowsRead)),
                    ("rows_accepted", .integer(f.rowsAccepted)),
                    ("rows_quarantined", .integer(f.rowsQuarantined)),
                    ("rows_not_scored", .integer(f.rowsNotScored)),
                    ("records_without_values", .integer(f.recordsWithoutValues)),
                    ("blank_lines_skipped", .integer(f.blankLinesSkipped)),
                    ("rows_balance", .bool(f.rowsRead == f.rowsAccepted + f.rowsQuarantined + f.rowsNotScored)),
                    ("unknown_columns", .array(f.unknownColumns.map { .string($0) })),
                    ("dropped_columns", .array(f.droppedColumns.map { .integer($0 + 1) })),
                ])
            })))
        }
        // Inputs declared `none` (a scores-only run): not read, so their indicators are x.
        pairs.append(("inputs_not_given", .array(config.inputsNotGiven.sorted().map { .string($0.fileName) })))
        pairs.append(("parameters", parameters(config)))
        pairs.append(("identifier_waivers", .array(config.identifierWaivers.map { w in
            .object([("file", .string(w.file.rawValue)), ("column", .string(w.column)), ("pattern", .string(w.pattern.rawValue)),
                     ("pipeline_line", .integer(w.line))])
        })))
        pairs.append(("stages", .array(context.stages.map { s in
            var fields: [(String, JSON)] = [("name", .string(s.name)), ("seconds", .number(s.seconds)),
                                                 ("rows_in", .integer(s.rowsIn)), ("rows_out", .integer(s.rowsOut))]
            if let peak = s.peakRSSBytes { fields.append(("peak_rss_bytes", .integer(peak))) }
            return .object(fields)
        })))
        if let a = context.audit {
            pairs.append(("disclosure_audit", .object([
                ("result", .string("no protected quantity can be pinned")),
                ("cells_suppressed_before_audit", .integer(a.cellsSuppressedBefore)),
                ("cells_added", .integer(a.cellsAdded)),
                ("cells_following", .integer(a.cellsFollowing)),
                ("cells_suppressed", .integer(a.cellsSuppressedAfter)),
                ("protected_quantities_checked", .integer(a.protectedQuantities)),
                ("linear_programs", .integer(a.linearPrograms)),
                ("additions", .array(a.additions.map { .string($0) })),
            ])))
        }
        pairs.append(("files_written", .array(context.filesWritten.map { .string($0) })))
        pairs.append(("restricted_folder", .string(context.restrictedFolderFromReport)))
        pairs.append(("restricted_files_written", .array(context.restrictedFilesWritten.map { .string($0) })))
        pairs.append(("warnings", .array(context.warnings.map { .string($0) })))
        return .object(pairs)
    }

    static func parameters(_ c: PipelineConfig) -> JSON {
        .object([
            ("scales", .array(c.scales.map { s in
                var p: [(String, JSON)] = [
                    ("name", .string(s.name)), ("min", .number(s.min)), ("max", .number(s.max)),
                    ("direction", .string(s.higherIsBetter ? "higher_is_better" : "higher_is_worse")),
                    ("step", .number(s.step)),
                ]
                switch s.sd {
                case .value(let v): p.append(("sd", .number(v)))
                case .baseline: p.append(("sd", .string("baseline")))
                case nil: p.append(("sd", .null))
                }
                p.append(("reliability", s.reliability.map { .number($0) } ?? .null))
                p.append(("sustained_threshold", s.sustainedThreshold.map { .number($0) } ?? .null))
                p.append(("sustained_gap_days", .integer(s.sustainedGapDays)))
                return .object(p)
            })),
            ("headline_scale", c.headlineScale.map { .string($0) } ?? .null),
            ("headline_rater", .string(c.headlineRater.rawValue)),
            ("window_days", .integer(c.windowDays)),
            ("trend_months", .integer(c.trendMonths)),
            ("offer_lapse_days", .integer(c.offerLapseDays)),
            ("after_days", .integer(c.afterDays)),
            ("small_count", .integer(c.smallCount)),
            ("min_denominator", .integer(c.minDenominator)),
            ("stages", .array(c.stages.map { .string($0.rawValue) })),
            ("record_level", .bool(c.recordLevel)),
            ("evaluation", evaluation(c.evaluation)),
            ("approaches", .object(c.approaches.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value.rawValue)) })),
            ("limits", .object([("max_field_bytes", .integer(c.limits.maxFieldBytes)), ("max_columns", .integer(c.limits.maxColumns))])),
            ("inputs", .object(c.inputs.sorted { $0.key < $1.key }.map { ($0.key.rawValue, mapping($0.value)) })),
        ])
    }

    /// One input's mapping as the manifest records it.
    static func mapping(_ m: FileMapping) -> JSON {
        let sorted = { (d: [String: String]) -> JSON in .object(d.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }) }
        var pairs: [(String, JSON)] = [
            ("delimiter", .string(String(decoding: [m.dialect.delimiter], as: UTF8.self))),
            ("encoding", .string(m.dialect.encoding.rawValue)),
            ("date_formats", .array(m.dateFormats.map { .string($0.rawValue) })),
            ("ids", .object([("trim", .bool(m.ids.trim)), ("drop_excel_decimal", .bool(m.ids.dropExcelDecimal)),
                             ("fold_case", .bool(m.ids.foldCase))])),
            ("columns", sorted(m.columns)),
            ("vocabulary", .object(m.vocabulary.sorted { $0.key < $1.key }.map { ($0.key, sorted($0.value)) })),
        ]
        pairs.append(("missing_values", .object(m.missingValues.sorted { $0.key < $1.key }.map { ($0.key, .array($0.value.sorted().map { .string($0) })) })))
        pairs.append(("constants", sorted(m.constants.mapValues(\.value))))
        var fileName: JSON = .null
        if let rule = m.fileNameRule { fileName = .object([("pattern", .string(rule.pattern))] + [("captures", sorted(rule.captures))]) }
        pairs.append(("from_file_name", fileName))
        var unpivot: JSON = .null
        if let u = m.unpivot {
            unpivot = .object([("value", .string(u.value)), ("columns", .object(u.columns.map { ($0.header, sorted($0.constants)) }))])
        }
        pairs.append(("unpivot", unpivot))
        pairs.append(("dates_from_index", .object(m.indexedDates.sorted { $0.key < $1.key }.map { (col, r) in
            (col, .object([("start", .string(r.start)), ("index", .string(r.index)), ("step_days", .integer(r.stepDays))]))
        })))
        if m.parts.count > 1 { pairs.append(("files", .array(m.parts.map { .string($0.path) }))) }
        return .object(pairs)
    }

    static func evaluation(_ spec: EvaluationSpec?) -> JSON {
        guard let e = spec else { return .null }
        let scale: JSON = e.scale.map { .string($0) } ?? .null
        let rater: JSON = e.rater.map { .string($0.rawValue) } ?? .null
        return .object([
            ("scale", scale), ("rated_by", rater), ("follow_up_days", .integer(e.followUpDays)), ("bootstrap", .integer(e.bootstrap)),
            ("seed", .string(String(e.seed))), ("programme", EvaluationWriter.describe(e.programme)),
            ("comparison", EvaluationWriter.describe(e.comparison)),
        ])
    }

    public static func write(_ json: JSON, to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: Data(json.serialised().utf8)) else {
            throw RunError.output("\(path): cannot write the manifest")
        }
    }
}
