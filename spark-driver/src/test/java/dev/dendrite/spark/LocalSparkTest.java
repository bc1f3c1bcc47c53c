package dev.dendrite.spark;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** A test class's shared {@code local[2]} session, started before its first test and stopped after its last. */
abstract class LocalSparkTest {

  static SparkSession spark;
  static JavaSparkContext sc;

  @BeforeAll
  static void startSpark() {
    spark = SparkTestSupport.local(2);
    sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }
}
