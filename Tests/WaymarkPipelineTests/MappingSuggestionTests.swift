import Foundation
import Testing
import WaymarkTestSupport
@testable import WaymarkPipeline
import WaymarkCSV
import WaymarkCore
import WaymarkIngest

/// `waymark mapping suggest` (issue #13, items 7 and 8): the header scorer, the
/// value-shape detectors, the drafts of the shipped exports (the four foreign
/// ones run with their documented edits), and that no data
/// value reaches a draft.
@Suite struct MappingSuggestionTests {
    // MARK: header similarity (worked by hand)

    @Test func headersAreCutIntoStemmedTokensWithSynonymsFolded() {
        // "Date" -> "dat" (a final e goes), "Recorded" -> "record" (-ed goes), "on" means a date.
        #expect(HeaderSimilarity.tokens("Date Recorded") == ["dat", "record"])
        #expect(HeaderSimilarity.tokens("recorded_on") == ["record", "dat"])
        // camelCase splits; "Ref", "Reference", "No" and "Number" all mean an id.
        #expect(HeaderSimilarity.tokens("CaseRef") == ["cas", "id"])
        #expect(HeaderSimilarity.tokens("Case Reference No") == ["cas", "id", "id"])
        #expect(HeaderSimilarity.tokens("Sessions Attended") == ["session", "attend"])
    }

    @Test func headerScoresAreDiceCoefficientsOverTokenSets() {
        // Same token set in another order: 2*2/(2+2) = 1.
        #expect(HeaderSimilarity.score("Date Recorded", "recorded_on") == 1)
        // {servic, type} against {servic, id}: 2*1/(2+2) = 0.5.
        #expect(HeaderSimilarity.score("Service Type", "service id") == 0.5)
        // {family, rat} against {scor}: nothing shared.
        #expect(HeaderSimilarity.score("Family Rating", "score") == 0)
        // {sessions, offer} against {offer, dat}: 2*1/4.
        #expect(HeaderSimilarity.score("Sessions Offered", "offered_on") == 0.5)
        // Aliases: "Scored By" is rated_by, "Gender" is sex, "Child Ref" is child_id.
        #expect(HeaderSimilarity.best("Scored By", column: "rated_by") == 1)
        #expect(HeaderSimilarity.best("Gender", column: "sex") == 1)
        #expect(HeaderSimilarity.best("Child Ref", column: "child_id") == 1)
        #expect(HeaderSimilarity.best("Score", column: "score") == 1)
        // "Score" against rated_by's alias "scored by": {scor} vs {scor, by} = 2/3.
        #expect(abs(HeaderSimilarity.best("Score", column: "rated_by") - 2.0 / 3.0) < 1e-12)
    }

    // MARK: value shapes (worked by hand)

    @Test func valueShapesCountDatesNumbersScoresExcelIdsAndPadding() {
        let shape = ValueShape(["04/04/2025 10:01", "2025-04-04", "", " 7 ", "100001.0", "Social Worker", "12"])
        #expect(shape.nonBlank == 6)
        #expect(shape.dmyDates == 1)
        #expect(shape.isoDates == 1)
        #expect(shape.numbers == 3)           // 7, 100001.0, 12
        #expect(shape.integers == 3)
        #expect(shape.scores == 1)            // only 7 lies in 0-10
        #expect(shape.excelDecimals == 1)
        #expect(shape.padded == 1)
        #expect(shape.distinct == 6)
    }

    @Test func dateFormatsFollowTheSampledDates() {
        #expect(ValueShape(["01/02/2025", "13/12/2024", ""]).dateFormats == [.dmy])
        #expect(ValueShape(["2025-02-01", "2024-12-13"]).dateFormats == [.iso])
        #expect(ValueShape(["2025-02-01", "13/12/2024"]).dateFormats == [.dmy, .iso])
        #expect(ValueShape(["S1", "S2"]).dateFormats == nil)
        // Four dates of five (80%) are enough; three of five are not.
        #expect(ValueShape(["2025-02-01", "2025-02-02", "2025-02-03", "2025-02-04", "x"]).dateFormats == [.iso])
        #expect(ValueShape(["2025-02-01", "2025-02-02", "2025-02-03", "x", "y"]).dateFormats == nil)
    }

