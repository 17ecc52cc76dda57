package dev.outpost.model.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Where Outpost may send requests: webhook deliveries and feed fetches. Anyone who can add a
 * subscription or name a feed chooses the target, so by default Outpost refuses every address
 * that is not on the public internet: loopback, private and shared ranges, link-local (where
 * cloud metadata services answer), multicast, reserved and documentation ranges, the unspecified
 * address, and IPv6 forms that embed one of these IPv4 addresses (mapped, compatible, NAT64,
 * 6to4) or tunnel to an unknown one (Teredo).
 *
 * <p>The check is on the <em>resolved</em> addresses, every one a name resolves to, not on the
 * text of the host: a public-looking name that resolves to 127.0.0.1 is refused. Operators who need
 * internal targets list them in an allow-list of CIDR ranges, addresses and host names ({@code
 * *.example.com} for a domain and its subdomains).
 *
 * <p>The caller checks right before it connects; the JVM caches a successful look-up (30 s by
 * default), so the connection goes to the address just checked unless the cache expires in
 * between. Redirects are checked hop by hop by {@link OutboundHttp}.
 */
public final class OutboundPolicy {

  /** The name of the allow-list setting, for messages. */
  public static final String ALLOW_SETTING = "outbound.allow";

  /** Refuses every internal address; allows none. */
  public static final OutboundPolicy DEFAULT = new OutboundPolicy(List.of(), Set.of(), List.of(), "");

  /** An address range and what it is, for messages. */
  private record Range(byte[] network, int prefix, String what) {
    boolean contains(final byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int bits = prefix;
      for (int i = 0; i < network.length && bits > 0; i++, bits -= 8) {
        final int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
        if ((address[i] & mask) != (network[i] & mask)) {
          return false;
        }
      }
      return true;
    }
  }

  private static final List<Range> REFUSED =
      List.of(
          range("0.0.0.0/8", "an unspecified (\"this network\") address"),
          range("10.0.0.0/8", "a private address"),
          range("100.64.0.0/10", "a shared (carrier-grade NAT) address"),
          range("127.0.0.0/8", "a loopback address"),
          range("169.254.0.0/16", "a link-local address (where cloud metadata services answer)"),
          range("172.16.0.0/12", "a private address"),
          range("192.0.0.0/24", "an IETF protocol address"),
          range("192.0.2.0/24", "a documentation address"),
          range("192.88.99.0/24", "a 6to4 relay address"),
          range("192.168.0.0/16", "a private address"),
          range("198.18.0.0/15", "a benchmarking address"),
          range("198.51.100.0/24", "a documentation address"),
          range("203.0.113.0/24", "a documentation address"),
          range("224.0.0.0/4", "a multicast address"),
          range("240.0.0.0/4", "a reserved or broadcast address"),
          range("::/128", "the unspecified address"),
          range("::1/128", "a loopback address"),
          range("64:ff9b:1::/48", "a local-use NAT64 address"),
          range("100::/64", "a discard-only address"),
          range("2001::/32", "a Teredo tunnel address"),
          range("2001:db8::/32", "a documentation address"),
          range("fc00::/7", "a unique local (private) address"),
          range("fe80::/10", "a link-local address"),
          range("fec0::/10", "a site-local address"),
          range("ff00::/8", "a multicast address"));

  private static final Range IPV4_MAPPED = range("::ffff:0:0/96", "");
  private static final Range IPV4_COMPATIBLE = range("::/96", "");
  private static final Range NAT64 = range("64:ff9b::/96", "");
  private static final Range SIX_TO_FOUR = range("2002::/16", "");

  private final List<Range> allowedRanges;
  private final Set<String> allowedHosts;
  private final List<String> allowedDomains;
  private final String allowList;

  private OutboundPolicy(
      final List<Range> allowedRanges,
      final Set<String> allowedHosts,
      final List<String> allowedDomains,
      final String allowList) {
    this.allowedRanges = List.copyOf(allowedRanges);
    this.allowedHosts = Set.copyOf(allowedHosts);
    this.allowedDomains = List.copyOf(allowedDomains);
    this.allowList = allowList;
  }

