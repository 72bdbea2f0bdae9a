package org.rlhf4j.data.format;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.rlhf4j.data.LabelledText;

/**
 * Binary-labelled text files: GLUE/SST-2 style TSV ({@code sentence<TAB>label} with a header) and
 * CSV with {@code text} and {@code label} columns (pandas' unnamed index column is ignored). Labels
 * are 0/1, or {@code Positive}/{@code Negative} (also pos/neg, case-insensitive).
 */
public final class LabelledTexts {
  private LabelledTexts() {}

  /** Reads {@code file} by its extension: {@code .tsv} (tab, first column text) or {@code .csv}. */
  public static List<LabelledText> read(Path file) {
    if (!Files.isRegularFile(file)) throw new DataFormatException(file, 0, "no such file");
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    CSVFormat format = name.endsWith(".tsv")
        ? CSVFormat.TDF.builder().setHeader().setSkipHeaderRecord(true).setQuote(null).setTrim(false).get()
        : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setAllowMissingColumnNames(true).get();
    String textColumn = name.endsWith(".tsv") ? "sentence" : "text";
    List<LabelledText> out = new ArrayList<>();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8); CSVParser p = format.parse(in)) {
      if (!p.getHeaderMap().containsKey(textColumn) || !p.getHeaderMap().containsKey("label")) {
        throw new DataFormatException(file, 1, "expected columns '" + textColumn + "' and 'label', found " + p.getHeaderNames());
      }
      for (CSVRecord r : p) {
        long line = r.getParser().getCurrentLineNumber();
        if (!r.isConsistent()) throw new DataFormatException(file, line, "record has " + r.size() + " fields, the header " + p.getHeaderNames().size());
        out.add(new LabelledText(r.get(textColumn).strip(), label(r.get("label"), file, line)));
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new DataFormatException(file, 0, "cannot read: " + e.getMessage(), e);
    }
    if (out.isEmpty()) throw new DataFormatException(file, 0, "no labelled texts");
    return out;
  }

  private static int label(String raw, Path file, long line) {
    return switch (raw.strip().toLowerCase(Locale.ROOT)) {
      case "1", "positive", "pos" -> 1;
      case "0", "negative", "neg" -> 0;
      default -> throw new DataFormatException(file, line, "label '" + raw + "' is not 0/1 or Positive/Negative");
    };
  }
}
