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

/// The report stage: `index.html`, the self-contained report pack, from the
/// protected figures (never the raw ones).
public enum ReportStage {
    public static func run(_ context: RunContext, ingest: IngestResult, sameDayMerges: Int,
                           indicators: PublishedIndicators, history: HistoryView? = nil) throws -> String {
        try context.stage("report", rowsIn: indicators.rows.count) { () -> (String, Int) in
            let page = ReportPage(config: context.reportOptions, files: ingest.files, sameDayMerges: sameDayMerges, results: indicators, history: history)
            let html = page.render()
            let path = try context.path("index.html")
            do {
                try Data(html.utf8).write(to: URL(fileURLWithPath: path))
            } catch {
                throw RunError.output("\(path): cannot write the report (\(error.localizedDescription)). Choose another folder with --out.")
            }
            context.wrote("index.html")
            return ("index.html", 1)
        }
    }
}
