// SPDX-License-Identifier: Apache-2.0
import RuralStatCore

/// A generated province's last quarter, the one tested: every unit's submissions, the units
/// that report in it, and what the checks compare each one's submission with.
struct TestedQuarter {
    let province: OutlierProvince
    let seed: UInt64
    /// The index of the quarter tested, the last.
    let test: Int
    /// The earlier quarters the checks look back on.
    let historyQuarters: Int
    /// By unit and quarter; nil where the unit does not report.
    let submissions: [[SubmissionData?]]
    /// The units that report in the quarter tested.
    let active: [Int]
    /// The quarter's submissions reduced to what the checks look at, by unit code, once: the daemon keeps the
    /// same in its PeerCache (reducing 113 peers again for each check was most of the bench's time).
    let peerObservations: [String: [OutlierCheck.Key: Double]]
    /// The active units' sizes, sorted: where their thirds end.
    let sorted: [Double]

    init(province: OutlierProvince, seed: UInt64, schema: FormSchema, check: OutlierCheck, historyQuarters: Int) {
        self.province = province
        self.seed = seed
        self.historyQuarters = historyQuarters
        let q = province.periods.count, test = q - 1
        guard province.reform <= test else { fail("--quarters must reach 2025-Q3 (at least 5)", 2) }
        let submissions: [[SubmissionData?]] = province.units.indices.map { u in
            (0..<q).map { t in province.units[u].from <= t && t < province.units[u].to ? province.submission(u, t, schema: schema) : nil }
        }
        self.test = test
        self.submissions = submissions
        let active = province.units.indices.filter { province.units[$0].to == q }
        self.active = active
        let peers = active.compactMap { submissions[$0][test] }
        peerObservations = Dictionary(peers.map { ($0.unitCode.uppercased(), check.observations($0)) }, uniquingKeysWith: { a, _ in a })
        // Sizes in thirds: small, middle, large.
        sorted = active.map { province.units[$0].size }.sorted()
    }

    /// What the checks compare unit `u`'s submission with: its earlier quarters (its own, or its
    /// predecessors' with their shares, or nothing) and the quarter's other units.
    func evidence(_ u: Int) -> OutlierEvidence {
        var earlier: [[(data: SubmissionData, share: Double)]] = []
        for k in 1...historyQuarters {
            let t = test - k
            if t < 0 { earlier.append([]); continue }
            if let own = submissions[u][t] { earlier.append([(own, 1)]); continue }
            earlier.append(province.units[u].predecessors.compactMap { pre in submissions[pre.index][t].map { ($0, pre.share) } })
        }
        let code = province.units[u].code.uppercased()
        return OutlierEvidence(earlier: earlier, peerObservations: peerObservations.filter { $0.key != code })
    }

    /// 0, 1 or 2: the third of the active units, by size, that `size` falls in.
    func third(_ size: Double) -> Int { size < sorted[sorted.count / 3] ? 0 : size < sorted[2 * sorted.count / 3] ? 1 : 2 }
}
