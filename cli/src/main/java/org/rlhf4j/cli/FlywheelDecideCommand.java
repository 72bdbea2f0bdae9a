package org.rlhf4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rlhf4j.serving.AbDecision;
import org.rlhf4j.serving.ModelRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rlhf4j flywheel decide}: the A/B test's verdict. Reads GET /api/production/versions (responses served by
 * each version and how many were desirable / undesirable: explicit thumbs naming the response, else its implicit
 * signals), tests the candidate's desirable rate against the current version's, and promotes, rolls back or keeps
 * collecting. Each decision is appended to OUTPUT/decisions.jsonl.
 */
@Command(name = "decide", mixinStandardHelpOptions = true,
    description = {"Promotes the candidate version, rolls it back, or keeps collecting, from the A/B test's feedback rates.",
        "Exit code 0 in every case; the verdict is printed and appended to OUTPUT/decisions.jsonl."})
public final class FlywheelDecideCommand implements Callable<Integer> {
  @Mixin FlywheelFlags flags;
  @Option(names = "--alpha", defaultValue = "0.05", description = "Significance level of the two-sided test (default: ${DEFAULT-VALUE}).") double alpha;
  @Option(names = "--min-labelled", defaultValue = "100", description = "Labelled responses each version needs before a verdict (default: ${DEFAULT-VALUE}).") long minLabelled;

  @Override public Integer call() throws IOException {
    Path output = flags.output;
    ModelRegistry registry = ModelRegistry.read(output)
        .orElseThrow(() -> new UserError("--output " + output + " has no " + ModelRegistry.FILE + " (run 'rlhf4j flywheel turn' first)"));
    if (registry.candidate() == null) throw new UserError("no candidate version in " + output.resolve(ModelRegistry.FILE) + " to decide on (run 'rlhf4j flywheel turn')");
    // The A/B window: responses logged since the candidate was registered (the current version's earlier traffic is another period).
    long since = java.time.Instant.parse(registry.entry(registry.candidate()).created()).toEpochMilli();
    JsonNode versions = flags.json("/api/production/versions?since=" + since).path("versions");
    long[] cur = AbDecision.counts(versions, registry.current()), cand = AbDecision.counts(versions, registry.candidate());
    AbDecision d;
    try {
      d = AbDecision.of(cur[0], cur[0] + cur[1], cand[0], cand[0] + cand[1], alpha, minLabelled);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage().replace("alpha", "--alpha").replace("minLabelled", "--min-labelled"));
    }
    ModelRegistry next = switch (d.verdict()) {
      case PROMOTE -> registry.promote();
      case ROLL_BACK -> registry.rollBack();
      case KEEP_COLLECTING -> registry;
    };
    next.write(output);
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("time", Instant.now().toString());
    line.put("current", registry.current());
    line.put("candidate", registry.candidate());
    line.put("verdict", d.verdict().name().toLowerCase(java.util.Locale.ROOT));
    line.put("reason", d.reason());
    line.put("current_desirable", cur[0]);
    line.put("current_undesirable", cur[1]);
    line.put("candidate_desirable", cand[0]);
    line.put("candidate_undesirable", cand[1]);
    if (d.comparison() != null) line.put("p_value", d.comparison().pValue());
    Files.writeString(output.resolve("decisions.jsonl"), new ObjectMapper().writeValueAsString(line) + "\n", StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    String what = switch (d.verdict()) {
      case PROMOTE -> "promoted " + registry.candidate() + " to current";
      case ROLL_BACK -> "rolled back " + registry.candidate() + "; " + registry.current() + " stays current";
      case KEEP_COLLECTING -> "keep collecting";
    };
    System.out.println("flywheel: " + what + " (" + d.reason() + ")");
    return 0;
  }
}