    @Test func theDelimiterIsTheCommonestCandidateOutsideQuotes() {
        #expect(DelimiterSniffer.sniff(headerLine: Array("a;b;c".utf8)) == UInt8(ascii: ";"))
        #expect(DelimiterSniffer.sniff(headerLine: Array("a,b;c,d".utf8)) == UInt8(ascii: ","))
        #expect(DelimiterSniffer.sniff(headerLine: Array("\"a;b;c\",d".utf8)) == UInt8(ascii: ","))
        #expect(DelimiterSniffer.sniff(headerLine: Array("a\tb\tc".utf8)) == 0x09)
        #expect(DelimiterSniffer.sniff(headerLine: Array("a|b|c".utf8)) == UInt8(ascii: "|"))
        #expect(DelimiterSniffer.sniff(headerLine: Array("single".utf8)) == UInt8(ascii: ","))
    }

    @Test func vocabularyWordsMapLabelsOnly() {
        let raters = Rater.allNames
        #expect(VocabularyWords.canonical("Social Worker", column: "rated_by", names: raters) == "practitioner")
        #expect(VocabularyWords.canonical("Parent/Carer", column: "rated_by", names: raters) == "parent")
        #expect(VocabularyWords.canonical("Young Person", column: "rated_by", names: raters) == "child")
        #expect(VocabularyWords.canonical("Child", column: "rated_by", names: raters) == "child")
        #expect(VocabularyWords.canonical("Partner Agency", column: "rated_by", names: raters) == "partner_agency")
        #expect(VocabularyWords.canonical("Partially Engaged", column: "response", names: ResponseKind.allNames) == "partially_engaged")
        #expect(VocabularyWords.canonical("Plumber", column: "rated_by", names: raters) == nil)
        // Digits, postcodes and e-mail addresses are never labels.
        #expect(!VocabularyWords.isLabel("100001"))
        #expect(!VocabularyWords.isLabel("SW1A 1AA"))
        #expect(!VocabularyWords.isLabel("a.b@example.org"))
        #expect(VocabularyWords.scaleName("Safety Scale") == "safety")
        #expect(VocabularyWords.scaleName("Worry Score") == "worry")
        #expect(VocabularyWords.scaleName("Well-being") == "wellbeing")
    }

    @Test func raterWordsNameTheRaterColumnUnderAnUnfamiliarHeader() throws {
        let sample = ExportSample(fileName: "x.csv", path: "x.csv",
                                  headers: ["Family", "When", "Voice", "Mark", "Scale"],
                                  values: [["F1", "F2", "F3", "F4"],
                                           ["01/02/2025", "02/02/2025", "03/02/2025", "04/02/2025"],
                                           ["Social Worker", "Parent/Carer", "Young Person", "Social Worker"],
                                           ["4", "5", "6", "7"],
                                           ["Safety", "Safety", "Safety", "Safety"]],
                                  sampledRows: 4)
        let shapes = sample.values.map(ValueShape.init)
        let (choices, _) = ColumnMatcher.match(sample, shapes: shapes, usable: Array(0..<5), file: .scalingScores)
        let rater = try #require(choices.first { $0.canonical == "rated_by" })
        #expect(rater.header == "Voice")
        #expect(rater.isUnsure)   // 0.6: by its values alone
        #expect(rater.score == 0.6)
        #expect(choices.first { $0.canonical == "case_id" }?.header == "Family")
        #expect(choices.first { $0.canonical == "scale" }?.header == "Scale")
    }

    // MARK: the shipped exports

