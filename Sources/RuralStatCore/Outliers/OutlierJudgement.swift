// SPDX-License-Identifier: Apache-2.0
/// How far a value is from what was expected, on a log10 scale.
public struct OutlierJudgement: Sendable, Hashable {
    /// The value over the expected centre (10 for ten times too big).
    public var factor: Double
    /// The modified z-score.
    public var score: Double
    /// n when the value is about 10ⁿ times (n < 0: 10⁻ⁿ times smaller than) what was expected.
    public var magnitude: Int?
    /// The range the value was expected in (centre × 10^(±threshold × spread)).
    public var low: Double
    public var high: Double
}
