// SPDX-License-Identifier: Apache-2.0
/// glibc's `malloc_trim` (declared in <malloc.h>, which the Glibc module does not bring in):
/// returns free heap pages to the system.
@_silgen_name("malloc_trim")
private func glibcMallocTrim(_ pad: Int) -> Int32

public enum Memory {
    /// Gives the heap's free pages back to the system, so the resident size after a burst of
    /// large files falls back to the daemon's idle size.
    public static func returnFreePages() { _ = glibcMallocTrim(0) }
}
