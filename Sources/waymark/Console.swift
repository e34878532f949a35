import Foundation
import WaymarkPipeline

#if canImport(Glibc)
import Glibc
#endif
import WaymarkCore
import WaymarkMethods
import WaymarkIngest
import WaymarkTrajectories
import WaymarkIndicators
import WaymarkDisclosure
import WaymarkEvaluation
import WaymarkReports
import WaymarkRecordLevel

/// Terminal output: a header, progress while reading (only on a terminal),
/// and the data-quality summary.
final class Console {
    let quiet: Bool
    let interactive: Bool
    private var lastProgress = 0.0
    private var showedProgress = false

    init(quiet: Bool) {
        self.quiet = quiet
        interactive = !quiet && isatty(STDERR_FILENO) == 1
    }

    func say(_ text: String) { if !quiet { print(text) } }

    func header(_ job: String, _ context: RunContext) {
        say("Waymark \(WaymarkVersion.string) · \(job) · pipeline \(context.config.name) · as of \(context.dates.asOf) (extracted \(context.dates.extractedOn))")
    }

    /// Progress callback: rows and MB/s on one line of standard error, at most 5 times a second.
    func progress(_ p: IngestProgress) {
        guard interactive else { return }
        let now = Date().timeIntervalSince1970
        guard now - lastProgress > 0.2, p.seconds > 0.05 else { return }
        lastProgress = now
        let rate = Double(p.bytes) / 1e6 / p.seconds
        let line = "  reading \(p.file.fileName): \(Format.thousands(p.rows)) rows, \(String(format: "%.0f", rate)) MB/s"
        FileHandle.standardError.write(Data(("\r" + line + "\u{1B}[K").utf8))
        showedProgress = true
    }

    /// Progress by stage: which stage is running, on one line of standard error (only on a terminal).
    func stage(_ name: String) {
        guard interactive else { return }
        FileHandle.standardError.write(Data(("\r  stage: \(name)…\u{1B}[K").utf8))
        showedProgress = true
    }

    func endProgress() {
        if showedProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)); showedProgress = false }
    }

    func summary(_ result: IngestResult, _ context: RunContext) {
        guard !quiet else { return }
        let findings = QualityReport.findings(result.files, firstLines: 3)
        // An input read from several files names each file: `scaling_scores.csv (return_2024.csv)`.
        func label(_ f: FileReport) -> String {
            result.files.filter { $0.file == f.file }.count > 1 ? "\(f.file.fileName) (\(lastPath(f.path)))" : f.file.fileName
        }
        let width = result.files.map { label($0).count }.max() ?? 20
        for f in result.files {
            let name = label(f).padding(toLength: width, withPad: " ", startingAt: 0)
            print("\(name)  \(Format.thousands(f.rowsRead).leftPad(10)) read  \(Format.thousands(f.rowsAccepted).leftPad(10)) accepted  \(Format.thousands(f.rowsQuarantined).leftPad(7)) quarantined  \(f.blankLinesSkipped) blank lines skipped")
            for q in findings where q.file == lastPath(f.path) && q.reason != "blank_line_skipped" {
                let lines = q.firstLines.isEmpty ? "" : "; first line\(q.firstLines.count > 1 ? "s" : "") \(q.firstLines.map(String.init).joined(separator: ", "))"
                let cols = q.columns.isEmpty ? "" : "; column\(q.columns.count > 1 ? "s" : "") \(q.columns.joined(separator: ", "))"
                print("    \(q.reason) (\(Format.thousands(q.count)))\(lines)\(cols)")
            }
        }
        for w in context.warnings { print("warning: \(w)") }
        let top = Set(context.filesWritten.map { $0.split(separator: "/").first.map(String.init) ?? $0 })
        let listed = top.sorted().map { context.filesWritten.contains($0) ? $0 : $0 + "/" }.joined(separator: ", ")
        print("Wrote \(context.outputFolder)/ (\(context.filesWritten.count) files: \(listed))")
    }

    private func lastPath(_ p: String) -> String { p.split(separator: "/").last.map(String.init) ?? p }
}

enum Format {
    static func thousands(_ n: Int) -> String {
        let s = String(n)
        var out = ""
        for (i, ch) in s.reversed().enumerated() {
            if i > 0 && i % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return String(out.reversed())
    }
}

extension String {
    func leftPad(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}
