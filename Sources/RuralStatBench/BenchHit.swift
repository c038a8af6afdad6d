// SPDX-License-Identifier: Apache-2.0
import RuralStatCore

/// A hit as the bench counts it.
struct BenchHit: Sendable {
    var sheet: String
    var field: String
    var rowKey: String?
    var value: Double
    var judgement: OutlierJudgement
    /// The ratio's id for a hit through a ratio.
    var ratio: String?
    /// Judged against the other units rather than the unit's own history.
    var byPeers: Bool

    init(_ hit: OutlierCheck.Hit) {
        (sheet, field, rowKey, value, judgement, ratio, byPeers) = (hit.sheet, hit.field, hit.rowKey, hit.value, hit.judgement, hit.ratio?.id, hit.byPeers)
    }

    /// The value the hit names: its figure, on its row or not.
    var key: OutlierCheck.Key { OutlierCheck.Key(name: sheet + "." + field, row: rowKey) }
}
