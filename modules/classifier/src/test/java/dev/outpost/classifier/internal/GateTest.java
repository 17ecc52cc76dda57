package dev.outpost.classifier.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * How the engine files rules by term: a field visits only the rules filed under the terms it
 * matched, so each rule must be filed exactly once, under one of its own terms, and in order.
 */
class GateTest {

  private static final int TERMS = 12;

  private static Rules.Rule rule(final String id, final int... terms) {
    return new Rules.Rule(id, terms, 8, 0.5, false, false, true, false, false, false, false);
  }

  private static int[] uses(final int state, final int number, final int... byTerm) {
    final int[] uses = new int[TERMS + Engine.Gate.SPECIAL_TERMS];
    uses[Rules.STATE_TERM + Engine.Gate.SPECIAL_TERMS] = state;
    uses[Rules.NUMBER_TERM + Engine.Gate.SPECIAL_TERMS] = number;
    for (int t = 0; t < byTerm.length; t++) {
      uses[t + Engine.Gate.SPECIAL_TERMS] = byTerm[t];
    }
    return uses;
  }

  @Test
  void filesARuleUnderItsLeastUsedTermAndUnderAPseudoTermOnlyWhenItHasNoOther() {
    final int[] uses = uses(1, 1, 9, 9, 9, 10, 2);
    final Engine.Gate gate =
        new Engine.Gate(
            List.of(
                rule("state-and-term", Rules.STATE_TERM, 3),
                rule("rare-second", 3, 4),
                rule("pseudo-only", Rules.NUMBER_TERM, Rules.STATE_TERM),
                rule("one-term", 0)),
            uses);

    assertThat(gate.filedUnder(3)).containsExactly(0);
    assertThat(gate.filedUnder(4)).containsExactly(1);
    assertThat(gate.filedUnder(Rules.NUMBER_TERM)).containsExactly(2);
    assertThat(gate.filedUnder(0)).containsExactly(3);
    assertThat(gate.filedUnder(Rules.STATE_TERM)).isEmpty();
  }

  @Test
  void filesEveryRuleOnceUnderOneOfItsTermsInOrder() {
    final Random random = new Random(7);
    for (int round = 0; round < 50; round++) {
      final List<Rules.Rule> rules = new ArrayList<>();
      for (int r = 0; r < 40 + random.nextInt(150); r++) {
        final int[] terms = new int[1 + random.nextInt(4)];
        for (int k = 0; k < terms.length; k++) {
          terms[k] = random.nextInt(TERMS + Engine.Gate.SPECIAL_TERMS) - Engine.Gate.SPECIAL_TERMS;
        }
        rules.add(rule("r" + r, terms));
      }
      final int[] uses = new int[TERMS + Engine.Gate.SPECIAL_TERMS];
      for (int k = 0; k < uses.length; k++) {
        uses[k] = random.nextInt(20);
      }
      final Engine.Gate gate = new Engine.Gate(rules, uses);

      final int[] filedTimes = new int[rules.size()];
      for (int term = -Engine.Gate.SPECIAL_TERMS; term < TERMS; term++) {
        int previous = -1;
        for (final int index : gate.filedUnder(term)) {
          assertThat(index).as("ascending under term %d", term).isGreaterThan(previous);
          previous = index;
          filedTimes[index]++;
          final int filed = term;
          assertThat(rules.get(index).terms()).as("rule %d's own terms", index).contains(filed);
        }
      }
      assertThat(filedTimes).as("each rule filed once").containsOnly(1);
    }
  }
}
