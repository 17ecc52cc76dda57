package dev.outpost.subscribers.dispatch;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The webhook signature: {@code Outpost-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>}, where
 * the HMAC is keyed with the subscription's secret over {@code <t>.<body>}. Signing the time with
 * the body lets a receiver refuse replays: {@link #verify} accepts a signature only within {@link
 * #DEFAULT_TOLERANCE} of the receiver's clock, either way, so a captured request cannot be sent
 * again later, nor one signed with a clock set ahead be kept for later.
 */
public final class Signature {

  /** The request header that carries the signature. */
  public static final String HEADER = "Outpost-Signature";

  /** How far a signature's time may be from the receiver's clock, as the README's example allows. */
  public static final Duration DEFAULT_TOLERANCE = Duration.ofSeconds(300);

  private Signature() {}

  /**
   * @param secret the subscription's secret
   * @param epochSeconds the time of signing
   * @param body the request body
   * @return the header value
   */
  public static String sign(final String secret, final long epochSeconds, final byte[] body) {
    return "t=" + epochSeconds + ",v1=" + HexFormat.of().formatHex(hmac(secret, epochSeconds, body));
  }

  /**
   * What a receiver does: recompute the HMAC, compare in constant time, and refuse a signature
   * more than {@link #DEFAULT_TOLERANCE} from the system clock.
   *
   * @param secret the shared secret
   * @param header the {@value #HEADER} header received
   * @param body the body received, as bytes
   * @return whether the signature is the sender's, and recent
   */
  public static boolean verify(final String secret, final String header, final byte[] body) {
    return verify(secret, header, body, Clock.systemUTC(), DEFAULT_TOLERANCE);
  }

  /**
   * @param secret the shared secret
   * @param header the {@value #HEADER} header received
   * @param body the body received, as bytes
   * @param clock the receiver's clock
   * @param tolerance how far the signed time may be from the clock, in the past or the future
   * @return whether the signature is the sender's, and signed within the tolerance of now
   */
  public static boolean verify(
      final String secret, final String header, final byte[] body, final Clock clock, final Duration tolerance) {
    if (header == null) {
      return false;
    }
    long t = -1;
    String v1 = null;
    for (final String part : header.split(",", -1)) {
      final String[] kv = part.trim().split("=", 2);
      if (kv.length == 2 && kv[0].equals("t")) {
        try {
          t = Long.parseLong(kv[1]);
        } catch (final NumberFormatException e) {
          return false;
        }
      } else if (kv.length == 2 && kv[0].equals("v1")) {
        v1 = kv[1];
      }
    }
    if (t < 0 || v1 == null) {
      return false;
    }
    // A replayed or pre-signed request has a valid HMAC: only its time gives it away.
    final long skew = Math.abs(clock.instant().getEpochSecond() - t);
    if (skew > tolerance.toSeconds()) {
      return false;
    }
    final byte[] expected = hmac(secret, t, body);
    try {
      return MessageDigest.isEqual(expected, HexFormat.of().parseHex(v1));
    } catch (final IllegalArgumentException e) {
      return false;
    }
  }

  private static byte[] hmac(final String secret, final long epochSeconds, final byte[] body) {
    try {
      final Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((epochSeconds + ".").getBytes(StandardCharsets.UTF_8));
      return mac.doFinal(body);
    } catch (final NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("Every Java runtime has HmacSHA256", e);
    }
  }
}
