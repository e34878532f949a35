/// The names case-management systems commonly give each canonical column
/// (besides the canonical name itself), compared through ``HeaderSimilarity``.
public enum ColumnAliases {
    static let table: [String: [String]] = [
        "score_id": ["score ref", "scaling id", "score record id"],
        "case_id": ["case ref", "family id", "case", "family ref", "case number", "family", "case reference"],
        "child_id": ["child ref", "child", "person id", "client id", "young person id", "subject id", "child reference"],
        "team": ["team name", "unit", "team", "allocated team", "service team"],
        "worker_id": ["worker ref", "practitioner id", "worker", "staff id", "social worker id", "allocated worker", "user id"],
        "recorded_on": ["date recorded", "recorded date", "date", "score date", "assessment date", "entry date", "response date", "recorded"],
        "scale": ["scale", "scale type", "scale name", "measure", "question"],
        "score": ["score", "rating", "scaling score", "score value", "value"],
        "rated_by": ["scored by", "rater", "scorer", "rated by", "who scored", "perspective", "respondent type", "completed by", "score given by"],
        "setting": ["meeting type", "meeting", "setting type", "context", "occasion"],
        "intervention_id": ["service ref", "service id", "intervention ref", "support id", "package id", "provision id", "referral id"],
        "type": ["service type", "intervention type", "support type", "programme", "service", "intervention name"],
        "approach": ["approach type", "model", "approach"],
        "offered_on": ["date offered", "offer date", "offered", "referral date", "referred date", "date referred", "date requested"],
        "started_on": ["start date", "date started", "start", "started"],
        "ended_on": ["end date", "date ended", "end", "ended", "finish date"],
        "end_reason": ["end reason", "reason ended", "ending reason", "reason for ending", "outcome"],
        "planned_hours": ["planned hours", "hours", "hours planned", "intensity", "dose"],
        "provider": ["provider type", "provided by", "delivered by", "provider"],
        "response_id": ["response ref", "engagement id"],
        "response": ["family response", "engagement", "response status", "status"],
        "sessions_offered": ["sessions offered", "offered sessions", "sessions planned", "number of sessions offered"],
        "sessions_attended": ["sessions attended", "attended sessions", "attended", "attendance", "number of sessions attended"],
        "family_rating": ["family rating", "helpfulness", "family score", "satisfaction", "rating by family"],
        "responder": ["responded by", "who responded", "responder", "respondent"],
        "opened_on": ["open date", "date opened", "episode start", "start date", "opened", "referral date"],
        "closed_on": ["close date", "date closed", "closure date", "episode end", "end date", "closed"],
        "closure_reason": ["closure reason", "close reason", "reason closed", "reason for closure", "closure code"],
        "age_band": ["age band", "age group", "age range", "age"],
        "sex": ["gender", "sex"],
        "ethnicity_group": ["ethnicity", "ethnic group", "ethnic origin", "ethnicity category"],
        "disability": ["disabled", "has disability", "disability flag", "disability"],
    ]

    /// The aliases of a canonical column (empty for an unknown one).
    public static func aliases(of column: String) -> [String] { table[column] ?? [] }
}
