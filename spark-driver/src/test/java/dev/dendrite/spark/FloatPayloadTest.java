package dev.dendrite.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.dendrite.core.random.Rng;
import java.nio.ByteBuffer;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.JavaSerializer;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.Serializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag$;

/**
 * The bulk-written vectors survive both serializers Spark may be configured with, bit for bit, at
 * lengths around the 16 Ki-float block size, including NaN payloads, infinities and negative zero.
 */
class FloatPayloadTest {

  private static final int[] LENGTHS = {0, 1, 16383, 16384, 16385, 235146};

  private static float[] vector(int length) {
    Rng rng = new Rng(length);
    float[] v = new float[length];
    for (int i = 0; i < length; i++) {
      v[i] = (rng.nextFloat() - 0.5f) * 1e3f;
    }
    if (length > 3) {
      v[0] = Float.intBitsToFloat(0x7fc00abc); // a NaN with a payload
      v[1] = Float.NEGATIVE_INFINITY;
      v[2] = -0f;
    }
    return v;
  }

  private static <T> T roundTrip(Serializer serializer, T value, Class<T> type) {
    SerializerInstance instance = serializer.newInstance();
    ByteBuffer bytes = instance.serialize(value, ClassTag$.MODULE$.apply(type));
    return instance.deserialize(bytes, ClassTag$.MODULE$.apply(type));
  }

  private static void assertBits(float[] expected, float[] actual) {
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]), "element " + i);
    }
  }

  @Test
  void payloadRoundTripsThroughJavaAndKryo() {
    for (Serializer serializer : new Serializer[] {new JavaSerializer(new SparkConf()),
        new KryoSerializer(new SparkConf())}) {
      for (int length : LENGTHS) {
        float[] v = vector(length);
        assertBits(v, roundTrip(serializer, new FloatPayload(v), FloatPayload.class).values());
      }
    }
  }

  @Test
  void gradientSumRoundTripsWithItsScalars() {
    for (Serializer serializer : new Serializer[] {new JavaSerializer(new SparkConf()),
        new KryoSerializer(new SparkConf())}) {
      for (int length : LENGTHS) {
        float[] v = vector(length);
        GradientSum back = roundTrip(serializer, GradientSum.of(v.clone(), 12.5, 77), GradientSum.class);
        assertBits(v, back.gradient());
        assertEquals(12.5, back.loss());
        assertEquals(77, back.count());
      }
      GradientSum empty = roundTrip(serializer, new GradientSum(), GradientSum.class);
      assertNull(empty.gradient());
      assertEquals(0, empty.count());
    }
  }
}
