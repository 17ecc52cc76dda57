package dev.outpost.registry.server;

import static dev.outpost.registry.server.RegistryHttp.schemaBody;
import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.registry.CompatibilityLevel;
import dev.outpost.registry.server.RegistryHttp.Reply;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * All seven compatibility levels over HTTP: each case registers a chain of earlier versions under
 * a fresh subject set to the level, then registers a candidate and expects 200 or 409.
 */
class CompatibilityModesTest {

  private static final Set<CompatibilityLevel> ALL = EnumSet.allOf(CompatibilityLevel.class);

  /** One change: earlier versions, the candidate, and the levels that accept it. */
  private record Change(String name, List<String> chain, String candidate, Set<CompatibilityLevel> accepting) {}

  private static final List<Change> CHANGES =
      List.of(
          new Change("add field with default", List.of(Schemas.V1), Schemas.V2, ALL),
          new Change(
              "add field without default",
              List.of(Schemas.V1),
              Schemas.V2_NO_DEFAULT,
              EnumSet.of(
                  CompatibilityLevel.NONE,
                  CompatibilityLevel.FORWARD,
                  CompatibilityLevel.FORWARD_TRANSITIVE)),
          new Change("remove field that had a default", List.of(Schemas.V2), Schemas.V1, ALL),
          new Change(
              "remove field without default",
              List.of(Schemas.V2_NO_DEFAULT),
              Schemas.V1,
              EnumSet.of(
                  CompatibilityLevel.NONE,
                  CompatibilityLevel.BACKWARD,
                  CompatibilityLevel.BACKWARD_TRANSITIVE)),
          new Change(
              "promote int to long",
              List.of(Schemas.V1),
              Schemas.alert(Schemas.A_LONG),
              EnumSet.of(
                  CompatibilityLevel.NONE,
                  CompatibilityLevel.BACKWARD,
                  CompatibilityLevel.BACKWARD_TRANSITIVE)),
          new Change(
              "demote long to int",
              List.of(Schemas.alert(Schemas.A_LONG)),
              Schemas.V1,
              EnumSet.of(
                  CompatibilityLevel.NONE,
                  CompatibilityLevel.FORWARD,
                  CompatibilityLevel.FORWARD_TRANSITIVE)),
          new Change(
              "change int to string",
              List.of(Schemas.V1),
              Schemas.alert(Schemas.A_STRING),
              EnumSet.of(CompatibilityLevel.NONE)),
          // v1 {a}, v2 {a, b="x"}, then {a, b}: v3 reads v2 data, but not v1's (b has no default).
          new Change(
              "chain: drop the default of a field v1 lacked",
              List.of(Schemas.V1, Schemas.V2),
              Schemas.V2_NO_DEFAULT,
              EnumSet.of(
                  CompatibilityLevel.NONE,
                  CompatibilityLevel.BACKWARD,
                  CompatibilityLevel.FORWARD,
                  CompatibilityLevel.FORWARD_TRANSITIVE,
                  CompatibilityLevel.FULL)),
          // v1 {a, b}, v2 {a, b="x"}, then {a}: v2 readers default b, v1 readers cannot.
          new Change(
              "chain: remove a field v1 required",
              List.of(Schemas.V2_NO_DEFAULT, Schemas.V2),
              Schemas.V1,
              EnumSet.of(
                  CompatibilityLevel.NONE,
                  CompatibilityLevel.BACKWARD,
                  CompatibilityLevel.BACKWARD_TRANSITIVE,
                  CompatibilityLevel.FORWARD,
                  CompatibilityLevel.FULL)));

  private static RegistryServer server;
  private static RegistryHttp http;
  private static int subjects;

  @BeforeAll
  static void start() {
    server = RegistryServer.builder().build();
    server.start();
    http = new RegistryHttp(server.url());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Stream<Arguments> cases() {
    final List<Arguments> cases = new ArrayList<>();
    for (final Change change : CHANGES) {
      for (final CompatibilityLevel level : CompatibilityLevel.values()) {
        cases.add(Arguments.of(level, change.name(), change, change.accepting().contains(level)));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}: {1} -> compatible={3}")
  @MethodSource("cases")
  void registrationFollowsTheLevel(
      final CompatibilityLevel level,
      final String name,
      final Change change,
      final boolean compatible) {
    final String subject = "modes-" + (++subjects);
    http.setLevel(subject, level.name());
    for (final String earlier : change.chain()) {
      http.register(subject, earlier);
    }

    final Reply reply = http.post("/subjects/" + subject + "/versions", schemaBody(change.candidate()));

    if (compatible) {
      assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
      assertThat(reply.body().get("id").asInt()).isPositive();
      assertThat(http.get("/subjects/" + subject + "/versions").body())
          .hasSize(change.chain().size() + 1);
    } else {
      assertThat(reply.status()).as(reply.toString()).isEqualTo(409);
      assertThat(reply.errorCode()).isEqualTo(40901);
      assertThat(reply.message()).contains("{compatibility: '" + level.name() + "'}");
      assertThat(http.get("/subjects/" + subject + "/versions").body())
          .hasSize(change.chain().size());
    }
  }

  @ParameterizedTest(name = "{0}: {1} -> compatible={3}")
  @MethodSource("cases")
  void compatibilityEndpointAgreesAgainstLatest(
      final CompatibilityLevel level,
      final String name,
      final Change change,
      final boolean compatible) {
    final String subject = "check-" + (++subjects);
    http.setLevel(subject, level.name());
    for (final String earlier : change.chain()) {
      http.register(subject, earlier);
    }

    final Reply reply =
        http.post(
            "/compatibility/subjects/" + subject + "/versions/latest",
            schemaBody(change.candidate()));

    // Against one version, a transitive level is no stricter than its plain form.
    final boolean expected =
        change.chain().size() == 1 ? compatible : plainAccepts(level, change);
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body().get("is_compatible").asBoolean()).isEqualTo(expected);
  }

  @Test
  void transitiveLevelsDifferOnlyOnTheChains() {
    for (final Change change : CHANGES) {
      final boolean chain = change.chain().size() > 1;
      assertThat(
              change.accepting().contains(CompatibilityLevel.BACKWARD)
                      == change.accepting().contains(CompatibilityLevel.BACKWARD_TRANSITIVE)
                  && change.accepting().contains(CompatibilityLevel.FORWARD)
                      == change.accepting().contains(CompatibilityLevel.FORWARD_TRANSITIVE)
                  && change.accepting().contains(CompatibilityLevel.FULL)
                      == change.accepting().contains(CompatibilityLevel.FULL_TRANSITIVE))
          .as(change.name())
          .isEqualTo(!chain);
    }
  }

  private static boolean plainAccepts(final CompatibilityLevel level, final Change change) {
    final CompatibilityLevel plain =
        switch (level) {
          case BACKWARD_TRANSITIVE -> CompatibilityLevel.BACKWARD;
          case FORWARD_TRANSITIVE -> CompatibilityLevel.FORWARD;
          case FULL_TRANSITIVE -> CompatibilityLevel.FULL;
          default -> level;
        };
    return change.accepting().contains(plain);
  }
}
