#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs libarchive calls under a UTF-8 character type for this thread only.
///
/// libarchive converts member names to the current locale's charset; in the C locale a
/// program starts in, a UTF-8 zip name fails that conversion and the name is lost. `uselocale`
/// changes the calling thread alone, so nothing else in the process notices.
struct UTF8Locale: @unchecked Sendable {
    // SAFETY: the locale object is created once, never changed and never freed; `uselocale`
    // may install the same object on any number of threads.
    private let handle: locale_t?

    static let shared = UTF8Locale()

    private init() {
        var found: locale_t?
        for name in ["C.UTF-8", "C.utf8", "en_US.UTF-8", "UTF-8"] {
            if let made = newlocale(LC_CTYPE_MASK, name, nil) {
                found = made
                break
            }
        }
        handle = found
    }

    func perform<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result {
        guard let handle else { return try body() }
        let previous = uselocale(handle)
        defer { uselocale(previous) }
        return try body()
    }
}
