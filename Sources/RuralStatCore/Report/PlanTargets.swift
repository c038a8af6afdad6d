// SPDX-License-Identifier: Apache-2.0
/// The annual plan's targets: each unit's, and the province's.
public struct PlanTargets: Sendable {
    public var units: [String: [String: Double]]
    public var province: [String: Double]

    public init(units: [String: [String: Double]] = [:], province: [String: Double] = [:]) {
        self.units = units
        self.province = province
    }

    /// The plan of several units together (an area): their targets added, for figures that add up.
    public func combined(_ codes: [String], catalog: FigureCatalog) -> [String: Double] {
        var plan: [String: Double] = [:]
        for (id, aggregate) in catalog.ids where aggregate == .sum {
            let parts = codes.compactMap { units[$0]?[id] }
            if !parts.isEmpty { plan[id] = parts.reduce(0, +) }
        }
        return plan
    }
}
