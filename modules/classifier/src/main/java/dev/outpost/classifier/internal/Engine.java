package dev.outpost.classifier.internal;

import dev.outpost.classifier.Category;
import dev.outpost.classifier.CategoryResult;
import dev.outpost.classifier.Evidence;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Applies compiled {@link Rules} and a {@link Gazetteer} to one item. Stateless between items and
 * safe to share between threads.
 *
 * <p>Each field is tokenized once, every phrase found in one pass of the {@link PhraseTrie}, and
 * each rule then walks its terms' matches in order: the work is linear in the text for a fixed
 * rule set.
 */
public final class Engine {

  /** Evidence fields. */
  public static final String TITLE = "title";

  /** Evidence fields. */
  public static final String BODY = "body";

  private final Rules rules;
  private final Gazetteer gazetteer;
  private final Vocabulary vocabulary;
  private final int termCount;
  private final boolean adjectivesFollowNouns;
  /** By category, its rules filed by term (see {@link Gate}). */
  private final Map<Category, Gate> ruleGates = new EnumMap<>(Category.class);
  /** By category, its blockers filed likewise. */
  private final Map<Category, Gate> blockerGates = new EnumMap<>(Category.class);

  /**
   * Each thread's buffers for a title and a body (tokens, each term's matches), refilled item after
   * item: they never outlive the call that reads them, and a thread classifies one item at a time.
   */
  private final ThreadLocal<Scratch> scratch;

  /** A text longer than this gets buffers of its own, so one huge item is not kept per thread. */
  private static final int MAX_REUSED_CHARS = 1 << 16;

  /**
   * @param rules the compiled rules
   * @param gazetteer the states' names
   * @param vocabulary the words both know
   */
  public Engine(final Rules rules, final Gazetteer gazetteer, final Vocabulary vocabulary) {
    this(rules, gazetteer, vocabulary, false);
  }

  /**
   * @param rules the compiled rules
   * @param gazetteer the states' names
   * @param vocabulary the words both know
   * @param adjectivesFollowNouns whether the language puts an adjective after its noun ("deux
   *     diplomates russes"), so that the adjective right after an aiming span names its target
   */
  public Engine(final Rules rules, final Gazetteer gazetteer, final Vocabulary vocabulary, final boolean adjectivesFollowNouns) {
    this.rules = rules;
    this.gazetteer = gazetteer;
    this.vocabulary = vocabulary;
    this.termCount = rules.termNames().size();
    this.adjectivesFollowNouns = adjectivesFollowNouns;
    this.scratch = ThreadLocal.withInitial(() -> new Scratch(vocabulary, termCount));
    final int[] uses = new int[termCount + Gate.SPECIAL_TERMS];
    for (final Rules.CategoryRules cr : rules.categories().values()) {
      for (final List<Rules.Rule> list : List.of(cr.rules(), cr.blockers())) {
        for (final Rules.Rule rule : list) {
          for (final int term : rule.terms()) {
            uses[term + Gate.SPECIAL_TERMS]++;
          }
        }
      }
    }
    for (final Map.Entry<Category, Rules.CategoryRules> e : rules.categories().entrySet()) {
      ruleGates.put(e.getKey(), new Gate(e.getValue().rules(), uses));
      blockerGates.put(e.getKey(), new Gate(e.getValue().blockers(), uses));
    }
  }

  /**
   * A category's rules, or its blockers, each filed under one of its terms. A rule matches only in
   * a field that matched every one of its terms, so a field visits only the rules filed under the
   * terms it matched, in the rules' order, instead of testing every rule's terms: most fields,
   * short ones above all, match few terms.
   */
  static final class Gate {

    /** The state and number pseudo-terms, {@link Rules#STATE_TERM} and {@link Rules#NUMBER_TERM}, below term 0. */
    static final int SPECIAL_TERMS = 2;

    private final List<Rules.Rule> rules;

    /** By term + {@link #SPECIAL_TERMS}: the indexes of the rules filed under it, ascending. */
    private final int[][] byTerm;

    /**
     * @param rules the rules, in the order they are tried
     * @param uses by term + {@link #SPECIAL_TERMS}, how many rules of any category use it: each
     *     rule is filed under its least used term, as the one a field is least likely to hold,
     *     and never under a pseudo-term when it has a term of its own, since most fields name a
     *     state or a number
     */
    Gate(final List<Rules.Rule> rules, final int[] uses) {
      this.rules = rules;
      final List<List<Integer>> filed = new ArrayList<>();
      for (int k = 0; k < uses.length; k++) {
        filed.add(new ArrayList<>());
      }
      for (int r = 0; r < rules.size(); r++) {
        // The loader gives every rule at least one term.
        final int[] terms = rules.get(r).terms();
        int best = terms[0];
        for (final int term : terms) {
          if (cost(term, uses) < cost(best, uses)) {
            best = term;
          }
        }
        filed.get(best + SPECIAL_TERMS).add(r);
      }
      byTerm = new int[uses.length][];
      for (int k = 0; k < uses.length; k++) {
        byTerm[k] = filed.get(k).stream().mapToInt(Integer::intValue).toArray();
      }
    }

    private static long cost(final int term, final int[] uses) {
      return (term < 0 ? 1L << 32 : 0) + uses[term + SPECIAL_TERMS];
    }

