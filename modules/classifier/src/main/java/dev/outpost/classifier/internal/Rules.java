package dev.outpost.classifier.internal;

import dev.outpost.classifier.Category;
import java.util.List;
import java.util.Map;

/**
 * The rules, compiled: every phrase of every lexicon and rule is a term in one {@link PhraseTrie}
 * keyed on stems, and rules refer to terms by id.
 *
 * @param version the rules file's own version string
 * @param settings thresholds and windows
 * @param trie all phrases matched on stems
 * @param exactTrie phrases written with a leading {@code =}, matched on exact lower-case words
 * @param termNames the name of each term id, for messages: a lexicon name or a quoted phrase
 * @param categories the rules of each category
 * @param negation term id of the negation lexicon
 * @param hypothetical term id of the hypothetical lexicon
 * @param historical term id of the historical lexicon
 * @param denial term id of the denial lexicon ("denied reports that ..."), whose cues reach
 *     further back than plain negation; -1 when the rules have none
 * @param refutation term id of the refutation lexicon, cues that call a claim made before them
 *     false; -1 when the rules have none
 * @param commemoration term id of the commemoration lexicon: an anniversary makes a historical
 *     cue in the sentence about the present
 * @param background term id of the background lexicon ("amid", "despite", "years of"): cues that
 *     make a match of a rule marked {@code background} a mention of the past or the setting, not
 *     an event; -1 when the rules have none
 * @param canonicalJson the merged rules as canonical JSON, hashed into the classifier version
 */
