import GaitValidation
import Testing

/// `held-out.txt`: one recording name per line, comments and blank lines skipped.
@Suite struct HeldOutListTests {
    @Test func namesAreReadOnePerLineWithoutCommentsOrBlankLines() {
        let list = HeldOutList(text: """
        # kept out of development
        alc_sub02_tr01_v417_up05

          mkr_bmc0041_v250   # marker-derived
        #alc_sub02_tr03_v333_level00
        alc_sub02_tr05_v333_level00\r
        """)
        #expect(list.names == ["alc_sub02_tr01_v417_up05", "mkr_bmc0041_v250", "alc_sub02_tr05_v333_level00"])
        #expect(list.contains("mkr_bmc0041_v250"))
        #expect(!list.contains("alc_sub02_tr03_v333_level00"))
    }
}
