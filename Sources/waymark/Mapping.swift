import ArgumentParser
import Foundation
import WaymarkPipeline

/// `waymark mapping`: helpers for writing a pipeline file's column mapping.
struct MappingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mapping",
        abstract: "Help map a foreign export onto the canonical files.",
        subcommands: [MappingSuggestCommand.self]
    )
}

/// `waymark mapping suggest EXPORT_FOLDER`: a draft pipeline file from an export's headers and a sample of its values.
struct MappingSuggestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suggest",
        abstract: "Draft a pipeline file for a foreign export from its headers and a sample of its values.",
        discussion: """
        Reads every CSV file in the folder (its header and the first 2,000 rows), decides which \
        canonical file each is, and matches the columns by header similarity and value shapes \
        (dates, 0-10 scores, rater words). The draft marks weak matches `# unsure:`, missing \
        required columns `# TODO`, and drops identifier columns. It never copies a data value, \
        only headers and the vocabulary words it maps. See docs/pipeline-files.md.
        """
    )

    @Argument(help: ArgumentHelp("The folder holding the export's CSV files.", valueName: "export-folder"))
    var exportFolder: String

    @Option(help: ArgumentHelp("Write the draft here (default: print it).", valueName: "file"))
    var out: String?

    @Option(help: ArgumentHelp("The pipeline's name (default: the folder's name).", valueName: "name"))
    var name: String?

    @Flag(help: "Replace an existing --out file.")
    var force = false

    func validate() throws {
        if let name, name.isEmpty || name.contains("/") || name.hasPrefix(".") {
            throw ValidationError("--name must be a plain name (letters, digits, - and _)")
        }
    }

    func run() throws {
        let suggestion: MappingSuggestion
        do {
            suggestion = try MappingSuggester.suggest(folder: exportFolder, name: name)
        } catch {
            FileHandle.standardError.write(Data("waymark: \(error)\n".utf8))
            throw ExitCode(2)
        }
        guard let out else {
            print(DraftWriter.yaml(suggestion, folder: absolute(exportFolder)), terminator: "")
            return
        }
        if FileManager.default.fileExists(atPath: out) && !force {
            FileHandle.standardError.write(Data("waymark: \(out) exists; give --force to replace it\n".utf8))
            throw ExitCode(2)
        }
        let text = DraftWriter.yaml(suggestion, folder: relative(from: (absolute(out) as NSString).deletingLastPathComponent, to: absolute(exportFolder)))
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: out))
        } catch {
            FileHandle.standardError.write(Data("waymark: \(out): cannot write the draft (\(error.localizedDescription))\n".utf8))
            throw ExitCode(2)
        }
        for f in suggestion.files {
            let unsure = f.choices.filter(\.isUnsure).count
            let names = f.fileNames.count > 1 ? f.fileNames.joined(separator: ", ") : f.fileName
            let wide = f.unpivot.isEmpty ? "" : ", \(f.unpivot.count) wide columns unpivoted"
            print("\(names) -> \(f.file.rawValue): \(f.choices.count) columns matched, \(unsure) unsure, \(f.missingRequired.count) required missing, \(f.dropped.count) dropped\(wide)")
        }
        for u in suggestion.unmatched { print("\(u.fileName): not matched") }
        print("Draft written to \(out). Check every `# unsure:` and `# TODO`, then: waymark validate \(out)")
    }

    func absolute(_ path: String) -> String {
        let p = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return (p as NSString).standardizingPath
    }

    /// `target` relative to the folder `base` (both absolute).
    func relative(from base: String, to target: String) -> String {
        let b = base.split(separator: "/"), t = target.split(separator: "/")
        var k = 0
        while k < b.count && k < t.count && b[k] == t[k] { k += 1 }
        let parts = Array(repeating: "..", count: b.count - k) + t[k...].map(String.init)
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }
}
