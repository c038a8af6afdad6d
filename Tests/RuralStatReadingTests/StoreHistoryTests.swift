// SPDX-License-Identifier: Apache-2.0
import Foundation
import RuralStatConfig
import RuralStatCore
import RuralStatStore
import RuralStatTesting
import Testing
@testable import RuralStatReading

/// What the checks of a file compare it with: the store's earlier quarters and the unit's peers.
@Suite("The store's history, as the checks see it")
struct StoreHistoryTests {
    @Test func theOutlierChecksSeeTheUnitsOwnQuartersItsPredecessorsBeforeThemAndItsPeers() throws {
        let ws = try Workspace()
        let store = try SubmissionStore(path: ws.config.paths.database)
        var config = ws.config
        config.successions.append(UnitSuccession(from: "OLD1", to: "11311", share: 0.5))
        let at = Date(timeIntervalSince1970: 1_760_000_000)
        func keep(_ unit: String, _ period: String, _ sha: String, labourers: Int64) throws {
            try store.accept(SubmissionData(unitCode: unit, period: Period(period)!, schemaID: "", schemaVersion: 1,
                                            facts: [Fact(sheet: "villages", row: 0, field: "labourers", value: .integer(labourers))]),
                             file: ReceivedFile(sha256: sha, fileName: sha + ".xlsx", receivedAt: at, storedPath: "/nowhere/" + sha), warnings: [])
        }
        try keep("OLD1", "2025-Q1", "a", labourers: 200)
        try keep("OLD1", "2025-Q2", "b", labourers: 210)
        try keep("11311", "2025-Q3", "c", labourers: 100)
        try keep("11446", "2025-Q4", "d", labourers: 90)
        try keep("11311", "2025-Q4", "e", labourers: 999)   // an earlier file of this very quarter: not its own peer
        let history = StoreHistory(store: store, config: config, schema: ws.definitions.schema)
        let evidence = try #require(history.outliers("11311", Period("2025-Q4")!))
        #expect(evidence.earlier.count == ws.definitions.schema.outliers?.historyQuarters)
        #expect(evidence.earlier[0].map(\.data.unitCode) == ["11311"] && evidence.earlier[0].map(\.share) == [1])
        #expect(evidence.earlier[1].map(\.data.unitCode) == ["OLD1"] && evidence.earlier[1].map(\.share) == [0.5])
        #expect(evidence.earlier[2].map(\.data.period) == [Period("2025-Q1")!])
        #expect(evidence.earlier[3].isEmpty)
        #expect(evidence.peerObservations.map { Array($0.keys) } == ["11446"])
    }
}