    /** @return the rules filed under a term, by index, ascending */
    int[] filedUnder(final int term) {
      return byTerm[term + SPECIAL_TERMS];
    }

    List<Rules.Rule> rules() {
      return rules;
    }
  }

  /** @return the words its rules and gazetteer know */
  Vocabulary vocabulary() {
    return vocabulary;
  }

  /** One thread's reusable buffers. */
  private static final class Scratch {
    private final Tokens[] tokens;
    private final IntList[][] hits;
    /** By field, the terms whose entry in hits is set, so a reset clears only those. */
    private final IntList[] matched = {new IntList(), new IntList()};
    /** Match lists handed out to this item's fields so far, and kept for the next item. */
    private final List<IntList> lists = new ArrayList<>();
    private int used;

    Scratch(final Vocabulary vocabulary, final int termCount) {
      tokens = new Tokens[] {Tokens.reusable(vocabulary), Tokens.reusable(vocabulary)};
      hits = new IntList[][] {new IntList[termCount], new IntList[termCount]};
    }

    /** Starts an item: every list handed out before is free again. */
    Scratch reset() {
      used = 0;
      for (int f = 0; f < hits.length; f++) {
        for (int k = 0; k < matched[f].size(); k++) {
          hits[f][matched[f].get(k)] = null;
        }
        matched[f].clear();
      }
      return this;
    }

    IntList list() {
      if (used == lists.size()) {
        lists.add(new IntList());
      }
      final IntList list = lists.get(used++);
      list.clear();
      return list;
    }
  }

  private Field field(final String name, final String text, final int slot, final Scratch s) {
    // A huge text gets buffers of its own, so that one item does not stay in memory per thread.
    return text.length() > MAX_REUSED_CHARS
        ? new Field(name, Tokens.of(text, vocabulary), new IntList[termCount], new IntList(), null)
        : new Field(name, s.tokens[slot].reuse(text), s.hits[slot], s.matched[slot], s);
  }

  /** The verdicts and the states of one item. */
  public record Result(Map<Category, CategoryResult> results, List<String> actors) {}

  /**
   * @param title the item's title
   * @param body the item's body
   * @return one result per category, and the states named
   */
  public Result classify(final String title, final String body) {
    final Scratch s = scratch.get().reset();
    final Field t = field(TITLE, title == null ? "" : title, 0, s);
    final Field b = field(BODY, body == null ? "" : body, 1, s);

    // An acronym the item defines in brackets for something else ("Palestinian Red Crescent (PRC)")
    // names that thing wherever the item uses it, not the state it usually stands for.
    final Set<String> redefined = new HashSet<>();
    for (final Field f : List.of(t, b)) {
      redefinedAcronyms(f, redefined);
    }
    if (!redefined.isEmpty()) {
      for (final Field f : List.of(t, b)) {
        f.mentions.removeIf(m -> m.entry().caseSensitive() && redefined.contains(m.entry().alias()));
      }
    }
    // A weak alias ("Georgia", "Washington") counts only when the item names its state plainly too.
    final Set<String> strong = new HashSet<>();
    for (final Field f : List.of(t, b)) {
      for (final Gazetteer.Mention m : f.mentions) {
        if (!m.entry().weak()) {
          strong.add(m.entry().code());
        }
      }
    }
    final Set<String> actors = new LinkedHashSet<>();
    // A dateline ("YEREVAN, MARCH 29, ARMENPRESS.") says where the report was filed, and an
    // opening "After Saudi Arabia, Bahrain ..." what came before, not who acts: their states come
    // after the states the report names.
    final String titleOpener = t.openedAfter(strong);
    final String dateline = b.dateline(strong);
    final String bodyOpener = dateline != null ? dateline : b.openedAfter(strong);
    t.confirmStates(strong, actors, titleOpener);
    b.confirmStates(strong, actors, bodyOpener);
    if (titleOpener != null) {
      actors.add(titleOpener);
    }
    if (bodyOpener != null) {
      actors.add(bodyOpener);
    }
    t.itemStates = actors.size();
    b.itemStates = actors.size();

    // A body that is only a photo caption ("... (Name/AFP via Getty Images)") says nothing for or
    // against the headline, which is then judged on its own.
    final double titleFactor =
        b.tokens.size() > 0 && !isPhotoCaption(body) ? rules.settings().titleWeight() : 1.0;
    final Map<Category, CategoryResult> results = new EnumMap<>(Category.class);
    for (final Category category : Category.values()) {
      final Rules.CategoryRules cr = rules.categories().get(category);
      final List<Firing> firings = new ArrayList<>();
      t.fire(cr, ruleGates.get(category), blockerGates.get(category), firings);
      // A headline that denies the event ("X denies sending troops") speaks for the body too,
      // which usually goes on to repeat the claim being denied.
      if (!(t.denied && firings.isEmpty())) {
        b.fire(cr, ruleGates.get(category), blockerGates.get(category), firings);
      }
      // A body that names again two of the states its headline names is about the same pair: it
      // continues the headline rather than standing against it, so the headline counts in full.
      final double headline =
          cr.titleConfirmedByBody() && sharedStates(t.states, b.states) >= 2 ? 1.0 : titleFactor;
      double keep = 1.0;
      for (final Firing f : firings) {
        final double factor = f.field == t ? headline : 1.0;
        keep *= 1.0 - f.rule.weight() * factor;
      }
      final double confidence = Math.round((1.0 - keep) * 1000.0) / 1000.0;
      if (firings.size() > 1) {
        firings.sort(Comparator.comparingInt((Firing f) -> f.field == t ? 0 : 1).thenComparingInt(f -> f.lo));
      }
      final List<Evidence> evidence = new ArrayList<>();
      for (final Firing f : firings) {
        if (evidence.size() == rules.settings().maxEvidence()) {
          break;
        }
        final Tokens tk = f.field.tokens;
        final List<String> states = f.field.statesIn(f.lo, f.hi);
        final List<String> targets;
        if (Rules.aimsBefore(f.rule.id())) {
          targets = f.field.namedRightBefore(f.lo);
        } else if (Rules.aimsAtPost(f.rule.id())) {
          targets = f.field.postIn(f.lo, f.hi);
        } else if (Rules.aims(f.rule.id())) {
          targets = f.field.targetsIn(f.lo, f.hi);
        } else if (Rules.aimsAtLast(f.rule.id()) && states.size() >= 2) {
          targets = List.of(states.get(states.size() - 1));
        } else {
          targets = List.of();
        }
        evidence.add(new Evidence(f.field.name, tk.start(f.lo), tk.end(f.hi), tk.span(f.lo, f.hi), f.rule.id(), states, targets));
      }
      results.put(
          category,
          new CategoryResult(category, confidence >= rules.settings().threshold(), confidence, evidence));
    }
    return new Result(results, List.copyOf(actors));
  }

