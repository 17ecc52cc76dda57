package dev.outpost.classifier.story;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The open stories of one stream task, and the rule that puts each alert into one of them or
 * into a new one.
 *
 * <p>An alert joins an open story of its category when
 *
 * <ul>
 *   <li>their states agree with those of the story's first alert (at least half in common), they
 *       are at most {@link StoryRules#joinGap()} apart in event time, and the story started at
 *       most a week before; or
 *   <li>evidence of both names the same exercise or parade ("Freedom Shield", "Zapad"), they share
 *       a state or one of them has none (for a parade's occasion, which several states share,
 *       only within the join gap), and the story is still open; an exercise's whole name joins
 *       whatever states the reports name, since each host reports it in turn; or
 *   <li>one of them has no states, they are within the join gap, and their sketches of title and
 *       evidence are at least {@link StoryRules#textThreshold()} alike.
 * </ul>
 *
 * Neither states nor text join an alert to a story whose act is aimed elsewhere (a reply in kind:
 * "Russia expels 20 Czech diplomats" after "Czech Republic expels 18 Russian diplomats"), nor to
 * one whose head counts are far from its own (750 troops against 3,000), nor to one that leads
 * with another envoy act (a recall after an expulsion). Text is held to the story's reports in
 * the alert's language, except for a parade's host within the join gap: a state holds one parade
 * in a few days, however its reports word it.
 *
 * Of several such stories it joins the most alike: sketch similarity, plus the share of states in
 * common, plus one for a shared name; ties go to the older story, then the smaller id, so the
 * result depends only on the alerts and their order. Candidates come from indexes by state, by
 * name and by the sketch's LSH bands, never from a scan of every open story. Only a shared name
 * joins an alert to a story more than the join gap away from it, and the name index finds those;
 * so the state index is read from twice the join gap before the alert on (it keeps each state's
 * stories in order of their last alert, as of at most the join gap ago, so that a story is moved
 * in it at most once a join gap), and a story either index finds that is more than the join gap
 * away is passed over unscored. A busy state's stories of the quiet period (30 days by default)
 * then cost an alert nothing, which matters most when history is replayed.
 *
 * <p>Not thread-safe: one per stream task.
 */
public final class StoryBook {

  /**
   * What adding an alert did.
   *
   * @param story the story it joined, or started, as it is now
   * @param started whether the alert started it
   * @param closed stories closed early to stay within {@link StoryRules#maxOpenStories()}
   */
  public record Joined(OpenStory story, boolean started, List<OpenStory> closed) {}

  /**
   * A category and a state or a name, as an index key. Each alert looks up a few dozen of them, and
   * a key made by joining the two into a new string would have its hash worked out each time; the
   * category and the state or name here keep theirs.
   */
  private record Key(String category, String value) {
    @Override
    public int hashCode() {
      return 31 * category.hashCode() + value.hashCode();
    }

    @Override
    public boolean equals(final Object o) {
      return o instanceof Key k && category.equals(k.category) && value.equals(k.value);
    }
  }

  /** A category and an LSH band, as an index key. */
  private record Band(String category, long band) {
    @Override
    public int hashCode() {
      return 31 * category.hashCode() + Long.hashCode(band);
    }

    @Override
    public boolean equals(final Object o) {
      return o instanceof Band b && band == b.band && category.equals(b.category);
    }
  }

  private record Expiry(long lastSeen, String id) implements Comparable<Expiry> {
    @Override
    public int compareTo(final Expiry o) {
      final int c = Long.compare(lastSeen, o.lastSeen);
      return c != 0 ? c : id.compareTo(o.id);
    }
  }

  /**
   * A story as the state index files it: ordered, and found to be removed, by its {@link
   * OpenStory#filedAt} and id alone; the story rides along so that a lookup needs no second one.
   */
  private record Filed(long at, String id, OpenStory story) implements Comparable<Filed> {
    @Override
    public int compareTo(final Filed o) {
      final int c = Long.compare(at, o.at);
      return c != 0 ? c : id.compareTo(o.id);
    }
  }

  /**
   * How much an alert joining on states must agree with the states of the story's first alert: a
   * third of the states either names (Jaccard), so "KOR, USA" joins "KOR, PRK, USA". Below {@link
   * #CLOSE_AGREEMENT}, each must also name the state the other names first: "USA, KOR" does not
   * join "THA, USA" (two exercises that share the United States), nor "USA" "AUS, PRK, USA",
   * while "THA, USA, JPN" joins "THA, USA". Held to the first alert's states, not to all the
   * story gathered, so a story cannot drift from "KOR, USA" to every alert naming the USA. A
   * parade's reports need only name the same state first (its host), since their guests differ.
   */
  static final double STATE_AGREEMENT = 1.0 / 3;

  /**
   * The agreement from which states alone are enough, whichever state each names first: half the
   * states either names ("RUS" and "RUS, UKR"; "RUS, BLR" and "RUS, BLR, POL, LTU"). Acts
   * between states need it, since an act has two sides ("CHN, PHL" does not join "CHN, JPN",
   * China's ramming of a Philippine ship and its survey ship off Kagoshima the same day), and the
   * state the alert names first must be one the story's first alert names.
   */
  static final double CLOSE_AGREEMENT = 0.5;

  /**
   * How alike the text of an alert joining on states must be to the story's alerts in its own
   * language, when there are any: 7% of words in common, estimated by MinHash. Two reports of one
   * event share their names, places and figures; two events of the same states on the same day
   * seldom share that much. It was 10%: with 64 hashes a pair truly 10% alike falls below 0.1
   * about half the time. On the tuning part (87 events), 7% finds more same-event pairs than 10%
   * (recall 0.817 against 0.778) at the same precision; 5% finds a few more still, but with every
   * family at once its precision falls from 0.691 to 0.667 (measured before the demo's two
   * reports of one act joined the tuning part).
   */
  static final double SAME_LANGUAGE_TEXT = 0.07;

  private static final String PARADE = "PARADE";

  private static final int EXPULSION = 1;

  private static final int RECALL = 2;

  private static final String EXERCISE = "MILITARY_EXERCISE";

  private static final String TENSION = "DIPLOMATIC_TENSION";

  /**
   * The oldest a story may be for an alert to join it on shared states alone: a week. Without it
   * a busy pair of states would chain one story for ever, each alert within the join gap of the
   * last.
   */
  static final long STATE_JOIN_MAX_AGE = java.time.Duration.ofDays(7).toMillis();
  private final StoryRules rules;
  private final Map<String, OpenStory> open = new HashMap<>();
  /** By category and state, its stories in order of {@link OpenStory#filedAt}. */
  private final Map<Key, TreeSet<Filed>> byState = new HashMap<>();
  /** By category and name, its stories. */
  private final Map<Key, Set<OpenStory>> byName = new HashMap<>();
  /** By category and LSH band of a member's sketch, its stories. */
  private final Map<Band, Set<OpenStory>> byBand = new HashMap<>();
  private final TreeSet<Expiry> byLastSeen = new TreeSet<>();
  private final boolean skipFar;
  /** How many alerts were placed: each marks the stories it scores with its number. */
  private long visits;
  /** Stories the indexes found and {@link #consider} passed over as too far away; for tests. */
  private long passedOver;

  /**
   * @param rules when alerts join
   */
  public StoryBook(final StoryRules rules) {
    this(rules, true);
  }

  /**
   * @param rules when alerts join
   * @param skipFar whether stories the state and band indexes find more than the join gap away
   *     are passed over unscored; false only in tests, which hold the choices to be the same
   */
  StoryBook(final StoryRules rules, final boolean skipFar) {
    this.rules = Objects.requireNonNull(rules, "rules");
    this.skipFar = skipFar;
  }

  /**
   * @return the rules
   */
  public StoryRules rules() {
    return rules;
  }

  /** @return how many stories the indexes found that were passed over as too far away */
  long passedOver() {
    return passedOver;
  }

  /**
   * @return how many stories are open
   */
  public int openCount() {
    return open.size();
  }

  /**
   * @param id a story id
   * @return the open story of that id, or null
   */
  public OpenStory get(final String id) {
    return open.get(id);
  }

  /**
   * Puts back a story read from a state store, as after a restart or a rebalance.
   *
   * @param story an open story
   */
  public void restore(final OpenStory story) {
    if (!story.closed()) {
      story.filedAt = story.lastSeen();
      index(story, story.stateSet(), story.names(), story.members());
      open.put(story.id(), story);
      byLastSeen.add(new Expiry(story.lastSeen(), story.id()));
    }
  }

  /**
   * @param alert an alert
   * @return the story it joined or started
   */
  public Joined add(final StoryCandidate alert) {
    return add(alert, StoryText.itemSketch(alert.title(), alert.lead()));
  }

  /**
   * @param alert an alert
   * @param itemSketch {@link StoryText#itemSketch} of its item's title and lead, computed once for
   *     all the item's alerts
   * @return the story it joined or started
   */
  public Joined add(final StoryCandidate alert, final int[] itemSketch) {
    final List<String> texts = new ArrayList<>(alert.evidence().size());
    final List<String> namedEvidence = new ArrayList<>();
    for (final StoryCandidate.Span span : alert.evidence()) {
      texts.add(span.text());
      if (StoryText.namesEvent(span.ruleId())) {
        namedEvidence.add(span.text());
      }
    }
    final int[] sketch = StoryText.union(itemSketch, StoryText.sketchOf(texts));
    final Set<String> names = StoryText.names(namedEvidence);
    final OpenStory best =
        best(
            new Probe(
                alert, alert.primary(), sketch, names, StoryText.targets(alert.evidence()), StoryText.headCounts(alert.evidence()), envoyAct(alert.evidence())));
    if (best == null) {
      final OpenStory story = OpenStory.start(alert, sketch, names);
      story.filedAt = story.lastSeen();
      open.put(story.id(), story);
      byLastSeen.add(new Expiry(story.lastSeen(), story.id()));
      index(story, story.stateSet(), names, story.members());
      final List<OpenStory> closed = new ArrayList<>();
      while (open.size() > rules.maxOpenStories()) {
        closed.add(close(byLastSeen.first().id()));
      }
      return new Joined(story, true, closed);
    }
    byLastSeen.remove(new Expiry(best.lastSeen(), best.id()));
    final int membersBefore = best.members().size();
    final Set<String> newStates = new HashSet<>(alert.states());
    newStates.removeAll(best.stateSet());
    final Set<String> newNames = new HashSet<>(names);
    newNames.removeAll(best.names());
    best.add(alert, sketch, names);
    byLastSeen.add(new Expiry(best.lastSeen(), best.id()));
    if (best.lastSeen() - best.filedAt > rules.joinGap().toMillis()) {
      // Its states are filed under a last alert more than the join gap old: file them anew.
      final Filed filed = new Filed(best.filedAt, best.id(), best);
      final Filed now = new Filed(best.lastSeen(), best.id(), best);
      for (final String state : best.stateSet()) {
        if (!newStates.contains(state)) {
          final TreeSet<Filed> stories = byState.get(new Key(best.category(), state));
          stories.remove(filed);
          stories.add(now);
        }
      }
      best.filedAt = best.lastSeen();
    }
    newNames.retainAll(best.names());
    index(best, newStates, newNames, best.members().subList(membersBefore, best.members().size()));
    return new Joined(best, false, List.of());
  }

  /**
   * Closes every story nothing joined for the quiet period.
   *
   * @param streamTime the task's stream time, epoch millis
   * @return the stories closed, oldest first
   */
  public List<OpenStory> closeQuiet(final long streamTime) {
    final long horizon = streamTime - rules.quietPeriod().toMillis();
    final List<OpenStory> closed = new ArrayList<>();
    while (!byLastSeen.isEmpty() && byLastSeen.first().lastSeen() < horizon) {
      closed.add(close(byLastSeen.first().id()));
    }
    return closed;
  }

  private OpenStory close(final String id) {
    final OpenStory story = open.remove(id);
    byLastSeen.remove(new Expiry(story.lastSeen(), id));
    final Filed filed = new Filed(story.filedAt, id, story);
    for (final String state : story.stateSet()) {
      unindex(byState, new Key(story.category(), state), filed);
    }
    for (final String name : story.names()) {
      unindex(byName, new Key(story.category(), name), story);
    }
    for (final OpenStory.Member member : story.members()) {
      for (final long band : StoryText.bands(member.sketch())) {
        unindex(byBand, new Band(story.category(), band), story);
      }
    }
    story.close();
    return story;
  }

  private OpenStory best(final Probe probe) {
    // Candidates are visited in no particular order: the choice below breaks every tie, so it
    // does not depend on the order.
    final StoryCandidate alert = probe.alert();
    final long visit = ++visits;
    final Choice choice = new Choice();
    // Stories whose last alert came more than the join gap before this one's are too far for
    // states or text to join; those a name can join are in the name index. A story is filed under
    // a last alert at most the join gap older than its own.
    final long joinGap = rules.joinGap().toMillis();
    final Filed near = new Filed(saturatedMinus(saturatedMinus(alert.eventTime(), joinGap), joinGap), "", null);
    for (final String state : alert.states()) {
      final TreeSet<Filed> stories = byState.get(new Key(alert.category(), state));
      if (stories != null) {
        for (final Filed f : skipFar ? stories.tailSet(near, true) : stories) {
          consider(f.story(), visit, probe, choice, skipFar);
        }
      }
    }
    for (final String name : probe.names()) {
      consider(byName.get(new Key(alert.category(), name)), visit, probe, choice, false);
    }
    for (final long band : StoryText.bands(probe.sketch())) {
      consider(byBand.get(new Band(alert.category(), band)), visit, probe, choice, skipFar);
    }
    return choice.best;
  }

  /** a - b for b >= 0, or the least long when that would wrap. */
  private static long saturatedMinus(final long a, final long b) {
    return a < Long.MIN_VALUE + b ? Long.MIN_VALUE : a - b;
  }

  /**
   * How far apart in event time an alert and a story are: zero when the alert falls within the
   * story's span.
   */
  private static long gap(final OpenStory story, final long eventTime) {
    return Math.max(0, Math.max(story.firstSeen() - eventTime, eventTime - story.lastSeen()));
  }

  /**
   * An alert being placed, with what is worked out from it once rather than once a candidate.
   *
   * @param alert the alert
   * @param primary its {@link StoryCandidate#primary()}
   * @param sketch the sketch of its title, lead and evidence
   * @param names the event names its evidence gives
   * @param targets the states its evidence names as the ones its act is aimed at
   * @param headCounts the head counts its evidence gives
   * @param act the envoy act its evidence leads with ({@link #envoyAct})
   */
  private record Probe(
      StoryCandidate alert, String primary, int[] sketch, Set<String> names, Set<String> targets, Set<Long> headCounts, int act) {}

  /** The most alike story found so far, and its score. */
  private static final class Choice {
    private OpenStory best;
    private double score = -1;
  }

  private void consider(final Set<OpenStory> stories, final long visit, final Probe probe, final Choice choice, final boolean skipFar) {
    if (stories == null) {
      return;
    }
    for (final OpenStory story : stories) {
      consider(story, visit, probe, choice, skipFar);
    }
  }

  /**
   * Scores the story unless it was scored already or, with skipFar, is more than the join gap
   * away from the alert: then it is left unseen, for the name index to find if a name joins it.
   */
  private void consider(final OpenStory story, final long visit, final Probe probe, final Choice choice, final boolean skipFar) {
    if (skipFar && gap(story, probe.alert().eventTime()) > rules.joinGap().toMillis()) {
      passedOver++;
      return;
    }
    if (story.visit != visit) {
      story.visit = visit;
      final double score = score(story, probe);
      if (score > choice.score
          || (score == choice.score
              && score >= 0
              && (story.firstSeen() < choice.best.firstSeen()
                  || (story.firstSeen() == choice.best.firstSeen() && story.id().compareTo(choice.best.id()) < 0)))) {
        choice.best = story;
        choice.score = score;
      }
    }
  }

  /**
   * @return how alike the alert and the story are, when it may join it: text similarity, plus
   *     the share of states in common, plus one for a shared name; else -1. The cheap tests come
   *     first, so the sketches are compared only for stories the alert might join: a busy state
   *     indexes many stories of the last weeks, and most are past the join gap.
   */
  private double score(final OpenStory story, final Probe probe) {
    final StoryCandidate alert = probe.alert();
    final long gap = gap(story, alert.eventTime());
    if (gap > rules.quietPeriod().toMillis()) {
      return -1;
    }
    final long joinGap = rules.joinGap().toMillis();
    int shared = 0;
    int sharedWithFounder = 0;
    for (final String state : alert.states()) {
      if (story.hasState(state)) {
        shared++;
      }
      if (story.hasFounder(state)) {
        sharedWithFounder++;
      }
    }
    final boolean stateless = alert.states().isEmpty() || story.stateSet().isEmpty();
    boolean named = false;
    for (final String name : probe.names()) {
      named |= story.names().contains(name);
    }
    final long sinceStart = Math.abs(alert.eventTime() - story.firstSeen());
    final int founderUnion = story.founders().size() + alert.states().size() - sharedWithFounder;
    final double agreement = founderUnion == 0 ? 0 : sharedWithFounder / (double) founderUnion;
    final boolean primariesShared = alert.states().contains(story.primary()) && story.hasState(probe.primary());
    // Of acts between states, the state a report names first is most often the one acting: "Sudan
    // cuts diplomatic ties with Iran" does not join "Saudi Arabia severs ties with Iran", whose
    // first report does not name Sudan, however many states they share.
    final boolean leadKnown = !TENSION.equals(alert.category()) || probe.primary().isEmpty() || story.hasFounder(probe.primary());
    final boolean sameStates =
        (agreement >= STATE_AGREEMENT && ((agreement >= CLOSE_AGREEMENT && leadKnown) || (primariesShared && !TENSION.equals(alert.category()))))
            || sameHost(story, probe);
    // A reply in kind names the same two states the act it answers named, and is a story of its
    // own: "Russia expels 20 Czech diplomats" does not join "Czech Republic expels 18 Russian
    // diplomats", whatever the day.
    final boolean otherTarget =
        !probe.targets().isEmpty() && !story.targets().isEmpty() && Collections.disjoint(probe.targets(), story.targets());
    // So is another deployment of the same states days later: "750 troops" after an embassy
    // attack, "3,000 more troops" after a strike three days on.
    final boolean otherCount = !StoryText.headCountsAgree(probe.headCounts(), story.headCounts());
    // And a recall is not an expulsion: "Mexico recalls its diplomats" after "Ecuador expels
    // Mexico's ambassador" is the next act of the row, not a report of the first.
    final boolean otherAct = otherAct(story, probe);
    final boolean byStates = !otherTarget && !otherCount && !otherAct && shared > 0 && gap <= joinGap && sinceStart <= STATE_JOIN_MAX_AGE && sameStates;
    // An exercise's whole name joins whatever states its reports name (BALTOPS is reported by
    // each host in turn); a word in common ("Shield" of Freedom Shield and Garuda Shield) does not.
    final boolean sameExerciseName =
        EXERCISE.equals(alert.category())
            && !probe.names().isEmpty()
            && !story.names().isEmpty()
            && (story.names().containsAll(probe.names()) || probe.names().containsAll(story.names()));
    // A parade's name is its occasion, which several states share ("Victory Day" in Moscow and
    // Minsk, "desfile militar" in Mexico City and Santiago): without a state in common it joins
    // only within the join gap, as text does.
    final boolean byName =
        (named && (shared > 0 || (stateless && (!PARADE.equals(alert.category()) || gap <= joinGap)))) || sameExerciseName;
    final boolean byText = !otherTarget && !otherCount && !otherAct && stateless && gap <= joinGap;
    if (!byStates && !byName && !byText) {
      return -1;
    }
    double similarity = 0;
    boolean sameLanguage = false;
    for (final OpenStory.Member member : story.members()) {
      if (member.language().equals(alert.language())) {
        sameLanguage = true;
        similarity = Math.max(similarity, StoryText.similarity(probe.sketch(), member.sketch()));
      }
    }
    // Text says something only within one language; across languages states and names decide.
    // A state holds one military parade in a few days, so its host's reports of one join however
    // their words differ ("Парад в честь 75-й годовщины Победы" and "Парад Победы прошел на
    // Красной площади").
    final boolean textAgrees = !sameLanguage || similarity >= SAME_LANGUAGE_TEXT || (sameHost(story, probe) && gap <= joinGap);
    if (!((byStates && textAgrees) || byName || (byText && similarity >= rules.textThreshold()))) {
      return -1;
    }
    // The size of the union of both states, without building it: the alert's states are a set,
    // and shared counts those the story has too.
    final int union = story.stateSet().size() + alert.states().size() - shared;
    return similarity + (union == 0 ? 0 : shared / (double) union) + (named ? 1 : 0);
  }

  /** An envoy act by the rule that found it: an expulsion, a recall, or neither (0). */
  private static int envoyAct(final List<StoryCandidate.Span> spans) {
    for (final StoryCandidate.Span span : spans) {
      final String rule = span.ruleId();
      if (rule.endsWith(".expel_diplomats")
          || rule.endsWith(".expel_envoy")
          || rule.endsWith(".persona_non_grata")
          || rule.endsWith(".envoy_told_to_leave")) {
        return EXPULSION;
      }
      if (rule.endsWith(".recall_envoy")) {
        return RECALL;
      }
    }
    return 0;
  }

  /**
   * Whether the alert leads with an expulsion and the story with a recall, or the other way
   * round: the first envoy act of each, by its evidence, headline first.
   */
  private static boolean otherAct(final OpenStory story, final Probe probe) {
    final int alertAct = probe.act();
    if (alertAct == 0) {
      return false;
    }
    final int storyAct = envoyAct(story.evidence());
    return storyAct != 0 && storyAct != alertAct;
  }

  /**
   * A parade belongs to the state that holds it, whoever else comes to watch: reports of one
   * parade name different guests ("with Putin and Kim", "before 26 foreign leaders"), but name
   * the host first.
   */
  private static boolean sameHost(final OpenStory story, final Probe probe) {
    return PARADE.equals(probe.alert().category()) && !story.primary().isEmpty() && story.primary().equals(probe.primary());
  }

  private void index(
      final OpenStory story, final Collection<String> states, final Collection<String> names, final List<OpenStory.Member> sketches) {
    final Filed filed = new Filed(story.filedAt, story.id(), story);
    for (final String state : states) {
      byState.computeIfAbsent(new Key(story.category(), state), k -> new TreeSet<>()).add(filed);
    }
    for (final String name : names) {
      byName.computeIfAbsent(new Key(story.category(), name), k -> new HashSet<>()).add(story);
    }
    for (final OpenStory.Member member : sketches) {
      for (final long band : StoryText.bands(member.sketch())) {
        byBand.computeIfAbsent(new Band(story.category(), band), k -> new HashSet<>()).add(story);
      }
    }
  }

  private static <K, T> void unindex(final Map<K, ? extends Set<T>> index, final K key, final T entry) {
    final Set<T> entries = index.get(key);
    if (entries != null) {
      entries.remove(entry);
      if (entries.isEmpty()) {
        index.remove(key);
      }
    }
  }
}
