import ArgumentParser
import Foundation
import WaymarkPipeline

/// `waymark mapping suggest EXPORT_FOLDER`: a draft pipeline file for a
/// foreign export (docs/pipeline-files.md, "Drafting a pipeline file").
struct MappingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mapping",
        abstract: "Help map a foreign export onto the canonical files.",
        subcommands: [Suggest.self]
    )

    /// Prints (or writes) the draft.
    struct Suggest: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Draft a pipeline file from an export folder's headers and a sample of its values (no value is copied).")

        @Argument(help: ArgumentHelp("The folder of the export's CSV files.", valueName: "export-folder")) var folder: String
        @Option(help: ArgumentHelp("Write the draft here instead of printing it.", valueName: "file")) var out: String?

        func run() throws {
            let draft = try MappingSuggester.draft(folder: folder)
            if let out {
                try Data(draft.utf8).write(to: URL(fileURLWithPath: out))
                print("Wrote \(out): check every line marked CHECK, then run `waymark validate \(out)`.")
            } else {
                print(draft, terminator: "")
            }
        }
    }
}
