package dev.dendrite.spark.collective;

import java.io.Serializable;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A random per-run secret: every connection of a run proves it knows it (HMAC-SHA256 challenge and
 * response, see {@code docs/collective.md}). It travels to the tasks in the Spark task closure and is
 * never logged: {@link #toString} redacts it.
 */
public final class RunSecret implements Serializable {

  private static final long serialVersionUID = 1L;
  private static final int BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] key;

  private RunSecret(byte[] key) {
    this.key = key;
  }

  /** 32 bytes from {@link SecureRandom}. */
  public static RunSecret random() {
    byte[] key = new byte[BYTES];
    RANDOM.nextBytes(key);
    return new RunSecret(key);
  }

  /** A secret from its bytes (a copy); for a child process that receives it on its standard input. */
  public static RunSecret of(byte[] key) {
    if (key.length != BYTES) {
      throw new IllegalArgumentException("a run secret has " + BYTES + " bytes, not " + key.length);
    }
    return new RunSecret(key.clone());
  }

  /** The bytes (a copy), to hand to a child process; never log them. */
  public byte[] bytes() {
    return key.clone();
  }

  /** A fresh HMAC-SHA256 keyed with this secret. */
  Mac mac() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac;
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }

  static byte[] nonce() {
    byte[] nonce = new byte[BYTES];
    RANDOM.nextBytes(nonce);
    return nonce;
  }

  @Override
  public String toString() {
    return "RunSecret[redacted]";
  }
}
