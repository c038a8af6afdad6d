// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The paths of the figures that come in small counts and lumps: a village's cooperatives and
/// enterprises, a project's disbursements, a unit's typical products, artisans, fairs, booths,
/// trainees and industrial clusters. Drawn so that their clean values hold what a commune's
/// really do: long runs of 0, counts of 1–5 that move by one, a course of 60 trainees one
/// quarter and none the next.
extension BenchRandom {
    /// A Poisson count (Knuth's method; λ is small here).
    mutating func poisson(_ lambda: Double) -> Double {
        guard lambda > 0 else { return 0 }
        let limit = exp(-lambda)
        var k = 0.0, p = uniform(0, 1)
        while p > limit {
            k += 1
            p *= uniform(0, 1)
        }
        return k
    }

    /// A stock counted in units (cooperatives): starts at `start`, and now and then one comes or goes.
    mutating func smallStock(_ start: Double, up: Double, down: Double, count: Int) -> [Double] {
        var v = start
        var out: [Double] = []
        for _ in 0..<count {
            out.append(v)
            if chance(up) { v += 1 } else if v > 0 && chance(down) { v -= 1 }
        }
        return out
    }
}

/// A unit's figures of the indicators sheet other than its establishments, by field, by quarter
/// (nan: the cell left blank).
struct EventPaths {
    var values: [String: [Double]] = [:]

    /// `quarterOfYear(t)`: 1–4 for quarter index t. `size`: the unit's size (1 typical).
    init(size: Double, quarters q: Int, quarterOfYear: (Int) -> Int, _ rng: inout BenchRandom) {
        let s = pow(size, 0.3)
        func each(_ f: (Int, inout BenchRandom) -> Double) -> [Double] { (0..<q).map { f($0, &rng) } }
        // Typical products are selected once a year (the province's round in Q3), the region's
        // every other year, the nation's seldom.
        values["products_province"] = each { t, r in quarterOfYear(t) == 3 ? r.poisson(1.2 * s) : 0 }
        values["products_region"] = each { t, r in quarterOfYear(t) == 4 && t % 8 >= 4 ? r.poisson(0.4 * s) : 0 }
        values["products_nation"] = each { _, r in r.chance(0.03) ? 1 : 0 }
        // Artisans honoured at the year's end, now and then one at another time.
        values["artisans"] = each { t, r in quarterOfYear(t) == 4 ? r.poisson(0.8 * s) : (r.chance(0.05) ? 1 : 0) }
        // Fairs each quarter, and a few booths at each.
        let fairs = each { _, r in r.poisson(0.9 * s) }
        values["fairs"] = fairs
        values["booths"] = fairs.map { n in (0..<Int(n)).reduce(0.0) { a, _ in a + Double(1 + rng.weighted([0.3, 0.3, 0.2, 0.1, 0.1])) } }
        // A training course in about a third of the quarters, of 20 to 120 people.
        values["trainees"] = each { _, r in r.chance(0.35) ? (r.uniform(20, 120) * s).rounded() : 0 }
        // Half the units have industrial clusters; one more opens now and then; occupancy
        // climbs a point or two a quarter and falls when a new cluster opens.
        if rng.chance(0.5) {
            let clusters = rng.smallStock(Double(1 + rng.weighted([0.6, 0.3, 0.1])), up: 0.02, down: 0, count: q)
            var occupancy: [Double] = []
            var o = rng.uniform(30, 90)
            for t in 0..<q {
                if t > 0, clusters[t] > clusters[t - 1] { o = (o * clusters[t - 1] + 15) / clusters[t] }
                occupancy.append((min(100, o) * 10).rounded() / 10)
                o += rng.uniform(0, 2) + rng.normal()
            }
            values["clusters"] = clusters
            values["cluster_occupancy"] = occupancy
        } else {
            values["clusters"] = Array(repeating: 0, count: q)
            values["cluster_occupancy"] = Array(repeating: .nan, count: q)
        }
    }

    init(values: [String: [Double]] = [:]) { self.values = values }

    /// Fields whose value is an average over what the unit holds (not a sum over the units merged).
    static let averaged: Set<String> = ["cluster_occupancy"]
}

/// A project's disbursements over its life: an advance at the start more often than not, the
/// rest at its acceptance, now and then an instalment between; 0 in the other quarters.
func disbursements(budget: Double, life: Int, _ rng: inout BenchRandom) -> [Double] {
    var out = Array(repeating: 0.0, count: life)
    var left = budget
    if rng.chance(0.6) {
        out[0] = (budget * rng.uniform(0.3, 0.5)).rounded()
        left -= out[0]
    }
    if life > 2 {
        for t in 1..<(life - 1) where rng.chance(0.25) {
            let part = (left * rng.uniform(0.2, 0.4)).rounded()
            out[t] = part
            left -= part
        }
    }
    out[life - 1] += left.rounded()
    return out
}
