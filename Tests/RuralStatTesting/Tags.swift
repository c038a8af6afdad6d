// SPDX-License-Identifier: Apache-2.0
public import Testing

extension Tag {
    /// Suites that run the built binaries (with openpyxl, LibreOffice, an SMTP server): slow, and
    /// kept apart from the unit tests (`swift test --skip EndToEndTests`, or filter by this tag).
    @Tag public static var endToEnd: Self
}
