// SPDX-License-Identifier: Apache-2.0
/// The schema's `outliers:` section: which figures are compared with the unit's own history,
/// which ratios with the unit's peers in the same quarter, and how far is too far.
///
/// Distances are measured on a logarithmic scale (a figure of a big commune and of a small one
/// differ by their size, not by a constant), as a robust z-score: the distance from the median
/// divided by 1.4826 × the median absolute deviation (Iglewicz and Hoaglin's modified z-score),
/// the deviation floored so that a very steady history does not turn a normal change into an
/// alarm.
public struct OutlierSpec: Sendable, Hashable {
    /// Severity of every outlier finding unless a figure or ratio says otherwise.
    public var severity: Severity = .warning
    /// The modified z-score beyond which a value is an outlier. Default 3.5.
    public var threshold: Double = 3.5
    /// How many earlier quarters of the unit are looked at. Default 8.
    public var historyQuarters = 8
    /// Fewer earlier values than this: no history check (a new commune). Default 2.
    public var minHistory = 2
    /// Fewer peer values than this: no peer check. Default 5.
    public var minPeers = 5
    /// The least spread assumed for a unit's own history, in log10 (0.06: about ±15 %).
    public var historyFloor = 0.06
    /// The least spread assumed between peers, in log10 (0.15: about ±40 %).
    public var peerFloor = 0.15
    public var figures: [OutlierFigure] = []
    public var ratios: [OutlierRatio] = []
    /// Numbers of the form left out of the checks on purpose (`exempt:`), `sheet.field` → why.
    public var exempt: [String: LocalizedText] = [:]
    /// Numbers of the form's tables and indicators neither checked nor declared exempt: left
    /// out by omission, which the loader's user is told of (`ruralstat schema`, the daemon's start).
    public var unchecked: [String] = []
    /// By table, the columns that say a row with a new key is a row of the last quarters with its
    /// key retyped (`same_row_when: {villages: [name, commune]}`): judged against that row's history.
    public var sameRowWhen: [String: [String]] = [:]

    /// The history rule for a figure, with this spec's settings and the figure's own threshold.
    public func history(for f: OutlierFigure) -> OutlierHistory {
        OutlierHistory(minimum: minHistory, floor: historyFloor, lumpyFloor: peerFloor, threshold: f.threshold ?? threshold,
                       count: f.count, flow: f.flow)
    }

    public init() {}
}

/// A figure compared with the unit's own history: an indicator or cover field, or a table
/// column — its sum over the rows, and with `rowKey` each row, matched across quarters by the
/// value of that column (a village's code).
public struct OutlierFigure: Sendable, Hashable {
    public var sheet: String
    public var field: String
    public var rowKey: String?
    /// A row with no history of its own is compared with the other units' rows of the figure:
    /// for figures whose size does not follow the unit's (a project's budget), where no ratio
    /// serves. Off by default: a village's export is as big as the village.
    public var peers = false
    /// The figure counts things (the schema's integer): small counts are judged with their noise.
    public var count = false
    /// The figure is what happened in the quarter (`accumulate: sum`), not how things stand.
    public var flow = false
    /// `sheet.field`, as the schema names it.
    public var name: String { sheet + "." + field }
    public var severity: Severity?
    public var threshold: Double?

    public init(sheet: String, field: String, rowKey: String? = nil, peers: Bool = false, count: Bool = false, flow: Bool = false,
                severity: Severity? = nil, threshold: Double? = nil) {
        self.count = count
        self.flow = flow
        self.sheet = sheet
        self.field = field
        self.rowKey = rowKey
        self.peers = peers
        self.severity = severity
        self.threshold = threshold
    }
}

/// A ratio stable between units of any size (production value per labourer), compared with
/// the same ratio of the other units in the quarter. When it is out, the numerator's cell is
/// named. With `rowKey` (both figures columns of one table), each row is compared with the
/// rows of the other units too.
public struct OutlierRatio: Sendable, Hashable {
    public var id: String
    public var label: LocalizedText
    var numeratorSheet: String
    var numeratorField: String
    var denominatorSheet: String
    var denominatorField: String
    /// `sheet.field` of each, as the schema names them.
    public var numeratorName: String { numeratorSheet + "." + numeratorField }
    public var denominatorName: String { denominatorSheet + "." + denominatorField }
    /// The column identifying the rows (a village's code), for a ratio checked row by row too.
    public var rowKey: String?
    public var severity: Severity?
    public var threshold: Double?

    public init(id: String, label: LocalizedText, numerator: (String, String), denominator: (String, String), rowKey: String? = nil,
                severity: Severity? = nil, threshold: Double? = nil) {
        self.id = id
        self.label = label
        numeratorSheet = numerator.0
        numeratorField = numerator.1
        denominatorSheet = denominator.0
        denominatorField = denominator.1
        self.rowKey = rowKey
        self.severity = severity
        self.threshold = threshold
    }
}
