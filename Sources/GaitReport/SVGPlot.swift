/// Writes one inline SVG plot: a stable `id` and class, a `<title>` and `<desc>`, framed panels
/// with labelled axes (units in the labels), and series drawn as paths, dots, bars and rules.
///
/// The SVG has a `viewBox` and no fixed size, so the page's CSS scales it to the column (and to
/// an A4 page when printed) without clipping; values outside a panel's scale are clamped to its
/// frame. Colours come from classes the report's stylesheet defines; left and right also differ
/// in dash pattern and marker shape so a black-and-white print keeps them apart.
public struct SVGPlot {
    /// Width of every plot in SVG units (the A4 text column at 96 dpi is about 680 px wide).
    public static let width = 720.0

    /// The plot area of a panel, in SVG units.
    public struct Frame {
        /// Left edge, top edge, width and height, SVG units.
        public var x: Double, y: Double, width: Double, height: Double
        /// Right edge, SVG units.
        public var right: Double { x + width }
        /// Bottom edge, SVG units.
        public var bottom: Double { y + height }
    }

    /// How a legend entry is drawn.
    public enum LegendMark { case line, dot, box }

    /// The element's id, e.g. "plot-impact-sides".
    public let id: String
    private(set) var text: String

    /// Starts a plot `height` units tall.
    public init(id: String, extraClass: String? = nil, title: String, description: String, height: Double) {
        self.id = id
        text = ""
        text.reserveCapacity(16_384)
        text += "<svg class=\"plot\(extraClass.map { " " + HTMLText.escape($0) } ?? "")\" id=\"\(HTMLText.escape(id))\" viewBox=\"0 0 \(HTMLText.fixed(Self.width, 0)) \(HTMLText.fixed(height, 0))\" role=\"img\" aria-labelledby=\"\(HTMLText.escape(id))-title \(HTMLText.escape(id))-desc\">"
        text += "<title id=\"\(HTMLText.escape(id))-title\">\(HTMLText.escape(title))</title>"
        text += "<desc id=\"\(HTMLText.escape(id))-desc\">\(HTMLText.escape(description))</desc>"
    }

    /// The standard frame of a panel that starts at `top` and is `height` tall.
    public static func frame(top: Double, height: Double) -> Frame {
        Frame(x: 70, y: top, width: width - 70 - 20, height: height)
    }

    /// Draws the frame, grid, tick labels and axis labels of a panel.
    public mutating func axes(frame: Frame, x: PlotScale, y: PlotScale, xLabel: String?, yLabel: String,
                       xTickText: ((Double) -> String)? = nil, yTickText: ((Double) -> String)? = nil, xTicks: [Double]? = nil) {
        let yTicks = y.ticks(maximumCount: max(3, Int(frame.height / 40)))
        let yDecimals = PlotScale.decimals(forStep: yTicks.count > 1 ? yTicks[1] - yTicks[0] : 1)
        text += "<g class=\"axes\">"
        for v in yTicks {
            let py = c(y.position(v))
            text += "<line class=\"grid\" x1=\"\(c(frame.x))\" x2=\"\(c(frame.right))\" y1=\"\(py)\" y2=\"\(py)\"/>"
            text += "<text class=\"tick\" x=\"\(c(frame.x - 6))\" y=\"\(py)\" text-anchor=\"end\" dominant-baseline=\"middle\">\(HTMLText.escape(yTickText?(v) ?? HTMLText.fixed(v, yDecimals)))</text>"
        }
        let xs = xTicks ?? x.ticks(maximumCount: 8)
        let xDecimals = PlotScale.decimals(forStep: xs.count > 1 ? xs[1] - xs[0] : 1)
        for v in xs where x.contains(v) {
            let px = c(x.position(v))
            text += "<line class=\"tick-mark\" x1=\"\(px)\" x2=\"\(px)\" y1=\"\(c(frame.bottom))\" y2=\"\(c(frame.bottom + 4))\"/>"
            text += "<text class=\"tick\" x=\"\(px)\" y=\"\(c(frame.bottom + 16))\" text-anchor=\"middle\">\(HTMLText.escape(xTickText?(v) ?? HTMLText.fixed(v, xDecimals)))</text>"
        }
        text += "<rect class=\"frame\" x=\"\(c(frame.x))\" y=\"\(c(frame.y))\" width=\"\(c(frame.width))\" height=\"\(c(frame.height))\"/>"
        if let xLabel {
            text += "<text class=\"axis-label x-label\" x=\"\(c(frame.x + frame.width / 2))\" y=\"\(c(frame.bottom + 34))\" text-anchor=\"middle\">\(HTMLText.escape(xLabel))</text>"
        }
        let ly = c(frame.y + frame.height / 2)
        text += "<text class=\"axis-label y-label\" x=\"16\" y=\"\(ly)\" text-anchor=\"middle\" transform=\"rotate(-90 16 \(ly))\">\(HTMLText.escape(yLabel))</text>"
        text += "</g>"
    }

