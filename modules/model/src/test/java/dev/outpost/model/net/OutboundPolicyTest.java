package dev.outpost.model.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OutboundPolicyTest {

  private static InetAddress literal(final String address) throws UnknownHostException {
    // Literals only: InetAddress parses them without a look-up.
    return InetAddress.getByName(address);
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          127.0.0.1            | a loopback address
          127.0.0.2            | a loopback address
          127.255.255.254      | a loopback address
          ::1                  | a loopback address
          0.0.0.0              | an unspecified ("this network") address
          0.1.2.3              | an unspecified ("this network") address
          ::                   | the unspecified address
          10.0.0.1             | a private address
          10.255.255.255       | a private address
          172.16.0.1           | a private address
          172.31.255.255       | a private address
          192.168.1.1          | a private address
          100.64.0.1           | a shared (carrier-grade NAT) address
          169.254.169.254      | a link-local address (where cloud metadata services answer)
          fe80::1              | a link-local address
          febf::1              | a link-local address
          fc00::1              | a unique local (private) address
          fd12:3456::1         | a unique local (private) address
          fec0::1              | a site-local address
          224.0.0.1            | a multicast address
          ff02::1              | a multicast address
          255.255.255.255      | a reserved or broadcast address
          240.0.0.1            | a reserved or broadcast address
          192.0.2.10           | a documentation address
          198.51.100.7         | a documentation address
          203.0.113.9          | a documentation address
          2001:db8::1          | a documentation address
          198.18.0.1           | a benchmarking address
          2001:0:4136:e378::1  | a Teredo tunnel address
          ::ffff:127.0.0.1     | a loopback address
          ::ffff:169.254.169.254 | a link-local address (where cloud metadata services answer)
          ::ffff:10.1.2.3      | a private address
          ::127.0.0.1          | which embeds 127.0.0.1, a loopback address
          64:ff9b::a9fe:a9fe   | which embeds 169.254.169.254, a link-local address (where cloud metadata services answer)
          64:ff9b::7f00:1      | which embeds 127.0.0.1, a loopback address
          2002:7f00:1::1       | which embeds 127.0.0.1, a loopback address
          2002:c0a8:101::1     | which embeds 192.168.1.1, a private address
          """)
  void internalAddressesAreRefusedByDefault(final String address, final String what) throws Exception {
    final InetAddress a = literal(address);

    assertThat(OutboundPolicy.internal(a)).contains(what);
    assertThat(OutboundPolicy.DEFAULT.refusal(address, a)).hasValueSatisfying(why -> assertThat(why).contains(what));
  }

  @ParameterizedTest(name = "{0} is public")
  @CsvSource({
    "8.8.8.8",
    "1.1.1.1",
    "172.15.255.255",
    "172.32.0.1",
    "100.63.255.255",
    "100.128.0.1",
    "169.253.255.255",
    "11.0.0.1",
    "192.169.0.1",
    "2606:4700:4700::1111",
    "2a00:1450:4001:80b::200e",
    "::ffff:8.8.8.8",
    "64:ff9b::808:808",
    "2002:808:808::1"
  })
  void publicAddressesMayBeReached(final String address) throws Exception {
    final InetAddress a = literal(address);

    assertThat(OutboundPolicy.internal(a)).isEmpty();
    assertThat(OutboundPolicy.DEFAULT.refusal(address, a)).isEmpty();
  }

  @Test
  void theAllowListOpensExactlyWhatItNames() throws Exception {
    final OutboundPolicy policy = OutboundPolicy.allowing("127.0.0.1, 10.1.0.0/16 fd00::/8,hooks.internal,*.corp.example");

    assertThat(policy.refusal("127.0.0.1", literal("127.0.0.1"))).isEmpty();
    assertThat(policy.refusal("127.0.0.2", literal("127.0.0.2"))).as("only the one loopback address").isPresent();
    assertThat(policy.refusal("::1", literal("::1"))).isPresent();
    assertThat(policy.refusal("10.1.200.3", literal("10.1.200.3"))).isEmpty();
    assertThat(policy.refusal("10.2.0.1", literal("10.2.0.1"))).isPresent();
    assertThat(policy.refusal("::ffff:10.1.0.9", literal("::ffff:10.1.0.9"))).isEmpty();
    assertThat(policy.refusal("fd00::9", literal("fd00::9"))).isEmpty();
    assertThat(policy.refusal("hooks.internal", literal("192.168.7.7"))).as("a named host, whatever it resolves to").isEmpty();
    assertThat(policy.refusal("HOOKS.INTERNAL.", literal("192.168.7.7"))).isEmpty();
    assertThat(policy.refusal("a.b.corp.example", literal("172.16.9.9"))).isEmpty();
    assertThat(policy.refusal("corp.example", literal("172.16.9.9"))).isEmpty();
    assertThat(policy.refusal("notcorp.example", literal("172.16.9.9"))).isPresent();
    assertThat(policy.refusal("other.internal", literal("192.168.7.7")))
        .hasValueSatisfying(why -> assertThat(why).isEqualTo("other.internal resolves to 192.168.7.7, a private address"));
    assertThat(policy.allowList()).isEqualTo("127.0.0.1,10.1.0.0/16,fd00::/8,hooks.internal,*.corp.example");
  }

  @ParameterizedTest(name = "''{0}'' is refused: {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          10.0.0.0/33     | the prefix length must be 0 to 32
          10.0.0/8        | is not an IPv4 address
          300.1.1.1       | each part is 0 to 255
          fd00::/129      | the prefix length must be 0 to 128
          fd00::zz        | is not an IP address or CIDR range
          10.0.0.0/x      | has no prefix length
          bad_host!       | is neither a CIDR range, an IP address, a host name nor *.domain
          """)
  void aBadAllowListEntryIsNamed(final String entry, final String message) {
    assertThatThrownBy(() -> OutboundPolicy.allowing("127.0.0.1," + entry))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + entry + "'")
        .hasMessageContaining(message);
  }

  @Test
  void aUrlIsCheckedByTheAddressItsHostResolvesTo() throws Exception {
    // "localhost" is a name, not an address: it is refused for what it resolves to.
    assertThatThrownBy(() -> OutboundPolicy.DEFAULT.check(URI.create("http://localhost:9/hook")))
        .isInstanceOf(OutboundRefusedException.class)
        .hasMessageContaining("localhost resolves to")
        .hasMessageContaining("a loopback address")
        .hasMessageContaining(OutboundPolicy.ALLOW_SETTING);
    assertThatThrownBy(() -> OutboundPolicy.DEFAULT.check(URI.create("http://[::1]:9/hook")))
        .isInstanceOf(OutboundRefusedException.class)
        .hasMessageContaining("::1");
    assertThatThrownBy(() -> OutboundPolicy.DEFAULT.check(URI.create("http://169.254.169.254/latest/meta-data/")))
        .isInstanceOf(OutboundRefusedException.class)
        .hasMessageContaining("link-local");
    assertThatThrownBy(() -> OutboundPolicy.DEFAULT.check(URI.create("http://u:p@0.0.0.0:8080/?token=t")))
        .isInstanceOf(OutboundRefusedException.class)
        .hasMessageContaining("http://***@0.0.0.0:8080/?***")
        .hasMessageNotContaining("token");
    assertThat(OutboundPolicy.allowing("localhost").check(URI.create("http://localhost:9/hook"))).isNotEmpty();
    assertThat(OutboundPolicy.allowing("127.0.0.0/8,::1").check(URI.create("http://127.0.0.2:9/"))).isNotEmpty();
  }
}
