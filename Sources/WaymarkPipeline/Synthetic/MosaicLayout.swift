import Foundation
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

/// Rewrites a canonical export in the shape of a typical non-canonical
/// case-management export, so column mappings can be demonstrated and tested:
/// other file and header names, numeric case references that Excel wrote as
/// `100001.0` (some with stray spaces), UK dates (`DD/MM/YYYY`, scores with a
/// time), display labels instead of codes (`Parent/Carer`, `Social Worker`),
/// and Windows-1252 text. `Pipelines/mosaic-uk.yaml` maps it back.
public enum MosaicLayout {
    /// Source file name for each canonical file.
    public static let fileNames: [InputFile: String] = [
        .scalingScores: "Scores.csv", .interventions: "Services.csv", .responses: "ServiceResponses.csv",
        .episodes: "CaseEpisodes.csv", .children: "ChildDetails.csv",
    ]

    /// Source header for each canonical column.
    static let headers: [String: String] = [
        "score_id": "Score Ref", "case_id": "Case Ref", "child_id": "Child Ref", "team": "Team", "worker_id": "Worker Ref",
        "recorded_on": "Date Recorded", "scale": "Scale", "score": "Score", "rated_by": "Scored By",
        "setting": "Meeting Type", "intervention_id": "Service Ref", "type": "Service Type", "approach": "Approach",
        "offered_on": "Date Offered", "started_on": "Start Date", "ended_on": "End Date", "end_reason": "End Reason",
        "planned_hours": "Planned Hours", "provider": "Provider Type", "response_id": "Response Ref",
        "response": "Response", "sessions_offered": "Sessions Offered", "sessions_attended": "Sessions Attended",
        "family_rating": "Family Rating", "responder": "Responder", "opened_on": "Open Date", "closed_on": "Close Date",
        "closure_reason": "Closure Reason", "age_band": "Age Band", "sex": "Gender", "ethnicity_group": "Ethnicity",
        "disability": "Disability",
    ]

    /// Display labels the source uses for canonical codes, per column.
    public static let labels: [String: [String: String]] = [
        "rated_by": ["practitioner": "Social Worker", "parent": "Parent/Carer", "child": "Young Person", "carer": "Carer",
                     "network": "Family Network", "partner_agency": "Partner Agency", "group": "Unit Meeting"],
        "setting": ["assessment": "Assessment", "review": "Review", "unit_meeting": "Unit Meeting", "conference": "Conference",
                    "supervision": "Supervision", "closure": "Closure", "other": "Other"],
        "response": ["accepted": "Accepted", "declined": "Declined", "engaged": "Engaged",
                     "partially_engaged": "Partially Engaged", "disengaged": "Disengaged", "completed": "Completed"],
        "end_reason": ["completed": "Completed", "family_withdrew": "Family Withdrew", "service_withdrawn": "Service Withdrawn",
                       "reduced": "Reduced", "transferred": "Transferred", "other": "Other"],
        "scale": ["safety": "Safety Scale", "worry": "Worry Scale"],
    ]

    /// Rewrites the canonical files in `source` into `destination`.
    public static func rewrite(from source: String, to destination: String) throws {
        try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: true)
        var caseRefs: [String: Int] = [:]
        var rowNumber = 0
        for file in InputFile.allCases {
            let input = joinPath(source, file.fileName)
            guard FileManager.default.fileExists(atPath: input), let name = fileNames[file] else { continue }
            var out: [UInt8] = []
            var canonical: [String] = []
            try CSVReader(path: input).read { record in
                let fields = record.strings
                if canonical.isEmpty {
                    canonical = fields
                    out += encode(fields.map { headers[$0] ?? $0 }.joined(separator: ",")) + [0x0D, 0x0A]
                    return
                }
                rowNumber += 1
                var cells: [String] = []
                for (column, value) in zip(canonical, fields) {
                    var v = value
                    switch column {
                    case "case_id":
                        let ref = caseRefs[value] ?? { let r = 100_000 + caseRefs.count + 1; caseRefs[value] = r; return r }()
                        v = rowNumber % 3 == 0 ? "\(ref).0" : (rowNumber % 7 == 0 ? " \(ref) " : "\(ref)")
                    case "child_id":
                        if let dash = value.range(of: "-c", options: .backwards), let ref = caseRefs[String(value[..<dash.lowerBound])] {
                            v = "\(ref)/\(value[dash.upperBound...])"
                        }
                    case "recorded_on" where file == .scalingScores:
                        v = ukDate(value, time: "\(String(format: "%02d", 9 + rowNumber % 8)):\(String(format: "%02d", rowNumber % 60))")
                    case "recorded_on", "offered_on", "started_on", "ended_on", "opened_on", "closed_on":
                        v = ukDate(value, time: nil)
                    case "team":
                        v = value == "Central" ? "Café Quarter" : value
                    default:
                        v = labels[column]?[value] ?? value
                    }
                    cells.append(v.contains(",") || v.contains("\"") ? "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : v)
                }
                out += encode(cells.joined(separator: ",")) + [0x0D, 0x0A]
            }
            try Data(out).write(to: URL(fileURLWithPath: joinPath(destination, name)))
        }
    }

    /// `2026-01-09` -> `09/01/2026`, optionally with a time.
    static func ukDate(_ iso: String, time: String?) -> String {
        let p = iso.split(separator: "-")
        guard p.count == 3 else { return iso }
        return "\(p[2])/\(p[1])/\(p[0])" + (time.map { " " + $0 } ?? "")
    }

    /// UTF-8 text to Windows-1252 bytes (Latin-1 letters; others become `?`).
    static func encode(_ s: String) -> [UInt8] {
        s.unicodeScalars.map { $0.value < 0x80 || ($0.value >= 0xA0 && $0.value <= 0xFF) ? UInt8($0.value) : 0x3F }
    }
}
