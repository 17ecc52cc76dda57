package dev.outpost.classifier;

import dev.outpost.classifier.internal.Engine;
import dev.outpost.classifier.internal.Gazetteer;
import dev.outpost.classifier.internal.Rules;
import dev.outpost.classifier.internal.RulesLoader;
import dev.outpost.classifier.internal.Vocabulary;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

/**
 * Classifies a news item's title and body into the four {@link Category categories}, with a
 * confidence and the evidence for each, and names the states involved.
 *
 * <p>The rules (lexicons, patterns, weights) are data: the built-in {@code rules.json}, optionally
 * extended or overridden by a user's file. {@link #version()} identifies the code and the exact
 * rules, so a result can be traced to what made it and a replay reproduced.
 *
 * <p>Instances are immutable and thread-safe; the same input always gives the same output, and the
 * work is linear in the input's length.
 */
public final class Classifier {

  /** Bumped whenever the code changes what any input classifies as. */
  public static final String CODE_VERSION = "1";

  static final String RULES_RESOURCE = "dev/outpost/classifier/rules.json";
  static final String GAZETTEER_RESOURCE = "dev/outpost/classifier/gazetteer.tsv";

  private final Engine engine;
  private final String version;
  private final String rulesVersion;

  private Classifier(
      final Rules rules, final Gazetteer gazetteer, final Vocabulary vocabulary, final String gazetteerText) {
    this.engine = new Engine(rules, gazetteer, vocabulary);
    this.rulesVersion = rules.version();
    this.version = CODE_VERSION + "-" + rules.version() + "-" + sha256(rules.canonicalJson() + "\n" + gazetteerText);
  }

  /**
   * @return a classifier with the built-in rules
   */
  public static Classifier withDefaultRules() {
    return load(null, null);
  }

  /**
   * @param rulesFile a user's rules file, merged over the built-in rules
   * @return a classifier with both
   * @throws ClassifierException if the file cannot be read or is not valid
   */
  public static Classifier withRulesFile(final Path rulesFile) {
    final String text;
    try {
      text = Files.readString(rulesFile, StandardCharsets.UTF_8);
    } catch (final IOException e) {
      throw new ClassifierException("Cannot read rules file " + rulesFile + ": " + e.getMessage(), e);
    }
    return load(text, rulesFile.toString());
  }

  /**
   * @param rulesJson a user's rules, merged over the built-in rules
   * @param name a name for messages
   * @return a classifier with both
   */
  public static Classifier withRules(final String rulesJson, final String name) {
    return load(rulesJson, name);
  }

  private static Classifier load(final String override, final String overrideName) {
    final String gazetteer = resource(GAZETTEER_RESOURCE);
    final Vocabulary vocabulary = new Vocabulary();
    final Rules rules = RulesLoader.load(resource(RULES_RESOURCE), "rules.json", override, overrideName, vocabulary);
    return new Classifier(rules, Gazetteer.parse(gazetteer, "gazetteer.tsv", vocabulary), vocabulary, gazetteer);
  }

  /**
   * @param title the item's title; may be empty
   * @param body the item's body; may be empty
   * @return the verdict on every category, and the states named
   */
  public Classification classify(final String title, final String body) {
    final Engine.Result r = engine.classify(title, body);
    return new Classification(r.results(), r.actors(), version);
  }

  /**
   * The naive floor the rules must beat: a category whenever one of its trigger words appears.
   *
   * @param title the item's title
   * @param body the item's body
   * @return the categories whose trigger words appear
   */
  public Set<Category> keywordBaseline(final String title, final String body) {
    return engine.keywordBaseline(title, body);
  }

  /**
   * @return the code version, the rules' own version and a hash of the rules and gazetteer, such
   *     as {@code 1-2026.11.28-3f2a9c01d4e6}
   */
  public String version() {
    return version;
  }

  /**
   * @return the version string in the rules file
   */
  public String rulesVersion() {
    return rulesVersion;
  }

  private static String resource(final String name) {
    try (InputStream in = Classifier.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new ClassifierException("The built-in resource " + name + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (final IOException e) {
      throw new UncheckedIOException("Cannot read the built-in resource " + name, e);
    }
  }

  private static String sha256(final String text) {
    try {
      final byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 6);
    } catch (final NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every JVM has SHA-256", e);
    }
  }
}
