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

struct QuarantineRestore: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quarantine-restore",
        abstract: "Rebuild a CSV of the quarantined rows, byte for byte, under their file's original header.",
        discussion: "Fix the rows in the restored file and feed it to the next run alongside the original export."
    )

    @Argument(help: "A quarantine file, e.g. Reports/monthly/2026-10-31/quarantine/scaling_scores.csv.") var quarantine: String
    @Option(help: "The original input file whose header to use.") var original: String
    @Option(help: "Where to write the restored CSV.") var out: String

    func run() throws {
        do {
            let n = try QuarantineRestorer.restore(quarantine: quarantine, original: original, to: out)
            print("Wrote \(out): header and \(n) row(s)")
        } catch {
            throw CommandSupport.fail(error)
        }
    }
}
