import WaymarkCSV

/// The row parsers of interventions, responses, episodes and children; each
/// column index is the canonical order of ``InputFile/columns``.
extension Ingestor {
    func ingestInterventions(into table: inout InterventionTable) throws -> FileReport {
        guard let mapping = config.inputs[.interventions] else { throw IngestError.missingInput(file: .interventions) }
        var approaches = resolver(Approach.self, "approach", mapping)
        var reasons = resolver(EndReason.self, "end_reason", mapping)
        var providers = resolver(Provider.self, "provider", mapping)
        let typeVocabulary = mapping.vocabulary["type"]
        let teamVocabulary = mapping.vocabulary["team"]
        let approachTable = config.approaches
        var approachOfType: [UInt8] = [0]   // by type code; filled as types appear
        var currentID: UInt32 = 0
        var quarantinedIDs = Set<UInt32>()
        let report = try ingest(.interventions, into: &table, key: .code, parse: { c in
            let id = c.identifier(0, required: true, &ids.interventions)
            currentID = id
            let caseID = c.identifier(1, required: true, &ids.cases)
            let child = c.identifier(2, &ids.children)
            let type = c.text(3, required: true, &ids.texts, vocabulary: typeVocabulary)
            var approach = c.code(4, &approaches)
            let offered = c.date(5, required: true)
            let started = c.date(6)
            let ended = c.date(7)
            if started != .blankDay && ended != .blankDay && ended < started {
                c.problems.append(RowProblem(.endedBeforeStarted, column: c.columns[7]))
            }
            let endReason = c.code(8, &reasons)
            let hours = c.decimal(9, range: 0...Double.greatestFiniteMagnitude)
            let provider = c.code(10, &providers)
            let team = c.text(11, &ids.teams, vocabulary: teamVocabulary)
            if approach == 0 && type != 0 {
                // M13.15: a blank approach comes from the type -> approach table.
                while approachOfType.count <= Int(type) {
                    let name = ids.texts.string(UInt32(approachOfType.count))
                    approachOfType.append(approachTable[name]?.code ?? 0)
                }
                approach = Int32(approachOfType[Int(type)])
            }
            let row = InterventionRow(id: id, caseID: caseID, childID: child, type: type,
                                      approach: UInt8(truncatingIfNeeded: max(0, approach)), offered: offered,
                                      started: started, ended: ended, endReason: UInt8(truncatingIfNeeded: max(0, endReason)),
                                      plannedHours: hours, provider: UInt8(truncatingIfNeeded: max(0, provider)), team: team,
                                      line: UInt32(c.record.line))
            return (row, UInt64(id))
        }, quarantined: { _ in
            if currentID != 0 { quarantinedIDs.insert(currentID) }
        })
        // Index the accepted interventions by id for the responses.
        var byID = [Int32](repeating: -1, count: ids.interventions.count)
        for i in 0..<table.count { byID[Int(table.id[i])] = Int32(i) }
        interventionByID = byID
        interventionCase = table.caseID
        quarantinedInterventionIDs = quarantinedIDs.filter { byID[Int($0)] < 0 }
        return report
    }

    func ingestResponses(into table: inout ResponseTable) throws -> FileReport {
        guard let mapping = config.inputs[.responses] else { throw IngestError.missingInput(file: .responses) }
        var responseIDs = Interner(capacity: 1 << 14)
        var kinds = resolver(ResponseKind.self, "response", mapping)
        var responders = resolver(Responder.self, "responder", mapping)
        let byID = interventionByID
        let caseOf = interventionCase
        let parentQuarantined = quarantinedInterventionIDs
        let pool = ids.interventions
        return try ingest(.responses, into: &table, key: .code, contentHash: { $0.contentHash }, parse: { c in
            let id = c.identifier(0, &responseIDs)
            var intervention: Int32 = -1
            // Look the intervention up without adding unknown ids to the pool.
            if let code = c.withIdentifier(1, required: true, { pool.lookup($0) ?? UInt32.max }) {
                if Int(code) < byID.count, byID[Int(code)] >= 0 {
                    intervention = byID[Int(code)]
                } else {
                    let reason: QuarantineReason = parentQuarantined.contains(code) ? .parentQuarantined : .unknownIntervention
                    c.problems.append(RowProblem(reason, column: c.columns[1]))
                }
            }
            let caseID = c.identifier(2, required: true, &ids.cases)
            if intervention >= 0 && caseID != 0 && caseOf[Int(intervention)] != caseID {
                c.problems.append(RowProblem(.caseMismatch, column: c.columns[2]))
            }
            let day = c.date(3, required: true)
            let response = c.code(4, required: true, &kinds)
            let offered = c.count(5)
            let attended = c.count(6)
            if offered >= 0 && attended > offered {
                c.problems.append(RowProblem(.attendedExceedsOffered, column: c.columns[6]))
            }
            let rating = c.decimal(7, range: 0...10)
            let responder = c.code(8, &responders)
            let row = ResponseRow(id: id, intervention: intervention, caseID: caseID, day: day,
                                  response: UInt8(truncatingIfNeeded: max(0, response)), sessionsOffered: offered,
                                  sessionsAttended: attended, familyRating: rating,
                                  responder: UInt8(truncatingIfNeeded: max(0, responder)), line: UInt32(c.record.line))
            return (row, UInt64(id))
        })
    }

    func ingestEpisodes(into table: inout EpisodeTable) throws -> FileReport {
        guard let mapping = config.inputs[.episodes] else { throw IngestError.missingInput(file: .episodes) }
        let reasonVocabulary = mapping.vocabulary["closure_reason"]
        return try ingest(.episodes, into: &table, key: .composite, parse: { c in
            let caseID = c.identifier(0, required: true, &ids.cases)
            let opened = c.date(1, required: true)
            let closed = c.date(2)
            if opened != .blankDay && closed != .blankDay && closed < opened {
                c.problems.append(RowProblem(.closedBeforeOpened, column: c.columns[2]))
            }
            let reason = c.text(3, &ids.texts, vocabulary: reasonVocabulary)
            let row = EpisodeRow(caseID: caseID, opened: opened, closed: closed, closureReason: reason, line: UInt32(c.record.line))
            return (row, UInt64(caseID) << 32 | UInt64(UInt32(bitPattern: opened)))
        })
    }

    func ingestChildren(into table: inout ChildTable) throws -> FileReport {
        guard let mapping = config.inputs[.children] else { throw IngestError.missingInput(file: .children) }
        var disabilities = resolver(Disability.self, "disability", mapping)
        let v = mapping.vocabulary
        return try ingest(.children, into: &table, key: .code, parse: { c in
            let child = c.identifier(0, required: true, &ids.children)
            let caseID = c.identifier(1, required: true, &ids.cases)
            let age = c.text(2, &ids.texts, vocabulary: v["age_band"])
            let sex = c.text(3, &ids.texts, vocabulary: v["sex"])
            let ethnicity = c.text(4, &ids.texts, vocabulary: v["ethnicity_group"])
            let disability = c.code(5, &disabilities)
            let row = ChildRow(childID: child, caseID: caseID, ageBand: age, sex: sex, ethnicity: ethnicity,
                               disability: UInt8(truncatingIfNeeded: max(0, disability)), line: UInt32(c.record.line))
            return (row, UInt64(child))
        })
    }
}
