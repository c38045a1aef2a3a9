/// UTC time conversions for `--now` and for showing `exp`/`nbf`/`iat`.
public enum UTCTime {
    /// `YYYY-MM-DDTHH:MM:SSZ`.
    public static func iso8601(_ t: Double) -> String {
        guard t.isFinite, abs(t) < 253_402_300_800 else { return "out of range" }
        let secs = Int64(t.rounded(.down))
        let days = secs >= 0 ? secs / 86_400 : (secs - 86_399) / 86_400
        let rem = secs - days * 86_400
        let (y, m, d) = civil(fromDays: days)
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(y)-\(two(m))-\(two(d))T\(two(rem / 3600)):\(two(rem % 3600 / 60)):\(two(rem % 60))Z"
    }

    /// Parses seconds since the epoch (`1732000000`, `@1732000000`) or an ISO 8601 UTC time
    /// (`2026-11-29T10:00:00Z`, `2026-11-29 10:00:00`, `2026-11-29`, offsets `+01:00`).
    public static func parse(_ text: String) -> Double? {
        var t = text.trimmingSpaces
        if t.hasPrefix("@") { t.removeFirst() }
        if let v = Double(t), v.isFinite { return v }
        let b = Array(t.utf8)
        func num(_ r: Range<Int>) -> Int64? {
            guard r.upperBound <= b.count, r.allSatisfy({ b[$0] >= 48 && b[$0] <= 57 }) else { return nil }
            return r.reduce(Int64(0)) { $0 * 10 + Int64(b[$1] - 48) }
        }
        guard b.count >= 10, let y = num(0..<4), b[4] == 45, let mo = num(5..<7), b[7] == 45, let d = num(8..<10),
              (1...12).contains(mo), (1...31).contains(d) else { return nil }
        var secs = days(fromCivil: y, mo, d) * 86_400
        var i = 10
        if i < b.count, b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: " ") {
            guard let h = num(i + 1..<i + 3), b.count > i + 3, b[i + 3] == 58, let mi = num(i + 4..<i + 6) else { return nil }
            secs += h * 3600 + mi * 60
            i += 6
            if i < b.count, b[i] == 58 {
                guard let sec = num(i + 1..<i + 3) else { return nil }
                secs += sec
                i += 3
                if i < b.count, b[i] == UInt8(ascii: ".") {
                    i += 1
                    while i < b.count, b[i] >= 48, b[i] <= 57 { i += 1 }
                }
            }
        }
        if i < b.count {
            if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") { i += 1 }
            else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
                let sign: Int64 = b[i] == UInt8(ascii: "+") ? 1 : -1
                guard let oh = num(i + 1..<i + 3) else { return nil }
                var j = i + 3
                if j < b.count, b[j] == 58 { j += 1 }
                guard let om = num(j..<j + 2) else { return nil }
                secs -= sign * (oh * 3600 + om * 60)
                i = j + 2
            }
        }
        guard i == b.count else { return nil }
        return Double(secs)
    }

    // Howard Hinnant's civil-calendar algorithms.
    static func days(fromCivil y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
