import Foundation
import WaymarkCore
import WaymarkMethods

/// A canonical column's value given once for a whole file
/// (`constants: {scale: hamd, rated_by: practitioner}`), as the pipeline file
/// wrote it.
public struct ConstantValue: Sendable, Equatable {
    public var value: String
    /// The pipeline file's line.
    public var line: Int
    public init(value: String, line: Int) {
        self.value = value
        self.line = line
    }
}

/// `from_file_name: {pattern: 'return_(?<year>\d{4})\.csv', recorded_on: year}`:
/// canonical columns whose value is a named capture of a regular expression
/// matched against the whole file name (not its folder).
public struct FileNameRule: Sendable, Equatable {
    public var pattern: String
    /// Canonical column -> capture name.
    public var captures: [String: String]
    public var line: Int
    public init(pattern: String, captures: [String: String], line: Int) {
        self.pattern = pattern
        self.captures = captures
        self.line = line
    }
}

/// `recorded_on: {start: referral_date, index: week, step_days: 7}`: a date
/// that is a start-date column plus a time index times a step.
public struct IndexedDate: Sendable, Equatable {
    /// Source headers (compared as the reader compares headers).
    public var start: String
    public var index: String
    public var stepDays: Int
    public var line: Int
    public init(start: String, index: String, stepDays: Int, line: Int) {
        self.start = start
        self.index = index
        self.stepDays = stepDays
        self.line = line
    }
}

/// `unpivot: {columns: {score_parent: {rated_by: parent}, score_child:
/// {rated_by: child}}, value: score}` (issue #13 item 3): each listed wide
/// column becomes one row whose `value` column is that cell, taking the
/// column's own constants (its scale and/or rater). An empty wide cell
/// yields no row.
public struct Unpivot: Sendable, Equatable {
    /// One wide column: its source header and the constants its rows take.
    public struct Column: Sendable, Equatable {
        public var header: String
        public var constants: [String: String]
        /// The pipeline file's line of this column's entry.
        public var line: Int
        public init(header: String, constants: [String: String], line: Int = 0) {
            self.header = header
            self.constants = constants
            self.line = line
        }
    }
    public var columns: [Column]
    /// The canonical column the cells fill.
    public var value: String
    public var line: Int
    public init(columns: [Column], value: String, line: Int) {
        self.columns = columns
        self.value = value
        self.line = line
    }
}

/// The value rules of issue #13 item 1: which value a canonical column takes
/// when it comes from the pipeline file rather than a column of the export.
public enum DerivedValues {
    /// Columns that can take a constant or a file-name value: codes, scales
    /// and dates. (Identifiers and free text are pooled and scanned per value,
    /// and numbers are measurements, so none of them comes from a constant.)
    public static func canTakeConstant(_ spec: ColumnSpec) -> Bool {
        switch spec.kind {
        case .enumeration, .scale, .date: return true
        case .identifier, .text, .decimal, .integer: return false
        }
    }

    /// Why `value` cannot be column `spec`'s value, or nil when it can. A
    /// vocabulary entry of the file's mapping may translate it; a date is
    /// `YYYY-MM-DD`, or a year `YYYY`, which is that year's 31 March (the end
    /// of the statutory year the return covers).
    public static func problem(_ value: String, for spec: ColumnSpec, scales: [String], vocabulary: [String: String]) -> String? {
        switch spec.kind {
        case .enumeration(let names):
            let v = vocabulary[value] ?? value
            return names.contains(v) ? nil : "`\(value)` is not a \(spec.name) value; expected one of: \(names.joined(separator: ", "))"
        case .scale:
            let v = vocabulary[value] ?? value
            return scales.contains(v) ? nil : "`\(value)` is not one of the declared scales (\(scales.joined(separator: ", ")))"
        case .date:
            return day(value) == nil ? "`\(value)` is not a date: give YYYY-MM-DD, or a year YYYY (that year's 31 March)" : nil
        case .identifier, .text, .decimal, .integer:
            return "`\(spec.name)` holds \(spec.kind.phrase), which cannot come from the pipeline file (constants set codes, scales and dates)"
        }
    }

    /// The day a date value names: `YYYY-MM-DD`, or `YYYY` -> YYYY-03-31.
    public static func day(_ value: String) -> Day? {
        let t = value.trimmingCharacters(in: .whitespaces)
        if t.count == 4, t.allSatisfy(\.isASCII), t.allSatisfy(\.isNumber) { return Day(iso: t + "-03-31") }
        return Day(iso: t)
    }

    /// The named captures of `rule` in `fileName`, by canonical column, or a
    /// message saying why the name does not fit.
    public static func captures(_ rule: FileNameRule, fileName: String) -> Result<[String: String], RuleMismatch> {
        guard let regex = try? Regex(rule.pattern) else { return .failure(RuleMismatch(message: "the pattern is not a valid regular expression")) }
        guard let match = try? regex.wholeMatch(in: fileName) else {
            return .failure(RuleMismatch(message: "the file name does not match the pattern (it must match the whole name)"))
        }
        var out: [String: String] = [:]
        for (column, name) in rule.captures {
            guard let capture = match.output[name], let sub = capture.substring else {
                return .failure(RuleMismatch(message: "the capture `\(name)` matched nothing in the file name"))
            }
            out[column] = String(sub)
        }
        return .success(out)
    }

    /// The capture names a pattern declares (`(?<name>...)`), or nil when it
    /// does not compile.
    public static func captureNames(_ pattern: String) -> [String]? {
        guard (try? Regex(pattern)) != nil else { return nil }
        var names: [String] = []
        var rest = Substring(pattern)
        while let r = rest.range(of: "(?<") {
            let after = rest[r.upperBound...]
            rest = after
            guard !after.hasPrefix("="), !after.hasPrefix("!"), let close = after.firstIndex(of: ">") else { continue }
            names.append(String(after[..<close]))
        }
        return names
    }

    /// Why a file-name rule did not fit a file.
    public struct RuleMismatch: Error, Sendable { public var message: String }
}

/// One canonical column's value for every row of a file, resolved before any
/// row is read: the bytes a code or scale is read from, or a day.
enum FixedValue: Sendable, Equatable {
    case bytes([UInt8])
    case day(Int32)
}