    /// A line through the points in order; nil values and steps in x larger than `breakOverX`
    /// leave a gap instead of joining across a pause.
    public mutating func path(xs: [Double], ys: [Double?], x: PlotScale, y: PlotScale, className: String, breakOverX: Double? = nil) {
        var d = ""
        d.reserveCapacity(xs.count * 16)
        var previousX: Double?
        for i in xs.indices {
            guard let v = ys[i], v.isFinite, xs[i].isFinite else { previousX = nil; continue }
            let joined = previousX.map { breakOverX == nil || xs[i] - $0 <= breakOverX! } ?? false
            d += joined ? "L" : "M"
            d += c(x.position(xs[i])) + " " + c(y.position(v))
            previousX = xs[i]
        }
        guard !d.isEmpty else { return }
        text += "<path class=\"series \(className)\" d=\"\(d)\"/>"
    }

    /// A dot per point (circles; `square` draws squares, for the second of two series).
    public mutating func dots(xs: [Double], ys: [Double], x: PlotScale, y: PlotScale, radius: Double, className: String, square: Bool = false) {
        text += "<g class=\"dots \(className)\">"
        let r = c(radius), side = c(2 * radius)
        for i in xs.indices where xs[i].isFinite && ys[i].isFinite {
            if square {
                text += "<rect x=\"\(c(x.position(xs[i]) - radius))\" y=\"\(c(y.position(ys[i]) - radius))\" width=\"\(side)\" height=\"\(side)\"/>"
            } else {
                text += "<circle cx=\"\(c(x.position(xs[i])))\" cy=\"\(c(y.position(ys[i])))\" r=\"\(r)\"/>"
            }
        }
        text += "</g>"
    }

    /// A rectangle between two data corners.
    public mutating func rect(x0: Double, x1: Double, y0: Double, y1: Double, x: PlotScale, y: PlotScale, className: String, title: String? = nil) {
        let left = min(x.position(x0), x.position(x1)), right = max(x.position(x0), x.position(x1))
        let top = min(y.position(y0), y.position(y1)), bottom = max(y.position(y0), y.position(y1))
        text += "<rect class=\"\(className)\" x=\"\(c(left))\" y=\"\(c(top))\" width=\"\(c(right - left))\" height=\"\(c(bottom - top))\""
        if let title { text += "><title>\(HTMLText.escape(title))</title></rect>" } else { text += "/>" }
    }

    /// A shaded horizontal band between two values (a normal range).
    public mutating func band(low: Double, high: Double, frame: Frame, y: PlotScale, className: String) {
        let top = min(y.position(low), y.position(high)), bottom = max(y.position(low), y.position(high))
        guard bottom - top > 0.1 else { return }
        text += "<rect class=\"band \(className)\" x=\"\(c(frame.x))\" y=\"\(c(top))\" width=\"\(c(frame.width))\" height=\"\(c(bottom - top))\"/>"
    }

