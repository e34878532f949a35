import Foundation
import Testing
import WaymarkPipeline
import WaymarkCSV
import WaymarkCore
import WaymarkMethods
import WaymarkIngest
import WaymarkTrajectories
import WaymarkIndicators
import WaymarkDisclosure
import WaymarkEvaluation
import WaymarkReports
import WaymarkRecordLevel

/// A folder of hand-made input files, and a pipeline configuration over it.
package struct InputFolder {
    package let path: String

    package init(_ files: [String: String]) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("waymark-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for (name, text) in files { try write(name, Array(text.utf8)) }
    }

    package func write(_ name: String, _ bytes: [UInt8]) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path).appendingPathComponent(name))
    }

    /// A canonical-folder configuration with the built-in scales.
    package func config() -> PipelineConfig {
        PipelineConfig.canonicalFolder(path) { FileManager.default.fileExists(atPath: $0) }
    }

    package func ingest(_ config: PipelineConfig? = nil, extractedOn: String = "2026-11-05") throws -> IngestResult {
        try Ingestor(config: config ?? self.config(), extractedOn: Day(iso: extractedOn) ?? Day(number: 0)).run()
    }
}

/// Minimal valid companions, so a test can focus on one file.
package enum Minimal {
    package static let scoresHeader = "score_id,case_id,child_id,team,worker_id,recorded_on,scale,score,rated_by,setting\n"
    package static let interventionsHeader = "intervention_id,case_id,child_id,type,approach,offered_on,started_on,ended_on,end_reason,planned_hours,provider,team\n"
    package static let responsesHeader = "response_id,intervention_id,case_id,recorded_on,response,sessions_offered,sessions_attended,family_rating,responder\n"
    package static let scores = scoresHeader + "S1,C1,,T1,W1,2026-01-10,safety,4,practitioner,review\n"
    package static let interventions = interventionsHeader + "I1,C1,,respite,,2026-01-10,,,,,,T1\n"
    package static let responses = responsesHeader + "R1,I1,C1,2026-01-12,accepted,,,,parent\n"

    package static func folder(scores: String = scores, interventions: String = interventions, responses: String = responses,
                       extra: [String: String] = [:]) throws -> InputFolder {
        var files = ["scaling_scores.csv": scores, "interventions.csv": interventions, "responses.csv": responses]
        for (k, v) in extra { files[k] = v }
        return try InputFolder(files)
    }
}

/// (line, reasons, column names) of each quarantined row, for compact assertions.
package func quarantined(_ r: IngestResult, _ file: InputFile) -> [(Int, [String], [String])] {
    guard let report = r.report(file) else { return [] }
    return report.quarantine.map { q in
        (q.line, q.problems.map(\.reason.rawValue), q.problems.map { report.columnName($0.column) ?? "" })
    }
}

package func expectQuarantine(_ r: IngestResult, _ file: InputFile, _ expected: [(Int, [String], [String])],
                      sourceLocation: SourceLocation = #_sourceLocation) {
    let got = quarantined(r, file)
    #expect(got.count == expected.count, "quarantined rows: \(got)", sourceLocation: sourceLocation)
    for (g, e) in zip(got, expected) {
        #expect(g.0 == e.0, "line", sourceLocation: sourceLocation)
        #expect(g.1 == e.1, "reasons at line \(e.0)", sourceLocation: sourceLocation)
        #expect(g.2 == e.2, "columns at line \(e.0)", sourceLocation: sourceLocation)
    }
    if let report = r.report(file) {
        #expect(report.rowsRead == report.rowsAccepted + report.rowsQuarantined + report.rowsNotScored, sourceLocation: sourceLocation)
    }
}
