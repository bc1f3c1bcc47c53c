package dev.dendrite.spark.data;

import dev.dendrite.core.data.LabelRule;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;
import org.apache.spark.api.java.JavaNewHadoopRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import scala.Tuple2;

/**
 * Reads data files (CSV, LibSVM, Parquet) through Spark into checked rows: every row is parsed and
 * checked on the executor that reads it, and the first bad row of a partition becomes a
 * {@link DataProblem} (file, line or record, column, value, reason) that travels as data to the driver,
 * where {@link #fail} reports the earliest one as one paragraph. Text files are read line by line with
 * each line's byte offset (Hadoop's text input), so that the driver can name the line number.
 */
final class DataRows {

  private DataRows() {
  }

  /** Parses one line of a text file: an example, a problem, or null for a line that holds no row. */
  interface LineParser extends Serializable {
    CheckedExample parse(String file, long offset, String line);

    /** The first non-blank line of a file when the format has a header: null when it is as expected. */
    default DataProblem header(String file, long offset, String line) {
      return null;
    }

    default boolean hasHeader() {
      return false;
    }
  }

  /**
   * The rows at {@code path} in {@code data}'s format, checked for a network of {@code width} inputs and
   * for {@code targets}; {@code who} names the reader of the data in a width mismatch ("the network
   * (input shape [6])"). Fails on the driver, before any row is read, when the columns do not fit.
   */
  static JavaRDD<CheckedExample> read(SparkSession spark, DataConfig data, String path, int width, String who,
                                      Targets targets) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    switch (data.format()) {
      case "libsvm":
        if (data.dimension() > 0 && data.dimension() != width) {
          throw new IllegalArgumentException(who + " expects " + width + " features, " + path + " has "
              + data.dimension() + " (data.dimension)");
        }
        return lines(sc, path, new LibSvmLine(width, targets));
      case "csv":
        return lines(sc, path, CsvLine.of(firstLine(sc, path), data, path, width, who, targets));
      case "parquet":
        return parquet(spark, data, path, width, targets);
      default:
        throw new IllegalArgumentException("data.format " + data.format() + " is not read through Spark");
    }
  }

  /** The lines of the text files at {@code path} (a file, directory or glob), parsed; one problem per partition at most. */
  static JavaRDD<CheckedExample> lines(JavaSparkContext sc, String path, LineParser parser) {
    JavaNewHadoopRDD<LongWritable, Text> raw = (JavaNewHadoopRDD<LongWritable, Text>) sc.newAPIHadoopFile(path,
        TextInputFormat.class, LongWritable.class, Text.class, new Configuration(sc.hadoopConfiguration()));
    return raw.mapPartitionsWithInputSplit((split, it) -> {
      String file = ((FileSplit) split).getPath().toString();
      boolean headerHere = parser.hasHeader() && ((FileSplit) split).getStart() == 0;
      return new UntilProblem<>(it, new java.util.function.Function<Tuple2<LongWritable, Text>, CheckedExample>() {
        private boolean headerPending = headerHere;

        @Override
        public CheckedExample apply(Tuple2<LongWritable, Text> t) {
          String line = t._2().toString();
          long offset = t._1().get();
          if (offset == 0 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
            line = line.substring(1);   // a byte order mark
          }
          if (headerPending && !line.isBlank()) {
            headerPending = false;
            DataProblem p = parser.header(file, offset, line);
            return p == null ? null : CheckedExample.of(p);
          }
          return parser.parse(file, offset, line);
        }
      });
    }, true);
  }

  /** The first non-blank line of the text files at {@code path}, or null when they hold none. */
  private static String firstLine(JavaSparkContext sc, String path) {
    List<String> first = sc.newAPIHadoopFile(path, TextInputFormat.class, LongWritable.class, Text.class,
            new Configuration(sc.hadoopConfiguration()))
        .map(t -> t._2().toString().replaceFirst("^\uFEFF", "")).filter(s -> !s.isBlank()).take(1);
    return first.isEmpty() ? null : first.get(0);
  }

  /**
   * Applies a conversion to each element, skipping nulls, and ends after the first problem: the rest of
   * a partition whose job will fail need not be read.
   */
  static final class UntilProblem<T> implements Iterator<CheckedExample> {
    private final Iterator<T> in;
    private final java.util.function.Function<T, CheckedExample> convert;
    private CheckedExample next;
    private boolean done;

    UntilProblem(Iterator<T> in, java.util.function.Function<T, CheckedExample> convert) {
      this.in = in;
      this.convert = convert;
    }

    @Override
    public boolean hasNext() {
      while (next == null && !done && in.hasNext()) {
        next = convert.apply(in.next());
      }
      return next != null;
    }

    @Override
    public CheckedExample next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      CheckedExample c = next;
      next = null;
      done = c.problem() != null;
      return c;
    }
  }

  /**
   * The paragraph for {@code problem}: {@code "<format> file <path>, line <n>, <column>: '<value>' <reason>"};
   * a byte offset is turned into a line number by counting the line breaks before it (one read of the
   * file's beginning, on the driver, only when there is a problem to report).
   */
  static String describe(DataProblem problem, String format, Configuration conf) {
    String where;
    if (problem.unit() == DataProblem.Unit.RECORD) {
      where = "record " + (problem.position() + 1);
    } else {
      where = "line " + lineNumber(problem.file(), problem.position(), conf);
    }
    return kind(format) + problem.message(where).replaceFirst("^file:(?=/)", "");
  }

  /** How a message names a file of {@code format}: {@code "CSV file "}. */
  static String kind(String format) {
    return switch (format) {
      case "csv" -> "CSV file ";
      case "libsvm" -> "LibSVM file ";
      case "parquet" -> "Parquet file ";
      default -> "data file ";
    };
  }

  /** The 1-based number of the line at byte {@code offset} of {@code file}, or "at byte N" when it cannot be read. */
  private static String lineNumber(String file, long offset, Configuration conf) {
    Path path = new Path(file);
    try {
      FileSystem fs = path.getFileSystem(conf);
      CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(path);
      try (InputStream raw = fs.open(path);
           InputStream in = new java.io.BufferedInputStream(codec == null ? raw : codec.createInputStream(raw))) {
        long line = 1;
        boolean cr = false;
        for (long i = 0; i < offset; i++) {
          int b = in.read();
          if (b < 0) {
            break;
          }
          if (b == '\n') {
            line += cr ? 0 : 1;   // \r\n ends one line
          } else if (b == '\r') {
            line++;
          }
          cr = b == '\r';
        }
        return Long.toString(line);
      }
    } catch (IOException e) {
      return "at byte " + offset;
    }
  }

  /** A cell or token's number as a float, or the reason it is not one. */
  static final class Cell {
    private Cell() {
    }

    /** Null when {@code s} is a finite float, else why not (continuing "'s' ..."). */
    static String floatProblem(String s) {
      if (s.isEmpty()) {
        return "is empty (a missing value); every cell needs a number";
      }
      double v = number(s);
      if (Double.isNaN(v)) {
        return s.equalsIgnoreCase("nan") || s.toLowerCase(java.util.Locale.ROOT).contains("inf")
            ? "is not a finite number" : "is not a number";
      }
      return Math.abs(v) <= Float.MAX_VALUE ? null : "is outside the float range (±3.4e38)";
    }

    /** The value of a plain decimal number (digits, sign, point, exponent), NaN for anything else. */
    static double number(String s) {
      for (int i = 0; i < s.length(); i++) {
        char ch = s.charAt(i);
        if (!((ch >= '0' && ch <= '9') || ch == '.' || ch == '-' || ch == '+' || ch == 'e' || ch == 'E')) {
          return Double.NaN;
        }
      }
      try {
        return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
      } catch (NumberFormatException e) {
        return Double.NaN;
      }
    }
  }

  /** One LibSVM line: {@code label index:value ...}, 1-based strictly increasing indices up to the width. */
  record LibSvmLine(int width, Targets targets) implements LineParser {
    @Override
    public CheckedExample parse(String file, long offset, String line) {
      int hash = line.indexOf('#');
      String content = (hash >= 0 ? line.substring(0, hash) : line).strip();
      if (content.isEmpty()) {
        return null;
      }
      String[] tokens = content.split("\\s+");
      float[] target;
      if (targets.ignored()) {
        target = targets.placeholder();
      } else {
        double label = Cell.number(tokens[0]);
        String why = Double.isNaN(label) ? Cell.floatProblem(tokens[0]) : targets.problem(label);
        if (why != null) {
          return problem(file, offset, "label (token 1)", tokens[0], "as a label " + why);
        }
        target = targets.of(label);
      }
      float[] x = new float[width];
      int previous = 0;
      for (int t = 1; t < tokens.length; t++) {
        String token = tokens[t];
        String column = "token " + (t + 1);
        int colon = token.indexOf(':');
        if (colon <= 0 || colon == token.length() - 1) {
          return problem(file, offset, column, token, "is not index:value");
        }
        int index;
        try {
          index = Integer.parseInt(token.substring(0, colon));
        } catch (NumberFormatException e) {
          return problem(file, offset, column, token, "has an index that is not an integer");
        }
        if (index <= 0) {
          return problem(file, offset, column, token, "has index " + index + "; feature indices are 1-based");
        }
        if (index <= previous) {
          return problem(file, offset, column, token, (index == previous ? "repeats index " + index
              : "comes after index " + previous) + "; indices must be strictly increasing (sorted, no duplicates)");
        }
        if (index > width) {
          return problem(file, offset, column, token, "has index " + index + ", past the " + width
              + " features of the network (data.dimension)");
        }
        String value = token.substring(colon + 1);
        String why = Cell.floatProblem(value);
        if (why != null) {
          return problem(file, offset, column + " (feature " + index + ")", value, why);
        }
        x[index - 1] = (float) Cell.number(value);
        previous = index;
      }
      return CheckedExample.of(new Example(x, target, 1f));
    }

    private static CheckedExample problem(String file, long offset, String column, String value, String why) {
      return CheckedExample.of(new DataProblem(file, offset, DataProblem.Unit.BYTE_OFFSET, column, value, why));
    }
  }

  /**
   * One CSV line: fields split at the delimiter (RFC 4180 quotes within a line), the label column by name,
   * every other column a feature in file order. With a header, each file's first line must repeat it.
   */
  record CsvLine(char delimiter, String header, String[] names, int label, Targets targets) implements LineParser {

    static CsvLine of(String first, DataConfig data, String path, int width, String who, Targets targets) {
      if (first == null) {
        throw new IllegalArgumentException("CSV file " + path + " holds no lines; expected "
            + (data.header() ? "a header line and " : "") + "rows of numbers");
      }
      if (data.delimiter().length() != 1) {
        throw new IllegalArgumentException("data.delimiter '" + data.delimiter() + "' is not a single character");
      }
      char d = data.delimiter().charAt(0);
      List<String> fields;
      try {
        fields = split(first, d);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("CSV file " + path + ", line 1: " + e.getMessage());
      }
      String[] names = new String[fields.size()];
      for (int c = 0; c < names.length; c++) {
        names[c] = data.header() ? fields.get(c).trim() : "_c" + c;
      }
      int label = java.util.Arrays.asList(names).indexOf(data.label());
      if (label < 0 && !targets.ignored()) {
        throw new IllegalArgumentException("CSV file " + path + " has no column '" + data.label()
            + "'; its columns are " + String.join(", ", names));
      }
      int features = names.length - (label < 0 ? 0 : 1);
      if (features != width) {
        throw new IllegalArgumentException(who + " expects " + width + " features, " + path + " has " + features
            + (label >= 0 ? " (besides the label column '" + data.label() + "')"
            : " (it has no label column '" + data.label() + "', so every column was read as a feature)"));
      }
      return new CsvLine(d, data.header() ? first.strip() : null, names, label, targets);
    }

    @Override
    public boolean hasHeader() {
      return header != null;
    }

    @Override
    public DataProblem header(String file, long offset, String line) {
      return line.strip().equals(header) ? null : new DataProblem(file, offset, DataProblem.Unit.BYTE_OFFSET,
          null, line, "is not the header the first file has ('" + header + "')");
    }

    @Override
    public CheckedExample parse(String file, long offset, String line) {
      if (line.isBlank()) {
        return null;
      }
      List<String> fields;
      try {
        fields = split(line, delimiter);
      } catch (IllegalArgumentException e) {
        return problem(file, offset, null, line, e.getMessage());
      }
      if (fields.size() != names.length) {
        return problem(file, offset, null, line, "has " + fields.size() + " fields, expected " + names.length
            + (header != null ? " (as in the header)" : " (as on the first line)") + "; check data.delimiter '"
            + delimiter + "' and quoting");
      }
      float[] x = new float[names.length - (label < 0 ? 0 : 1)];
      float[] target = targets.ignored() ? targets.placeholder() : null;
      int j = 0;
      for (int c = 0; c < names.length; c++) {
        String cell = fields.get(c).trim();
        String column = "column '" + names[c] + "' (index " + c + ")";
        if (c == label) {
          if (targets.ignored()) {
            continue;
          }
          double v = Cell.number(cell);
          String why = Double.isNaN(v) ? Cell.floatProblem(cell) : targets.problem(v);
          if (why != null) {
            return problem(file, offset, column, cell, "as a label " + why);
          }
          target = targets.of(v);
          continue;
        }
        String why = Cell.floatProblem(cell);
        if (why != null) {
          return problem(file, offset, column, cell, why);
        }
        x[j++] = (float) Cell.number(cell);
      }
      return CheckedExample.of(new Example(x, target, 1f));
    }

    private static CheckedExample problem(String file, long offset, String column, String value, String why) {
      return CheckedExample.of(new DataProblem(file, offset, DataProblem.Unit.BYTE_OFFSET, column, value, why));
    }

    /** The fields of one line; quotes may hold delimiters ({@code ""} is a quote) but not line breaks. */
    static List<String> split(String line, char d) {
      List<String> fields = new ArrayList<>();
      StringBuilder field = new StringBuilder();
      boolean quoted = false;
      boolean wasQuoted = false;
      for (int i = 0; i < line.length(); i++) {
        char ch = line.charAt(i);
        if (quoted) {
          if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
            field.append('"');
            i++;
          } else if (ch == '"') {
            quoted = false;
          } else {
            field.append(ch);
          }
        } else if (ch == d) {
          fields.add(field.toString());
          field.setLength(0);
          wasQuoted = false;
        } else if (ch == '"' && field.toString().isBlank() && !wasQuoted) {
          field.setLength(0);
          quoted = true;
          wasQuoted = true;
        } else if (wasQuoted && !Character.isWhitespace(ch)) {
          throw new IllegalArgumentException("has text after a closing quote in field " + (fields.size() + 1));
        } else {
          field.append(ch);
        }
      }
      if (quoted) {
        throw new IllegalArgumentException("has a quoted field that is not closed on this line (quoted line "
            + "breaks are not supported)");
      }
      fields.add(field.toString());
      return fields;
    }
  }

  /**
   * The rows of Parquet files: a vector column {@code data.features} of {@code width} finite values and a
   * number or vector label column {@code data.label}; a problem names the file and the row's 0-based
   * index in it (Spark's {@code _metadata.row_index}).
   */
  private static JavaRDD<CheckedExample> parquet(SparkSession spark, DataConfig data, String path, int width,
                                                 Targets targets) {
    Dataset<Row> raw = spark.read().parquet(path);
    List<String> columns = java.util.Arrays.asList(raw.columns());
    if (!columns.contains(data.features())) {
      throw new IllegalArgumentException("Parquet data " + path + " has no column '" + data.features()
          + "' (data.features); its columns are " + String.join(", ", columns));
    }
    DataType featureType = raw.schema().apply(data.features()).dataType();
    if (!featureType.equals(SQLDataTypes.VectorType())) {
      throw new IllegalArgumentException("Parquet data " + path + ": column '" + data.features()
          + "' (data.features) must hold ml.linalg vectors, found " + featureType.simpleString());
    }
    boolean labelled = !targets.ignored();
    if (labelled && !columns.contains(data.label())) {
      throw new IllegalArgumentException("Parquet data " + path + " has no column '" + data.label()
          + "' (data.label); its columns are " + String.join(", ", columns));
    }
    if (labelled) {
      DataType labelType = raw.schema().apply(data.label()).dataType();
      if (!(labelType instanceof NumericType) && !labelType.equals(SQLDataTypes.VectorType())) {
        throw new IllegalArgumentException("Parquet data " + path + ": column '" + data.label()
            + "' (data.label) must be numeric or a vector, found " + labelType.simpleString());
      }
    }
    Dataset<Row> selected = raw.select(functions.col(data.features()), labelled ? functions.col(data.label())
        : functions.lit(0.0), functions.col("_metadata.file_path"), functions.col("_metadata.row_index"));
    String featuresCol = data.features();
    String labelCol = data.label();
    return selected.toJavaRDD().mapPartitions(it -> new UntilProblem<>(it, row -> {
      String file = row.getString(2);
      long index = row.getLong(3);
      Object f = row.get(0);
      if (!(f instanceof Vector) || ((Vector) f).size() != width) {
        return record(file, index, "column '" + featuresCol + "'", f == null ? "null" : f.toString(),
            f == null ? "is missing; every row needs a features vector"
                : "has " + ((Vector) f).size() + " values, the network expects " + width);
      }
      Vector v = (Vector) f;
      float[] x = new float[width];
      for (int j = 0; j < width; j++) {
        double value = v.apply(j);
        if (!(Math.abs(value) <= Float.MAX_VALUE)) {
          return record(file, index, "column '" + featuresCol + "' element " + j, Double.toString(value),
              Double.isNaN(value) || Double.isInfinite(value) ? "is not a finite number"
                  : "is outside the float range (±3.4e38)");
        }
        x[j] = (float) value;
      }
      if (targets.ignored()) {
        return CheckedExample.of(new Example(x, targets.placeholder(), 1f));
      }
      Object label = row.get(1);
      String column = "column '" + labelCol + "'";
      if (label instanceof Number) {
        double value = ((Number) label).doubleValue();
        String why = targets.problem(value);
        return why != null ? record(file, index, column, label.toString(), "as a label " + why)
            : CheckedExample.of(new Example(x, targets.of(value), 1f));
      }
      if (!(label instanceof Vector)) {
        return record(file, index, column, "null", "is missing; every row needs a label");
      }
      Vector t = (Vector) label;
      if (t.size() != targets.width()) {
        return record(file, index, column, t.toString(), "has " + t.size() + " values, the loss needs "
            + targets.width() + " target values per example");
      }
      boolean probabilities = targets.oneHot() || targets.rule().kind() == LabelRule.Kind.BINARY;
      float[] y = new float[t.size()];
      for (int j = 0; j < y.length; j++) {
        double value = t.apply(j);
        if (!(Math.abs(value) <= Float.MAX_VALUE) || (probabilities && !(value >= 0 && value <= 1))) {
          return record(file, index, column + " element " + j, Double.toString(value), probabilities
              ? "is not a target probability in [0, 1]" : "is not a finite float");
        }
        y[j] = (float) value;
      }
      return CheckedExample.of(new Example(x, y, 1f));
    }));
  }

  private static CheckedExample record(String file, long index, String column, String value, String why) {
    return CheckedExample.of(new DataProblem(file, index, DataProblem.Unit.RECORD, column, value, why));
  }
}
