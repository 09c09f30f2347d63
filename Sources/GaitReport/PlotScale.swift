import Foundation

/// A linear map from data values (a domain) to SVG coordinates (a range), with readable ticks.
public struct PlotScale: Sendable, Equatable {
    /// Data values at the two ends.
    var domainLow: Double, domainHigh: Double
    /// SVG coordinates of the two ends (for a y axis, low data is at the bottom: the larger coordinate).
    var rangeLow: Double, rangeHigh: Double

    /// A scale over `low...high`, widened to a non-empty interval.
    public init(domainLow: Double, domainHigh: Double, rangeLow: Double, rangeHigh: Double) {
        var low = domainLow.isFinite ? domainLow : 0
        var high = domainHigh.isFinite ? domainHigh : 1
        if high < low { swap(&low, &high) }
        if high - low < 1e-9 {
            let pad = max(abs(low) * 0.05, 0.5)
            low -= pad
            high += pad
        }
        self.domainLow = low
        self.domainHigh = high
        self.rangeLow = rangeLow
        self.rangeHigh = rangeHigh
    }

    /// A scale that fits `values` (finite ones) with `padding` of the span added on each side and
    /// `include` (e.g. a threshold or zero) kept inside.
    public static func fitting(_ values: [Double], include: [Double] = [], padding: Double = 0.08,
                        rangeLow: Double, rangeHigh: Double) -> PlotScale {
        var low = Double.infinity, high = -Double.infinity
        for v in values where v.isFinite {
            low = min(low, v)
            high = max(high, v)
        }
        for v in include where v.isFinite {
            low = min(low, v)
            high = max(high, v)
        }
        if !low.isFinite { low = 0; high = 1 }
        let span = high - low
        return PlotScale(domainLow: low - span * padding, domainHigh: high + span * padding, rangeLow: rangeLow, rangeHigh: rangeHigh)
    }

    /// The coordinate of `value`, clamped to the range so nothing is drawn outside the frame.
    public func position(_ value: Double) -> Double {
        let t = (value - domainLow) / (domainHigh - domainLow)
        let clamped = t.isFinite ? min(1, max(0, t)) : 0
        return rangeLow + clamped * (rangeHigh - rangeLow)
    }

    /// Whether `value` lies inside the domain.
    public func contains(_ value: Double) -> Bool { value >= domainLow && value <= domainHigh }

    /// Ticks at 1, 2 or 5 × 10ⁿ steps inside the domain, at most about `maximumCount`.
    public func ticks(maximumCount: Int = 6) -> [Double] {
        let step = Self.niceStep(span: domainHigh - domainLow, maximumCount: maximumCount)
        var ticks: [Double] = []
        var v = (domainLow / step).rounded(.up) * step
        while v <= domainHigh + step * 1e-9, ticks.count < 50 {
            ticks.append(abs(v) < step * 1e-9 ? 0 : v)
            v += step
        }
        return ticks
    }

    /// The tick step for a span: 1, 2 or 5 × 10ⁿ.
    static func niceStep(span: Double, maximumCount: Int) -> Double {
        let raw = span / Double(max(1, maximumCount))
        guard raw > 0, raw.isFinite else { return 1 }
        let magnitude = pow(10, log10(raw).rounded(.down))
        let normalised = raw / magnitude
        let nice: Double = normalised <= 1 ? 1 : normalised <= 2 ? 2 : normalised <= 5 ? 5 : 10
        return nice * magnitude
    }

    /// Decimals that show ticks `step` apart without clutter.
    static func decimals(forStep step: Double) -> Int {
        step >= 1 ? 0 : min(4, Int((-log10(step)).rounded(.up)))
    }
}
