#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// `-S/--size [+-]N[unit]`: fd's size limits (files only). `+` at least, `-` at most,
/// neither: exactly. Units b, k, m, g, t are powers of 1000, ki, mi, gi, ti of 1024; a
/// trailing `b` is allowed (`kb`, `kib`), case does not matter.
struct FindSizeLimit: Sendable, Equatable {
    enum Bound: Sendable { case atLeast, atMost, exactly }
    let bound: Bound
    let bytes: Int64

    init(_ text: String) throws(ArgumentError) {
        var rest = Substring(text.lowercased())
        switch rest.first {
        case "+": bound = .atLeast; rest = rest.dropFirst()
        case "-": bound = .atMost; rest = rest.dropFirst()
        default: bound = .exactly
        }
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        let unit = rest.dropFirst(digits.count)
        let multipliers: [Substring: Int64] = [
            "b": 1, "k": 1_000, "kb": 1_000, "ki": 1 << 10, "kib": 1 << 10,
            "m": 1_000_000, "mb": 1_000_000, "mi": 1 << 20, "mib": 1 << 20,
            "g": 1_000_000_000, "gb": 1_000_000_000, "gi": 1 << 30, "gib": 1 << 30,
            "t": 1_000_000_000_000, "tb": 1_000_000_000_000, "ti": 1 << 40, "tib": 1 << 40,
        ]
        guard let count = Int64(digits), let multiplier = multipliers[unit] else {
            throw .invalidValue(flag: "--size", value: text, reason: "expected [+-]N with a unit b, k, m, g, t, ki, mi, gi or ti, e.g. +10k")
        }
        let (product, overflow) = count.multipliedReportingOverflow(by: multiplier)
        bytes = overflow ? .max : product
    }

    func admits(_ size: Int64) -> Bool {
        switch bound {
        case .atLeast: return size >= bytes
        case .atMost: return size <= bytes
        case .exactly: return size == bytes
        }
    }
}

/// `--changed-within` / `--changed-before`: a modification time limit from a duration
/// before now (`10h`, `2weeks`, `1d 12h`) or a date (`2018-10-27`, `2018-10-27 10:00:00`,
/// RFC 3339, `@1700000000`), dates in local time.
struct FindTimeLimit: Sendable {
    /// True: modified after `seconds` (within); false: before it.
    let after: Bool
    /// Seconds since the epoch.
    let seconds: Double

    init(_ text: String, after: Bool, flag: String, now: Double) throws(ArgumentError) {
        self.after = after
        if let duration = Self.duration(text) {
            seconds = now - duration
        } else if let date = Self.date(text) {
            seconds = date
        } else {
            throw .invalidValue(flag: flag, value: text, reason: "expected a duration (10min, 2h, 1d, 3weeks) or a date (2018-10-27 10:00:00, @1700000000)")
        }
    }

    func admits(modified: Double) -> Bool { after ? modified > seconds : modified < seconds }

