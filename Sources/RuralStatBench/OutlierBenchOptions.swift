// SPDX-License-Identifier: Apache-2.0
/// The command line of `ruralstat-bench outliers`.
struct OutlierBenchOptions {
    var units = 114
    var quarters = 8
    var seed: UInt64 = 1
    /// Provinces generated (seeds seed, seed + 1, …); the trials and clean figures of all are pooled.
    var provinces = 3
    /// Errors of each kind put into each unit's last quarter, one at a time, per province.
    var trialsPerUnit = 2
    var schemaPath = "templates/quarterly-v1.yaml"
    var threshold: Double?
    var historyFloor: Double?
    var peerFloor: Double?
    var minPeers: Int?
    var minHistory: Int?
    /// The generator's two sources of rows that come and go: how long a project runs (quarters),
    /// and the share of units reporting a new village in the last quarter.
    var projectLife = 4...8
    var newVillages = 0.06
    /// Print every false alarm with its history, and every missed error.
    var verbose = false
    /// One line instead of the markdown: the false-alarm rate and the recall of each kind.
    var summary = false

    static let usage = """
        usage: ruralstat-bench outliers [--units N] [--quarters Q] [--seed S] [--provinces P] [--trials T] [--schema PATH]
                                        [--threshold Z] [--history-floor F] [--peer-floor F] [--min-peers N] [--min-history N]
                                        [--project-life MIN-MAX] [--new-villages SHARE] [--verbose] [--summary]
        --trials 0: the clean submissions alone (false alarms only).
        """

    init(_ args: [String]) {
        var i = 0
        func value() -> String {
            guard i + 1 < args.count else { fail(Self.usage, 2) }
            i += 1
            return args[i]
        }
        func number<T: LosslessStringConvertible>(_: T.Type) -> T {
            let text = value()
            guard let v = T(text) else { fail("\(args[i - 1]): '\(text)' is not a number\n" + Self.usage, 2) }
            return v
        }
        while i < args.count {
            switch args[i] {
            case "--units": units = number(Int.self)
            case "--quarters": quarters = number(Int.self)
            case "--seed": seed = number(UInt64.self)
            case "--provinces": provinces = number(Int.self)
            case "--trials": trialsPerUnit = number(Int.self)
            case "--schema": schemaPath = value()
            case "--threshold": threshold = number(Double.self)
            case "--history-floor": historyFloor = number(Double.self)
            case "--peer-floor": peerFloor = number(Double.self)
            case "--min-peers": minPeers = number(Int.self)
            case "--min-history": minHistory = number(Int.self)
            case "--new-villages": newVillages = number(Double.self)
            case "--project-life":
                let parts = value().split(separator: "-").compactMap { Int($0) }
                guard parts.count == 2, parts[0] >= 1, parts[0] <= parts[1] else { fail("--project-life: MIN-MAX quarters, say 4-8", 2) }
                projectLife = parts[0]...parts[1]
            case "--verbose": verbose = true
            case "--summary": summary = true
            default: fail("unknown option '\(args[i])'\n" + Self.usage, 2)
            }
            i += 1
        }
        guard units >= 10, provinces >= 1, trialsPerUnit >= 0 else { fail("--units must be at least 10, --provinces at least 1", 2) }
    }
}
