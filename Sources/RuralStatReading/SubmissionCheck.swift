// SPDX-License-Identifier: Apache-2.0
public import Foundation
public import CellModel
public import RuralStatCore
public import RuralStatConfig
public import RuralStatStore

/// A file checked as the daemon checks it: read, validated against the form, compared with the
/// store's history and with the periods open on the day it arrived. The daemon's pipeline and
/// `rebuild` both use this one, so both reach the same verdict for the same file and store.
public struct SubmissionCheck: Sendable {
    public let config: Configuration
    public let definitions: Definitions
    public let store: SubmissionStore
    /// The quarters' peers as the outlier checks see them, kept between files.
    public let peerCache: PeerCache

    public init(config: Configuration, definitions: Definitions, store: SubmissionStore, peerCache: PeerCache = PeerCache()) {
        self.config = config
        self.definitions = definitions
        self.store = store
        self.peerCache = peerCache
    }

    /// Reads and validates the workbook at `path` as received at `at`; a file that cannot be
    /// read becomes one finding. Also returns the form's sheets as read, for the feedback workbook.
    public func run(path: String, expectedUnit: String?, at: Date) -> (result: ValidationResult, sheets: [SheetCells]) {
        let history = StoreHistory(store: store, config: config, schema: definitions.schema, cache: peerCache)
        return SubmissionReading.read(path: path, definitions: definitions, province: config.province,
                                      limits: config.limits, expectedUnit: expectedUnit,
                                      window: (config.periodWindow, at),
                                      previous: history.previous, outliers: history.outliers)
    }
}
