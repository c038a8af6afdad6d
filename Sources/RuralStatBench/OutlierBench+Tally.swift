// SPDX-License-Identifier: Apache-2.0
import RuralStatCore

/// What one trial found.
struct Outcome {
    /// Named by the outlier checks, or refused by the form itself (`refused`).
    var detected = false
    /// Refused by the form's bounds or error rules, and not named by the outlier checks.
    var refused = false
    var onCell = false
    var magnitudeNamed = false
}

/// The trials of one kind of error (or of one kind and figure, or history): how many, and how
/// many were found, on the cell, with the power of ten named, or flagged already when clean.
struct TrialTally {
    var trials = 0, detected = 0, onCell = 0, named = 0, flaggedClean = 0, refused = 0
    mutating func add(_ o: Outcome, _ t: Trial) {
        trials += 1
        if o.refused { refused += 1 }
        if o.detected { detected += 1 }
        if o.onCell { onCell += 1 }
        if o.magnitudeNamed { named += 1 }
        if t.flaggedClean { flaggedClean += 1 }
    }
}

extension OutlierBench {
    /// Counts a clean submission's checked values (`checked`, figures only) and those flagged:
    /// in all, by value, by kind of unit and by size.
    mutating func countClean(checked: [OutlierCheck.Key: Double], flagged: Set<OutlierCheck.Key>, unit: UnitPath, third: Int,
                             hasHistory: (OutlierCheck.Key) -> Bool) {
        cleanSubmissions += 1
        cleanChecked += checked.count
        cleanRows += checked.keys.filter { $0.row != nil }.count
        cleanWithHistory += checked.keys.filter(hasHistory).count
        cleanFlagged += flagged.count
        if !flagged.isEmpty { flaggedSubmissions += 1 }
        for k in checked.keys {
            let family = Trial.family(k.name)
            alarmsByFamily[family, default: (0, 0)].checked += 1
            if flagged.contains(k) { alarmsByFamily[family, default: (0, 0)].flagged += 1 }
            let label = k.name + (k.row == nil ? (k.name.hasPrefix("indicators.") ? "" : " (sum)") : " (row)")
            alarmsByFigure[label, default: (0, 0)].checked += 1
            if flagged.contains(k) { alarmsByFigure[label, default: (0, 0)].flagged += 1 }
        }
        alarmsByKind[unit.kind, default: (0, 0, 0, 0)].checked += checked.count
        alarmsByKind[unit.kind, default: (0, 0, 0, 0)].flagged += flagged.count
        alarmsByKind[unit.kind, default: (0, 0, 0, 0)].submissions += 1
        if !flagged.isEmpty { alarmsByKind[unit.kind, default: (0, 0, 0, 0)].flaggedSubmissions += 1 }
        alarmsBySize[third, default: (0, 0)].checked += checked.count
        alarmsBySize[third, default: (0, 0)].flagged += flagged.count
    }

    /// Why a clean value was flagged: a value judged by its own history (an indicator, a row,
    /// a column's sum over the same rows as the quarters its centre comes from, or over rows
    /// that came or went), or a value with no history of its own judged against the peers.
    func alarmCause(_ hit: BenchHit) -> String {
        let k = hit.key
        var cause: String
        if let ratio = hit.ratio {
            cause = "peers (ratio \(ratio)): a value with no history of its own"
        } else if hit.byPeers {
            cause = "peers' rows: a row with no history of its own, against the other units' rows"
        } else if k.row == nil, spec.figures.contains(where: { $0.sheet == hit.sheet && $0.field == hit.field && $0.rowKey != nil }) {
            // A sum whose rows came or went is not judged (OutlierCheck.churned).
            cause = "history: a column's sum over the same rows as in the 4 quarters before"
        } else {
            cause = "history: " + (k.row == nil ? "an indicator" : "a row")
        }
        return cause
    }

    /// What a trial's hits found: the error's figure named on a changed row or its sum, on the
    /// cell itself, with the right power of ten.
    func outcome(of trial: Trial, _ hits: [BenchHit], refusal: String?) -> Outcome {
        let onTarget = hits.filter { h in
            h.key.name == trial.figure && (h.rowKey == nil || (trial.rows ?? []).contains(h.rowKey!))
        }
        var o = Outcome()
        o.detected = !onTarget.isEmpty || refusal != nil
        o.refused = onTarget.isEmpty && refusal != nil
        o.onCell = onTarget.contains { h in trial.rows == nil || h.rowKey != nil } || o.refused
        if let n = trial.kind.power {
            // The cell's own hit when there is one, else the sum's.
            let named = onTarget.first { $0.rowKey != nil } ?? onTarget.first
            o.magnitudeNamed = named?.judgement.magnitude == n
        }
        return o
    }

    /// Counts a trial's outcome: by kind, by kind and figure, by kind and history.
    mutating func count(_ o: Outcome, _ trial: Trial) {
        byFamily[trial.kind, default: [:]][trial.smallCountDivided ? Self.smallCounts : trial.family, default: TrialTally()].add(o, trial)
        if trial.smallCountDivided {
            smallCountTallies[trial.kind, default: TrialTally()].add(o, trial)
            return
        }
        tallies[trial.kind, default: TrialTally()].add(o, trial)
        byFigure[trial.kind, default: [:]][trial.figure, default: TrialTally()].add(o, trial)
        byHistory[trial.kind, default: [:]][trial.withHistory, default: TrialTally()].add(o, trial)
    }
}