  /**
   * True when the text ends in a photo credit in brackets, as feeds that send an image's caption
   * for the item's description do: "(Joe Klamar/AFP via Getty Images)", "(AP Photo)".
   */
  static boolean isPhotoCaption(final String text) {
    if (text == null) {
      return false;
    }
    // The stripped text's bounds, found in place: copying a whole body to look at its end would
    // cost more than the rest of this test. Whitespace is all in the BMP, so chars will do.
    int lo = 0;
    int hi = text.length();
    while (hi > 0 && Character.isWhitespace(text.charAt(hi - 1))) {
      hi--;
    }
    while (lo < hi && Character.isWhitespace(text.charAt(lo))) {
      lo++;
    }
    if (lo == hi || hi - lo > 700 || text.charAt(hi - 1) != ')') {
      return false;
    }
    final int open = text.lastIndexOf('(', hi - 1);
    if (open < lo || hi - open > 80) {
      return false;
    }
    final String credit = text.substring(open + 1, hi - 1);
    return credit.contains("Getty Images")
        || credit.contains("Photo")
        || CREDIT_AGENCY.matcher(credit).find()
        || CREDIT_VIA.matcher(credit).find();
  }

  /** Words that make the state after them the one acting: "expelled by Moldova", "expulsés par la France". */
  private static final Set<String> AGENT_WORDS = Set.of("by", "par", "por", "pela", "pelo", "durch");

  /** The auxiliaries of a passive "was declared", without which the words before a verdict name who declares. */
  private static final Set<String> PASSIVE = Set.of("was", "is", "been", "foi", "é", "fue", "es", "été", "ist", "wurde");

  /** Words of "was declared" between a person and the verdict on them, in the languages with rules. */
  private static final Set<String> DECLARED =
      Set.of(
          "was", "is", "been", "has", "declared", "foi", "é", "declarado", "declarada", "como", "fue", "es",
          "a", "été", "déclaré", "déclarée", "ist", "wurde", "zur", "zum", "erklärt");

  /**
   * Words after which a recall names the envoy's home, not the post: "de volta ao Brasil", "back
   * to Washington", "zurück nach Berlin".
   */
  private static final Set<String> HOMEWARD = Set.of("back", "home", "volta", "regreso", "retour", "zurück", "heim");

  /** Words that open a field with what came before: "After Saudi Arabia, Bahrain ...". */
  private static final Set<String> AFTER_WORDS = Set.of("after", "following", "après", "tras", "nach", "após", "depois", "после", "після");

  /** The possessive after a state's name, as the tokens split it: "Chad's", "France’s". */
  private static final Set<String> POSSESSIVE = Set.of("s", "'s", "’s");

  /**
   * Words between an envoy and the state that sent them: "the ambassador of France",
   * "l'ambassadeur de France", "la embajadora de México", "der Botschafter von Frankreich".
   */
  private static final Set<String> OF_WORDS = Set.of("of", "de", "du", "des", "von", "do", "da", "del");

  /**
   * Words that make the state after them a place rather than a party: "the embassy in Paris",
   * "ambassador to China", "l'ambassade à Alger", "la embajada en Quito", "a embaixada em Paris",
   * "die Botschaft in Moskau".
   */
  private static final Set<String> PLACE_WORDS = Set.of("in", "at", "to", "à", "au", "aux", "en", "em", "no", "na", "im", "dans");

  /** "Name/AFP": a photographer's name, a slash, an agency. */
  private static final Pattern CREDIT_AGENCY = Pattern.compile("\\p{L}+ ?/ ?\\p{Lu}");

  /** "... via Reuters". */
  private static final Pattern CREDIT_VIA = Pattern.compile(" via \\p{Lu}");

