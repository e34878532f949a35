import WaymarkCSV
import WaymarkCore
import WaymarkIngest
import WaymarkPipeline

/// The small valid input files the ingest fuzz target reads beside the one
/// under fuzzing: one row each, all about case `C1` (the same rows as
/// `Minimal` in Tests/WaymarkTestSupport, which a library cannot import).
enum IngestFuzzInputs {
    static let files: [InputFile: String] = [
        .scalingScores: "score_id,case_id,child_id,team,worker_id,recorded_on,scale,score,rated_by,setting\n"
            + "S1,C1,,T1,W1,2026-01-10,safety,4,practitioner,review\n",
        .interventions: "intervention_id,case_id,child_id,type,approach,offered_on,started_on,ended_on,end_reason,planned_hours,provider,team\n"
            + "I1,C1,,respite,,2026-01-10,,,,,,T1\n",
        .responses: "response_id,intervention_id,case_id,recorded_on,response,sessions_offered,sessions_attended,family_rating,responder\n"
            + "R1,I1,C1,2026-01-12,accepted,,,,parent\n",
        .episodes: "case_id,opened_on,closed_on,closure_reason\nC1,2026-01-02,,\n",
        .children: "child_id,case_id,age_band,sex,ethnicity_group,disability\nK1,C1,5-9,,,unknown\n",
    ]

    /// The day every fuzzed export was taken.
    static let extractedOn = Day(year: 2026, month: 11, day: 5) ?? Day(number: 0)

    /// Per input file, a folder holding the other four fixed files, in which
    /// that file is the one to overwrite. Written once per process.
    static let folders: [InputFile: String] = {
        var folders: [InputFile: String] = [:]
        for file in InputFile.allCases {
            let folder = FuzzWorkspace.folder("ingest-\(file.rawValue)")
            for (other, text) in files where other != file {
                FuzzWorkspace.write(joinPath(folder, other.fileName), text)
            }
            folders[file] = folder
        }
        return folders
    }()
}

/// What the control byte of an ingest fuzz input chooses:
/// - bits 0-2: the file under fuzzing (`InputFile.allCases[value % 5]`);
/// - bit 3: read scaling_scores on two cores (a split at its middle line end);
/// - bits 4-5: the reader's limits (``limitChoices``);
/// - bit 6: an export's mapping for that file: Windows-1252, DD/MM/YYYY before
///   ISO dates, trimmed, `.0`-dropping, case-folded ids, a `Parent/Carer` vocabulary entry for scores' `rated_by`;
/// - bit 7: a waiver letting NHS-number-like values through in its `case_id`.
struct IngestFuzzSettings: CustomStringConvertible {
    static let limitChoices = [
        CSVLimits(), CSVLimits(maxFieldBytes: 16), CSVLimits(maxFieldBytes: 4, maxColumns: 16),
        CSVLimits(maxFieldBytes: 64, maxColumns: 10),
    ]

    var file: InputFile
    var twoCores: Bool
    var limits: CSVLimits
    var exportMapping: Bool
    var waiver: Bool

    init(_ byte: UInt8) {
        file = InputFile.allCases[Int(byte & 0x07) % InputFile.allCases.count]
        twoCores = byte & 0x08 != 0
        limits = Self.limitChoices[Int((byte >> 4) & 0x03)]
        exportMapping = byte & 0x40 != 0
        waiver = byte & 0x80 != 0
    }

    /// The options for an ingest of `folder` with this file under fuzzing.
    func options(folder: String, twoCores: Bool) -> IngestOptions {
        var config = PipelineConfig.canonicalFolder(folder) { _ in true }
        config.limits = limits
        config.parallelThreshold = twoCores ? 1 : Int.max
        if exportMapping, var mapping = config.inputs[file] {
            mapping.dialect.encoding = .windows1252
            mapping.dateFormats = [.dmy, .iso]
            mapping.ids.trim = true
            mapping.ids.dropExcelDecimal = true
            mapping.ids.foldCase = true
            if file == .scalingScores { mapping.vocabulary["rated_by"] = ["Parent/Carer": "parent"] }
            config.inputs[file] = mapping
        }
        if waiver {
            config.identifierWaivers = [IdentifierWaiver(file: file, column: "case_id", pattern: .nhsNumber)]
        }
        return config.ingestOptions
    }

    var description: String {
        "\(file.fileName), \(twoCores ? "two cores" : "one core"), maxFieldBytes \(limits.maxFieldBytes), "
            + "maxColumns \(limits.maxColumns)\(exportMapping ? ", export mapping" : "")\(waiver ? ", nhs_number waiver" : "")"
    }
}
