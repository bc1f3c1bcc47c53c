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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a CSV file of numeric columns line by line into a {@link Dataset}: an optional header line, one
 * label column chosen by name or index, optional ignored columns, every other column a feature. Quoted
 * fields follow RFC 4180 ({@code "a, b"}, {@code ""} for a quote, line breaks inside quotes). A missing or
 * non-numeric cell, or a row with the wrong number of fields, is an error naming the file, the line
 * (1-based) and the column (name and 0-based index).
 */
public final class CsvReader {

  private CsvReader() {
  }

  /**
   * How to read a CSV file.
   *
   * @param delimiter the field separator, e.g. {@code ','}, {@code ';'} or a tab
   * @param header whether the first line holds column names
   * @param labelColumn the label column's name (needs a header), or null
   * @param labelIndex the label column's 0-based index, negative counting from the end ({@code -1} is the
   *     last column), or null; with neither label set the file has no targets
   * @param ignoreColumns columns that are neither features nor label: header names, or 0-based indices
   * @param targetKind {@code CLASS_INDEX} or {@code REGRESSION}; null infers class indices when every label is
   *     a non-negative integer, regression otherwise
   */
  public record Options(char delimiter, boolean header, String labelColumn, Integer labelIndex,
                        List<String> ignoreColumns, TargetKind targetKind) {

    public Options {
      if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
        throw new ConfigException("delimiter", "'" + delimiter + "' cannot separate fields");
      }
      if (labelColumn != null && labelIndex != null) {
        throw new ConfigException("label", "give the label column by name or by index, not both ('"
            + labelColumn + "' and " + labelIndex + ")");
      }
      if (labelColumn != null && !header) {
        throw new ConfigException("label", "a label column by name ('" + labelColumn + "') needs a header line");
      }
      if (targetKind != null && targetKind != TargetKind.CLASS_INDEX && targetKind != TargetKind.REGRESSION) {
        throw new ConfigException("target", "'" + targetKind.key()
            + "' is not possible for one label column; expected class_index or regression");
      }
      ignoreColumns = ignoreColumns == null ? List.of() : List.copyOf(ignoreColumns);
    }

    /** Comma-separated, with a header, no label. */
    public static Options defaults() {
      return new Options(',', true, null, null, List.of(), null);
    }

    public Options withDelimiter(char d) {
      return new Options(d, header, labelColumn, labelIndex, ignoreColumns, targetKind);
    }

    public Options withHeader(boolean h) {
      return new Options(delimiter, h, labelColumn, labelIndex, ignoreColumns, targetKind);
    }

    /** The label column by header name. */
    public Options withLabel(String name) {
      return new Options(delimiter, header, name, null, ignoreColumns, targetKind);
    }

    /** The label column by 0-based index ({@code -1} for the last column). */
    public Options withLabel(int index) {
      return new Options(delimiter, header, null, index, ignoreColumns, targetKind);
    }

    public Options withIgnored(String... columns) {
      return new Options(delimiter, header, labelColumn, labelIndex, List.of(columns), targetKind);
    }

    public Options withTargetKind(TargetKind kind) {
      return new Options(delimiter, header, labelColumn, labelIndex, ignoreColumns, kind);
    }

