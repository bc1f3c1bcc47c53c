package dev.dendrite.spark;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamField;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * A float vector that ships well: Java serialization (Spark's default for broadcasts, task results and
 * closures) writes a {@code float[]} one element at a time, which for a 0.94 MB parameter vector costs
 * about 2 ms each way; this writes it as blocks of little-endian bytes, about 2× faster. Kryo sees an
 * ordinary {@code float[]} field and uses its own array serializer.
 *
 * <p>The vector is the caller's array, not a copy: the sender must not change it after handing it to
 * Spark, and a receiver in local mode may share it with the sender.
 */
final class FloatPayload implements Serializable {

  private static final long serialVersionUID = 1L;

  /** No default-serialized fields: {@link #writeObject} writes the vector itself. */
  private static final ObjectStreamField[] serialPersistentFields = {};

  /** Floats converted per block (64 KiB of bytes). */
  private static final int BLOCK = 1 << 14;

  @SuppressWarnings("serial") // written by writeObject
  private float[] values;

  FloatPayload(float[] values) {
    this.values = values;
  }

  float[] values() {
    return values;
  }

  private void writeObject(ObjectOutputStream out) throws IOException {
    out.defaultWriteObject();
    write(out, values);
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    values = read(in);
  }

  /** Writes a nullable vector as its length (-1 for null) and then its floats as little-endian bytes. */
  static void write(ObjectOutputStream out, float[] v) throws IOException {
    if (v == null) {
      out.writeInt(-1);
      return;
    }
    out.writeInt(v.length);
    byte[] bytes = new byte[4 * Math.min(BLOCK, v.length)];
    FloatBuffer floats = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    for (int off = 0; off < v.length; off += BLOCK) {
      int n = Math.min(BLOCK, v.length - off);
      floats.clear();
      floats.put(v, off, n);
      out.write(bytes, 0, 4 * n);
    }
  }

  /** Reads what {@link #write} wrote. */
  static float[] read(ObjectInputStream in) throws IOException {
    int length = in.readInt();
    if (length < -1) {
      throw new IOException("corrupt float vector: length " + length);
    }
    if (length == -1) {
      return null;
    }
    float[] v = new float[length];
    byte[] bytes = new byte[4 * Math.min(BLOCK, length)];
    FloatBuffer floats = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    for (int off = 0; off < length; off += BLOCK) {
      int n = Math.min(BLOCK, length - off);
      in.readFully(bytes, 0, 4 * n);
      floats.clear();
      floats.get(v, off, n);
    }
    return v;
  }
}
