// SPDX-License-Identifier: Apache-2.0
/// Tells which number formats display dates, so numeric serials can be read as dates.
enum NumberFormats {
    /// Built-in format ids that display a date or a time.
    static func builtinIsDate(_ id: Int) -> (isDate: Bool, hasTime: Bool) {
        switch id {
        case 14...17: return (true, false)
        case 18...21, 45...47: return (true, true)
        case 22: return (true, true)
        default: return (false, false)
        }
    }

    /// Looks at a custom format code outside quoted text, escapes and [colour]/[locale] blocks.
    static func customIsDate(_ code: String) -> (isDate: Bool, hasTime: Bool) {
        var hasDate = false, hasTime = false
        var inQuote = false, inBracket = false, escaped = false
        // Only the first section (positive numbers) decides.
        for ch in code.lowercased() {
            if escaped { escaped = false; continue }
            if inQuote { if ch == "\"" { inQuote = false }; continue }
            if inBracket {
                if ch == "]" { inBracket = false }
                continue
            }
            switch ch {
            case "\\", "_", "*": escaped = true
            case "\"": inQuote = true
            case "[": inBracket = true
            case ";": return (hasDate || hasTime, hasTime)
            case "d", "y": hasDate = true
            case "m": hasDate = true
            case "h", "s": hasTime = true
            default: break
            }
        }
        return (hasDate || hasTime, hasTime)
    }

    /// True when the format shows a percentage: built-in 9 and 10, or a `%` outside quotes.
    static func isPercent(id: Int, code: String?) -> Bool {
        guard let code else { return id == 9 || id == 10 }
        var inQuote = false, escaped = false
        for ch in code {
            if escaped { escaped = false; continue }
            if ch == "\\" { escaped = true; continue }
            if ch == "\"" { inQuote.toggle(); continue }
            if ch == ";" { break }
            if ch == "%" && !inQuote { return true }
        }
        return false
    }
}