  /**
   * Adds the case-sensitive acronyms ("PRC", "CAR") the field writes in brackets right after words
   * that do not name their state: "the Palestinian Red Crescent (PRC)" defines PRC for the item,
   * "the People's Republic of China (PRC)" does not.
   */
  private static void redefinedAcronyms(final Field f, final Set<String> out) {
    final Tokens tk = f.tokens;
    final String text = tk.text();
    Gazetteer.Mention previous = null;
    for (final Gazetteer.Mention m : f.mentions) {
      final Gazetteer.Entry e = m.entry();
      final String alias = e.alias();
      if (e.caseSensitive()
          && alias.length() >= 2
          && alias.chars().allMatch(Character::isUpperCase)
          && m.first() > 0
          && charBefore(text, tk.start(m.first())) == '('
          && charAfter(text, tk.end(m.last())) == ')'
          && !(previous != null && previous.last() == m.first() - 1 && previous.entry().code().equals(e.code()))) {
        out.add(alias);
      }
      previous = m;
    }
  }

  /** The character before {@code at}, spaces skipped, or 0. */
  private static char charBefore(final String text, final int at) {
    int i = at - 1;
    while (i >= 0 && text.charAt(i) == ' ') {
      i--;
    }
    return i >= 0 ? text.charAt(i) : 0;
  }

  /** The character at or after {@code at}, spaces skipped, or 0. */
  private static char charAfter(final String text, final int at) {
    int i = at;
    while (i < text.length() && text.charAt(i) == ' ') {
      i++;
    }
    return i < text.length() ? text.charAt(i) : 0;
  }

  /**
   * The naive floor: a category whenever one of its keywords appears anywhere.
   *
   * @param title the item's title
   * @param body the item's body
   * @return the categories whose keywords appear
   */
  public Set<Category> keywordBaseline(final String title, final String body) {
    final Set<Category> labels = new HashSet<>();
    for (final Field f : List.of(
        new Field(TITLE, Tokens.of(title == null ? "" : title, vocabulary), new IntList[termCount], new IntList(), null),
        new Field(BODY, Tokens.of(body == null ? "" : body, vocabulary), new IntList[termCount], new IntList(), null))) {
      for (final Category c : Category.values()) {
        for (final int term : rules.categories().get(c).keywords()) {
          if (f.hits(term) != null && f.hits(term).size() > 0) {
            labels.add(c);
          }
        }
      }
    }
    return labels;
  }

  private record Firing(Field field, Rules.Rule rule, int lo, int hi) {}

  private static int sharedStates(final Set<String> a, final Set<String> b) {
    int n = 0;
    for (final String code : a) {
      if (b.contains(code)) {
        n++;
      }
    }
    return n;
  }

  /** One analysed field. */
  private final class Field {
    private final String name;
    private final Tokens tokens;
    private final IntList[] hits;
    /** The terms hits holds matches of, each once. */
    private final IntList matched;
    private final List<Gazetteer.Mention> mentions = new ArrayList<>();
    private final IntList stateHits = new IntList();
    private final IntList numberHits = new IntList();
    /** The states this field names, confirmed. */
    private final Set<String> states = new HashSet<>();
    private int itemStates;
    /** The first state each sentence names, and whether it names a second, different one. */
    private String[] firstState;
    private boolean[] twoStates;
    private IntList oldYears;
    /** By sentence, its first token; made on first use. */
    private int[] sentenceStarts;
    /** A guarded rule of the category being fired was cancelled by a denial or negation. */
    private boolean denied;
    /** The category being fired, whose blockers and vetoes {@link #findCancels} looks for. */
    private Rules.CategoryRules firing;
    /** Its blockers, filed by term. */
    private Gate firingBlockers;
    /** Whether blocked and vetoed hold the category's cancels yet. */
    private boolean cancelsFound;
    /** The spans the category's blockers cover, or null. */
    private int[] blocked;
    /** The sentences the category's vetoes silence, or null. */
    private boolean[] vetoed;

    /**
     * @param hits where each term's matches go, all null
     * @param matched where the terms given a list in hits go, empty
     * @param scratch where match lists come from, or null to allocate them
     */
    Field(final String name, final Tokens tokens, final IntList[] hits, final IntList matched, final Scratch scratch) {
      this.name = name;
      this.tokens = tokens;
      this.hits = hits;
      this.matched = matched;
      final PhraseTrie.MatchSink sink =
          (term, first, last) -> {
            IntList list = hits[term];
            if (list == null) {
              list = scratch == null ? new IntList() : scratch.list();
              hits[term] = list;
              matched.add(term);
            }
            list.add(first);
            list.add(last);
          };
      // Both tries at each position in turn, so every term's matches stay ordered by first token.
      PhraseTrie.scanBoth(rules.trie(), rules.exactTrie(), tokens, sink);
      gazetteer.find(tokens, mentions);
      for (int i = 0; i < tokens.size(); i++) {
        if (tokens.isNumber(i)) {
          numberHits.add(i);
          numberHits.add(i);
        }
      }
    }

    /** Old years, the one cue the trie does not find, listed on first use. */
    private void prepareGuards() {
      if (oldYears != null) {
        return;
      }
      // A year before 2000 is a historical cue too ("In 1950, troops were sent ...").
      // An old year is a number: only numbers need a look.
      oldYears = new IntList();
      for (int k = 0; k < numberHits.size(); k += 2) {
        final int i = numberHits.get(k);
        if (tokens.isOldYear(i)) {
          oldYears.add(i);
          oldYears.add(i);
        }
      }
    }

