package dev.dendrite.spark.data;

import dev.dendrite.core.data.ClassWeights;
import dev.dendrite.core.loss.Task;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;

/**
 * Training blocks weighted for {@code class_weight: balanced}: the classes are counted over every block in
 * one Spark job, and each example's weight becomes {@code n / (k · count_c)} of its class times its own
 * weight. The weights are {@link ClassWeights#balance}'s for the same rows, so a run on Spark weighs its
 * examples exactly as {@code LocalTrainer} does.
 */
public final class ClassWeightedBlocks {

  private ClassWeightedBlocks() {
  }

  /**
   * {@code blocks} with balanced class weights, in the same partitions and order, persisted like the
   * blocks themselves (MEMORY_AND_DISK); the caller unpersists them. Fails naming {@code class_weight}
   * for a task without one class per example ({@link ClassWeights#classesFor}).
   */
  public static JavaRDD<DataBlock> balanced(JavaRDD<DataBlock> blocks, Task task, int outputs) {
    int classes = ClassWeights.classesFor(task, outputs);
    long[] counts = blocks.map(b -> ClassWeights.counts(b.targets(), b.size(), b.targetWidth(), classes))
        .fold(new long[classes], ClassWeightedBlocks::add);
    float[] classWeights = ClassWeights.balanced(counts);
    return blocks.map(b -> new DataBlock(b.partition(), b.size(), b.featureWidth(), b.targetWidth(), b.features(),
            b.targets(), ClassWeights.weigh(b.targets(), b.size(), b.targetWidth(), classWeights, b.weights()),
            b.problem()))
        .setName("dendrite class-weighted blocks")
        .persist(StorageLevel.MEMORY_AND_DISK());
  }

  private static long[] add(long[] a, long[] b) {
    long[] sum = a.clone();
    for (int c = 0; c < sum.length; c++) {
      sum[c] += b[c];
    }
    return sum;
  }
}