    /// A shaded vertical band between two x values through the frame (a period of the run).
    public mutating func columnBand(from x0: Double, to x1: Double, frame: Frame, x: PlotScale, className: String) {
        let left = min(x.position(x0), x.position(x1)), right = max(x.position(x0), x.position(x1))
        guard right - left > 0.1 else { return }
        text += "<rect class=\"band \(className)\" x=\"\(c(left))\" y=\"\(c(frame.y))\" width=\"\(c(right - left))\" height=\"\(c(frame.height))\"/>"
    }

    /// A horizontal rule at `value` across the frame, with an optional label at its right end
    /// (or its left end, where the data leave room).
    public mutating func horizontalRule(_ value: Double, frame: Frame, y: PlotScale, className: String, label: String? = nil, labelAtStart: Bool = false) {
        guard y.contains(value) else { return }
        let py = c(y.position(value))
        text += "<line class=\"rule \(className)\" x1=\"\(c(frame.x))\" x2=\"\(c(frame.right))\" y1=\"\(py)\" y2=\"\(py)\"/>"
        if let label {
            let lx = labelAtStart ? frame.x + 4 : frame.right - 4
            // Above the rule, or below it when the rule is near the top of the frame.
            let ly = y.position(value) - frame.y < 14 ? y.position(value) + 13 : y.position(value) - 4
            text += "<text class=\"rule-label \(className)\" x=\"\(c(lx))\" y=\"\(c(ly))\" text-anchor=\"\(labelAtStart ? "start" : "end")\">\(HTMLText.escape(label))</text>"
        }
    }

    /// A vertical rule at `value` through the frame, with an optional label at its top.
    public mutating func verticalRule(_ value: Double, frame: Frame, x: PlotScale, className: String, label: String? = nil) {
        guard x.contains(value) else { return }
        let px = x.position(value)
        text += "<line class=\"rule \(className)\" x1=\"\(c(px))\" x2=\"\(c(px))\" y1=\"\(c(frame.y))\" y2=\"\(c(frame.bottom))\"/>"
        if let label {
            // Labels near the right edge are anchored at their end so they stay inside the plot.
            let anchorEnd = px > frame.x + frame.width * 0.7
            text += "<text class=\"rule-label \(className)\" x=\"\(c(anchorEnd ? px - 4 : px + 4))\" y=\"\(c(frame.y + 12))\" text-anchor=\"\(anchorEnd ? "end" : "start")\">\(HTMLText.escape(label))</text>"
        }
    }

    /// A row of legend entries starting at (`x`, `y`).
    public mutating func legend(_ items: [(className: String, label: String, mark: LegendMark)], x: Double, y: Double) {
        var px = x
        text += "<g class=\"legend\">"
        for item in items {
            switch item.mark {
            case .line:
                text += "<line class=\"series \(item.className)\" x1=\"\(c(px))\" x2=\"\(c(px + 18))\" y1=\"\(c(y))\" y2=\"\(c(y))\"/>"
            case .dot:
                text += "<circle class=\"\(item.className)\" cx=\"\(c(px + 9))\" cy=\"\(c(y))\" r=\"3.5\"/>"
            case .box:
                text += "<rect class=\"\(item.className)\" x=\"\(c(px + 2))\" y=\"\(c(y - 6))\" width=\"14\" height=\"12\"/>"
            }
            text += "<text class=\"legend-label\" x=\"\(c(px + 24))\" y=\"\(c(y))\" dominant-baseline=\"middle\">\(HTMLText.escape(item.label))</text>"
            px += 24 + Double(item.label.count) * 6.4 + 18
        }
        text += "</g>"
    }

    /// A line of text inside the plot (a panel heading, or why a panel is empty).
    public mutating func note(_ message: String, x: Double, y: Double, anchor: String = "start", className: String = "note") {
        text += "<text class=\"\(className)\" x=\"\(c(x))\" y=\"\(c(y))\" text-anchor=\"\(anchor)\">\(HTMLText.escape(message))</text>"
    }

    /// Closes the element and returns it.
    public func finish() -> String { text + "</svg>" }

    /// An SVG coordinate with one decimal.
    private func c(_ v: Double) -> String { HTMLText.fixed(v, 1) }
}