    IntList hits(final int term) {
      if (term == Rules.STATE_TERM) {
        return stateHits;
      }
      return term == Rules.NUMBER_TERM ? numberHits : hits[term];
    }

    /**
     * @return the confirmed states this field names between two tokens, both included, in the
     *     order it names them
     */
    List<String> statesIn(final int lo, final int hi) {
      List<String> out = List.of();
      for (final Gazetteer.Mention m : mentions) {
        if (m.first() > hi) {
          break;
        }
        final String code = m.entry().code();
        if (m.last() >= lo && states.contains(code) && !out.contains(code)) {
          if (out.isEmpty()) {
            out = new ArrayList<>(2);
          }
          out.add(code);
        }
      }
      return out;
    }

    /**
     * @param lo the span's first token
     * @param hi its last token
     * @return the state an aiming rule's act is aimed at: of the states in or beside the span that
     *     may name the envoys' state ({@link #namesEnvoysState}), the only one, or of several the
     *     only one named by its adjective ("Czech Republic expels 18 Russian diplomats": RUS).
     *     Empty when that leaves it open.
     */
    List<String> targetsIn(final int lo, final int hi) {
      String only = null;
      boolean several = false;
      String byAdjective = null;
      boolean severalAdjectives = false;
      for (final Gazetteer.Mention m : mentions) {
        if (m.first() > hi + 2) {
          break;
        }
        final String code = m.entry().code();
        if (m.last() < lo - 2 || !states.contains(code) || !namesEnvoysState(m, lo, hi)) {
          continue;
        }
        if (only == null) {
          only = code;
        } else if (!only.equals(code)) {
          several = true;
        }
        if (m.entry().demonym()) {
          if (byAdjective == null) {
            byAdjective = code;
          } else if (!byAdjective.equals(code)) {
            severalAdjectives = true;
          }
        }
      }
      if (only != null && !several) {
        return List.of(only);
      }
      return byAdjective != null && !severalAdjectives ? List.of(byAdjective) : List.of();
    }

    /**
     * Whether a mention in or next to an aiming span names the state the act is aimed at: in the
     * span, unless a place word comes before it ("the embassy in Paris"); right before it, as an
     * adjective in a language that puts adjectives first ("Russian diplomats have been expelled")
     * or as a possessive ("Chad's ambassador"); right after it, as an adjective in a language that
     * puts them after ("deux diplomates russes") or after "of" ("l'ambassadeur de France",
     * "Botschafter von Frankreich").
     */
    private boolean namesEnvoysState(final Gazetteer.Mention m, final int lo, final int hi) {
      if (m.first() >= lo && m.last() <= hi) {
        return m.first() == 0 || !(PLACE_WORDS.contains(word(m.first() - 1)) || AGENT_WORDS.contains(word(m.first() - 1)));
      }
      if (m.last() < lo) {
        if (m.last() == lo - 1 && m.entry().demonym()) {
          return !adjectivesFollowNouns;
        }
        return m.last() == lo - 2 && POSSESSIVE.contains(word(lo - 1));
      }
      if (m.first() == hi + 1) {
        return adjectivesFollowNouns && m.entry().demonym();
      }
      return m.first() == hi + 2 && !m.entry().demonym() && OF_WORDS.contains(word(hi + 1));
    }

    private String word(final int i) {
      return tokens.text().substring(tokens.start(i), tokens.end(i)).toLowerCase(Locale.ROOT);
    }

    /**
     * @param lo a span's first token
     * @return the state a mention right before it names, whatever kind of name it is, with at
     *     most three words of a passive "declared" between ("declares Lula persona non grata",
     *     "Lula foi declarado persona non grata": BRA), or empty
     */
    List<String> namedRightBefore(final int lo) {
      int end = lo - 1;
      boolean passive = false;
      while (end >= 0 && lo - end <= 3 && DECLARED.contains(word(end))) {
        passive |= PASSIVE.contains(word(end));
        end--;
      }
      if (!passive) {
        // "Russia has declared persona non grata ...": who declares is not whom it aims at.
        end = lo - 1;
      }
      for (final Gazetteer.Mention m : mentions) {
        if (m.last() > end) {
          break;
        }
        if (m.last() == end && states.contains(m.entry().code()) && (m.first() == 0 || !PLACE_WORDS.contains(word(m.first() - 1)))) {
          return List.of(m.entry().code());
        }
      }
      return List.of();
    }

    /**
     * @param lo a recall's first token
     * @param hi its last token
     * @return the states envoys are recalled from: those the span or the four words after it
     *     name, other than by an adjective, which names the envoys' own ("recalls its ambassador
     *     to Israel", "its ambassadors from Mali and Niger", "llamó a consultas a su embajador en
     *     Argentina", "ruft seinen Botschafter aus Israel zurück"), up to a word that turns to the
     *     envoy's home ("de volta ao Brasil")
     */
    List<String> postIn(final int lo, final int hi) {
      int end = hi + 4;
      for (int i = lo; i <= hi + 4 && i < tokens.size(); i++) {
        if (HOMEWARD.contains(word(i))) {
          end = i;
          break;
        }
      }
      List<String> out = List.of();
      for (final Gazetteer.Mention m : mentions) {
        if (m.first() > end) {
          break;
        }
        final String code = m.entry().code();
        if (m.last() >= lo && states.contains(code) && !m.entry().demonym() && !out.contains(code)) {
          if (out.isEmpty()) {
            out = new ArrayList<>(2);
          }
          out.add(code);
        }
      }
      return out;
    }

