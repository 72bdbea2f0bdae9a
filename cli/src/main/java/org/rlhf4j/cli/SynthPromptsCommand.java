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
import org.rlhf4j.synth.text.PreQueryPrompts;
import org.rlhf4j.synth.text.SelfInstruct;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rlhf4j synth prompts}: new prompts, self-instruct style from seed prompts or Magpie-style from nothing, deduplicated. */
@Command(name = "prompts", mixinStandardHelpOptions = true,
    description = {"--method self-instruct (default): --model writes new prompts from few-shot lists of --seeds (one prompt "
        + "per line); candidates are cut at their first line, length-filtered and deduplicated by word-bigram overlap and "
        + "(unless --no-embedding-dedup) MiniLM cosine similarity.",
        "--method pre-query (Magpie): --model continues only what its chat template writes before a user's message; the "
        + "continuation up to the assistant's turn is a prompt (no seeds; needs a model that has seen conversations), "
        + "filtered by --min-words/--max-words and word-bigram overlap.",
        "Writes JSONL {\"prompt\": ...}."})
public final class SynthPromptsCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "Causal LM folder that writes the prompts.") Path model;
  @Option(names = "--method", defaultValue = "self-instruct", description = "self-instruct or pre-query (default self-instruct).") String method;
  @Option(names = "--seeds", description = "Text file: one seed prompt per line (self-instruct).") Path seeds;
  @Option(names = "--min-words", defaultValue = "2", description = "pre-query: shortest prompt kept, in words (default 2).") int minWords;
  @Option(names = "--max-words", defaultValue = "64", description = "pre-query: longest prompt kept, in words (default 64).") int maxWords;
  @Option(names = "--max-new-tokens", defaultValue = "96", description = "pre-query: tokens per candidate at most (default 96).") int maxNewTokens;
  @Option(names = "--count", required = true, description = "New prompts wanted.") int count;
  @Option(names = "--output", required = true, description = "JSONL to write.") Path output;
  @Option(names = "--max-rounds", defaultValue = "50", description = "Batches of 16 candidates at most (default 50).") int rounds;
  @Option(names = "--ngram-threshold", defaultValue = "0.7", description = "Bigram Jaccard at which a candidate is a duplicate (default 0.7).") double ngram;
  @Option(names = "--embedding-threshold", defaultValue = "0.85", description = "MiniLM cosine at which a candidate is a duplicate (default 0.85).") double cosine;
  @Option(names = "--no-embedding-dedup", description = "Skip the MiniLM similarity filter.") boolean noEmbedding;
  @Option(names = "--seed", defaultValue = "0", description = "Random seed (default 0).") long seed;

  @Override public Integer call() throws Exception {
    if (method.equals("pre-query")) return preQuery();
    if (!method.equals("self-instruct")) throw new UserError("--method must be self-instruct or pre-query, got '" + method + "'");
    if (seeds == null) throw new UserError("--seeds is required with --method self-instruct");
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
    write(r.prompts());
    System.out.printf(Locale.ROOT, "synth prompts: %d new prompts from %d candidates (rejected: %d length, %d n-gram, %d embedding) -> %s%n",
        r.prompts().size(), r.generated(), r.rejectedLength(), r.rejectedNgram(), r.rejectedEmbedding(), output);
    return 0;
  }

  private int preQuery() throws Exception {
    if (seeds != null) throw new UserError("--seeds is for --method self-instruct; pre-query needs none");
    PreQueryPrompts.Config c;
    try {
      c = new PreQueryPrompts.Config(count, rounds, 16, maxNewTokens, 1.0, seed, minWords, maxWords, ngram);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage().replace("minWords", "--min-words").replace("maxWords", "--max-words")
          .replace("maxNewTokens", "--max-new-tokens").replace("maxRounds", "--max-rounds").replace("target", "--count")
          .replace("ngramThreshold", "--ngram-threshold"));
    }
    PreQueryPrompts.Result r;
    try (Tokenizer tok = Settings.tokenizer(model)) {
      r = PreQueryPrompts.generate(Settings.model(model), tok, c);
    }
    write(r.prompts());
    System.out.printf(Locale.ROOT, "synth prompts: %d new prompts from %d candidates (rejected: %d unfinished turns, %d length, %d n-gram) -> %s%n",
        r.prompts().size(), r.generated(), r.unfinished(), r.rejectedLength(), r.rejectedNgram(), output);
    return 0;
  }

  private void write(List<String> prompts) throws java.io.IOException {
    List<String> lines = new ArrayList<>();
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    for (String p : prompts) lines.add(json.writeValueAsString(Map.of("prompt", p)));
    if (output.getParent() != null) Files.createDirectories(output.getParent());
    Files.write(output, lines);
  }
}
