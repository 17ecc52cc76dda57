package dev.outpost.classifier.story;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StoryBookTest {

  private static final long T0 = Instant.parse("2025-09-12T08:00:00Z").toEpochMilli();
  private static final long DAY = Duration.ofDays(1).toMillis();

  private static StoryCandidate alert(
      final String id, final Set<String> states, final long time, final String source, final String title, final StoryCandidate.Span... evidence) {
    return new StoryCandidate(id, "MILITARY_EXERCISE", states, time, source, title, "", null, "en", List.of(evidence));
  }

  private static StoryCandidate.Span named(final String text) {
    return new StoryCandidate.Span("title", 0, text.length(), text, "exercise.named");
  }

  @Test
  void wireCopiesFromThreeOutletsJoinOneStoryAndCountTheirSources() {
    final StoryBook book = new StoryBook(StoryRules.defaults());
    final String title = "Russia and Belarus begin Zapad-2025 joint military exercise";

    final StoryBook.Joined a = book.add(alert("a", Set.of("RUS", "BLR"), T0, "Reuters", title));
    final StoryBook.Joined b = book.add(alert("b", Set.of("RUS", "BLR"), T0 + 3_600_000, "AP", title));
    final StoryBook.Joined c = book.add(alert("c", Set.of("BLR", "RUS", "POL"), T0 + 7_200_000, "Reuters", title));

    assertThat(a.started()).isTrue();
    assertThat(b.started()).isFalse();
    assertThat(List.of(b.story().id(), c.story().id())).containsOnly(a.story().id());
    assertThat(c.story().itemCount()).isEqualTo(3);
    assertThat(c.story().sourceCount()).isEqualTo(2);
    assertThat(c.story().states()).containsExactly("BLR", "POL", "RUS");
    assertThat(c.story().itemIds()).containsExactly("a", "b", "c");
    assertThat(book.openCount()).isEqualTo(1);
  }

  @Test
  void twoExercisesOfTheSameStatesAWeekApartAreTwoStories() {
    final StoryBook book = new StoryBook(StoryRules.defaults());

    final String first =
        book.add(alert("fs", Set.of("KOR", "USA"), T0, "Yonhap", "Allies open Freedom Shield", named("Freedom Shield"))).story().id();
    final String second =
        book.add(alert("ss", Set.of("KOR", "USA"), T0 + 7 * DAY, "Yonhap", "Allies open Ssangyong drills", named("Ssangyong")))
            .story()
            .id();

    assertThat(second).isNotEqualTo(first);
  }

  @Test
  void anExerciseNamedAgainWeeksLaterStillJoinsItsStory() {
    final StoryBook book = new StoryBook(StoryRules.defaults());

    final String announced =
        book.add(alert("fs-1", Set.of("KOR", "USA"), T0, "Yonhap", "Allies to hold Freedom Shield next month", named("Freedom Shield")))
            .story()
            .id();
    final String started =
        book.add(alert("fs-2", Set.of("USA"), T0 + 20 * DAY, "KBS", "Freedom Shield 24 begins", named("Freedom Shield 24")))
            .story()
            .id();

    assertThat(started).isEqualTo(announced);
  }

  @Test
  void sharedStatesAloneDoNotChainAStoryPastAWeek() {
    final StoryBook book = new StoryBook(StoryRules.defaults());
    final String first = book.add(alert("d0", Set.of("USA", "CHN"), T0, "s", "Talks on trade")).story().id();

    String last = first;
    for (int day = 1; day <= 9; day++) {
      last = book.add(alert("d" + day, Set.of("USA", "CHN"), T0 + day * DAY, "s", "Another row, day " + day)).story().id();
    }

    assertThat(last).isNotEqualTo(first);
  }

  @Test
  void aStoryClosesAfterItsQuietPeriodAndTheNextAlertStartsAnother() {
    final StoryBook book = new StoryBook(StoryRules.defaults().withQuietPeriod(Duration.ofDays(3)));
    final String first = book.add(alert("a", Set.of("IRN"), T0, "s", "Iran drill", named("Great Prophet"))).story().id();

    assertThat(book.closeQuiet(T0 + 3 * DAY)).isEmpty();
    final List<OpenStory> closed = book.closeQuiet(T0 + 3 * DAY + 1);

    assertThat(closed).extracting(OpenStory::id).containsExactly(first);
    assertThat(closed.get(0).closed()).isTrue();
    assertThat(book.openCount()).isZero();
    assertThat(book.add(alert("b", Set.of("IRN"), T0 + 3 * DAY + 2, "s", "Iran drill", named("Great Prophet"))).story().id())
        .isNotEqualTo(first);
  }

  @Test
  void openStoriesStayWithinTheBoundAndTheQuietestClosesFirst() {
    final StoryBook book = new StoryBook(StoryRules.defaults().withMaxOpenStories(5));
    final List<String> states = List.of("AAA", "BBB", "CCC", "DDD", "EEE", "FFF", "GGG", "HHH");
    String firstId = null;
    int closed = 0;

    for (int i = 0; i < states.size(); i++) {
      final StoryBook.Joined j = book.add(alert("i" + i, Set.of(states.get(i)), T0 + i * 60_000L, "s", "Distinct event number " + i));
      firstId = firstId == null ? j.story().id() : firstId;
      closed += j.closed().size();
      if (i == 5) {
        assertThat(j.closed()).extracting(OpenStory::id).containsExactly(firstId);
      }
    }

    assertThat(book.openCount()).isEqualTo(5);
    assertThat(closed).isEqualTo(3);
  }

  @Test
  void aStoryReadBackFromItsBytesMatchesAsBefore() {
    final StoryBook book = new StoryBook(StoryRules.defaults());
    final OpenStory story =
        book.add(alert("a", Set.of("RUS", "BLR"), T0, "Reuters", "Zapad begins", named("Zapad-2025"))).story();

    final StoryBook restored = new StoryBook(StoryRules.defaults());
    restored.restore(OpenStory.fromBytes(story.toBytes()));
    final StoryBook.Joined joined = restored.add(alert("b", Set.of(), T0 + 10 * DAY, "TASS", "Учения", named("Zapad")));

    assertThat(joined.story().id()).isEqualTo(story.id());
    assertThat(joined.story().itemCount()).isEqualTo(2);
    assertThat(OpenStory.fromBytes(story.toBytes()).toBytes()).isEqualTo(story.toBytes());
    final OpenStory reply =
        book.add(tension("ru-1", states("RUS", "CZE"), T0, "Reuters", "Russia expels 20 Czech diplomats", expels("expels 20 Czech diplomats", "CZE"))).story();
    final OpenStory read = OpenStory.fromBytes(reply.toBytes());
    assertThat(read.primary()).isEqualTo("RUS");
    assertThat(read.targets()).containsExactly("CZE");
  }

  @Test
  void aStorysBytesStartWithItsHeadAndTheFieldsItsAlertsChangeAsFormatThreeWritesThem() throws java.io.IOException {
    final StoryBook book = new StoryBook(StoryRules.defaults());
    final String title = "Russia and Belarus begin Zapad-2025 joint military exercise";
    final OpenStory withLink =
        book.add(new StoryCandidate("a", "MILITARY_EXERCISE", Set.of("RUS", "BLR"), T0, "Reuters", title, "", "https://example.org/zapad", "en", List.of()))
            .story();
    final OpenStory withoutLink = book.add(alert("p", Set.of("FRA"), T0, "AFP", "Défilé du 14 juillet: les troupes sur les Champs-Élysées")).story();
    assertThat(withLink.toBytes()).startsWith(formatThreeHead(withLink));
    assertThat(withoutLink.toBytes()).startsWith(formatThreeHead(withoutLink));

    // The head is kept once written: the times and counts that follow must still be the story's.
    final OpenStory joined = book.add(alert("b", Set.of("RUS", "BLR"), T0 + 3_600_000, "AP", title)).story();
    assertThat(joined).isSameAs(withLink);
    assertThat(joined.itemCount()).isEqualTo(2);
    assertThat(joined.toBytes()).startsWith(formatThreeHead(joined));
    final OpenStory closed = book.closeQuiet(T0 + 60 * DAY).get(0);
    assertThat(closed.closed()).isTrue();
    assertThat(closed.toBytes()).startsWith(formatThreeHead(closed));
    assertThat(OpenStory.fromBytes(closed.toBytes()).toBytes()).isEqualTo(closed.toBytes());
  }

  /** What a story's bytes start with, as format 3 lays it down field by field. */
  private static byte[] formatThreeHead(final OpenStory story) throws java.io.IOException {
    final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
      out.writeByte(3);
      out.writeUTF(story.id());
      out.writeUTF(story.category());
      final byte[] title = story.title().getBytes(java.nio.charset.StandardCharsets.UTF_8);
      out.writeInt(title.length);
      out.write(title);
      out.writeBoolean(story.url() != null);
      if (story.url() != null) {
        final byte[] url = story.url().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(url.length);
        out.write(url);
      }
      out.writeLong(story.firstSeen());
      out.writeLong(story.lastSeen());
      out.writeInt(story.itemCount());
      out.writeInt(story.sourceCount());
      out.writeBoolean(story.closed());
    }
    return bytes.toByteArray();
  }

  private static Set<String> states(final String... codes) {
    return new LinkedHashSet<>(List.of(codes));
  }

  private static StoryCandidate tension(
      final String id, final Set<String> states, final long time, final String source, final String title, final StoryCandidate.Span... evidence) {
    return new StoryCandidate(id, "DIPLOMATIC_TENSION", states, time, source, title, "", null, "en", List.of(evidence));
  }

  private static StoryCandidate parade(final String id, final Set<String> states, final long time, final String source, final String title) {
    return new StoryCandidate(id, "PARADE", states, time, source, title, "", null, "en", List.of());
  }

  /** An expulsion's span, aimed at the one state it names, as the classifier gives it. */
  private static StoryCandidate.Span expels(final String text, final String... states) {
    return new StoryCandidate.Span("title", 0, text.length(), text, "tension.expel_diplomats", List.of(states), List.of(states));
  }

  private static StoryCandidate dispatch(final String id, final long time, final String source, final String title, final String count) {
    return new StoryCandidate(
        id,
        "TROOP_DISPATCH",
        states("USA", "IRQ"),
        time,
        source,
        title,
        "",
        null,
        "en",
        List.of(new StoryCandidate.Span("title", 0, count.length(), count, "dispatch.number_of_troops")));
  }

  private static StoryCandidate namedParade(final String id, final Set<String> states, final long time, final String source, final String title, final String name) {
    return new StoryCandidate(
        id, "PARADE", states, time, source, title, "", null, "es", List.of(new StoryCandidate.Span("title", 0, name.length(), name, "parade.named")));
  }

  @Test
  void aParadesOccasionWithoutAStateJoinsOnlyWithinTheJoinGap() {
    final StoryBook book = new StoryBook(StoryRules.defaults());

    final String mexico =
        book.add(namedParade("mx-1", states("MEX"), T0, "El Universal", "AMLO encabeza su último desfile militar en el Zócalo", "desfile militar")).story().id();
    final String sameDay =
        book.add(namedParade("mx-2", states(), T0 + 3_600_000, "Milenio", "Así se vivió el desfile militar del 16 de septiembre", "desfile militar")).story().id();
    final String chile =
        book.add(namedParade("cl-1", states(), T0 + 3 * DAY, "La Tercera", "La Parada Militar 2024 en imágenes", "parada militar")).story().id();

    assertThat(sameDay).isEqualTo(mexico);
    assertThat(chile).isNotEqualTo(mexico);
  }

  @Test
  void anExerciseJoinsByItsWholeNameWhicheverHostsItsReportsNameButNotByOneWordOfIt() {
    final StoryBook book = new StoryBook(StoryRules.defaults());

    final String poland = book.add(alert("b-1", states("POL"), T0, "PAP", "NATO's largest naval exercise BALTOPS 24 starts", named("BALTOPS 24"))).story().id();
    final String lithuania = book.add(alert("b-2", states("LTU"), T0 + DAY, "LRT", "BALTOPS begins off Klaipeda", named("BALTOPS"))).story().id();
    final String korea = book.add(alert("fs", states("KOR"), T0, "Yonhap", "Seoul opens Freedom Shield", named("Freedom Shield"))).story().id();
    final String indonesia = book.add(alert("gs", states("IDN"), T0 + DAY, "Antara", "Jakarta opens Garuda Shield", named("Garuda Shield"))).story().id();

    assertThat(lithuania).isEqualTo(poland);
    assertThat(indonesia).isNotEqualTo(korea);
  }

  @Test
  void twoExercisesThatShareOnlyTheUnitedStatesAreTwoStories() {
    final StoryBook book = new StoryBook(StoryRules.defaults());

    final String thailand = book.add(alert("cg-1", states("THA", "USA"), T0, "Reuters", "Thailand and US open annual military drills")).story().id();
    final String korea = book.add(alert("fs-1", states("USA", "KOR"), T0 + DAY, "AP", "US and South Korea open annual military drills")).story().id();
    final String thailandAgain =
        book.add(alert("cg-2", states("THA", "USA", "JPN"), T0 + DAY, "AFP", "Thailand and US open annual military drills with Japan")).story().id();

    assertThat(korea).isNotEqualTo(thailand);
    assertThat(thailandAgain).isEqualTo(thailand);
  }

  @Test
  void anotherDeploymentOfTheSameStatesDaysLaterIsToldByItsHeadCount() {
    final StoryBook book = new StoryBook(StoryRules.defaults());

    final String first = book.add(dispatch("a", T0, "Reuters", "Pentagon sends 750 more troops to the Middle East", "750 more troops")).story().id();
    final String copy = book.add(dispatch("b", T0 + DAY, "AP", "Pentagon sends about 750 more troops to the Middle East", "750 more troops")).story().id();
    final String second = book.add(dispatch("c", T0 + 2 * DAY, "Reuters", "Pentagon sends 3,000 more troops to the Middle East", "3,000 more troops")).story().id();
    final String secondCopy = book.add(dispatch("d", T0 + 2 * DAY + 3_600_000, "AP", "Pentagon sends up to 3,500 more troops to the Middle East", "3,500 more troops")).story().id();

    assertThat(copy).isEqualTo(first);
    assertThat(second).isNotEqualTo(first);
    assertThat(secondCopy).isEqualTo(second);
  }

  @Test
  void aReplyInKindTheNextDayIsAStoryOfItsOwn() {
    final StoryBook book = new StoryBook(StoryRules.defaults());

    final String czech =
        book.add(tension("cz-1", states("CZE", "RUS"), T0, "Reuters", "Czech Republic expels 18 Russian diplomats over depot blasts", expels("expels 18 Russian diplomats", "RUS")))
            .story()
            .id();
    final String copy =
        book.add(tension("cz-2", states("CZE", "RUS"), T0 + 3_600_000, "AP", "Czechs expel 18 Russian diplomats over depot blasts", expels("expel 18 Russian diplomats", "RUS")))
            .story()
            .id();
    final String reply =
        book.add(tension("ru-1", states("RUS", "CZE"), T0 + DAY, "Reuters", "Russia expels 20 Czech diplomats over depot blasts", expels("expels 20 Czech diplomats", "CZE")))
            .story()
            .id();

    assertThat(copy).isEqualTo(czech);
    assertThat(reply).isNotEqualTo(czech);
  }

  @Test
  void withoutEvidenceOfWhomAnActIsAimedAtTheSamePairTheNextDayStillJoins() {
    final StoryBook book = new StoryBook(StoryRules.defaults());

    final String czech =
        book.add(tension("cz-1", states("CZE", "RUS"), T0, "Reuters", "Czech Republic expels 18 Russian diplomats over depot blasts", expels("expels 18 diplomats")))
            .story()
            .id();
    final String next =
        book.add(tension("ru-1", states("RUS", "CZE"), T0 + DAY, "Reuters", "Russia expels 20 Czech diplomats over depot blasts", expels("expels 20 diplomats")))
            .story()
            .id();

    assertThat(next).isEqualTo(czech);
  }

  @Test
  void aRecallIsNotAReportOfTheExpulsionBeforeIt() {
    final StoryBook book = new StoryBook(StoryRules.defaults());
    final StoryCandidate.Span recall =
        new StoryCandidate.Span("title", 7, 35, "recalls its diplomatic staff", "tension.recall_envoy", List.of(), List.of());

    final String expulsion =
        book.add(tension("ec-1", states("ECU", "MEX"), T0, "Reuters", "Ecuador expels Mexico's ambassador over remarks", expels("expels Mexico's ambassador"))).story().id();
    final String copy =
        book.add(tension("ec-2", states("ECU", "MEX"), T0 + 3_600_000, "AP", "Ecuador declares Mexican ambassador persona non grata", expels("declares Mexican ambassador persona non grata")))
            .story()
            .id();
    final String next =
        book.add(tension("mx-1", states("MEX", "ECU"), T0 + DAY, "Reuters", "Mexico recalls its diplomatic staff from Ecuador", recall)).story().id();

    assertThat(copy).isEqualTo(expulsion);
    assertThat(next).isNotEqualTo(expulsion);
  }

  @Test
  void anActBetweenStatesJoinsOnlyAStoryOfBothSidesLedByAStateItsFirstReportNamed() {
    final StoryBook book = new StoryBook(StoryRules.defaults());

    final String saudi =
        book.add(tension("sa-1", states("SAU", "IRN"), T0, "Reuters", "Saudi Arabia severs diplomatic ties with Iran")).story().id();
    final String iran =
        book.add(tension("ir-1", states("IRN", "SAU"), T0 + 3_600_000, "AP", "Iran says Saudi Arabia cannot cover up its crime by severing ties")).story().id();
    final String sudan =
        book.add(tension("sd-1", states("SDN", "IRN", "SAU"), T0 + DAY, "AFP", "Sudan cuts diplomatic ties with Iran after Saudi Arabia")).story().id();
    final String ramming =
        book.add(tension("ph-1", states("CHN", "PHL"), T0, "Inquirer", "Chinese ship rams Philippine coast guard vessel")).story().id();
    final String survey =
        book.add(tension("jp-1", states("CHN", "JPN"), T0 + 3_600_000, "Kyodo", "Chinese survey ship enters Japanese waters off Kagoshima")).story().id();

    assertThat(iran).isEqualTo(saudi);
    assertThat(sudan).isNotEqualTo(saudi);
    assertThat(survey).isNotEqualTo(ramming);
  }

  @Test
  void aHostsReportsOfItsParadeInOneLanguageJoinHoweverTheyAreWorded() {
    final StoryBook book = new StoryBook(StoryRules.defaults());

    final String first =
        book.add(parade("a", states("RUS"), T0, "TASS", "Parade marks the 75th anniversary of the Victory, broadcast live")).story().id();
    final String second = book.add(parade("b", states("RUS"), T0 + 3_600_000, "RBC", "Tanks roll across Red Square on June 24")).story().id();
    final String weekLater = book.add(parade("c", states("RUS"), T0 + 7 * DAY, "RBC", "Navy Day: warships sail up the Neva")).story().id();

    assertThat(second).isEqualTo(first);
    assertThat(weekLater).isNotEqualTo(first);
  }

  @Test
  void reportsOfOneParadeNamingDifferentGuestsJoinItsHostAndAnotherHostsParadeDoesNot() {
    final StoryBook book = new StoryBook(StoryRules.defaults());

    final String moscow =
        book.add(parade("a", states("RUS", "CHN", "BRA"), T0, "Reuters", "Russia holds Victory Day parade on Red Square as Xi and Lula watch")).story().id();
    final String sameParade =
        book.add(parade("b", states("RUS", "UKR"), T0 + 3_600_000, "AP", "Russia holds Victory Day parade on Red Square as war in Ukraine goes on")).story().id();
    final String minsk =
        book.add(parade("c", states("BLR", "RUS"), T0 + 3_600_000, "Belta", "Belarus holds Victory Day parade in Minsk with Russian troops")).story().id();

    assertThat(sameParade).isEqualTo(moscow);
    assertThat(minsk).isNotEqualTo(moscow);
  }

  @Test
  void aStoryStoredByThePreviousFormatReadsBackAndStillTakesAlerts() {
    // Written by the story format before primary states and targets (format 1): one alert,
    // "Czech Republic expels 18 Russian diplomats", 2021-04-17.
    final byte[] format1 = Base64.getDecoder().decode("AQAQMjM0ZDQ2NGFmZmZmMjJjNAASRElQTE9NQVRJQ19URU5TSU9OAAAAKkN6ZWNoIFJlcHVibGljIGV4cGVscyAxOCBSdXNzaWFuIGRpcGxvbWF0cwAAAAF43SCIAAAAAXjdIIgAAAAAAQAAAAEAAAAAAgAAAANDWkUAAAADUlVTAAAAAgAAAANDWkUAAAADUlVTAAAAAQAAAAJlbgAAAAEAAAAHUmV1dGVycwAAAAEABXRpdGxlAAAADwAAACkAAAAbZXhwZWxzIDE4IFJ1c3NpYW4gZGlwbG9tYXRzABd0ZW5zaW9uLmV4cGVsX2RpcGxvbWF0cwAAAAEAAAAFb2xkLTEAAAABAAJlbkSXHaMVj2QkAyx9LhfFBqQaIkhiALRbsy/ImakgoivwFUOn+BIL+YULZuuTDL2sbAaijDEO5OqFIKHWiw64uIoJh5+ZDw1HrCOlk9sXKSTVALjVmQAFJ4ghJeqpFwIVGw1Fd2gZUUOqAXoJKwSAxh4HOsVGI3BpuwXmQr0/eSj7BIgRrDh+H1gf146hBzFk/zkCX0kGiSGDDSIaHQpx6IwzFEu3MKOYnwQUS5hKATNABzyAMhzj4SUF+E7NJANyJisq/EwpD8nmDJTE7jdUoTIMGRnFCutw4QYYdycyRqgnB16c+Tpc71ENNXmiCHwdVwK4HwoSaPqGIW3uDhYGYiMAAAAA");

    final OpenStory story = OpenStory.fromBytes(format1);

    assertThat(story.id()).isEqualTo("234d464affff22c4");
    assertThat(story.primary()).isEmpty();
    assertThat(story.targets()).isEmpty();

    final StoryBook book = new StoryBook(StoryRules.defaults());
    book.restore(story);
    final StoryBook.Joined joined =
        book.add(tension("cz-2", states("CZE", "RUS"), story.firstSeen() + 3_600_000, "AP", "Czech Republic expels 18 Russian diplomats", expels("expels 18 Russian diplomats", "RUS")));

    assertThat(joined.story().id()).isEqualTo(story.id());
    assertThat(joined.story().primary()).isEqualTo("CZE");
    assertThat(joined.story().targets()).containsExactly("RUS");
  }

  @Test
  void aStoryStoredByFormat2KeepsItsTargetsAndStillTellsAReplyInKind() {
    // Written by the story format before spans kept their targets (format 2, at a018eb9): one
    // alert, "Czech Republic expels 18 Russian diplomats", 2021-04-17.
    final byte[] format2 =
        Base64.getDecoder()
            .decode(
                "AgAQNTRlMDdmY2Q0NjkyZGMxYQASRElQTE9NQVRJQ19URU5TSU9OAAAAKkN6ZWNoIFJlcHVibGljIGV4cGVscyAxOCBSdXNzaWFuIGRpcGxvbWF0cwAAAAF44P1NAAAAAXjg/U0AAAAAAQAAAAEAAAAAAgAAAANDWkUAAAADUlVTAAAAAgAAAANDWkUAAAADUlVTAANDWkUAAAABAAAAA1JVUwAAAAEAAAACZW4AAAABAAAAB1JldXRlcnMAAAABAAV0aXRsZQAAAA8AAAAqAAAAG2V4cGVscyAxOCBSdXNzaWFuIGRpcGxvbWF0cwAXdGVuc2lvbi5leHBlbF9kaXBsb21hdHMAAAABAAAAA1JVUwAAAAEAAAAEY3otMQAAAAEAAmVuRJcdoxWPZCQDLH0uF8UGpBoiSGIAtFuzL8iZqSCiK/AVQ6f4Egv5hQtm65MMvaxsBqKMMQ7k6oUgodaLDri4igmHn5kPDUesI6WT2xcpJNUAuNWZAAUniCEl6qkXAhUbDUV3aBlRQ6oBegkrBIDGHgc6xUYjcGm7BeZCvT95KPsEiBGsOH4fWB/XjqEHMWT/OQJfSQaJIYMNIhodCnHojDMUS7cwo5ifBBRLmEoBM0AHPIAyHOPhJQX4Ts0kA3ImKyr8TCkPyeYMlMTuN1ShMgwZGcUK63DhBhh3JzJGqCcHXpz5OlzvUQ01eaIIfB1XArgfChJo+oYhbe4OFgZiIwAAAAA=");

    final OpenStory story = OpenStory.fromBytes(format2);

    assertThat(story.id()).isEqualTo("54e07fcd4692dc1a");
    assertThat(story.primary()).isEqualTo("CZE");
    assertThat(story.targets()).containsExactly("RUS");
    assertThat(story.evidence()).singleElement().satisfies(span -> {
      assertThat(span.states()).containsExactly("RUS");
      assertThat(span.targets()).isEmpty();
    });

    final StoryBook book = new StoryBook(StoryRules.defaults());
    book.restore(story);
    final String reply =
        book.add(tension("ru-1", states("RUS", "CZE"), story.firstSeen() + DAY, "Reuters", "Russia expels 20 Czech diplomats", expels("expels 20 Czech diplomats", "CZE"))).story().id();
    final String copy =
        book.add(tension("cz-2", states("CZE", "RUS"), story.firstSeen() + 3_600_000, "AP", "Czechs expel 18 Russian diplomats", expels("expel 18 Russian diplomats", "RUS"))).story().id();

    assertThat(reply).isNotEqualTo(story.id());
    assertThat(copy).isEqualTo(story.id());
    assertThat(OpenStory.fromBytes(book.get(story.id()).toBytes()).evidence()).anySatisfy(span -> assertThat(span.targets()).containsExactly("RUS"));
  }

  @Test
  void aStoryWrittenAfterEveryAlertEncodesAsOneWrittenOnceAtTheEnd() {
    final StoryBook everyTime = new StoryBook(StoryRules.defaults());
    final StoryBook once = new StoryBook(StoryRules.defaults());
    OpenStory written = null;
    OpenStory atTheEnd = null;
    for (int i = 0; i < 60; i++) {
      // New sources, states, evidence and names early on; after that only counts and times move.
      final StoryCandidate next =
          tension(
              "cz-" + i,
              i % 7 == 3 ? states("CZE", "RUS", "SVK") : states("CZE", "RUS"),
              T0 + i * 60_000L,
              "outlet-" + (i % 25),
              "Czech Republic expels 18 Russian diplomats over depot blasts",
              expels(i % 5 == 0 ? "expels 18 Russian diplomats" : "orders 18 Russian diplomats out", "RUS"));
      written = everyTime.add(next).story();
      final byte[] bytes = written.toBytes();
      assertThat(bytes).isNotEmpty();
      atTheEnd = once.add(next).story();
    }

    assertThat(written.itemCount()).isEqualTo(60);
    assertThat(written.toBytes()).isEqualTo(atTheEnd.toBytes());
    final OpenStory read = OpenStory.fromBytes(written.toBytes());
    assertThat(read.toBytes()).isEqualTo(written.toBytes());
    assertThat(read.evidence()).allSatisfy(e -> assertThat(e.states()).containsExactly("RUS"));
  }

  @Test
  void storyIdsDependOnlyOnTheCategoryAndTheFirstItem() {
    assertThat(OpenStory.idFor("PARADE", "item-1")).isEqualTo(OpenStory.idFor("PARADE", "item-1")).hasSize(16);
    assertThat(OpenStory.idFor("PARADE", "item-1")).isNotEqualTo(OpenStory.idFor("MILITARY_EXERCISE", "item-1"));
  }

  @Test
  void corruptStateIsRefusedWithTheReason() {
    assertThatThrownBy(() -> OpenStory.fromBytes(new byte[] {9})).hasMessageContaining("unknown story state format 9");
    assertThatThrownBy(() -> OpenStory.fromBytes(new byte[] {1, 0})).hasMessageContaining("truncated or corrupt");
  }

  @Test
  void badRulesAreRefusedNamingTheValue() {
    assertThatThrownBy(() -> new StoryRules(Duration.ofDays(2), Duration.ofDays(1), 0.3, 10)).hasMessageContaining("quiet period");
    assertThatThrownBy(() -> new StoryRules(Duration.ofDays(2), Duration.ofDays(3), 0.0, 10)).hasMessageContaining("text threshold");
    assertThatThrownBy(() -> StoryRules.defaults().withMaxOpenStories(0)).hasMessageContaining("max open stories");
  }
}
