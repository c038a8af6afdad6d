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
}
