import GaitReport

/// The page's plots of a data set, as inline SVG: Bland–Altman of contact time and of peak force,
/// and per trial the initial-contact errors and the median contact times. Trials are numbered
/// in table order; held-out trials are drawn as squares.
extension DataSetValidation {
    /// Bland–Altman plot of a paired measure: mean of the pair against its difference, with the
    /// bias and the 95 % limits of agreement of all trials.
    func blandAltmanPlot(id: String, measure: String, unit: String, scale: Double, decimals: Int,
                         pairs: (TrialEvidence) -> [ValuePair]) -> String {
        let development = trials.filter { !$0.isHeldOut }.flatMap(pairs), heldOut = trials.filter(\.isHeldOut).flatMap(pairs)
        let all = development + heldOut
        let statistics = AgreementStatistics(pairs: all)
        var plot = SVGPlot(id: id, title: "Bland–Altman plot of \(measure)",
                           description: "Each matched contact: the mean of ours and the reference against ours minus the reference, \(unit); the lines are the bias and the 95 % limits of agreement.",
                           height: 330)
        let frame = SVGPlot.frame(top: 16, height: 250)
        let x = PlotScale.fitting(all.map { $0.mean * scale }, rangeLow: frame.x, rangeHigh: frame.right)
        let limits = [statistics.bias, statistics.lowerLimit, statistics.upperLimit].compactMap { $0.map { $0 * scale } }
        let y = PlotScale.fitting(all.map { $0.difference * scale }, include: [0] + limits, rangeLow: frame.bottom, rangeHigh: frame.y)
        plot.axes(frame: frame, x: x, y: y, xLabel: "mean of ours and reference, \(unit)", yLabel: "ours − reference, \(unit)")
        guard !all.isEmpty else {
            plot.note("no matched contact has both values yet", x: frame.x + frame.width / 2, y: frame.y + frame.height / 2, anchor: "middle")
            return plot.finish()
        }
        plot.horizontalRule(0, frame: frame, y: y, className: "zero")
        if let bias = statistics.bias {
            plot.horizontalRule(bias * scale, frame: frame, y: y, className: "bias", label: "bias " + HTMLText.signed(bias * scale, decimals))
        }
        if let low = statistics.lowerLimit, let high = statistics.upperLimit {
            plot.horizontalRule(low * scale, frame: frame, y: y, className: "limit", label: "−1.96 SD " + HTMLText.signed(low * scale, decimals))
            plot.horizontalRule(high * scale, frame: frame, y: y, className: "limit", label: "+1.96 SD " + HTMLText.signed(high * scale, decimals))
        }
        plot.dots(xs: development.map { $0.mean * scale }, ys: development.map { $0.difference * scale }, x: x, y: y, radius: 3, className: "development")
        plot.dots(xs: heldOut.map { $0.mean * scale }, ys: heldOut.map { $0.difference * scale }, x: x, y: y, radius: 3, className: "held-out", square: true)
        plot.legend(legendItems(count: (development.count, heldOut.count), noun: "contacts"), x: frame.x, y: frame.bottom + 52)
        return plot.finish()
    }

    /// Each trial's initial-contact errors (ours − reference, ms) of the pairs within the pairing tolerance.
    func contactErrorPlot() -> String {
        var plot = SVGPlot(id: "\(plotPrefix)-ic-error", title: "Initial-contact error per trial",
                           description: "For each trial (numbered as in the tables), ours minus the reference time of every initial contact matched within \(Self.toleranceMs(settings.pairingToleranceS)) ms, in ms.",
                           height: 310)
        let frame = SVGPlot.frame(top: 16, height: 230)
        let limit = settings.pairingToleranceS * 1000
        let (x, ticks) = trialAxis(frame)
        let y = PlotScale(domainLow: -limit, domainHigh: limit, rangeLow: frame.bottom, rangeHigh: frame.y)
        plot.axes(frame: frame, x: x, y: y, xLabel: "trial", yLabel: "IC error, ms", xTickText: { HTMLText.fixed($0, 0) }, xTicks: ticks)
        plot.horizontalRule(0, frame: frame, y: y, className: "zero")
        for (index, trial) in trials.enumerated() {
            let errors = trial.contactErrorsS.map { $0 * 1000 }
            plot.dots(xs: errors.map { _ in Double(index + 1) }, ys: errors, x: x, y: y, radius: 2.5,
                      className: trial.isHeldOut ? "held-out faint" : "development faint", square: trial.isHeldOut)
            if let mean = SampleStatistics.mean(errors) {
                plot.dots(xs: [Double(index + 1)], ys: [mean], x: x, y: y, radius: 4.5, className: "mean")
            }
        }
        plot.legend(legendItems(count: nil, noun: "") + [(className: "mean", label: "trial mean", mark: .dot)], x: frame.x, y: frame.bottom + 52)
        return plot.finish()
    }

