package dev.dendrite.spark;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamField;
import java.io.Serializable;

/**
 * What executors send back in an all-reduce step: the summed gradient, the summed loss and the number
 * of examples. {@link #merge} adds into the left operand in place, so a tree aggregation allocates one
 * vector per task, not per merge. The zero value carries no vector (nothing to ship to tasks). Java
 * serialization writes the vector in bulk (see {@link FloatPayload}).
 */
public final class GradientSum implements Serializable {

  private static final long serialVersionUID = 1L;

  /** The scalars are default-serialized; {@link #writeObject} writes the vector. */
  private static final ObjectStreamField[] serialPersistentFields = {
      new ObjectStreamField("loss", double.class), new ObjectStreamField("count", long.class)};

  @SuppressWarnings("serial") // written by writeObject
  private float[] gradient;
  private double loss;
  private long count;

  public GradientSum() {
  }

  /** A sum that takes ownership of {@code vector} (no copy): the caller must not use it afterwards. */
  static GradientSum of(float[] vector, double lossSum, long examples) {
    GradientSum sum = new GradientSum();
    sum.gradient = vector;
    sum.loss = lossSum;
    sum.count = examples;
    return sum;
  }

  /** Adds one partition's contribution (the vector is added, not kept). */
  public GradientSum add(float[] gradientSum, double lossSum, long examples) {
    if (gradient == null) {
      gradient = gradientSum.clone();
    } else {
      addInto(gradient, gradientSum);
    }
    loss += lossSum;
    count += examples;
    return this;
  }

  /** Adds {@code other} into this one and returns this. */
  public GradientSum merge(GradientSum other) {
    if (other.gradient != null) {
      if (gradient == null) {
        gradient = other.gradient;
      } else {
        addInto(gradient, other.gradient);
      }
    }
    loss += other.loss;
    count += other.count;
    return this;
  }

  private static void addInto(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalStateException("gradient vectors of lengths " + a.length + " and " + b.length);
    }
    for (int i = 0; i < a.length; i++) {
      a[i] += b[i];
    }
  }

  /** The summed gradient (null when no example contributed). */
  public float[] gradient() {
    return gradient;
  }

  public double loss() {
    return loss;
  }

  public long count() {
    return count;
  }

  private void writeObject(ObjectOutputStream out) throws IOException {
    out.defaultWriteObject();
    FloatPayload.write(out, gradient);
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    gradient = FloatPayload.read(in);
  }
}
