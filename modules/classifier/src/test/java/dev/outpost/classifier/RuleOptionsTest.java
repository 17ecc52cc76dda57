package dev.outpost.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The rule options "ordered", "clause" and "background", on made-up words no built-in rule knows. */
class RuleOptionsTest {

  private static Classifier with(final String options) {
    return Classifier.withRules(
        "{\"version\": \"t\", \"lexicons\": {\"background\": [\"zeta\"]}, \"categories\": {\"parade\": {\"rules\": ["
            + "{\"id\": \"parade.test\", \"all\": [\"alpha\", \"beta\"], \"weight\": 0.9, \"window\": 6"
            + options
            + "}]}}}",
        "options.json");
  }

  private static boolean fires(final Classifier c, final String text) {
    return c.classify("", text).result(Category.PARADE).evidence().stream().anyMatch(e -> e.ruleId().equals("parade.test"));
  }

  @Test
  void anOrderedRuleNeedsItsTermsInTheListedOrder() {
    final Classifier ordered = with(", \"ordered\": true");
    final Classifier unordered = with("");

    assertThat(fires(ordered, "The alpha met the beta.")).isTrue();
    assertThat(fires(ordered, "The beta met the alpha.")).isFalse();
    assertThat(fires(unordered, "The beta met the alpha.")).isTrue();
    // A later anchor still finds its partner: "beta alpha ... beta".
    assertThat(fires(ordered, "A beta saw an alpha and a beta.")).isTrue();
  }

  @Test
  void anOrderedRuleTakesTheSameTermTwiceInTurn() {
    final Classifier twice =
        Classifier.withRules(
            "{\"version\": \"t\", \"categories\": {\"parade\": {\"rules\": ["
                + "{\"id\": \"parade.test\", \"all\": [\"alpha\", \"beta\", \"alpha\"], \"weight\": 0.9, \"window\": 8, \"ordered\": true}]}}}",
            "twice.json");

    assertThat(fires(twice, "One alpha hit a beta and another alpha.")).isTrue();
    assertThat(fires(twice, "One alpha hit a beta.")).isFalse();
    assertThat(fires(twice, "A beta hit one alpha.")).isFalse();
  }

  @Test
  void aClauseRuleNeedsItsTermsInOneClause() {
    final Classifier clause = with(", \"clause\": true");

    assertThat(fires(clause, "The alpha met the beta.")).isTrue();
    assertThat(fires(clause, "The alpha left, after the beta came.")).isFalse();
    assertThat(fires(with(""), "The alpha left, after the beta came.")).isTrue();
  }

  @Test
  void aBackgroundCueBeforeTheMatchInItsClauseCancelsIt() {
    final Classifier background = with(", \"background\": true");

    assertThat(fires(background, "The alpha met the beta.")).isTrue();
    assertThat(fires(background, "Under zeta the alpha met the beta.")).isFalse();
    assertThat(fires(background, "The alpha under zeta met the beta.")).isFalse();
    // In an earlier clause, or after the match, the cue does not reach it.
    assertThat(fires(background, "Under zeta; the alpha met the beta.")).isTrue();
    assertThat(fires(background, "The alpha met the beta under zeta.")).isTrue();
    // Only rules that ask for it.
    assertThat(fires(with(""), "Under zeta the alpha met the beta.")).isTrue();
  }

  @Test
  void evidenceOfAnOrderedMatchSpansItsTerms() {
    final Classification c = with(", \"ordered\": true").classify("", "The alpha met the beta.");
    final Evidence e = c.result(Category.PARADE).evidence().get(0);

    assertThat(e.text()).isEqualTo("alpha met the beta");
  }

  @Test
  void aRuleOfAStateAndANumberAloneStillFires() {
    // The engine files each rule under one of its terms and visits it only in fields that matched
    // that term; a rule with no word of its own is filed under the state or number pseudo-term.
    final Classifier pseudo =
        Classifier.withRules(
            "{\"version\": \"t\", \"categories\": {\"parade\": {\"rules\": ["
                + "{\"id\": \"parade.test\", \"all\": [\"@state\", \"@number\"], \"weight\": 0.9, \"window\": 4, \"guarded\": false}]}}}",
            "pseudo.json");

    assertThat(fires(pseudo, "Norway counted 40 boats.")).isTrue();
    assertThat(fires(pseudo, "Norway counted the boats.")).isFalse();
  }
}
