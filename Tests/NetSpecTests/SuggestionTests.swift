import Testing
@testable import NetSpec

@Suite struct SuggestionTests {
    @Test func distanceCountsInsertionsDeletionsSubstitutionsAndSwaps() {
        #expect(Suggestion.distance("filter", "filters") == 1)
        #expect(Suggestion.distance("kernal", "kernel") == 1)
        #expect(Suggestion.distance("stme", "stem") == 1)
        #expect(Suggestion.distance("Conv2D", "conv2d") == 0)
        #expect(Suggestion.distance("", "relu") == 4)
        #expect(Suggestion.distance("abc", "xyz") == 3)
    }

    @Test func closestOnlySuggestsPlausibleTypos() {
        #expect(Suggestion.closest(to: "maxpol", in: LayerKind.allCases.map(\.keyword)) == "maxpool")
        #expect(Suggestion.closest(to: "lstm", in: LayerKind.allCases.map(\.keyword)) == nil)
        #expect(Suggestion.hint(for: "sam", in: ["valid", "same"]) == "; did you mean 'same'?")
        #expect(Suggestion.hint(for: "full", in: ["valid", "same"]) == "")
    }
}
