package dev.dendrite.spark.ml;

import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Schema validation with messages that name the column and what was found. */
final class SchemaChecks {

  private SchemaChecks() {
  }

  static void requireVector(StructType schema, String column) {
    DataType type = field(schema, column).dataType();
    if (!type.equals(SQLDataTypes.VectorType())) {
      throw new IllegalArgumentException("column '" + column + "' must be of type ml.linalg Vector (e.g. from "
          + "VectorAssembler), but it is " + type.simpleString());
    }
  }

  static void requireNumeric(StructType schema, String column) {
    DataType type = field(schema, column).dataType();
    if (!(type instanceof NumericType)) {
      throw new IllegalArgumentException("column '" + column + "' must be numeric, but it is " + type.simpleString());
    }
  }

  static void requireAbsent(StructType schema, String column) {
    for (String name : schema.fieldNames()) {
      if (name.equals(column)) {
        throw new IllegalArgumentException("output column '" + column + "' already exists");
      }
    }
  }

  static StructField field(StructType schema, String column) {
    for (StructField f : schema.fields()) {
      if (f.name().equals(column)) {
        return f;
      }
    }
    throw new IllegalArgumentException("column '" + column + "' does not exist; the columns are "
        + String.join(", ", schema.fieldNames()));
  }
}