    /// The draft of a folder, written beside nothing: its folder is absolute.
    func draft(_ folder: String, name: String? = nil) throws -> (MappingSuggestion, String, String) {
        let suggestion = try MappingSuggester.suggest(folder: folder, name: name)
        let yaml = DraftWriter.yaml(suggestion, folder: folder)
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("waymark-suggest-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let path = out + "/draft.yaml"
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: path))
        return (suggestion, yaml, path)
    }

    @Test func theMosaicDraftMatchesTheHandWrittenMappingAndLoads() throws {
        let root = projectRoot()
        let (suggestion, _, path) = try draft(root + "/Fixtures/mosaic-uk")
        #expect(suggestion.unmatched.isEmpty)
        #expect(suggestion.files.map(\.fileName) == ["Scores.csv", "Services.csv", "ServiceResponses.csv", "CaseEpisodes.csv", "ChildDetails.csv"])
        let drafted = try PipelineFile.load(path: path)
        let hand = try PipelineFile.load(path: root + "/Pipelines/mosaic-uk.yaml")
        for file in InputFile.allCases {
            let d = try #require(drafted.inputs[file]), h = try #require(hand.inputs[file])
            #expect((d.path as NSString).standardizingPath == (h.path as NSString).standardizingPath)
            let header = try CSVReader.readAll(path: d.path, dialect: CSVDialect(encoding: .windows1252))[0].fields
            for column in header.map({ $0.lowercased() }) {
                #expect(d.columns[column] == h.columns[column], "\(file.rawValue): \(column)")
            }
            if file != .children { #expect(d.dateFormats == h.dateFormats) }   // children.csv has no dates
            #expect(d.ids == h.ids)
            #expect(d.drop.isEmpty)
            // Every drafted vocabulary entry is one the hand-written file has.
            for (column, table) in d.vocabulary {
                for (word, canonical) in table { #expect(h.vocabulary[column]?[word] == canonical, "\(column): \(word)") }
            }
        }
        // Windows-1252 only where the bytes need it (the hand file declares it for all; ASCII reads the same).
        #expect(drafted.inputs[.scalingScores]?.dialect.encoding == .windows1252)
        #expect(drafted.inputs[.interventions]?.dialect.encoding == .windows1252)
        #expect(drafted.inputs[.episodes]?.dialect.encoding == .utf8)
        #expect(drafted.scales.map(\.name) == ["safety", "worry"])
        #expect(drafted.vocabulary(.scalingScores, "rated_by")["Social Worker"] == "practitioner")
    }

    @Test func theMosaicDraftRunsEndToEndAndReadsEveryRowAsTheHandMappingDoes() throws {
        let root = projectRoot()
        let (_, _, path) = try draft(root + "/Fixtures/mosaic-uk")
        let out = (path as NSString).deletingLastPathComponent
        let dates = ["--as-of", "2026-10-31", "--extracted-on", "2026-11-05", "--no-history", "--quiet"]
        #expect(try runWaymark(["run", path, "--out", out + "/draft-run"] + dates) == 0)
        #expect(try runWaymark(["run", "Pipelines/mosaic-uk.yaml", "--out", out + "/hand-run"] + dates) == 0)
        // Same rows read, accepted and quarantined for the same reasons, file by file.
        let drafted = try String(contentsOfFile: out + "/draft-run/quality.csv", encoding: .utf8)
        let hand = try String(contentsOfFile: out + "/hand-run/quality.csv", encoding: .utf8)
        #expect(drafted == hand)
        #expect(FileManager.default.fileExists(atPath: out + "/draft-run/index.html"))
    }

    @Test func theCanonicalDemoMapsEveryColumnToItself() throws {
        let (suggestion, _, path) = try draft(projectRoot() + "/Fixtures/demo")
        #expect(suggestion.unmatched.isEmpty)
        #expect(suggestion.files.map(\.file) == InputFile.allCases)
        for f in suggestion.files {
            #expect(f.fileName == f.file.fileName)
            #expect(f.choices.map(\.canonical) == f.file.columns.map(\.name))
            for c in f.choices {
                #expect(c.header == c.canonical)
                #expect(!c.isUnsure)
            }
            #expect(f.missingRequired.isEmpty && f.dropped.isEmpty && f.unmapped.isEmpty)
            #expect(f.vocabularies.allSatisfy { $0.entries.isEmpty })
            #expect(f.dateFormats == nil && !f.trim && !f.dropExcelDecimal && f.encoding == .utf8)
        }
        let config = try PipelineFile.load(path: path)
        #expect(config.inputs[.scalingScores]?.columns["recorded_on"] == "recorded_on")
    }

    @Test func theCommandWritesADraftWhoseFolderIsRelativeToIt() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("waymark-suggest-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let path = out + "/mosaic-draft.yaml"
        let run = try runWaymarkCapturing(["mapping", "suggest", "Fixtures/mosaic-uk", "--out", path, "--name", "mine"])
        #expect(run.status == 0)
        let config = try PipelineFile.load(path: path)
        #expect(config.name == "mine")
        let scores = try #require(config.inputs[.scalingScores]?.path)
        #expect(FileManager.default.fileExists(atPath: scores))
        #expect(!(try String(contentsOfFile: path, encoding: .utf8)).contains("folder: \"/"))
        // An existing file is kept unless --force says otherwise.
        #expect(try runWaymarkCapturing(["mapping", "suggest", "Fixtures/mosaic-uk", "--out", path]).status == 2)
        #expect(try runWaymarkCapturing(["mapping", "suggest", "Fixtures/mosaic-uk", "--out", path, "--force"]).status == 0)
        #expect(try runWaymarkCapturing(["mapping", "suggest", out + "/no-such-folder"]).status == 2)
    }

    @Test func aPipeDelimitedLiquidlogicStyleExportIsDraftedFromItsHeadersAndWords() throws {
        let folder = try InputFolder([
            "LL_Scaling.csv": "Person ID|Case Number|Assessment Date|Scaling Question|Score Given|Completed By\n"
                + "P1|100|01/02/2025|Safety|4|Parent/Carer\nP2|100|02/02/2025|Safety|6|Social Worker\nP3|101|03/02/2025|Worry|3|Child\n",
            "LL_Support.csv": "Referral ID,Case Number,Intervention,Referred Date,Start,End,Outcome,Hours\n"
                + "R1,100,Parenting Programme,01/01/2025,05/01/2025,,,10\nR2,101,Family Group Conference,02/01/2025,,,,\n",
        ])
        let (suggestion, _, path) = try draft(folder.path, name: "ll")
        let scores = try #require(suggestion.file(.scalingScores))
        #expect(scores.delimiter == UInt8(ascii: "|"))
        #expect(scores.dateFormats == [.dmy])
        #expect(scores.choices.map(\.canonical) == ["case_id", "child_id", "recorded_on", "scale", "score", "rated_by"])
        #expect(scores.choices.map(\.header) == ["Case Number", "Person ID", "Assessment Date", "Scaling Question", "Score Given", "Completed By"])
        let services = try #require(suggestion.file(.interventions))
        // "Intervention" holds words with spaces: the type, not the id.
        #expect(services.header(for: "type") == "Intervention")
        #expect(services.header(for: "intervention_id") == "Referral ID")
        #expect(services.header(for: "offered_on") == "Referred Date")
        let config = try PipelineFile.load(path: path)
        #expect(config.vocabulary(.scalingScores, "rated_by") == ["Parent/Carer": "parent", "Social Worker": "practitioner", "Child": "child"])
        #expect(config.vocabulary(.scalingScores, "scale") == ["Safety": "safety", "Worry": "worry"])
    }

    @Test func aWideFileIsUnpivotedAndYearlyFilesAreOneInputByAGlob() throws {
        let wide = try InputFolder([
            "Scores.csv": "Case Ref,Date,Safety Social Worker,Safety Parent,Safety Child\nC1,2025-01-02,4,5,6\nC2,2025-01-03,5,,7\n",
        ])
        let (w, wideYAML, widePath) = try draft(wide.path, name: "wide")
        let scores = try #require(w.file(.scalingScores))
        // The score columns are not ids: "Safety Child" is not child_id.
        #expect(scores.choices.map(\.header) == ["Case Ref", "Date"])
        // Each header names its scale and rater; the cells fill `score`: nothing required is left.
        #expect(scores.missingRequired.isEmpty)
        #expect(scores.unpivot == [UnpivotColumn(header: "Safety Social Worker", constants: [("scale", "safety"), ("rated_by", "practitioner")]),
                                   UnpivotColumn(header: "Safety Parent", constants: [("scale", "safety"), ("rated_by", "parent")]),
                                   UnpivotColumn(header: "Safety Child", constants: [("scale", "safety"), ("rated_by", "child")])])
        #expect(wideYAML.contains("Safety Social Worker: {scale: safety, rated_by: practitioner}"))
        let wideConfig = try PipelineFile.load(path: widePath)
        #expect(wideConfig.inputs[.scalingScores]?.unpivot != nil)
        // Four scores from two records (the empty cell gives none), none quarantined.
        let wideRun = try Ingestor(config: wideConfig, extractedOn: Day(iso: "2026-11-05")!).run()
        #expect(wideRun.scores.count == 5 && wideRun.rowsQuarantined == 0)

        let text = "Child ID,Case ID,DOB,Date,Scale,Score,Rated By\nC1/1,C1,2011-01-01,2024-03-31,Safety,4,Social Worker\n"
        let yearly = try InputFolder(["Return_2023.csv": text, "Return_2024.csv": text, "Notes.csv": "Code,Description\nA,Alpha\n"])
        let (y, yearlyYAML, path) = try draft(yearly.path, name: "yearly")
        let returns = try #require(y.file(.scalingScores))
        #expect(returns.fileNames == ["Return_2023.csv", "Return_2024.csv"])
        #expect(returns.namePattern?.glob == "Return_*.csv")
        // The files have a date column: the year in their names is not needed.
        #expect(returns.dateFromFileName == nil && !yearlyYAML.contains("from_file_name"))
        #expect(y.unmatched.map(\.fileName) == ["Notes.csv"])
        let config = try PipelineFile.load(path: path)
        #expect(config.inputs[.scalingScores]?.drop == ["dob"])
        #expect(config.inputs[.scalingScores]?.partFiles.map { ($0.path as NSString).lastPathComponent } == ["Return_2023.csv", "Return_2024.csv"])
    }

    @Test func fileNamesOfOneShapeGiveAGlobAndAYearPattern() {
        #expect(FileNamePattern.of(["return_2025.csv", "return_2026.csv"])
                == FileNamePattern(glob: "return_*.csv", yearPattern: "return_(?<year>\\d{4})\\.csv"))
        // A fixed digit run stays as written; a varying one that is no year is no capture.
        #expect(FileNamePattern.of(["la_v1_2023.csv", "la_v1_2024.csv"])
                == FileNamePattern(glob: "la_v1_*.csv", yearPattern: "la_v1_(?<year>\\d{4})\\.csv"))
        #expect(FileNamePattern.of(["part_01.csv", "part_02.csv"]) == FileNamePattern(glob: "part_*.csv", yearPattern: nil))
        // Two varying years: which one is the date is not guessed.
        #expect(FileNamePattern.of(["r_2023_2024.csv", "r_2024_2025.csv"])?.yearPattern == nil)
        // Names of different shapes, or one name: no pattern (the draft lists them).
        #expect(FileNamePattern.of(["april.csv", "may.csv"]) == nil)
        #expect(FileNamePattern.of(["r_2025.csv", "r_25.csv"]) == nil)
        #expect(FileNamePattern.of(["r_2025.csv"]) == nil)
    }

    @Test func scoreWordsAreReasonsWhenTheyAreShortLabels() {
        // Each reason seen three times (a category); a one-off label ("Jayden Smith", a name) is counted, never shown.
        let (words, others) = ScoreReasons.words(["4", " NS ", "Not scored: child refused", "", "7", "NS", "12/03/2025", "3.5",
                                                   "NS", "Not scored: child refused", "Not scored: child refused", "Jayden Smith"])
        #expect(words == ["NS", "Not scored: child refused"])
        #expect(others == 2)   // the date and the one-off name: counted, never shown
        // More distinct words than the cap are free text: none is drafted.
        let many = (0..<13).flatMap { k in Array(repeating: "Reason " + String(UnicodeScalar(UInt8(65 + k))), count: 3) }
        #expect(ScoreReasons.words(many) == ([], 13))
    }

    @Test func wideHeadersNameTheirScaleAndRater() {
        func named(_ header: String) -> [String?] {
            let n = WideScoreColumns.names(header)
            return [n.scale, n.rater, n.rest.joined(separator: " ")]
        }
        #expect(named("Safety Social Worker") == ["safety", "practitioner", ""])
        #expect(named("Worry - Parent/Carer") == ["worry", "parent", ""])
        #expect(named("Agency Score") == [nil, "partner_agency", "score"])
        #expect(named("Well-being") == ["wellbeing", nil, ""])
        #expect(named("Team") == [nil, nil, "team"])
        // A column never filled is wide when its header is its neighbours' but for the rater.
        let shapes = [ValueShape(["4", "5"]), ValueShape(["6", ""]), ValueShape(["", ""]), ValueShape(["", ""])]
        #expect(WideScoreColumns.scoreColumns(["Worker Score", "Parent Score", "Carer Score", "Carer Notes"], shapes) == [0, 1, 2])
    }

    @Test func wordsMatchingNoCanonicalWordAreCountedNotShown() throws {
        let folder = try InputFolder([
            "Scores.csv": "Case ID,Date,Scale,Score,Rated By\nC1,2025-01-02,Safety,4,Teacher\nC2,2025-01-03,Safety,5,Nurse\n",
        ])
        let (suggestion, yaml, path) = try draft(folder.path, name: "words")
        #expect(suggestion.file(.scalingScores)?.header(for: "rated_by") == "Rated By")
        #expect(yaml.contains("# unsure: 2 sampled words of `rated_by` match no canonical word (not shown)"))
        #expect(!yaml.contains("Teacher") && !yaml.contains("Nurse"))
        // No `vocabulary:` key is left holding comments only (it would read as null).
        let config = try PipelineFile.load(path: path)
        #expect(config.vocabulary(.scalingScores, "rated_by").isEmpty)
        #expect(config.vocabulary(.scalingScores, "scale") == ["Safety": "safety"])
    }

    // MARK: the four foreign exports of issue #13 (item 8)

    static let foreign = ["mosaic-uk", "liquidlogic", "wide", "statutory-return"]

    /// The edits docs/pipeline-files.md lists for each foreign export's draft,
    /// as text replacements: the same for all four, the scales' `sd` and
    /// `reliability` (M6), which no export holds.
    static let edits: [String: [(String, String)]] = Dictionary(uniqueKeysWithValues: foreign.map {
        ($0, [("  safety: {min: 0, max: 10, direction: higher_is_better, sustained_threshold: 7}",
               "  safety: {min: 0, max: 10, direction: higher_is_better, sustained_threshold: 7, sd: baseline, reliability: 0.8}")])
    })

    /// The draft of a shipped foreign export with its documented edits applied, written to a file.
    func editedDraft(_ fixture: String) throws -> (MappingSuggestion, String, String) {
        let (suggestion, yaml, path) = try draft(projectRoot() + "/Fixtures/" + fixture)
        var edited = yaml
        for (from, to) in Self.edits[fixture] ?? [] {
            #expect(edited.contains(from), "\(fixture): the documented edit does not apply")
            edited = edited.replacingOccurrences(of: from, with: to)
        }
        try Data(edited.utf8).write(to: URL(fileURLWithPath: path))
        return (suggestion, edited, path)
    }

    @Test(arguments: foreign)
    func theEditedDraftOfEachForeignExportReadsTheRowsTheHandWrittenFileReads(_ fixture: String) throws {
        let (_, yaml, path) = try editedDraft(fixture)
        #expect(!yaml.contains("# TODO:"), "\(fixture): the draft leaves a required column unmapped")
        let drafted = try PipelineFile.load(path: path)
        let hand = try PipelineFile.load(path: projectRoot() + "/Pipelines/\(fixture).yaml")
        #expect(drafted.inputsNotGiven == hand.inputsNotGiven)
        #expect(drafted.scales == hand.scales)
        let extracted = Day(iso: "2026-11-05")!
        let d = try Ingestor(config: drafted, extractedOn: extracted).run()
        let h = try Ingestor(config: hand, extractedOn: extracted).run()
        #expect(d.rowsQuarantined == h.rowsQuarantined)
        #expect(d.scores.count == h.scores.count && d.scores.count > 0)
        #expect(d.files.map(\.rowsAccepted) == h.files.map(\.rowsAccepted))
        #expect(d.files.map(\.rowsNotScored) == h.files.map(\.rowsNotScored))
        // And the whole run, to the report.
        let out = (path as NSString).deletingLastPathComponent
        #expect(try runWaymark(["run", path, "--out", out + "/run", "--restricted-out", out + "/restricted",
                                "--as-of", "2026-10-31", "--extracted-on", "2026-11-05", "--no-history", "--quiet"]) == 0)
        #expect(FileManager.default.fileExists(atPath: out + "/run/index.html"))
    }

    @Test func theForeignDraftsUseTheNewKeysWhereTheExportsShowThem() throws {
        let (_, liquidlogic, _) = try draft(projectRoot() + "/Fixtures/liquidlogic")
        #expect(liquidlogic.contains("date_format: dmy"))
        // Every rater word the export holds (the hand-written file lists three more it does not).
        for entry in ["Parent/Carer: parent", "Child/Young Person: child", "Social Worker: practitioner", "Group Meeting: group",
                      "Safety: safety", "Worry: worry"] {
            #expect(liquidlogic.contains(entry), "\(entry)")
        }
        let (_, wide, _) = try draft(projectRoot() + "/Fixtures/wide")
        #expect(wide.contains("    unpivot:"))
        #expect(wide.contains("Agency Score: {rated_by: partner_agency}"))
        #expect(wide.contains("      value: score"))
        let (returns, statutory, _) = try draft(projectRoot() + "/Fixtures/statutory-return")
        #expect(returns.unmatched.isEmpty)
        #expect(statutory.contains("    path: \"return_*.csv\""))
        #expect(statutory.contains("from_file_name: {pattern: 'return_(?<year>\\d{4})\\.csv', recorded_on: year}"))
        #expect(statutory.contains("missing_values: {score: [\"Not scored: child refused\", \"NS\"]}")
                || statutory.contains("missing_values: {score: [\"NS\", \"Not scored: child refused\"]}"))
        #expect(statutory.contains("  interventions: none"))
        #expect(statutory.contains("\"DOB\""))
    }

    /// No value of the shipped foreign exports reaches their drafts, but the
    /// words a draft may hold: headers, canonical words, and the category
    /// labels it maps (vocabulary words, reasons for a missing score).
    @Test(arguments: foreign)
    func noDataValueOfAForeignExportReachesItsDraft(_ fixture: String) throws {
        let folder = projectRoot() + "/Fixtures/" + fixture
        let (suggestion, draftText, path) = try draft(folder)
        let yaml = draftText.replacingOccurrences(of: folder, with: "")
        let config = try PipelineFile.load(path: path)
        var allowed = Set(InputFile.allCases.flatMap { file in
            file.columns.flatMap { spec -> [String] in
                if case .enumeration(let names) = spec.kind { return names }
                return []
            }
        })
        allowed.formUnion(suggestion.scaleNames)
        for mapping in config.inputs.values {
            for table in mapping.vocabulary.values { allowed.formUnion(table.keys) }
            for words in mapping.missingValues.values { allowed.formUnion(words) }
        }
        var checked = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) where name.hasSuffix(".csv") {
            let sample = try ExportSampler.sample(path: folder + "/" + name, rowLimit: 1_000_000)
            allowed.formUnion(sample.headers)
            for value in Set(sample.values.joined().map { $0.trimmingCharacters(in: " \t") })
            where value.count >= 3 && !allowed.contains(value) && !allowed.contains(value.lowercased()) {
                checked += 1
                #expect(!yaml.contains(value), "\(fixture)/\(name): a data value is copied into the draft")
            }
        }
        #expect(checked > 50)
    }

    // MARK: identifiers and values

    @Test func aDOBColumnIsDroppedAndAScoresOnlyExportGetsInterventionsNone() throws {
        let folder = try InputFolder([
            "Scores.csv": "Case ID,DOB,Date,Scale,Score,Rated By,Contact\nC1,2011-03-14,2025-01-02,Safety,4,Social Worker,07700 900123\n"
                + "C2,2012-05-06,2025-01-03,Safety,6,Parent/Carer,by letter\nC3,2013-07-08,2025-01-04,Safety,5,Social Worker,by letter\n",
        ])
        let (suggestion, yaml, path) = try draft(folder.path, name: "dob")
        let scores = try #require(suggestion.file(.scalingScores))
        // DOB by its header; Contact, unused, because one sampled value is a phone number (the run scans every column).
        #expect(scores.dropped == [DroppedColumn(header: "DOB", kind: .dateOfBirth, byValues: false),
                                   DroppedColumn(header: "Contact", kind: .phone, byValues: true)])
        #expect(!yaml.contains("07700") && !yaml.contains("by letter"))
        #expect(scores.header(for: "recorded_on") == "Date")
        #expect(scores.header(for: "rated_by") == "Rated By")
        #expect(yaml.contains("  interventions: none"))
        #expect(!yaml.contains("once that key lands") && !yaml.contains("responses: none"))
        let config = try PipelineFile.load(path: path)
        #expect(config.inputsNotGiven.contains(.interventions))
        #expect(config.inputs[.scalingScores]?.drop == ["dob", "contact"])
        #expect(config.inputs[.scalingScores]?.columns["case id"] == "case_id")
        #expect(!yaml.contains("2011-03-14"))
    }

    @Test func anExportWithoutResponsesGetsResponsesNone() throws {
        let folder = try InputFolder([
            "Scores.csv": "Case ID,Date,Scale,Score,Rated By\nC1,2025-01-02,Safety,4,Social Worker\n",
            "Services.csv": "Service Ref,Case Ref,Service Type,Date Offered\nI1,C1,respite,2025-01-01\n",
        ])
        let (_, yaml, path) = try draft(folder.path, name: "noresponses")
        #expect(yaml.contains("  responses: none") && !yaml.contains("interventions: none"))
        #expect(try PipelineFile.load(path: path).inputsNotGiven == [.responses])
    }

    @Test func aRequiredColumnNotFoundGetsATodoAndAStrayFileIsListed() throws {
        let folder = try InputFolder([
            "Scores.csv": "Case ID,Date,Score\nC1,2025-01-02,4\nC2,2025-01-03,6\n",
            "Lookup.csv": "Code,Description\nA,Alpha\nB,Beta\n",
        ])
        let (suggestion, yaml, path) = try draft(folder.path, name: "todo")
        #expect(suggestion.file(.scalingScores)?.missingRequired == ["scale", "rated_by"])
        #expect(yaml.contains("# TODO: no column found for the required `scale`"))
        #expect(yaml.contains("# TODO: no column found for the required `rated_by`"))
        #expect(suggestion.unmatched.map(\.fileName) == ["Lookup.csv"])
        #expect(yaml.contains("# not matched: Lookup.csv"))
        _ = try PipelineFile.load(path: path)
    }

    @Test func noDataValueReachesTheDraft() throws {
        // A distinctive value planted in every column that is not a vocabulary (and a few extra columns).
        let planted = ["QZID7731", "QZCASE8842", "QZCHILD9953", "QZTEAM Kestrel", "QZW4411", "2019-07-23", "3.25",
                       "QZSVC5520", "QZTYPE heron", "2018-02-11", "2018-03-12", "2018-04-13", "17.75", "QZR6631",
                       "2017-05-14", "47", "43", "8.5", "2016-06-15", "2016-07-16", "QZ closure reason text",
                       "QZ-band", "QZsex", "QZethnic", "QZ free text note", "2010-09-08", "AB 12 34 56 C"]
        let scores = "Score Ref,Case Ref,Child Ref,Team,Worker Ref,Date Recorded,Scale,Score,Scored By,Notes\n"
            + "\(planted[0]),\(planted[1]),\(planted[2]),\(planted[3]),\(planted[4]),\(planted[5]),Safety Scale,\(planted[6]),Social Worker,\(planted[24])\n"
            + "S2,C2,C2/1,Riverside,W2,2025-01-02,Safety Scale,5,Parent/Carer,\n"
        let services = "Service Ref,Case Ref,Service Type,Date Offered,Start Date,End Date,Planned Hours,End Reason\n"
            + "\(planted[7]),\(planted[1]),\(planted[8]),\(planted[9]),\(planted[10]),\(planted[11]),\(planted[12]),Completed\n"
            + "I2,C2,respite,2025-01-02,,,,\n"
        let responses = "Response Ref,Service Ref,Case Ref,Date Recorded,Response,Sessions Offered,Sessions Attended,Family Rating\n"
            + "\(planted[13]),\(planted[7]),\(planted[1]),\(planted[14]),Partially Engaged,\(planted[15]),\(planted[16]),\(planted[17])\n"
            + "R2,I2,C2,2025-01-03,Accepted,,,\n"
        let episodes = "Case Ref,Open Date,Close Date,Closure Reason\n"
            + "\(planted[1]),\(planted[18]),\(planted[19]),\(planted[20])\nC2,2025-01-01,,\n"
        let children = "Child Ref,Case Ref,Age Band,Gender,Ethnicity,Date of Birth,NI\n"
            + "\(planted[2]),\(planted[1]),\(planted[21]),\(planted[22]),\(planted[23]),\(planted[25]),\(planted[26])\n"
            + "C2/1,C2,5-9,female,White,2015-01-01,\n"
        let folder = try InputFolder(["Scores.csv": scores, "Services.csv": services, "ServiceResponses.csv": responses,
                                      "CaseEpisodes.csv": episodes, "ChildDetails.csv": children])
        let (suggestion, draftText, path) = try draft(folder.path, name: "planted")
        // The temporary folder's random name is the test's, not the export's: leave it out.
        let yaml = draftText.replacingOccurrences(of: folder.path, with: "")
        for value in planted { #expect(!yaml.contains(value), "planted value \(value) copied into the draft") }
        // Nor the values of the ordinary second rows that are not vocabulary words.
        for value in ["Riverside", "C2/1", "2025-01-02", "respite", "5-9", "White"] { #expect(!yaml.contains(value)) }
        // The vocabulary words it maps are written, and the identifier columns dropped.
        #expect(yaml.contains("Social Worker: practitioner"))
        #expect(yaml.contains("Partially Engaged: partially_engaged"))
        let children_ = try #require(suggestion.file(.children))
        #expect(children_.dropped.map(\.header) == ["Date of Birth", "NI"])
        #expect(children_.dropped.map(\.byValues) == [false, true])
        _ = try PipelineFile.load(path: path)
    }
}

extension PipelineConfig {
    /// A file's vocabulary for one canonical column (empty when none).
    func vocabulary(_ file: InputFile, _ column: String) -> [String: String] { inputs[file]?.vocabulary[column] ?? [:] }
}