    /**
     * @param strong the states the item names plainly
     * @return the state of a dateline that opens the field ("YEREVAN, MARCH 29, ARMENPRESS.",
     *     "Baku, April 14, AZERTAC"): a place named first, in capitals or before a comma and a
     *     date; null when it opens otherwise
     */
    String dateline(final Set<String> strong) {
      if (mentions.isEmpty()) {
        return null;
      }
      final Gazetteer.Mention m = mentions.get(0);
      if (m.first() != 0 || !strong.contains(m.entry().code()) || m.entry().demonym()) {
        return null;
      }
      final String text = tokens.text();
      final String written = text.substring(tokens.start(m.first()), tokens.end(m.last()));
      final String alias = m.entry().alias();
      // In capitals where the gazetteer does not spell it so: "YEREVAN", not "DPRK".
      final boolean capitals =
          written.length() > 3
              && written.equals(written.toUpperCase(Locale.ROOT))
              && !written.equals(written.toLowerCase(Locale.ROOT))
              && !alias.equals(alias.toUpperCase(Locale.ROOT));
      final int after = tokens.end(m.last());
      final boolean beforeADate =
          after < text.length() && text.charAt(after) == ',' && m.last() + 3 < tokens.size() && containsDigit(text, after, tokens.end(m.last() + 3));
      return capitals || beforeADate ? m.entry().code() : null;
    }

    /**
     * @param strong the states the item names plainly
     * @return the state the field names first when it opens with "after" and that state ("Après
     *     l'Arabie saoudite, Bahreïn rompt ...", "Following Russia, ..."); null otherwise
     */
    String openedAfter(final Set<String> strong) {
      if (mentions.isEmpty()) {
        return null;
      }
      final Gazetteer.Mention m = mentions.get(0);
      if (m.first() < 1 || m.first() > 2 || !strong.contains(m.entry().code())) {
        return null;
      }
      return AFTER_WORDS.contains(word(0)) ? m.entry().code() : null;
    }

    private static boolean containsDigit(final String text, final int from, final int to) {
      for (int i = from; i < to && i < text.length(); i++) {
        if (Character.isDigit(text.charAt(i))) {
          return true;
        }
      }
      return false;
    }

    /**
     * @param strong the states the item names plainly
     * @param actors where to add the states it names, in order
     * @param opener the state of the field's first mention when that mention only sets the scene
     *     ({@link #dateline}, {@link #openedAfter}), which the caller adds after the others; or null
     */
    void confirmStates(final Set<String> strong, final Set<String> actors, final String opener) {
      for (final Gazetteer.Mention m : mentions) {
        final String code = m.entry().code();
        if (strong.contains(code)) {
          if (opener == null || m != mentions.get(0)) {
            actors.add(code);
          }
          states.add(code);
          stateHits.add(m.first());
          stateHits.add(m.last());
          if (firstState == null) {
            firstState = new String[tokens.sentences()];
            twoStates = new boolean[tokens.sentences()];
          }
          final int sentence = tokens.sentence(m.first());
          if (firstState[sentence] == null) {
            firstState[sentence] = code;
          } else if (!firstState[sentence].equals(code)) {
            twoStates[sentence] = true;
          }
        }
      }
    }

    /**
     * @param cues matches of a cue term, as (first, last) pairs ordered by first; may be null
     * @return how many start within [from, to]
     */
    private int count(final IntList cues, final int from, final int to) {
      if (cues == null || to < from) {
        return 0;
      }
      return lowerBound(cues, to + 1) - lowerBound(cues, from);
    }

