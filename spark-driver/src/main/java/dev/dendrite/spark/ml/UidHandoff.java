package dev.dendrite.spark.ml;

/**
 * Hands a uid to Spark's Scala superclass constructors. Spark's shared params ({@code featuresCol},
 * {@code thresholds}, ...) are created in those constructors and take {@code uid()} as their parent at
 * once; a Scala class has its uid before that, a Java subclass's fields are set only after. A constructor
 * that takes a uid therefore delegates with {@code this(UidHandoff.of(uid))}, which runs before
 * {@code super()}, and its {@code uid()} answers {@link #pending()} until its own field is set.
 */
final class UidHandoff {

  private static final ThreadLocal<String> PENDING = new ThreadLocal<>();

  private final String uid;

  private UidHandoff(String uid) {
    this.uid = uid;
  }

  /** Announces {@code uid} to the superclass constructor about to run on this thread. */
  static UidHandoff of(String uid) {
    PENDING.set(uid);
    return new UidHandoff(uid);
  }

  /** The uid of the object under construction on this thread (null outside a constructor). */
  static String pending() {
    return PENDING.get();
  }

  /** The uid, ending the handoff (call after {@code super()} returned). */
  String take() {
    PENDING.remove();
    return uid;
  }
}