public record Rules(
    String version,
    Settings settings,
    PhraseTrie trie,
    PhraseTrie exactTrie,
    List<String> termNames,
    Map<Category, CategoryRules> categories,
    int negation,
    int hypothetical,
    int historical,
    int commemoration,
    int denial,
    int refutation,
    int background,
    String canonicalJson) {

  /** Term id standing for any mention of a state, found by the gazetteer. */
  public static final int STATE_TERM = -1;

  /** Term id standing for any number written in digits ("3,000", "200"). */
  public static final int NUMBER_TERM = -2;

  /**
   * Rules whose span names the state an act is aimed at, after its verb or beside its envoy:
   * "summons Japan's ambassador", "expels 18 Russian diplomats". Matched on the end of a rule's
   * id, so every language's rule of that name aims alike.
   */
  private static final List<String> AIMING_RULES =
      List.of(
          ".verb_on_state", ".verb_on_the_state", ".warn_on_state", ".warn_on_the_state",
          ".warn_on_state_in_item", ".warn_on_the_state_in_item", ".condemn_state", ".condemn_the_state",
          ".turn_against_state", ".summon_envoy", ".expel_diplomats", ".expel_envoy", ".envoy_told_to_leave",
          ".demand_troops_leave");

  /**
   * Rules whose span names the acting state first and the one it acts on after the verb: "US
   * orders China to ...". Their target is the last state the span names.
   */
  private static final List<String> AIMING_AT_LAST_RULES = List.of(".state_demands_of_state");

  /**
   * Rules whose act is aimed at the state an envoy is posted to: "recalls its ambassador to
   * Israel". Their target is a state the span or the words after it name as a place.
   */
  private static final List<String> AIMING_AT_POST_RULES = List.of(".recall_envoy");

  /**
   * Rules whose span is the verdict on a person named right before it: "declares Lula persona non
   * grata". Their target is the state of the person, or the state, named there.
   */
  private static final List<String> AIMING_BEFORE_RULES = List.of(".persona_non_grata");

  /**
   * @param ruleId a rule's id
   * @return whether the rule's act is aimed at whoever is named right before its span
   */
  public static boolean aimsBefore(final String ruleId) {
    return endsWithAny(ruleId, AIMING_BEFORE_RULES);
  }

  /**
   * @param ruleId a rule's id
   * @return whether the rule's act is aimed at the state an envoy is recalled from
   */
  public static boolean aimsAtPost(final String ruleId) {
    return endsWithAny(ruleId, AIMING_AT_POST_RULES);
  }

  /**
   * @param ruleId a rule's id
   * @return whether the rule's span names the acting state, then the one its act is aimed at
   */
  public static boolean aimsAtLast(final String ruleId) {
    return endsWithAny(ruleId, AIMING_AT_LAST_RULES);
  }

  /**
   * @param ruleId a rule's id
   * @return whether the rule's span names the state its act is aimed at
   */
  public static boolean aims(final String ruleId) {
    return endsWithAny(ruleId, AIMING_RULES);
  }

  private static boolean endsWithAny(final String ruleId, final List<String> suffixes) {
    for (final String suffix : suffixes) {
      if (ruleId.endsWith(suffix)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Thresholds and windows.
   *
   * @param threshold a category applies at or above this confidence
   * @param titleWeight how much a title's evidence counts when there is a body
   * @param negationBefore tokens before a match a negation cue reaches
   * @param negationAfter tokens after a match a negation cue reaches
   * @param hypotheticalBefore tokens before a match a hypothetical cue reaches
   * @param historicalBefore tokens before a match a historical cue reaches
   * @param historicalAfter tokens after a match an old year reaches ("the parade in 1945")
   * @param denialBefore tokens before a match, within its sentence, a denial cue reaches
   * @param refutationAfter tokens after a match, within its sentence, a refutation cue reaches
   *     ("reports of troops massing at the border are inaccurate")
   * @param backgroundBefore tokens before a match, within its clause, a background cue reaches
   * @param maxEvidence evidence spans kept per category
   */
  public record Settings(
      double threshold,
      double titleWeight,
      int negationBefore,
      int negationAfter,
      int hypotheticalBefore,
      int historicalBefore,
      int historicalAfter,
      int denialBefore,
      int refutationAfter,
      int backgroundBefore,
      int maxEvidence) {}

  /**
   * @param rules rules that raise the category's confidence
   * @param blockers phrases that cancel any rule match they overlap
   * @param vetoes term ids that silence the category for a whole sentence
   * @param vetoReach how many sentences on either side a veto word silences too
   * @param keywords term ids of the naive keyword matcher, the floor to beat
   * @param titleConfirmedByBody whether a headline counts in full, not at {@code titleWeight},
   *     when the body names two of its states again
   */
  public record CategoryRules(
      List<Rule> rules,
      List<Rule> blockers,
      int[] vetoes,
      int vetoReach,
      int[] keywords,
      boolean titleConfirmedByBody) {}

  /**
   * One rule: every term must occur in one sentence within {@code window} tokens; in the listed
   * order when {@code ordered}, in one clause when {@code clause}.
   *
   * @param id stable identifier, reported as evidence
   * @param terms term ids (or {@link #STATE_TERM})
   * @param window the largest span, in tokens, the terms may cover
   * @param weight how much one match raises the confidence, in (0, 1]
   * @param twoStates the sentence must also name two different states
   * @param itemTwoStates the item must name two different states (the sentence may name one)
   * @param guarded negation, hypothetical and historical cues cancel the match
   * @param ordered the terms must occur in the listed order, each after the previous one ends
   *     ({@code ["@state", "@condemn", "@state"]}: a state acting on a state)
   * @param clause the terms must all occur in one clause
   * @param background a background cue ({@code @background}) a few tokens before the match in its
   *     clause, or inside the match, cancels it ("amid growing US sanctions on China")
   * @param sentence for a blocker: a match cancels every rule of its category in its whole
   *     sentence, not only the rules whose terms it overlaps ("protested against the base ...")
   */
  public record Rule(
      String id,
      int[] terms,
      int window,
      double weight,
      boolean twoStates,
      boolean itemTwoStates,
      boolean guarded,
      boolean ordered,
      boolean clause,
      boolean background,
      boolean sentence) {}
}
