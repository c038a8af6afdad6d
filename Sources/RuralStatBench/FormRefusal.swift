// SPDX-License-Identifier: Apache-2.0
import RuralStatCore

/// What the form itself refuses, before any outlier check: a number outside its bounds, or an
/// error rule of a table row or of the workbook (a project's disbursed amount above its budget).
/// A slip the form refuses is caught: the clerk must correct it before the file counts.
struct FormRefusal {
    let schema: FormSchema
    /// By sheet and field, the spec of each number.
    let specs: [String: ValueSpec]

    init(schema: FormSchema) {
        self.schema = schema
        var specs: [String: ValueSpec] = [:]
        for sheet in schema.sheets {
            for spec in sheet.columns.map(\.spec) + sheet.rows.map(\.spec) + sheet.fields.map(\.spec) where spec.type.isNumeric {
                specs[sheet.id + "." + spec.id] = spec
            }
        }
        self.specs = specs
    }

    /// The rule or bound `data` breaks, nil when the form takes it.
    func refusal(_ data: SubmissionData) -> String? {
        for f in data.facts {
            guard let v = f.value.number, let spec = specs[f.sheet + "." + f.field] else { continue }
            if let low = spec.min, v < low { return "bounds" }
            if let high = spec.max, v > high { return "bounds" }
        }
        let view = SubmissionView(facts: data.facts, schema: schema)
        for sheet in schema.sheets where sheet.kind == .table {
            let errors = sheet.rules.filter { $0.severity == .error }
            guard !errors.isEmpty else { continue }
            for row in data.rows(of: sheet.id) {
                let scope = RuleScope(current: view, previous: nil, sheet: sheet.id, row: row)
                if let broken = errors.first(where: { $0.fires(in: scope) }) { return broken.id }
            }
        }
        let scope = RuleScope(current: view, previous: nil)
        return schema.rules.first { $0.severity == .error && $0.fires(in: scope) }?.id
    }
}
