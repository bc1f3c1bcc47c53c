package dev.dendrite.core.data;

import dev.dendrite.core.config.ConfigException;
import dev.dendrite.core.config.ConfigMap;
import dev.dendrite.core.data.Dataset.TargetKind;
import dev.dendrite.core.tensor.Shape;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a LibSVM / SVMlight file line by line into a dense {@link Dataset}: each line is
 * {@code label index:value index:value ...} with 1-based, strictly increasing indices; absent features are
 * 0 and {@code #} starts a comment. The dimension is given or inferred (the largest index). Errors name the
 * file, the line and the token.
 */
public final class LibSvmReader {

  private LibSvmReader() {
  }

  /**
   * How to read a LibSVM file.
   *
   * @param dimension the number of features, or 0 to use the largest index in the file
   * @param signedToBinary map labels {@code -1, +1} to classes {@code 0, 1} (any other label is an error)
   * @param targetKind {@code CLASS_INDEX} or {@code REGRESSION}; null infers class indices when every label is
   *     a non-negative integer (so {@code -1/+1} labels are kept as real values, e.g. for hinge losses)
   */
  public record Options(int dimension, boolean signedToBinary, TargetKind targetKind) {

    public Options {
      if (dimension < 0) {
        throw new ConfigException("dimension", "must be >= 0 (0 infers it), got " + dimension);
      }
      if (targetKind != null && targetKind != TargetKind.CLASS_INDEX && targetKind != TargetKind.REGRESSION) {
        throw new ConfigException("target", "'" + targetKind.key()
            + "' is not possible for LibSVM labels; expected class_index or regression");
      }
      if (signedToBinary && targetKind == TargetKind.REGRESSION) {
        throw new ConfigException("signed_to_binary", "maps labels to classes 0/1, so the target cannot be regression");
      }
    }

    /** Inferred dimension, labels as read. */
    public static Options defaults() {
      return new Options(0, false, null);
    }

    public Options withDimension(int d) {
      return new Options(d, signedToBinary, targetKind);
    }

    public Options withSignedToBinary(boolean on) {
      return new Options(dimension, on, targetKind);
    }

    public Options withTargetKind(TargetKind kind) {
      return new Options(dimension, signedToBinary, kind);
    }

    /** The JSON form: {@code dimension, signed_to_binary, target}. */
    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("dimension", dimension);
      m.put("signed_to_binary", signedToBinary);
      m.put("target", targetKind == null ? "auto" : targetKind.key());
      return m;
    }

    public static Options read(ConfigMap m) {
      int dimension = m.integer("dimension", 0, 0, Integer.MAX_VALUE);
      boolean signed = m.bool("signed_to_binary", false);
      String target = m.choice("target", "auto", List.of("auto", "class_index", "regression"));
      m.finish();
      try {
        return new Options(dimension, signed, target.equals("auto") ? null : TargetKind.parse(target));
      } catch (ConfigException e) {
        throw new ConfigException(m.key(e.key()), e.getMessage().substring(e.key().length() + 2));
      }
    }
  }

  /** Reads {@code file} with {@link Options#defaults()}. */
  public static Dataset read(Path file) throws IOException {
    return read(file, Options.defaults());
  }

  public static Dataset read(Path file, Options options) throws IOException {
    FloatList labels = new FloatList(64);
    int[] rowEnd = new int[64];      // entries of row r end at rowEnd[r]
    int[] indices = new int[256];    // 0-based
    FloatList values = new FloatList(256);
    int entries = 0;
    int maxIndex = 0;
    int rows = 0;
    int lineNumber = 0;
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        lineNumber++;
        int hash = line.indexOf('#');
        String content = (hash >= 0 ? line.substring(0, hash) : line).strip();
        if (content.isEmpty()) {
          continue;
        }
        String[] tokens = content.split("\\s+");
        float label = number(tokens[0], file, "line " + lineNumber + ", token 1 '" + tokens[0] + "'", "label");
        if (options.signedToBinary()) {
          if (label != -1f && label != 1f) {
            throw DataFileException.at(file, "line " + lineNumber + ", token 1 '" + tokens[0] + "'",
                "label " + tokens[0] + " is not -1 or +1 (signed_to_binary maps -1 to class 0 and +1 to class 1)");
          }
          label = label > 0 ? 1f : 0f;
        } else if (options.targetKind() == TargetKind.CLASS_INDEX
            && !(label >= 0 && label == Math.rint(label) && label < (1 << 24))) {
          throw DataFileException.at(file, "line " + lineNumber + ", token 1 '" + tokens[0] + "'",
              "label " + tokens[0] + " is not a class index (an integer >= 0); use signed_to_binary for -1/+1");
        }
        labels.add(label);
        int previous = 0;
        for (int t = 1; t < tokens.length; t++) {
          String token = tokens[t];
          String where = "line " + lineNumber + ", token " + (t + 1) + " '" + token + "'";
          int colon = token.indexOf(':');
          if (colon <= 0 || colon == token.length() - 1) {
            throw DataFileException.at(file, where, "expected index:value");
          }
          String idxText = token.substring(0, colon);
          if (idxText.equals("qid")) {
            throw DataFileException.at(file, where, "qid (ranking) tokens are not supported");
          }
          int index;
          try {
            index = Integer.parseInt(idxText);
          } catch (NumberFormatException e) {
            throw DataFileException.at(file, where, "index '" + idxText + "' is not an integer");
          }
          if (index <= 0) {
            throw DataFileException.at(file, where, "feature indices are 1-based; found index " + index);
          }
          if (index <= previous) {
            throw DataFileException.at(file, where, "index " + index + (index == previous ? " repeats" :
                " comes after index " + previous) + "; indices must be strictly increasing (sorted, no duplicates)");
          }
          if (options.dimension() > 0 && index > options.dimension()) {
            throw DataFileException.at(file, where, "index " + index + " exceeds the declared dimension "
                + options.dimension());
          }
          previous = index;
          float v = number(token.substring(colon + 1), file, where, "value");
          if (entries == indices.length) {
            indices = Arrays.copyOf(indices, grow(entries));
          }
          indices[entries++] = index - 1;
          values.add(v);
          maxIndex = Math.max(maxIndex, index);
        }
        if (rows == rowEnd.length) {
          rowEnd = Arrays.copyOf(rowEnd, grow(rows));
        }
        rowEnd[rows++] = entries;
      }
    }
    if (rows == 0) {
      throw DataFileException.at(file, "line " + (lineNumber + 1), "no data lines (expected 'label index:value ...')");
    }
    int dim = options.dimension() > 0 ? options.dimension() : maxIndex;
    if (dim == 0) {
      throw DataFileException.at(file, "line " + lineNumber, "no feature appears in any line and no dimension"
          + " was declared");
    }
    long size = (long) rows * dim;
    if (size > Integer.MAX_VALUE - 8) {
      throw DataFileException.at(file, "line " + lineNumber, rows + " rows × " + dim
          + " features are too many for one dense array");
    }
    float[] features = new float[(int) size];   // [rows, dim]
    int e = 0;
    for (int r = 0; r < rows; r++) {
      for (; e < rowEnd[r]; e++) {
        features[r * dim + indices[e]] = values.get(e);
      }
    }
    float[] targets = labels.toArray();
    TargetKind kind = options.signedToBinary() ? TargetKind.CLASS_INDEX
        : options.targetKind() != null ? options.targetKind() : inferKind(targets);
    String description = "LibSVM " + file.getFileName() + " (" + rows + " rows, " + dim + " features)";
    return new Dataset(features, Shape.of(dim), targets, 1, kind, options.signedToBinary() ? 2 : 0, null,
        description);
  }

  private static int grow(int size) {
    if (size >= Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("more than " + size + " entries do not fit in one array");
    }
    return (int) Math.min(Integer.MAX_VALUE - 8, size + (size >> 1) + 16L);
  }

  private static float number(String s, Path file, String where, String what) throws DataFileException {
    boolean plain = !s.isEmpty();
    for (int i = 0; i < s.length() && plain; i++) {
      char ch = s.charAt(i);
      plain = (ch >= '0' && ch <= '9') || ch == '.' || ch == '-' || ch == '+' || ch == 'e' || ch == 'E';
    }
    float v = Float.NaN;
    if (plain) {
      try {
        v = Float.parseFloat(s);
      } catch (NumberFormatException e) {
        plain = false;
      }
    }
    if (!plain || !Float.isFinite(v)) {
      throw DataFileException.at(file, where,
          what + " '" + s + "' is not a " + (plain ? "finite float" : "number"));
    }
    return v;
  }

  /** Class indices when every label is a non-negative integer (below 2^24), real values otherwise. */
  static TargetKind inferKind(float[] labels) {
    if (labels.length == 0) {
      return TargetKind.REGRESSION;
    }
    for (float t : labels) {
      if (!(t >= 0 && t == Math.rint(t) && t < (1 << 24))) {
        return TargetKind.REGRESSION;
      }
    }
    return TargetKind.CLASS_INDEX;
  }
}