  /**
   * @param allowList entries separated by commas or spaces: CIDR ranges ({@code 10.0.0.0/8},
   *     {@code fd00::/8}), single addresses ({@code 127.0.0.1}, {@code ::1}), host names ({@code
   *     hooks.internal}) or domains ({@code *.corp.example}); empty for none
   * @return a policy that refuses internal addresses except those listed
   * @throws IllegalArgumentException naming the entry that is neither
   */
  public static OutboundPolicy allowing(final String allowList) {
    if (allowList == null || allowList.isBlank()) {
      return DEFAULT;
    }
    final List<Range> ranges = new ArrayList<>();
    final Set<String> hosts = new LinkedHashSet<>();
    final List<String> domains = new ArrayList<>();
    final List<String> entries = new ArrayList<>();
    for (final String raw : allowList.trim().split("[,\\s]+")) {
      final String entry = raw.trim().toLowerCase(Locale.ROOT);
      if (entry.isEmpty()) {
        continue;
      }
      entries.add(entry);
      if (entry.startsWith("*.")) {
        requireHostName(entry.substring(2), raw);
        domains.add(entry.substring(1));
      } else if (entry.contains("/") || isAddressLiteral(entry)) {
        ranges.add(parseRange(entry, "allowed"));
      } else {
        requireHostName(entry, raw);
        hosts.add(stripDot(entry));
      }
    }
    return new OutboundPolicy(ranges, hosts, domains, String.join(",", entries));
  }

  /** @return the allow-list as given, normalised; empty when nothing is allowed */
  public String allowList() {
    return allowList;
  }