    /// humantime's durations: numbers each followed by a unit, optionally space-separated.
    static func duration(_ text: String) -> Double? {
        let units: [String: Double] = [
            "nsec": 1e-9, "ns": 1e-9, "usec": 1e-6, "us": 1e-6, "msec": 1e-3, "ms": 1e-3,
            "seconds": 1, "second": 1, "sec": 1, "secs": 1, "s": 1,
            "minutes": 60, "minute": 60, "min": 60, "mins": 60, "m": 60,
            "hours": 3600, "hour": 3600, "hr": 3600, "hrs": 3600, "h": 3600,
            "days": 86400, "day": 86400, "d": 86400,
            "weeks": 604_800, "week": 604_800, "w": 604_800,
            "months": 2_630_016, "month": 2_630_016, "M": 2_630_016,
            "years": 31_557_600, "year": 31_557_600, "y": 31_557_600,
        ]
        var total = 0.0
        var rest = Substring(text)
        var pieces = 0
        while true {
            rest = rest.drop { $0 == " " }
            if rest.isEmpty { break }
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard let value = Double(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            let unit = rest.prefix { $0.isLetter }
            guard let scale = units[String(unit)] else { return nil }
            rest = rest.dropFirst(unit.count)
            total += value * scale
            pieces += 1
        }
        return pieces > 0 ? total : nil
    }

    /// `@SECONDS`, `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS]` (or `T` between), local time
    /// unless it ends in `Z` or a `+HH:MM` / `-HH:MM` offset.
    static func date(_ text: String) -> Double? {
        if text.hasPrefix("@") { return Double(text.dropFirst()) }
        let scalars = Array(text.utf8)
        var index = 0
        func number(_ digits: Int) -> Int? {
            guard index + digits <= scalars.count else { return nil }
            var value = 0
            for byte in scalars[index..<(index + digits)] {
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            index += digits
            return value
        }
        func expect(_ byte: UInt8) -> Bool {
            guard index < scalars.count && scalars[index] == byte else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect(UInt8(ascii: "-")), let month = number(2), expect(UInt8(ascii: "-")),
              let day = number(2) else { return nil }
        var hour = 0, minute = 0, second = 0
        if index < scalars.count {
            guard expect(UInt8(ascii: " ")) || expect(UInt8(ascii: "T")),
                  let h = number(2), expect(UInt8(ascii: ":")), let m = number(2) else { return nil }
            hour = h
            minute = m
            if expect(UInt8(ascii: ":")) {
                guard let s = number(2) else { return nil }
                second = s
                // Fractions of a second are read and dropped.
                if expect(UInt8(ascii: ".")) { while index < scalars.count && scalars[index] >= 48 && scalars[index] <= 57 { index += 1 } }
            }
        }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        parts.tm_isdst = -1
        if index == scalars.count { return Double(mktime(&parts)) }
        var offset = 0
        if expect(UInt8(ascii: "Z")) {
            offset = 0
        } else {
            let sign = scalars[index] == UInt8(ascii: "-") ? -1 : 1
            guard expect(UInt8(ascii: "+")) || expect(UInt8(ascii: "-")), let h = number(2) else { return nil }
            _ = expect(UInt8(ascii: ":"))
            guard let m = number(2) else { return nil }
            offset = sign * (h * 3600 + m * 60)
        }
        guard index == scalars.count else { return nil }
        return Double(timegm(&parts) - offset)
    }
}

/// `-o/--owner [USER][:GROUP]`: names or numeric ids, either part negated with `!`;
/// an empty part (or `:` alone) does not constrain.
struct FindOwner: Sendable {
    let user: (id: UInt32, negated: Bool)?
    let group: (id: UInt32, negated: Bool)?

    init(_ text: String) throws(ArgumentError) {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        func resolve(_ part: Substring?, isGroup: Bool) throws(ArgumentError) -> (UInt32, Bool)? {
            guard var name = part, !name.isEmpty else { return nil }
            let negated = name.first == "!"
            if negated { name = name.dropFirst() }
            if let id = UInt32(name) { return (id, negated) }
            if isGroup, let entry = getgrnam(String(name)) { return (entry.pointee.gr_gid, negated) }
            if !isGroup, let entry = getpwnam(String(name)) { return (entry.pointee.pw_uid, negated) }
            throw .invalidValue(flag: "--owner", value: text, reason: "no such \(isGroup ? "group" : "user") '\(name)'")
        }
        user = try resolve(parts.first, isGroup: false)
        group = try resolve(parts.count > 1 ? parts[1] : nil, isGroup: true)
    }

    var constrains: Bool { user != nil || group != nil }

    func admits(uid: UInt32, gid: UInt32) -> Bool {
        if let user, (uid == user.id) == user.negated { return false }
        if let group, (gid == group.id) == group.negated { return false }
        return true
    }
}
