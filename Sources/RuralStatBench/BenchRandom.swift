// SPDX-License-Identifier: Apache-2.0
import Foundation
import RuralStatCore

/// SplitMix64 (the demo's generator): the same province for the same seed on every machine.
struct BenchRandom: RandomNumberGenerator {
    private var mix: SplitMix
    init(seed: UInt64) { mix = SplitMix(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ 0x1234_5678) }
    mutating func next() -> UInt64 { mix.next() }
    mutating func uniform(_ a: Double, _ b: Double) -> Double { Double.random(in: a..<b, using: &self) }
    mutating func chance(_ p: Double) -> Bool { uniform(0, 1) < p }
    /// A standard normal deviate (Box–Muller).
    mutating func normal() -> Double {
        let u = max(uniform(0, 1), 1e-300), v = uniform(0, 1)
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }
    /// An index drawn with the given weights.
    mutating func weighted(_ weights: [Double]) -> Int {
        var x = uniform(0, weights.reduce(0, +))
        for (i, w) in weights.enumerated() {
            if x < w { return i }
            x -= w
        }
        return weights.count - 1
    }
}
