@testable import GaitValidation
import Testing

/// Bland–Altman and the sample statistics against numbers worked out by hand.
@Suite struct AgreementStatisticsTests {
    @Test func blandAltmanOfFourDifferencesMatchesHandArithmetic() throws {
        // d = 1, 2, 3, 4: mean 2.5; SD = √((2.25 + 0.25 + 0.25 + 2.25) / 3) = √(5/3) = 1.290994;
        // limits 2.5 ± 1.96 × 1.290994 = −0.030349 and 5.030349; RMSE = √(30 / 4) = 2.738613.
        let s = AgreementStatistics(differences: [1, 2, 3, 4])
        #expect(s.count == 4)
        #expect(abs(try #require(s.bias) - 2.5) < 1e-12)
        #expect(abs(try #require(s.standardDeviation) - 1.290994) < 1e-6)
        #expect(abs(try #require(s.lowerLimit) + 0.030349) < 1e-6)
        #expect(abs(try #require(s.upperLimit) - 5.030349) < 1e-6)
        #expect(abs(try #require(s.rootMeanSquareError) - 2.738613) < 1e-6)
    }

    @Test func pairsAreDetectedMinusReference() throws {
        let s = AgreementStatistics(pairs: [ValuePair(detected: 0.25, reference: 0.30), ValuePair(detected: 0.31, reference: 0.30)])
        #expect(abs(try #require(s.bias) + 0.02) < 1e-12)  // (−0.05 + 0.01) / 2
        #expect(ValuePair(detected: 0.25, reference: 0.30).mean == 0.275)
    }

    @Test func oneOrNoPairGivesNoSpreadRatherThanZero() {
        let one = AgreementStatistics(differences: [0.01])
        #expect(one.bias == 0.01 && one.standardDeviation == nil && one.lowerLimit == nil && one.upperLimit == nil)
        let none = AgreementStatistics(differences: [])
        #expect(none.count == 0 && none.bias == nil && none.rootMeanSquareError == nil)
    }

    @Test func pearsonAndMedianMatchHandArithmetic() throws {
        // x = 1, 2, 3; y = 2, 4, 7: Sxy = 5, Sxx = 2, Syy = 38/3; r = 5 / √(76/3) = 0.993399.
        #expect(abs(try #require(SampleStatistics.pearsonR([1, 2, 3], [2, 4, 7])) - 0.993399) < 1e-6)
        #expect(SampleStatistics.pearsonR([1, 2], [2, 4]) == nil)
        #expect(SampleStatistics.pearsonR([1, 1, 1], [2, 4, 7]) == nil)
        #expect(SampleStatistics.median([0.30, 0.28, 0.32, 0.30]) == 0.30)
        #expect(SampleStatistics.median([3, 1, 2]) == 2)
        #expect(SampleStatistics.median([]) == nil)
    }
}
