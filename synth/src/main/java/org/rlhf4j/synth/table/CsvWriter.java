package org.rlhf4j.synth.table;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** Writes a {@link Table} as CSV with a header line (through a temporary file moved into place). */
public final class CsvWriter {
  private CsvWriter() {}

  public static void write(Table t, Path file, String missingToken) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8);
         CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setRecordSeparator("\n").build())) {
      p.printRecord(t.schema().names());
      String[] row = new String[t.schema().size()];
      for (int r = 0; r < t.rows(); r++) {
        for (int c = 0; c < row.length; c++) row[c] = t.column(c).text(r, missingToken);
        p.printRecord((Object[]) row);
      }
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
  }
}
