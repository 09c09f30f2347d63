import Testing

extension Tag {
    /// Suites that take seconds to minutes (virtual clips under umockdev, SIGKILL loops, a real
    /// browser); `make test-fast` leaves them out, `make test` runs them.
    @Tag static var slow: Self
}
