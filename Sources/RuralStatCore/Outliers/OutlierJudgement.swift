// SPDX-License-Identifier: Apache-2.0
/// How far a value is from what was expected, on a log10 scale.
public struct OutlierJudgement: Sendable, Hashable {
    /// The value over the expected centre (10 for ten times too big; 0 for a value fallen to 0).
    public var factor: Double
    /// The modified z-score (-infinity for a value fallen to 0).
    public var score: Double
    /// n when the value is about 10ⁿ times (n < 0: 10⁻ⁿ times smaller than) what was expected.
    public var magnitude: Int?
    /// The range the value was expected in (centre × 10^(±threshold × spread)).
    public var low: Double
    public var high: Double
    /// For a value of 0 where the unit's recent quarters were far from zero: the last of them.
    public var fellToZeroFrom: Double?
    /// How many of the quarters just before were 0 already (the same slip again).
    public var zeroQuarters = 0
    /// For a ratio's denominator of 0: its numerator's value beside it.
    public var zeroBeside: Double?
    /// For a value after a run of zeros, judged against the other units' values above zero.
    public var afterZeros = false

    public init(factor: Double, score: Double, magnitude: Int?, low: Double, high: Double, fellToZeroFrom: Double? = nil) {
        self.factor = factor
        self.score = score
        self.magnitude = magnitude
        self.low = low
        self.high = high
        self.fellToZeroFrom = fellToZeroFrom
    }
}
