package org.rlhf4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.synth.text.SelfInstruct;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rlhf4j synth prompts}: new prompts from seed prompts, self-instruct style, deduplicated. */
@Command(name = "prompts", mixinStandardHelpOptions = true,
    description = {"Self-instruct: --model writes new prompts from few-shot lists of --seeds (one prompt per line); "
        + "candidates are cut at their first line, length-filtered and deduplicated by word-bigram overlap and (unless "
        + "--no-embedding-dedup) MiniLM cosine similarity. Writes JSONL {\"prompt\": ...}."})
public final class SynthPromptsCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "Causal LM folder that writes the prompts.") Path model;
  @Option(names = "--seeds", required = true, description = "Text file: one seed prompt per line.") Path seeds;
  @Option(names = "--count", required = true, description = "New prompts wanted.") int count;
  @Option(names = "--output", required = true, description = "JSONL to write.") Path output;
  @Option(names = "--max-rounds", defaultValue = "50", description = "Batches of 16 candidates at most (default 50).") int rounds;
  @Option(names = "--ngram-threshold", defaultValue = "0.7", description = "Bigram Jaccard at which a candidate is a duplicate (default 0.7).") double ngram;
  @Option(names = "--embedding-threshold", defaultValue = "0.85", description = "MiniLM cosine at which a candidate is a duplicate (default 0.85).") double cosine;
  @Option(names = "--no-embedding-dedup", description = "Skip the MiniLM similarity filter.") boolean noEmbedding;
  @Option(names = "--seed", defaultValue = "0", description = "Random seed (default 0).") long seed;

  @Override public Integer call() throws Exception {
    if (!Files.isRegularFile(seeds)) throw new UserError("seed file " + seeds + " does not exist");
    List<String> seedPrompts = Files.readAllLines(seeds).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    SelfInstruct.Config c;
    try {
      SelfInstruct.Config d = SelfInstruct.Config.defaults(count, seed);
      c = new SelfInstruct.Config(count, rounds, d.batch(), d.shots(), d.maxNewTokens(), d.temperature(), seed, d.minChars(),
          d.maxChars(), ngram, cosine);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    if (seedPrompts.size() < c.shots()) throw new UserError(seeds + " holds " + seedPrompts.size() + " prompts; at least " + c.shots() + " are needed");
    SelfInstruct.Embedder embedder = noEmbedding ? null : SelfInstruct.miniLm();
    SelfInstruct.Result r;
    try (Tokenizer tok = Settings.tokenizer(model)) {
      CausalLM lm = Settings.model(model);
      r = SelfInstruct.generate(lm, tok, seedPrompts, c, embedder);
    }
    List<String> lines = new ArrayList<>();
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    for (String p : r.prompts()) lines.add(json.writeValueAsString(Map.of("prompt", p)));
    if (output.getParent() != null) Files.createDirectories(output.getParent());
    Files.write(output, lines);
    System.out.printf(Locale.ROOT, "synth prompts: %d new prompts from %d candidates (rejected: %d length, %d n-gram, %d embedding) -> %s%n",
        r.prompts().size(), r.generated(), r.rejectedLength(), r.rejectedNgram(), r.rejectedEmbedding(), output);
    return 0;
  }
}