    /** The number of pairs whose first token is below {@code token}. */
    private int lowerBound(final IntList pairs, final int token) {
      int lo = 0;
      int hi = pairs.size() / 2;
      while (lo < hi) {
        final int mid = (lo + hi) >>> 1;
        if (pairs.get(2 * mid) < token) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return lo;
    }

    private IntList cue(final int term) {
      return term < 0 ? null : hits[term];
    }

    void fire(final Rules.CategoryRules cr, final Gate rulesByTerm, final Gate blockersByTerm, final List<Firing> out) {
      denied = false;
      if (tokens.size() == 0) {
        return;
      }
      // Blockers and vetoes only cancel matches: they are looked for once a rule of the category
      // has a match for them to cancel, which most fields never give most categories.
      firing = cr;
      firingBlockers = blockersByTerm;
      cancelsFound = false;
      blocked = null;
      vetoed = null;
      visit(rulesByTerm, out, true);
    }

    /**
     * Finds the matches of the rules of a gate filed under a term this field matched, the only
     * ones that can match here, in the rules' order.
     */
    private void visit(final Gate gate, final List<Firing> out, final boolean scoring) {
      final long[] bits = new long[(gate.rules().size() + 63) >>> 6];
      for (int k = 0; k < matched.size(); k++) {
        mark(bits, gate.filedUnder(matched.get(k)));
      }
      if (stateHits.size() > 0) {
        mark(bits, gate.filedUnder(Rules.STATE_TERM));
      }
      if (numberHits.size() > 0) {
        mark(bits, gate.filedUnder(Rules.NUMBER_TERM));
      }
      for (int w = 0; w < bits.length; w++) {
        for (long word = bits[w]; word != 0; word &= word - 1) {
          matches(gate.rules().get(w * 64 + Long.numberOfTrailingZeros(word)), out, scoring);
        }
      }
    }

    private static void mark(final long[] bits, final int[] indexes) {
      for (final int index : indexes) {
        bits[index >>> 6] |= 1L << index;
      }
    }

    private void findCancels() {
      if (!cancelsFound) {
        blocked = blockedSpans(firingBlockers);
        vetoed = vetoedSentences(firing.vetoes(), firing.vetoReach());
        cancelsFound = true;
      }
    }

    /** The spans blockers cover, as (lo, hi) pairs, or null when no blocker matched. */
    private int[] blockedSpans(final Gate blockers) {
      final List<Firing> found = new ArrayList<>();
      visit(blockers, found, false);
      if (found.isEmpty()) {
        return null;
      }
      final int[] spans = new int[found.size() * 2];
      for (int k = 0; k < found.size(); k++) {
        final Firing f = found.get(k);
        // A sentence-wide blocker covers its whole sentence.
        final int sentence = tokens.sentence(f.lo);
        spans[2 * k] = f.rule.sentence() ? firstOf(sentence) : f.lo;
        spans[2 * k + 1] = f.rule.sentence() ? lastOf(sentence) : f.hi;
      }
      return spans;
    }

    private boolean[] vetoedSentences(final int[] vetoes, final int reach) {
      boolean[] vetoed = null;
      for (final int term : vetoes) {
        final IntList list = hits(term);
        if (list != null) {
          if (vetoed == null) {
            vetoed = new boolean[tokens.sentences()];
          }
          // A veto word colours its neighbourhood: the sentences on either side too.
          for (int k = 0; k < list.size(); k += 2) {
            final int sentence = tokens.sentence(list.get(k));
            for (int v = Math.max(0, sentence - reach); v <= Math.min(vetoed.length - 1, sentence + reach); v++) {
              vetoed[v] = true;
            }
          }
        }
      }
      return vetoed;
    }

    /**
     * Finds the rule's matches, at most one per sentence. When not {@code scoring} (blockers),
     * blockers, vetoes and guards are skipped and every match is reported.
     */
    private void matches(final Rules.Rule rule, final List<Firing> out, final boolean scoring) {
      final int[] terms = rule.terms();
      // Most rules miss a term in most fields: find that out before allocating anything.
      for (final int term : terms) {
        final IntList list = hits(term);
        if (list == null || list.size() == 0) {
          return;
        }
      }
      final IntList anchors = hits(terms[0]);
      final IntList[] others = new IntList[terms.length - 1];
      final int[] pointers = new int[terms.length - 1];
      for (int k = 1; k < terms.length; k++) {
        others[k - 1] = hits(terms[k]);
      }
      final int window = rule.window();
      // The tokens each term matched, so a blocker cancels a match only where it covers one of them.
      final int[] termFirst = new int[terms.length];
      final int[] termLast = new int[terms.length];
      int firedSentence = -1;
      for (int a = 0; a < anchors.size(); a += 2) {
        final int first = anchors.get(a);
        final int last = anchors.get(a + 1);
        final int sentence = tokens.sentence(first);
        if (scoring && sentence == firedSentence) {
          continue;
        }
        if (rule.twoStates() && (twoStates == null || !twoStates[sentence])) {
          continue;
        }
        if (rule.itemTwoStates() && itemStates < 2) {
          continue;
        }
        termFirst[0] = first;
        termLast[0] = last;
        int lo = first;
        int hi = last;
        boolean complete = true;
        final int clause = tokens.clause(first);
        for (int k = 0; k < others.length && complete; k++) {
          final IntList list = others[k];
          while (pointers[k] < list.size() && list.get(pointers[k]) < first - window) {
            pointers[k] += 2;
          }
          int bestLo = -1;
          int bestHi = -1;
          for (int q = pointers[k]; q < list.size() && list.get(q) <= first + window; q += 2) {
            final int b1 = list.get(q);
            final int b2 = list.get(q + 1);
            if (tokens.sentence(b1) != sentence) {
              continue;
            }
            if (rule.clause() && (tokens.clause(b1) != clause || tokens.clause(b2) != clause)) {
              continue;
            }
            if (rule.ordered()) {
              // Each term after the previous one ends; the earliest such match leaves the most
              // room for the terms still to come, so it is the one taken.
              if (b1 <= termLast[k]) {
                continue;
              }
              bestLo = lo;
              bestHi = Math.max(hi, b2);
              termFirst[k + 1] = b1;
              termLast[k + 1] = b2;
              break;
            }
            final int spanLo = Math.min(lo, b1);
            final int spanHi = Math.max(hi, b2);
            if (bestLo < 0 || spanHi - spanLo < bestHi - bestLo) {
              bestLo = spanLo;
              bestHi = spanHi;
              termFirst[k + 1] = b1;
              termLast[k + 1] = b2;
            }
          }
          if (bestLo < 0) {
            complete = false;
          } else {
            lo = bestLo;
            hi = bestHi;
          }
        }
        if (!complete || hi - lo + 1 > window) {
          continue;
        }
        if (scoring) {
          findCancels();
          if (blocked != null && anyBlocked(blocked, termFirst, termLast)) {
            continue;
          }
          if (vetoed != null && vetoed[sentence]) {
            continue;
          }
          if (rule.background() && backgroundAt(lo, hi, sentence)) {
            continue;
          }
          if (rule.guarded() && guardedOut(lo, hi, sentence)) {
            denied = denied || deniedAt(lo, sentence);
            continue;
          }
          firedSentence = sentence;
        }
        out.add(new Firing(this, rule, lo, hi));
      }
    }

    /** Whether any term's tokens overlap a blocker's span; blockers are few, so a linear scan. */
    private boolean anyBlocked(final int[] spans, final int[] firsts, final int[] lasts) {
      for (int k = 0; k < firsts.length; k++) {
        for (int b = 0; b < spans.length; b += 2) {
          if (firsts[k] <= spans[b + 1] && spans[b] <= lasts[k]) {
            return true;
          }
        }
      }
      return false;
    }

    /** True when a denial or negation, not a hypothetical or history, cancelled the match at lo. */
    private boolean deniedAt(final int lo, final int sentence) {
      final Rules.Settings s = rules.settings();
      return count(cue(rules.denial()), sentenceStartAfter(lo - s.denialBefore(), sentence), lo - 1) > 0
          || count(cue(rules.negation()), sentenceStartAfter(lo - s.negationBefore(), sentence), lo - 1) > 0
          || refutedAt(lo, sentence);
    }

    /** True when a negation, hypothetical or historical cue governs the span. */
    private boolean guardedOut(final int lo, final int hi, final int sentence) {
      prepareGuards();
      final Rules.Settings s = rules.settings();
      // Negation: within the clauses the span covers, a few tokens either side.
      int from = lo - s.negationBefore();
      int to = hi + s.negationAfter();
      from = Math.max(from, 0);
      to = Math.min(to, tokens.size() - 1);
      while (from < lo && tokens.clause(from) < tokens.clause(lo)) {
        from++;
      }
      while (to > hi && tokens.clause(to) > tokens.clause(hi)) {
        to--;
      }
      if (count(cue(rules.negation()), from, to) > 0) {
        return true;
      }
      // A denial governs a long complement: "denied media reports that it is massing troops".
      if (count(cue(rules.denial()), sentenceStartAfter(lo - s.denialBefore(), sentence), lo - 1) > 0) {
        return true;
      }
      // A claim called false later in its sentence: "reports of troops massing ... are inaccurate".
      if (refutedAt(hi, sentence)) {
        return true;
      }
      // Hypotheticals and history: before the span, in the same sentence.
      final int hypFrom = sentenceStartAfter(lo - s.hypotheticalBefore(), sentence);
      if (count(cue(rules.hypothetical()), hypFrom, lo - 1) > 0) {
        return true;
      }
      final int histFrom = sentenceStartAfter(lo - s.historicalBefore(), sentence);
      final int yearsTo = sentenceEndBefore(hi + s.historicalAfter(), sentence);
      final boolean historic =
          count(cue(rules.historical()), histFrom, yearsTo) + count(oldYears, histFrom, yearsTo) > 0;
      // "marking the 80th anniversary of victory in World War II" is about today.
      return historic && count(cue(rules.commemoration()), firstOf(sentence), lastOf(sentence)) == 0;
    }

    /**
     * True when a background cue sits a few tokens before the match, in the clause where it
     * starts, or inside it: "amid growing US sanctions on China", "despite years of trade
     * frictions between the countries" name a setting, not an event.
     */
    private boolean backgroundAt(final int lo, final int hi, final int sentence) {
      int from = sentenceStartAfter(lo - rules.settings().backgroundBefore(), sentence);
      while (from < lo && tokens.clause(from) < tokens.clause(lo)) {
        from++;
      }
      return count(cue(rules.background()), from, hi) > 0;
    }

    private boolean refutedAt(final int hi, final int sentence) {
      final int to = sentenceEndBefore(hi + rules.settings().refutationAfter(), sentence);
      return count(cue(rules.refutation()), hi + 1, to) > 0;
    }

    /**
     * The first token of a sentence (the first whose sentence id is not below it, or the token
     * count past the last sentence), from a table made on first use: guards ask often.
     */
    private int firstOf(final int sentence) {
      if (sentenceStarts == null) {
        // Sentence ids never decrease along the tokens.
        final int[] ids = tokens.sentenceArray();
        final int[] starts = new int[tokens.sentences() + 1];
        int s = 0;
        for (int i = 0; i < tokens.size(); i++) {
          while (s <= ids[i]) {
            starts[s++] = i;
          }
        }
        while (s < starts.length) {
          starts[s++] = tokens.size();
        }
        sentenceStarts = starts;
      }
      return sentence < sentenceStarts.length ? sentenceStarts[sentence] : tokens.size();
    }

    private int lastOf(final int sentence) {
      return firstOf(sentence + 1) - 1;
    }

    private int sentenceStartAfter(final int from, final int sentence) {
      return Math.max(from, firstOf(sentence));
    }

    private int sentenceEndBefore(final int to, final int sentence) {
      return Math.min(to, lastOf(sentence));
    }
  }
}
