package dev.outpost.registry.server;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The users a registry lets in with HTTP basic authentication, read from text an operator keeps in a
 * file or a variable: one {@code user:password} a line; blank lines and lines starting with {@code
 * #} are skipped. The password is everything after the first colon, spaces included. Errors name the
 * line and where it came from, never a password.
 *
 * @see RegistryServer.Builder#basicAuth(String)
 */
public final class BasicAuthUsers {

  private BasicAuthUsers() {}

  /**
   * @param text the users, one {@code user:password} a line
   * @param origin where the text came from, for messages ("the file users.txt")
   * @return each {@code user:password}, in order
   * @throws IllegalArgumentException when a line is no {@code user:password}, a user comes twice,
   *     or there is no user at all
   */
  public static List<String> parse(final String text, final String origin) {
    final List<String> users = new ArrayList<>();
    final Set<String> names = new HashSet<>();
    final List<String> lines = text.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      final String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      final int colon = line.indexOf(':');
      if (colon < 1 || colon == line.length() - 1) {
        throw new IllegalArgumentException(
            "Line "
                + (i + 1)
                + " of "
                + origin
                + " is not user:password (a name, a colon, a password; value not shown)");
      }
      final String name = line.substring(0, colon);
      if (!names.add(name)) {
        throw new IllegalArgumentException(
            "User '" + name + "' appears twice in " + origin + " (line " + (i + 1) + ")");
      }
      users.add(line);
    }
    if (users.isEmpty()) {
      throw new IllegalArgumentException(
          origin + " holds no user: give one user:password a line");
    }
    return List.copyOf(users);
  }
}
