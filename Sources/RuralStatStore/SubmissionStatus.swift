// SPDX-License-Identifier: Apache-2.0
/// The state a stored submission is in.
public enum SubmissionStatus: String, Sendable, Codable {
    /// The version that counts for its unit and period.
    case accepted
    /// Accepted once, replaced by a later version of the same unit and period.
    case superseded
    case rejected
    /// The same bytes as a submission already accepted; changed nothing.
    case duplicate
    /// Valid, but its period was closed when it arrived: kept for review, not counted until
    /// the period is opened again.
    case held
}
