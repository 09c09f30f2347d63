import Testing
@testable import SessionStore

@Test func storeErrorsNameWhatFailed() {
    #expect(SessionStoreError.noSuchSession(id: 7).description == "no session with id 7")
}
