package dev.outpost.cli;

import dev.outpost.classifier.Classifier;
import dev.outpost.classifier.ClassifierException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --rules} option shared by the commands that classify. */
public final class ClassifierOptions {

  @Option(
      names = "--rules",
      paramLabel = "FILE",
      description = "A rules file (JSON) merged over the built-in rules: extends lexicons, replaces rules by id.")
  private Path rules;

  /**
   * @return the classifier with the built-in rules, and the user's if given
   * @throws UserException naming the file and what is wrong in it
   */
  public Classifier classifier() {
    if (rules == null) {
      return Classifier.withDefaultRules();
    }
    UserException.requireFile("Rules file", rules, "");
    try {
      return Classifier.withRulesFile(rules);
    } catch (final ClassifierException e) {
      throw new UserException(e.getMessage(), e);
    }
  }
}
