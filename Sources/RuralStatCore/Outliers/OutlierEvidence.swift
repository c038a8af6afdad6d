// SPDX-License-Identifier: Apache-2.0
/// What the outlier checks compare a submission with, gathered by whoever holds the store.
public struct OutlierEvidence: Sendable {
    /// The unit's earlier quarters, most recent first: for each, the unit's own accepted data, or
    /// its predecessors' with the share of each that the unit took over (empty: nothing known).
    public var earlier: [[(data: SubmissionData, share: Double)]]
    /// The other units' accepted data for the same quarter.
    public var peers: [SubmissionData]
    /// The same, already reduced to what the checks look at, by unit code (upper case): a
    /// daemon keeps them between files (`OutlierCheck.observations`). When given, `peers` is not read.
    public var peerObservations: [String: [OutlierCheck.Key: Double]]?

    public init(earlier: [[(data: SubmissionData, share: Double)]] = [], peers: [SubmissionData] = [],
                peerObservations: [String: [OutlierCheck.Key: Double]]? = nil) {
        self.earlier = earlier
        self.peers = peers
        self.peerObservations = peerObservations
    }
}
