/// Walking bouts come from the walking steps, not from whole windows: a bout of four steps between
/// two pauses is a bout of four steps, and it ends where the pause begins.
extension GaitSummarizer {
    /// An activity span before pauses are merged into running bouts.
    typealias ActivitySpan = (start: Double, end: Double, kind: ActivityKind, pauseS: Double)

    /// Walking bouts: runs of consecutive walking steps (no other step between) no further apart
    /// than `maximumBreakS`, each from its first contact to its last contact plus its median step
    /// time (the last step is walked too). Mobilise-D merges breaks of up to 3 s into one walking
    /// bout (Kluge et al. 2021).
    static func walkingBouts(steps: [GaitStep], maximumBreakS: Double) -> [(start: Double, end: Double)] {
        var bouts: [(start: Double, end: Double)] = []
        var first: Int?
        var stepTimes: [Float] = []
        func close(_ last: Int) {
            guard let start = first else { return }
            let pad = median(stepTimes).map(Double.init) ?? 0
            bouts.append((steps[start].initialContactS, steps[last].initialContactS + pad))
            first = nil
            stepTimes.removeAll(keepingCapacity: true)
        }
        for (i, step) in steps.enumerated() {
            guard step.activity == .walking else {
                if i > 0 { close(i - 1) }
                continue
            }
            if first != nil, step.initialContactS - steps[i - 1].initialContactS > maximumBreakS { close(i - 1) }
            if first == nil { first = i }
            if let t = step.stepTimeS { stepTimes.append(t) }
        }
        if !steps.isEmpty { close(steps.count - 1) }
        return bouts
    }

    /// The windows' activity spans with the walking bouts laid over them: a walking window's time
    /// outside the walking bouts keeps the kind the window has without its walking steps
    /// (standing or other); neighbouring spans of one kind are joined.
    static func activitySpans(windows: [WindowRecord], steps: [GaitStep], walkingBreakS: Double) -> [ActivitySpan] {
        var base: [ActivitySpan] = []
        for w in windows where w.endS > w.startS {
            let kind = w.kind == .walking ? w.nonWalkingKind : w.kind
            if let last = base.last, last.kind == kind, w.startS - last.end < 1 {
                base[base.count - 1].end = w.endS
            } else {
                base.append((w.startS, w.endS, kind, 0))
            }
        }
        // Each window span less the walking bouts, then the bouts, in time order.
        let bouts = walkingBouts(steps: steps, maximumBreakS: walkingBreakS)
        var pieces: [ActivitySpan] = []
        var firstBout = 0
        for span in base {
            var start = span.start
            while firstBout < bouts.count, bouts[firstBout].end <= start { firstBout += 1 }
            var b = firstBout
            while b < bouts.count, bouts[b].start < span.end {
                if bouts[b].start > start { pieces.append((start, bouts[b].start, span.kind, 0)) }
                start = max(start, bouts[b].end)
                b += 1
            }
            if span.end > start { pieces.append((start, span.end, span.kind, 0)) }
        }
        for bout in bouts { pieces.append((bout.start, bout.end, .walking, 0)) }
        pieces.sort { $0.start < $1.start }
        // A leftover of under a second before the first walking bout at the start of the recording
        // (the half step before its first contact), or after the last one at its end, is part of it.
        if pieces.count >= 2, pieces[0].kind != .walking, pieces[0].end - pieces[0].start < 1, pieces[1].kind == .walking {
            pieces[1].start = pieces[0].start
            pieces.removeFirst()
        }
        if pieces.count >= 2, let last = pieces.last, last.kind != .walking, last.end - last.start < 1,
           pieces[pieces.count - 2].kind == .walking {
            pieces[pieces.count - 2].end = last.end
            pieces.removeLast()
        }
        var spans: [ActivitySpan] = []
        for piece in pieces {
            if let last = spans.last, last.kind == piece.kind, piece.start - last.end < 1 {
                spans[spans.count - 1].end = max(last.end, piece.end)
            } else {
                spans.append(piece)
            }
        }
        return spans
    }
}
