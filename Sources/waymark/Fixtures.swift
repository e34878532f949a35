import ArgumentParser
import Foundation
import WaymarkPipeline
import WaymarkCore
import WaymarkMethods
import WaymarkIngest
import WaymarkTrajectories
import WaymarkIndicators
import WaymarkDisclosure
import WaymarkEvaluation
import WaymarkReports
import WaymarkRecordLevel

struct Fixtures: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate synthetic, anonymised exports of the five canonical files.",
        discussion: "Deterministic: the same --cases, --seed and --extracted-on give the same bytes."
    )

    @Option(help: "Number of cases (families).") var cases: Int = 1500
    @Option(help: "Seed of the generator.") var seed: UInt64 = 7
    @Option(help: "Number of teams.") var teams: Int = 8
    @Option(help: ArgumentHelp("Day the synthetic export was taken (YYYY-MM-DD).", valueName: "date")) var extractedOn: Day = Day(iso: "2026-11-05")!
    @Option(help: "Inject this many rows of each kind of bad input (for demonstrating the quarantine).") var faults: Int = 0
    @Option(help: ArgumentHelp("File layout: canonical; mosaic-uk (a typical non-canonical export: other headers, UK dates, display labels, Windows-1252; see Pipelines/mosaic-uk.yaml); liquidlogic (DD/MM/YYYY dates, words such as Parent/Carer); wide (one score column per rater); statutory-return (yearly files with a DOB column and reasons for missing scores). Each has a pipeline file in Pipelines/.", valueName: "layout"))
    var layout: String = "canonical"
    @Option(help: ArgumentHelp("Folder to write into.", valueName: "dir")) var out: String
    @Option(help: ArgumentHelp("Write the export as taken on N month ends (one folder per export, named by the day it was taken, five days after each month end, the last month being the one before --extracted-on), with late-recorded scores in some months; late-rows.csv says where.", valueName: "N"))
    var snapshots: Int?

    func validate() throws {
        guard cases > 0 else { throw ValidationError("--cases must be at least 1") }
        guard teams > 0 else { throw ValidationError("--teams must be at least 1") }
        if let snapshots { guard snapshots >= 2, layout == "canonical" else { throw ValidationError("--snapshots needs at least 2 exports and the canonical layout") } }
        guard ["canonical", "mosaic-uk", "liquidlogic", "wide", "statutory-return"].contains(layout) else {
            throw ValidationError("--layout must be canonical, mosaic-uk, liquidlogic, wide or statutory-return")
        }
    }

    func run() throws {
        var generator = FixtureGenerator(cases: cases, seed: seed)
        generator.teams = teams
        generator.faults = faults
        generator.extractedOn = extractedOn
        if let snapshots {
            let exports = try Snapshots(generator: generator, months: snapshots).write(to: out)
            for e in exports { print("\(e.folder): the export taken \(e.extractedOn), for the month ending \(e.monthEnd)") }
            print("Late-recorded scores: \(out)/late-rows.csv")
            return
        }
        let counts: FixtureGenerator.Counts
        if layout != "canonical" {
            let staging = FileManager.default.temporaryDirectory.appendingPathComponent("waymark-fixtures-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: staging) }
            counts = try generator.write(to: staging)
            switch layout {
            case "mosaic-uk": try MosaicLayout.rewrite(from: staging, to: out)
            case "liquidlogic": try LiquidlogicLayout.rewrite(from: staging, to: out)
            case "wide": try WideLayout.rewrite(from: staging, to: out)
            default: try StatutoryReturnLayout.rewrite(from: staging, to: out, extractedOn: extractedOn)
            }
        } else {
            counts = try generator.write(to: out)
        }
        print("Wrote \(out)/: \(counts.scores) scores, \(counts.interventions) interventions, \(counts.responses) responses, \(counts.episodes) episodes, \(counts.children) children")
    }
}
