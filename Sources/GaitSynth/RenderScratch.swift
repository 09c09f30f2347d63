/// Per-unit working buffers of the renderer, reused from step to step.
struct RenderScratch: Sendable {
    var vertical: [Float] = []
    var mediolateral: [Float] = []
    var anteroposterior: [Float] = []
    var cosPhase: [Float] = []
    var sinPhase: [Float] = []

    var capacity: Int {
        vertical.capacity + mediolateral.capacity + anteroposterior.capacity + cosPhase.capacity + sinPhase.capacity
    }
}