  /**
   * Resolves a URL's host and checks every address it resolves to.
   *
   * @param uri an absolute URL
   * @return the addresses checked
   * @throws OutboundRefusedException when the URL has no host or an address is refused
   * @throws UnknownHostException when the host does not resolve
   */
  public List<InetAddress> check(final URI uri) throws OutboundRefusedException, UnknownHostException {
    final String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw new OutboundRefusedException(Urls.redact(uri.toString()) + " has no host name Outpost can check");
    }
    final String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    final List<InetAddress> addresses = List.of(InetAddress.getAllByName(bare));
    for (final InetAddress address : addresses) {
      final Optional<String> why = refusal(bare, address);
      if (why.isPresent()) {
        throw new OutboundRefusedException(
            "Refused to connect to "
                + Urls.redact(uri.toString())
                + ": "
                + why.get()
                + "; list it in the outbound allow-list ("
                + ALLOW_SETTING
                + ") if it is meant to be reached");
      }
    }
    return addresses;
  }

  /**
   * @param host the host name the address was resolved from (or the address itself)
   * @param address one of its addresses
   * @return why the address is refused, or empty when it may be reached
   */
  public Optional<String> refusal(final String host, final InetAddress address) {
    if (allowed(host, address)) {
      return Optional.empty();
    }
    return internal(address)
        .map(what -> (host.equalsIgnoreCase(address.getHostAddress()) ? "" : host + " resolves to ") + address.getHostAddress() + ", " + what);
  }

  /**
   * @param address an address
   * @return what kind of internal address it is, or empty for a public one
   */
  public static Optional<String> internal(final InetAddress address) {
    final byte[] bytes = address.getAddress();
    final Optional<byte[]> embedded = embeddedIpv4(bytes);
    if (embedded.isPresent()) {
      final Optional<String> inner = internalRange(embedded.get());
      if (inner.isPresent()) {
        return Optional.of("which embeds " + ipv4(embedded.get()) + ", " + inner.get());
      }
      // IPv4-mapped and -compatible forms reach the IPv4 address itself: it decides.
      if (IPV4_MAPPED.contains(bytes) || IPV4_COMPATIBLE.contains(bytes)) {
        return Optional.empty();
      }
    }
    return internalRange(bytes);
  }

  private static Optional<String> internalRange(final byte[] bytes) {
    for (final Range r : REFUSED) {
      if (r.contains(bytes)) {
        return Optional.of(r.what());
      }
    }
    return Optional.empty();
  }

  private boolean allowed(final String host, final InetAddress address) {
    final String name = stripDot(host.toLowerCase(Locale.ROOT));
    if (allowedHosts.contains(name)) {
      return true;
    }
    for (final String domain : allowedDomains) {
      if (name.endsWith(domain) || name.equals(domain.substring(1))) {
        return true;
      }
    }
    final byte[] bytes = address.getAddress();
    final Optional<byte[]> embedded = embeddedIpv4(bytes);
    for (final Range r : allowedRanges) {
      if (r.contains(bytes) || embedded.isPresent() && r.contains(embedded.get())) {
        return true;
      }
    }
    return false;
  }

  /** The IPv4 address inside an IPv6 address that carries one, if this one does. */
  private static Optional<byte[]> embeddedIpv4(final byte[] bytes) {
    if (bytes.length != 16) {
      return Optional.empty();
    }
    if (IPV4_MAPPED.contains(bytes) || NAT64.contains(bytes)) {
      return Optional.of(java.util.Arrays.copyOfRange(bytes, 12, 16));
    }
    if (IPV4_COMPATIBLE.contains(bytes) && !(bytes[12] == 0 && bytes[13] == 0 && bytes[14] == 0 && (bytes[15] == 0 || bytes[15] == 1))) {
      return Optional.of(java.util.Arrays.copyOfRange(bytes, 12, 16));
    }
    if (SIX_TO_FOUR.contains(bytes)) {
      return Optional.of(java.util.Arrays.copyOfRange(bytes, 2, 6));
    }
    return Optional.empty();
  }

  private static String ipv4(final byte[] b) {
    return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
  }

  private static Range range(final String cidr, final String what) {
    return parseRange(cidr, what);
  }

  private static Range parseRange(final String entry, final String what) {
    final int slash = entry.indexOf('/');
    final String literal = slash < 0 ? entry : entry.substring(0, slash);
    final byte[] network = parseAddress(literal, entry);
    int prefix = network.length * 8;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(entry.substring(slash + 1));
      } catch (final NumberFormatException e) {
        throw new IllegalArgumentException("'" + entry + "' has no prefix length after the '/'", e);
      }
      if (prefix < 0 || prefix > network.length * 8) {
        throw new IllegalArgumentException(
            "'" + entry + "': the prefix length must be 0 to " + network.length * 8);
      }
    }
    return new Range(network, prefix, what);
  }

  private static boolean isAddressLiteral(final String entry) {
    return entry.contains(":") || entry.matches("[0-9.]+");
  }

  private static byte[] parseAddress(final String literal, final String entry) {
    final String bare = literal.startsWith("[") && literal.endsWith("]") ? literal.substring(1, literal.length() - 1) : literal;
    if (bare.matches("[0-9.]+")) {
      final String[] parts = bare.split("\\.", -1);
      if (parts.length != 4) {
        throw new IllegalArgumentException("'" + entry + "' is not an IPv4 address: write four numbers, as 10.0.0.0/8");
      }
      final byte[] b = new byte[4];
      for (int i = 0; i < 4; i++) {
        if (parts[i].isEmpty() || parts[i].length() > 3 || Integer.parseInt(parts[i]) > 255) {
          throw new IllegalArgumentException("'" + entry + "' is not an IPv4 address: each part is 0 to 255");
        }
        b[i] = (byte) Integer.parseInt(parts[i]);
      }
      return b;
    }
    if (!bare.contains(":") || !bare.matches("[0-9a-fA-F:.]+")) {
      throw new IllegalArgumentException("'" + entry + "' is not an IP address or CIDR range");
    }
    try {
      // A literal with a colon is parsed, never looked up.
      final InetAddress address = InetAddress.getByName(bare);
      if (address instanceof Inet4Address v4) {
        // Java turns ::ffff:a.b.c.d into the IPv4 address; keep the 16-byte form the range needs.
        final byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(v4.getAddress(), 0, mapped, 12, 4);
        return mapped;
      }
      return ((Inet6Address) address).getAddress();
    } catch (final UnknownHostException e) {
      throw new IllegalArgumentException("'" + entry + "' is not an IPv6 address", e);
    }
  }

  private static void requireHostName(final String name, final String raw) {
    if (!stripDot(name).matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")) {
      throw new IllegalArgumentException(
          "'" + raw + "' is neither a CIDR range, an IP address, a host name nor *.domain");
    }
  }

  private static String stripDot(final String name) {
    return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
  }

  @Override
  public String toString() {
    return allowList.isEmpty() ? "public addresses only" : "public addresses and " + allowList;
  }
}
