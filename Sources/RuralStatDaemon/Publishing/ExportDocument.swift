public import Foundation
import CellModel
public import RuralStatCore

/// One figure's values in the `export` contract; absent values are written as `null`.
public struct FigureValues: Encodable, Sendable, Equatable {
    public var quarter: Double?
    public var ytd: Double?
    public var sameQuarterLastYear: Double?
    public var ytdLastYear: Double?
    public var plan: Double?

    enum CodingKeys: String, CodingKey {
        case quarter, ytd, plan
        case sameQuarterLastYear = "same_quarter_last_year"
        case ytdLastYear = "ytd_last_year"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(quarter, forKey: .quarter)
        try c.encode(ytd, forKey: .ytd)
        try c.encode(sameQuarterLastYear, forKey: .sameQuarterLastYear)
        try c.encode(ytdLastYear, forKey: .ytdLastYear)
        try c.encode(plan, forKey: .plan)
    }
}

/// The `export` contract: a period's figures per unit and for the province.
public struct ExportDocument: Encodable, Sendable {
    public struct Unit: Encodable, Sendable {
        public var code: String
        public var name: String
        public var status: String
        public var figures: [String: FigureValues]
    }
    public struct ProvinceFigures: Encodable, Sendable {
        public var figures: [String: FigureValues]
    }

    public var period: String
    public var units: [Unit]
    public var province: ProvinceFigures

    /// Builds the document: figures for the quarter and the same quarter a year earlier.
    /// Year to date, last year's year to date and the plan stay null until the store keeps
    /// plans and the aggregation adds quarters up.
    public init(ledger: PeriodLedger, period: Period) throws {
        let catalog = ledger.definitions.catalog
        let now = try ledger.tallies(period)
        let lastYear = try ledger.tallies(period.sameQuarterLastYear)
        func figures(_ current: [String: Tally]?, _ previous: [String: Tally]?) -> [String: FigureValues] {
            var out: [String: FigureValues] = [:]
            for (id, _) in catalog.ids {
                out[id] = FigureValues(quarter: current?[id]?.value, ytd: nil,
                                       sameQuarterLastYear: previous?[id]?.value, ytdLastYear: nil, plan: nil)
            }
            return out
        }
        self.period = period.description
        units = try ledger.statuses(period).map { s in
            Unit(code: s.unit.code, name: s.unit.name, status: s.state.rawValue,
                 figures: figures(now[s.unit.code], lastYear[s.unit.code]))
        }
        let codes = ledger.province.units.map(\.code)
        let provinceNow = now.isEmpty ? nil : catalog.combine(codes.compactMap { now[$0] })
        let provinceLastYear = lastYear.isEmpty ? nil : catalog.combine(codes.compactMap { lastYear[$0] })
        province = ProvinceFigures(figures: figures(provinceNow, provinceLastYear))
    }

    /// Pretty, key-sorted JSON.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// One CSV line per unit and figure: `unit,figure,quarter,same_quarter_last_year`.
    public func csv() -> String {
        var lines = ["unit,figure,quarter,same_quarter_last_year"]
        func num(_ v: Double?) -> String { v.map(CellValue.format) ?? "" }
        func add(_ unit: String, _ figures: [String: FigureValues]) {
            for id in figures.keys.sorted() {
                let f = figures[id]!
                lines.append("\(unit),\"\(id)\",\(num(f.quarter)),\(num(f.sameQuarterLastYear))")
            }
        }
        for u in units { add(u.code, u.figures) }
        add("PROVINCE", province.figures)
        return lines.joined(separator: "\n") + "\n"
    }
}
