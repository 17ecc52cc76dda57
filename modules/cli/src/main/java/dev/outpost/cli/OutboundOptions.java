package dev.outpost.cli;

import dev.outpost.cli.config.ResolvedConfig;
import dev.outpost.cli.config.Settings;
import dev.outpost.model.net.OutboundPolicy;
import dev.outpost.model.net.OutboundRefusedException;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where the commands that make HTTP requests to URLs users give (webhooks, feeds) may connect.
 * Internal addresses are refused unless the allow-list names them.
 */
public final class OutboundOptions {

  @Option(
      names = "--outbound-allow",
      paramLabel = "CIDR|HOST[,...]",
      description = {
        "Internal addresses webhooks and feeds may be at, refused otherwise: CIDR ranges,",
        "addresses, host names or *.domain (e.g. 127.0.0.1,10.0.0.0/8). Key outbound.allow,",
        "variable OUTPOST_OUTBOUND_ALLOW. Default: none, public addresses only."
      })
  private String allow;

  /** @return the value given by flag, by setting key, for {@link ClusterOptions#resolve(Map, Map)} */
  Map<String, String> flags() {
    final Map<String, String> flags = new HashMap<>();
    flags.put(Settings.OUTBOUND_ALLOW.key(), allow);
    return flags;
  }

  /**
   * @param config the merged configuration, its allow-list validated
   * @return the policy it sets
   */
  static OutboundPolicy policy(final ResolvedConfig config) {
    return OutboundPolicy.allowing(config.get(Settings.OUTBOUND_ALLOW));
  }

  /**
   * @param refused a refusal by the outbound policy
   * @return its message, naming the flag beside the setting key that lifts it
   */
  public static String explain(final OutboundRefusedException refused) {
    return refused.getMessage().replace("(" + OutboundPolicy.ALLOW_SETTING + ")", "(--outbound-allow, " + OutboundPolicy.ALLOW_SETTING + ")");
  }
}
