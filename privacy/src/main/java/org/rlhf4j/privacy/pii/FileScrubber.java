package org.rlhf4j.privacy.pii;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Scrubs a JSON Lines file (every string value of every record, at any depth; keys are kept) or a CSV file with a
 * header row (every cell, or only {@code columns}) with a {@link PiiPolicy}. The output is written to a temporary
 * file beside {@code out} and moved into place, so a failure leaves nothing half-written. A malformed line is a
 * one-line error naming the file and line.
 */
public final class FileScrubber {
  private static final ObjectMapper JSON = new ObjectMapper();

  private FileScrubber() {}

  /** CSV when the name ends in .csv, else JSON Lines. {@code columns} empty = all columns / all fields. */
  public static PiiReport scrub(Path in, Path out, PiiPolicy policy, Set<String> columns) {
    if (!Files.isRegularFile(in)) throw new IllegalArgumentException("no such file: " + in);
    if (in.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
      throw new IllegalArgumentException("--out must differ from --in (the input is never overwritten)");
    }
    Path dir = out.toAbsolutePath().getParent();
    Path tmp = null;
    try {
      Files.createDirectories(dir);
      tmp = Files.createTempFile(dir, "." + out.getFileName() + ".", ".tmp");
      PiiReport r = in.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".csv")
          ? csv(in, tmp, policy, columns) : jsonl(in, tmp, policy, columns);
      Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot scrub " + in + " into " + out + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) { // best effort: the temp file is hidden and named after the output
        }
      }
    }
  }

  private static PiiReport jsonl(Path in, Path tmp, PiiPolicy policy, Set<String> fields) throws IOException {
    PiiReport report = new PiiReport();
    try (BufferedReader r = Files.newBufferedReader(in, StandardCharsets.UTF_8);
         BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      String line;
      int n = 0;
      while ((line = r.readLine()) != null) {
        n++;
        if (line.isBlank()) continue;
        JsonNode node;
        try {
          node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
          throw new IllegalArgumentException(in + ":" + n + ": malformed JSON: " + e.getOriginalMessage());
        }
        Record rec = new Record(policy);
        JsonNode scrubbed = rec.node(node, fields, fields.isEmpty());
        report.record(rec.worst, rec.found);
        if (rec.keep()) {
          w.write(JSON.writeValueAsString(scrubbed));
          w.write('\n');
        }
      }
    }
    return report;
  }

  private static PiiReport csv(Path in, Path tmp, PiiPolicy policy, Set<String> columns) throws IOException {
    CsvMapper mapper = new CsvMapper();
    mapper.enable(CsvParser.Feature.WRAP_AS_ARRAY);
    PiiReport report = new PiiReport();
    try (BufferedReader r = Files.newBufferedReader(in, StandardCharsets.UTF_8);
         BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      Iterator<List<String>> rows = mapper.readerForListOf(String.class).readValues(r);
      if (!rows.hasNext()) return report;
      List<String> header = rows.next();
      for (String c : columns) {
        if (!header.contains(c)) throw new IllegalArgumentException(in + ": no column '" + c + "' (columns: " + header + ")");
      }
      CsvSchema schema = CsvSchema.emptySchema();
      var writer = mapper.writerFor(List.class).with(schema);
      w.write(writer.writeValueAsString(header));
      while (rows.hasNext()) {
        List<String> row = rows.next();
        Record rec = new Record(policy);
        List<String> outRow = new ArrayList<>(row.size());
        for (int i = 0; i < row.size(); i++) {
          boolean scan = columns.isEmpty() || (i < header.size() && columns.contains(header.get(i)));
          outRow.add(scan ? rec.text(row.get(i)) : row.get(i));
        }
        report.record(rec.worst, rec.found);
        if (rec.keep()) w.write(writer.writeValueAsString(outRow));
      }
    }
    return report;
  }

  /** The findings and worst verdict over one record's texts. */
  private static final class Record {
    final PiiPolicy policy;
    final List<Finding> found = new ArrayList<>();
    PiiPolicy.Verdict worst = PiiPolicy.Verdict.CLEAN;

    Record(PiiPolicy policy) { this.policy = policy; }

    boolean keep() { return worst != PiiPolicy.Verdict.DROPPED && worst != PiiPolicy.Verdict.REJECTED; }

    String text(String s) {
      PiiPolicy.Outcome o = policy.screen(s);
      found.addAll(o.findings());
      worst = PiiReport.worse(worst, o.verdict());
      return o.text().orElse(s);
    }

    JsonNode node(JsonNode n, Set<String> fields, boolean scan) {
      if (n.isTextual()) return scan ? TextNode.valueOf(text(n.asText())) : n;
      if (n.isArray()) {
        ArrayNode a = JSON.createArrayNode();
        for (JsonNode c : n) a.add(node(c, fields, scan));
        return a;
      }
      if (n.isObject()) {
        ObjectNode o = JSON.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          o.set(e.getKey(), node(e.getValue(), fields, scan || fields.contains(e.getKey())));
        }
        return o;
      }
      return n;
    }
  }
}
