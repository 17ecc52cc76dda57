package dev.outpost.model.net;

/**
 * URLs as Outpost shows them: in listings, logs and error messages. A URL may carry credentials
 * ({@code user:password@}) or a token in its query, so both are replaced by {@code ***} and the
 * fragment is dropped; the scheme, host, port and path stay, so people can still tell targets
 * apart.
 */
public final class Urls {

  private Urls() {}

  /**
   * @param url a URL, or any text given as one
   * @return the URL without its user information, query or fragment; null for null
   */
  public static String redact(final String url) {
    if (url == null) {
      return null;
    }
    String rest = url;
    final int hash = rest.indexOf('#');
    if (hash >= 0) {
      rest = rest.substring(0, hash);
    }
    String query = "";
    final int question = rest.indexOf('?');
    if (question >= 0) {
      query = question == rest.length() - 1 ? "" : "?***";
      rest = rest.substring(0, question);
    }
    final int scheme = rest.indexOf("://");
    final int authorityStart = scheme < 0 ? (rest.startsWith("//") ? 2 : -1) : scheme + 3;
    if (authorityStart >= 0) {
      final int slash = rest.indexOf('/', authorityStart);
      final int authorityEnd = slash < 0 ? rest.length() : slash;
      final int at = rest.lastIndexOf('@', authorityEnd - 1);
      if (at >= authorityStart) {
        rest = rest.substring(0, authorityStart) + "***@" + rest.substring(at + 1);
      }
    } else {
      // Not a URL with an authority: anything before an '@' may still be a credential.
      final int at = rest.lastIndexOf('@');
      if (at >= 0) {
        rest = "***@" + rest.substring(at + 1);
      }
    }
    return rest + query;
  }
}
