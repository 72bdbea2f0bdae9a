package org.rlhf4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.rlhf4j.privacy.pii.FileScrubber;
import org.rlhf4j.privacy.pii.PiiPolicy;
import org.rlhf4j.privacy.pii.PiiReport;
import org.rlhf4j.privacy.pii.Redaction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rlhf4j pii scrub}: writes a copy of a JSONL/CSV file with personal data masked, pseudonymised or dropped. */
@Command(name = "scrub", mixinStandardHelpOptions = true,
    description = {"Writes --out: --in (JSON Lines, or CSV with a header when the name ends in .csv) with every string "
        + "value / cell scanned for personal data and handled by --mode:",
        "  mask  each finding becomes its placeholder (<EMAIL>, <PERSON>, ...);",
        "  hash  each finding becomes <TYPE_h>, h = HMAC-SHA256 of the value under a secret salt (the same value gets "
            + "the same pseudonym throughout); the salt comes from --salt-file or $RLHF4J_PII_SALT (at least 16 bytes);",
        "  drop  records with any finding are left out.",
        "The input is never modified; the output appears only when the whole file was scrubbed."})
public final class PiiScrubCommand implements Callable<Integer> {
  @Option(names = "--in", required = true, description = "Input file (.jsonl/.json lines, or .csv).") Path in;
  @Option(names = "--out", required = true, description = "Output file (same format).") Path out;
  @Option(names = "--mode", required = true, description = "mask, hash or drop.") String mode;
  @Option(names = "--fields", split = ",", description = "Only these JSON fields (at any depth) / CSV columns (default: all).") List<String> fields;
  @Option(names = "--salt-file", description = "File holding the secret salt for --mode hash.") Path saltFile;
  @Option(names = "--json", description = "Print the report as JSON.") boolean json;

  @Override public Integer call() throws Exception {
    Redaction redaction = switch (mode) {
      case "mask" -> new Redaction.Mask();
      case "drop" -> new Redaction.Drop();
      case "hash" -> hash();
      default -> throw new UserError("--mode must be mask, hash or drop, got '" + mode + "'");
    };
    if (!Files.isRegularFile(in)) throw new UserError("--in: no such file " + in);
    PiiReport report;
    try {
      report = FileScrubber.scrub(in, out, PiiPolicy.redact(redaction), fields == null ? Set.of() : Set.copyOf(fields));
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    if (json) {
      Map<String, Object> o = new LinkedHashMap<>(report.asMap());
      o.put("out", out.toString());
      System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(o));
    } else {
      System.out.println("pii scrub (" + mode + "): " + report.summary() + "; wrote " + out);
    }
    return 0;
  }

  private Redaction hash() throws java.io.IOException {
    String salt = saltFile != null ? Files.readString(saltFile).strip() : System.getenv("RLHF4J_PII_SALT");
    if (salt == null) throw new UserError("--mode hash needs a secret salt: --salt-file FILE or $RLHF4J_PII_SALT");
    try {
      return Redaction.Hash.withSalt(salt);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
  }
}
