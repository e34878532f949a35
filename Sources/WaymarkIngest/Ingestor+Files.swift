import WaymarkCSV
import WaymarkCore
import WaymarkMethods

/// The row parsers of interventions, responses, episodes and children; each
/// column index is the canonical order of ``InputFile/columns``.
extension Ingestor {
    func ingestInterventions(into table: inout InterventionTable) throws -> [FileReport] {
        guard let mapping = options.inputs[.interventions] else { throw IngestError.missingInput(file: .interventions) }
        let typeVocabulary = mapping.vocabulary["type"]
        let teamVocabulary = mapping.vocabulary["team"]
        let approachTable = options.approaches
        let report = try ingest(.interventions, into: &table, key: .code, parse: { c, st in
            // intervention_id is new on nearly every row: its slot is fetched now, interned at the end.
            let firstProblem = c.problems.count
            c.prefetchIdentifier(0, in: st.ids.interventions)
            let caseID = c.identifier(1, required: true, &st.ids.cases)
            let child = c.identifier(2, &st.ids.children)
            let type = c.text(3, required: true, &st.ids.texts, vocabulary: typeVocabulary)
            var approach = c.code(4, &st.resolvers[4])
            let offered = c.date(5, required: true)
            let started = c.date(6)
            let ended = c.date(7)
            if started != .blankDay && ended != .blankDay && ended < started {
                c.problems.append(RowProblem(.endedBeforeStarted, column: c.source(7)))
            }
            let endReason = c.code(8, &st.resolvers[8])
            let hours = c.decimal(9, range: 0...Double.greatestFiniteMagnitude)
            let provider = c.code(10, &st.resolvers[10])
            let team = c.text(11, &st.ids.teams, vocabulary: teamVocabulary)
            if approach == 0 && type != 0 {
                // M13.15: a blank approach comes from the type -> approach table.
                while st.approachOfType.count <= Int(type) {
                    let name = st.ids.texts.string(UInt32(st.approachOfType.count))
                    st.approachOfType.append(approachTable[name]?.code ?? 0)
                }
                approach = Int32(st.approachOfType[Int(type)])
            }
            let id = c.identifier(0, required: true, &st.ids.interventions, problemsAt: firstProblem)
            let row = InterventionRow(id: id, caseID: caseID, childID: child, type: type,
                                      approach: UInt8(truncatingIfNeeded: max(0, approach)), offered: offered,
                                      started: started, ended: ended, endReason: UInt8(truncatingIfNeeded: max(0, endReason)),
                                      plannedHours: hours, provider: UInt8(truncatingIfNeeded: max(0, provider)), team: team,
                                      line: UInt32(c.line))
            return (row, UInt64(id))
        }, remap: { row, key, map, lineOffset in
            row.id = map.interventions[Int(row.id)]
            row.caseID = map.cases[Int(row.caseID)]
            row.childID = map.children[Int(row.childID)]
            row.type = map.texts[Int(row.type)]
            row.team = map.teams[Int(row.team)]
            row.line += UInt32(lineOffset)
            key = UInt64(row.id)
        })
        // Index the accepted interventions by id for the responses.
        var byID = [Int32](repeating: -1, count: ids.interventions.count)
        for i in 0..<table.count { byID[Int(table.id[i])] = Int32(i) }
        interventionByID = byID
        interventionCase = table.caseID
        return report
    }

