/// Why a cohort series has no outcome (docs/evaluation.md, "Outcome
/// availability"), checked in this order.
public enum MissingOutcome: String, Sendable, CaseIterable {
    /// Its follow-up is not over at `as_of` (entry + follow_up_days is later
    /// than as_of) and no score has come after the baseline yet.
    case followUpNotOver = "follow_up_not_over"
    /// Follow-up is over and the series has no score after its baseline at all.
    case noScoreAfterBaseline = "no_score_after_baseline"
    /// Follow-up is over and the next score after the baseline came later than entry + follow_up_days.
    case nextScoreAfterFollowUp = "next_score_after_follow_up"

    /// The reason for a series with no point after its baseline on or before
    /// entry + `followUpDays`, whose last point is `lastDay`.
    public static func reason(entry: Int32, baselineDay: Int32, lastDay: Int32, followUpDays: Int, asOf: Int32) -> MissingOutcome {
        if Int(entry) + followUpDays > Int(asOf) { return .followUpNotOver }
        return lastDay > baselineDay ? .nextScoreAfterFollowUp : .noScoreAfterBaseline
    }
}