    /** The JSON form: {@code delimiter, header, label (name or index), ignore, target}. */
    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("delimiter", String.valueOf(delimiter));
      m.put("header", header);
      if (labelColumn != null) {
        m.put("label", labelColumn);
      } else if (labelIndex != null) {
        m.put("label", labelIndex);
      }
      m.put("ignore", ignoreColumns);
      m.put("target", targetKind == null ? "auto" : targetKind.key());
      return m;
    }

    /** Reads {@link #toMap()}'s form; {@code label} is a column name (string) or index (integer). */
    public static Options read(ConfigMap m) {
      String d = m.string("delimiter", ",");
      if (d.equals("\\t") || d.equalsIgnoreCase("tab")) {
        d = "\t";
      }
      if (d.length() != 1) {
        throw new ConfigException(m.key("delimiter"), "'" + d + "' is not a single character");
      }
      boolean header = m.bool("header", true);
      Object label = m.value("label");
      String name = null;
      Integer index = null;
      if (label instanceof String) {
        name = (String) label;
      } else if (label instanceof Number && ((Number) label).doubleValue() == ((Number) label).intValue()) {
        index = ((Number) label).intValue();
      } else if (label != null) {
        throw new ConfigException(m.key("label"), "expected a column name or a 0-based index, got " + label);
      }
      List<String> ignore = new ArrayList<>();
      Object ig = m.value("ignore");
      if (ig instanceof List) {
        for (Object o : (List<?>) ig) {
          ignore.add(o instanceof Number ? String.valueOf(((Number) o).longValue()) : String.valueOf(o));
        }
      } else if (ig != null) {
        throw new ConfigException(m.key("ignore"), "expected a list of column names or indices, got " + ig);
      }
      String target = m.choice("target", "auto", List.of("auto", "class_index", "regression"));
      m.finish();
      try {
        return new Options(d.charAt(0), header, name, index, ignore,
            target.equals("auto") ? null : TargetKind.parse(target));
      } catch (ConfigException e) {
        throw new ConfigException(m.key(e.key()), e.getMessage().substring(e.key().length() + 2));
      }
    }
  }

  /** Reads {@code file} with {@code options}. */
  public static Dataset read(Path file, Options options) throws IOException {
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return new Parser(file, options, in).parse();
    }
  }

  /** Reads {@code file}: comma-separated with a header, the label in the column named {@code label}. */
  public static Dataset read(Path file, String label) throws IOException {
    return read(file, Options.defaults().withLabel(label));
  }

  private static final class Parser {
    private final Path file;
    private final Options options;
    private final BufferedReader in;
    private int lineNumber;     // physical lines read so far
    private int recordLine;     // line where the current record starts
    private final StringBuilder field = new StringBuilder();

    Parser(Path file, Options options, BufferedReader in) {
      this.file = file;
      this.options = options;
      this.in = in;
    }

    Dataset parse() throws IOException {
      List<String> first = nextRecord();
      if (first == null) {
        throw DataFileException.at(file, "line 1", "the file is empty; expected "
            + (options.header() ? "a header line and " : "") + "rows of numbers");
      }
      int columns = first.size();
      String[] names = null;
      if (options.header()) {
        names = first.stream().map(String::trim).toArray(String[]::new);
      }
      int label = labelColumn(names, columns);
      boolean[] ignored = ignoredColumns(names, columns, label);
      int width = 0;
      for (int c = 0; c < columns; c++) {
        if (c != label && !ignored[c]) {
          width++;
        }
      }
      if (width == 0) {
        throw DataFileException.at(file, "line " + recordLine, "no feature columns are left among the "
            + columns + " columns after the label and the ignored ones");
      }
      FloatList features = new FloatList(1024);
      FloatList labels = new FloatList(64);
      int headerLine = recordLine;
      List<String> row = options.header() ? nextRecord() : first;
      int rows = 0;
      while (row != null) {
        if (row.size() != columns) {
          throw DataFileException.at(file, "line " + recordLine, "has " + row.size() + " fields, expected "
              + columns + " (as " + (options.header() ? "in the header" : "on the first line") + ", line "
              + headerLine + "); check the delimiter '" + printable(options.delimiter()) + "' and quoting");
        }
        for (int c = 0; c < columns; c++) {
          if (ignored[c]) {
            continue;
          }
          float v = number(row.get(c), c, names);
          if (c == label) {
            if (options.targetKind() == TargetKind.CLASS_INDEX && !(v >= 0 && v == Math.rint(v) && v < (1 << 24))) {
              throw DataFileException.at(file, "line " + recordLine + ", column " + columnName(c, names),
                  "label " + row.get(c).trim() + " is not a class index (an integer >= 0); is the target regression?");
            }
            labels.add(v);
          } else {
            features.add(v);
          }
        }
        rows++;
        row = nextRecord();
      }
      if (rows == 0) {
        throw DataFileException.at(file, "line " + (lineNumber + 1), "no data rows after the header");
      }
      float[] targets = labels.toArray();
      TargetKind kind = label < 0 ? TargetKind.NONE : options.targetKind() != null ? options.targetKind()
          : LibSvmReader.inferKind(targets);
      String description = "CSV " + file.getFileName() + " (" + rows + " rows, " + width + " features"
          + (label >= 0 ? ", label column " + columnName(label, names) : "") + ")";
      return new Dataset(features.toArray(), Shape.of(width), label < 0 ? new float[0] : targets,
          label < 0 ? 0 : 1, kind, 0, null, description);
    }

    private int labelColumn(String[] names, int columns) throws DataFileException {
      if (options.labelColumn() != null) {
        int found = -1;
        for (int c = 0; c < columns; c++) {
          if (names[c].equals(options.labelColumn())) {
            if (found >= 0) {
              throw DataFileException.at(file, "line " + recordLine, "the header names label column '"
                  + options.labelColumn() + "' twice (indices " + found + " and " + c + ")");
            }
            found = c;
          }
        }
        if (found < 0) {
          throw DataFileException.at(file, "line " + recordLine, "no column is named '" + options.labelColumn()
              + "'; the header has " + Arrays.toString(names));
        }
        return found;
      }
      if (options.labelIndex() != null) {
        int i = options.labelIndex();
        int c = i < 0 ? columns + i : i;
        if (c < 0 || c >= columns) {
          throw DataFileException.at(file, "line " + recordLine, "label index " + i + " is outside the "
              + columns + " columns (0.." + (columns - 1) + ", or -1 for the last)");
        }
        return c;
      }
      return -1;
    }

    private boolean[] ignoredColumns(String[] names, int columns, int label) throws DataFileException {
      boolean[] ignored = new boolean[columns];
      for (String col : options.ignoreColumns()) {
        int found = -1;
        if (names != null) {
          found = Arrays.asList(names).indexOf(col);
        }
        if (found < 0 && col.matches("\\d+")) {
          found = Integer.parseInt(col);
          if (found >= columns) {
            found = -1;
          }
        }
        if (found < 0) {
          throw DataFileException.at(file, "line " + recordLine, "ignored column '" + col
              + "' is neither a header name nor an index below " + columns
              + (names != null ? "; the header has " + Arrays.toString(names) : ""));
        }
        if (found == label) {
          throw DataFileException.at(file, "line " + recordLine, "column '" + col
              + "' cannot be both the label and ignored");
        }
        ignored[found] = true;
      }
      return ignored;
    }

    private float number(String cell, int c, String[] names) throws DataFileException {
      String s = cell.trim();
      if (s.isEmpty()) {
        throw DataFileException.at(file, "line " + recordLine + ", column " + columnName(c, names),
            "the cell is empty (missing value); every feature and label cell needs a number");
      }
      boolean plain = true;
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
      if (!plain) {
        throw DataFileException.at(file, "line " + recordLine + ", column " + columnName(c, names),
            "'" + s + "' is not a number");
      }
      if (!Float.isFinite(v)) {
        throw DataFileException.at(file, "line " + recordLine + ", column " + columnName(c, names),
            "'" + s + "' is outside the float range");
      }
      return v;
    }

    private String columnName(int c, String[] names) {
      return names != null ? "'" + names[c] + "' (index " + c + ")" : "index " + c;
    }

    /** The fields of the next non-blank record, or null at the end of the file. */
    private List<String> nextRecord() throws IOException {
      String line;
      do {
        line = in.readLine();
        if (line == null) {
          return null;
        }
        lineNumber++;
        if (lineNumber == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
          line = line.substring(1);
        }
      } while (line.isBlank());
      recordLine = lineNumber;
      List<String> fields = new ArrayList<>();
      char d = options.delimiter();
      field.setLength(0);
      boolean quoted = false;      // inside a quoted field
      boolean wasQuoted = false;   // the current field had quotes (text after them is an error)
      int i = 0;
      while (true) {
        if (i == line.length()) {
          if (!quoted) {
            break;
          }
          String next = in.readLine();
          if (next == null) {
            throw DataFileException.at(file, "line " + recordLine, "a quoted field is not closed before the end"
                + " of the file");
          }
          lineNumber++;
          field.append('\n');
          line = next;
          i = 0;
          continue;
        }
        char ch = line.charAt(i++);
        if (quoted) {
          if (ch == '"') {
            if (i < line.length() && line.charAt(i) == '"') {
              field.append('"');
              i++;
            } else {
              quoted = false;
            }
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
          throw DataFileException.at(file, "line " + lineNumber + ", field " + (fields.size() + 1),
              "text after a closing quote; write a quote inside a quoted field as \"\"");
        } else {
          field.append(ch);
        }
      }
      fields.add(field.toString());
      return fields;
    }
  }

  private static String printable(char c) {
    return c == '\t' ? "\\t" : String.valueOf(c);
  }
}