    func ingestResponses(into table: inout ResponseTable) throws -> [FileReport] {
        guard options.inputs[.responses] != nil else { throw IngestError.missingInput(file: .responses) }
        let byID = interventionByID
        let caseOf = interventionCase
        let pool = ReadOnlyPool(ids.interventions)
        return try ingest(.responses, into: &table, key: .code, contentHash: { $0.contentHash }, parse: { c, st in
            // response_id is new on nearly every row: its slot is fetched now, interned at the end.
            c.prefetchIdentifier(0, in: st.local)
            c.prefetchIdentifier(1, in: pool.interner)
            var intervention: Int32 = -1
            // Look the intervention up without adding unknown ids to the pool.
            if let found = c.lookupIdentifier(1, required: true, in: pool) {
                let code = found ?? UInt32.max
                if Int(code) < byID.count, byID[Int(code)] >= 0 {
                    intervention = byID[Int(code)]
                } else {
                    // Known to interventions.csv but not accepted: every row of it was quarantined.
                    let reason: QuarantineReason = code != UInt32.max ? .parentQuarantined : .unknownIntervention
                    c.problems.append(RowProblem(reason, column: c.source(1)))
                }
            }
            let caseID = c.identifier(2, required: true, &st.ids.cases)
            if intervention >= 0 && caseID != 0 {
                // Both reading threads begin from the pools as they stand before this file, where
                // every intervention's case is: codes given before it are the same on either, and
                // a case first seen in this file has a later code, unequal to any of them.
                if caseID != caseOf[Int(intervention)] {
                    c.problems.append(RowProblem(.caseMismatch, column: c.source(2)))
                }
            }
            let day = c.date(3, required: true)
            let response = c.code(4, required: true, &st.resolvers[4])
            let offered = c.count(5)
            let attended = c.count(6)
            if offered >= 0 && attended > offered {
                c.problems.append(RowProblem(.attendedExceedsOffered, column: c.source(6)))
            }
            let rating = c.decimal(7, range: 0...10)
            let responder = c.code(8, &st.resolvers[8])
            let id = c.identifier(0, &st.local)
            let row = ResponseRow(id: id, intervention: intervention, caseID: caseID, day: day,
                                  response: UInt8(truncatingIfNeeded: max(0, response)), sessionsOffered: offered,
                                  sessionsAttended: attended, familyRating: rating,
                                  responder: UInt8(truncatingIfNeeded: max(0, responder)), line: UInt32(c.line))
            return (row, UInt64(id))
        }, remap: { row, key, map, lineOffset in
            row.caseID = map.cases[Int(row.caseID)]
            row.line += UInt32(lineOffset)
            key = UInt64(map.local[Int(key)])
            row.id = UInt32(key)
        }, rowIDs: true)
    }

    func ingestEpisodes(into table: inout EpisodeTable) throws -> [FileReport] {
        guard let mapping = options.inputs[.episodes] else { throw IngestError.missingInput(file: .episodes) }
        let reasonVocabulary = mapping.vocabulary["closure_reason"]
        return try ingest(.episodes, into: &table, key: .composite, parse: { c, st in
            let caseID = c.identifier(0, required: true, &st.ids.cases)
            let opened = c.date(1, required: true)
            let closed = c.date(2)
            if opened != .blankDay && closed != .blankDay && closed < opened {
                c.problems.append(RowProblem(.closedBeforeOpened, column: c.source(2)))
            }
            let reason = c.text(3, &st.ids.texts, vocabulary: reasonVocabulary)
            let row = EpisodeRow(caseID: caseID, opened: opened, closed: closed, closureReason: reason, line: UInt32(c.line))
            return (row, UInt64(caseID) << 32 | UInt64(UInt32(bitPattern: opened)))
        }, remap: { row, key, map, lineOffset in
            row.caseID = map.cases[Int(row.caseID)]
            row.closureReason = map.texts[Int(row.closureReason)]
            row.line += UInt32(lineOffset)
            key = UInt64(row.caseID) << 32 | (key & 0xFFFF_FFFF)
        })
    }

    func ingestChildren(into table: inout ChildTable) throws -> [FileReport] {
        guard let mapping = options.inputs[.children] else { throw IngestError.missingInput(file: .children) }
        let v = mapping.vocabulary
        return try ingest(.children, into: &table, key: .code, parse: { c, st in
            let child = c.identifier(0, required: true, &st.ids.children)
            let caseID = c.identifier(1, required: true, &st.ids.cases)
            let age = c.text(2, &st.ids.texts, vocabulary: v["age_band"])
            let sex = c.text(3, &st.ids.texts, vocabulary: v["sex"])
            let ethnicity = c.text(4, &st.ids.texts, vocabulary: v["ethnicity_group"])
            let disability = c.code(5, &st.resolvers[5])
            let row = ChildRow(childID: child, caseID: caseID, ageBand: age, sex: sex, ethnicity: ethnicity,
                               disability: UInt8(truncatingIfNeeded: max(0, disability)), line: UInt32(c.line))
            return (row, UInt64(child))
        }, remap: { row, key, map, lineOffset in
            row.childID = map.children[Int(row.childID)]
            row.caseID = map.cases[Int(row.caseID)]
            row.ageBand = map.texts[Int(row.ageBand)]
            row.sex = map.texts[Int(row.sex)]
            row.ethnicity = map.texts[Int(row.ethnicity)]
            row.line += UInt32(lineOffset)
            key = UInt64(row.childID)
        })
    }
}