    /// Each trial's median contact time, ours and the reference's, ms.
    func contactTimePlot() -> String {
        var plot = SVGPlot(id: "\(plotPrefix)-contact-time", title: "Median contact time per trial",
                           description: "For each trial (numbered as in the tables), the median contact time of our steps and of the reference contacts inside the bouts, in ms.",
                           height: 310)
        let frame = SVGPlot.frame(top: 16, height: 230)
        let (x, ticks) = trialAxis(frame)
        let ours = trials.map { $0.medianContactTimeS.detected.map { $0 * 1000 } }, reference = trials.map { $0.medianContactTimeS.reference.map { $0 * 1000 } }
        let y = PlotScale.fitting((ours + reference).compactMap { $0 }, rangeLow: frame.bottom, rangeHigh: frame.y)
        plot.axes(frame: frame, x: x, y: y, xLabel: "trial", yLabel: "median contact time, ms", xTickText: { HTMLText.fixed($0, 0) }, xTicks: ticks)
        func points(_ values: [Double?]) -> (xs: [Double], ys: [Double]) {
            let present = values.indices.filter { values[$0] != nil }
            return (present.map { Double($0 + 1) }, present.map { values[$0]! })
        }
        let r = points(reference), o = points(ours)
        plot.dots(xs: r.xs, ys: r.ys, x: x, y: y, radius: 4, className: "reference", square: true)
        plot.dots(xs: o.xs, ys: o.ys, x: x, y: y, radius: 3.5, className: "ours")
        if o.xs.isEmpty {
            plot.note("the analysis reports no contact time for these trials yet", x: frame.x + 8, y: frame.y + 16)
        }
        plot.legend([(className: "reference", label: "reference", mark: .box), (className: "ours", label: "ours", mark: .dot)],
                    x: frame.x, y: frame.bottom + 52)
        return plot.finish()
    }

    /// "1 = name, 2 = name, …" for the captions.
    var trialKey: String {
        trials.enumerated().map { "\($0.offset + 1) = \($0.element.name)" }.joined(separator: ", ")
    }

    /// A prefix for the plots' element ids, unique per data set on a page.
    var plotPrefix: String {
        "plot-" + String(shortName.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" })
    }

    private func trialAxis(_ frame: SVGPlot.Frame) -> (PlotScale, [Double]) {
        let ticks = (1...max(trials.count, 1)).map(Double.init)
        return (PlotScale(domainLow: 0.5, domainHigh: Double(max(trials.count, 1)) + 0.5, rangeLow: frame.x, rangeHigh: frame.right), ticks)
    }

    private func legendItems(count: (Int, Int)?, noun: String) -> [(className: String, label: String, mark: SVGPlot.LegendMark)] {
        let label = { (name: String, n: Int) in count == nil ? name : "\(name) (\(n) \(noun))" }
        var items: [(className: String, label: String, mark: SVGPlot.LegendMark)] = [(className: "development", label: label(hasHeldOutList ? "development" : "trials", count?.0 ?? 0), mark: .dot)]
        if hasHeldOutList { items.append((className: "held-out", label: label("held-out", count?.1 ?? 0), mark: .box)) }
        return items
    }
}
