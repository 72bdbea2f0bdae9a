package org.rlhf4j.aifeedback.cai;

import java.util.ArrayList;
import java.util.List;
import org.rlhf4j.aifeedback.Responses;
import org.rlhf4j.data.Content;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.generate.SamplingConfig;
import org.rlhf4j.models.tokenizer.Tokenizer;

/**
 * Constitutional AI's supervised stage (Bai et al. 2022, section 3): a response to each (red-team) prompt, then
 * {@code rounds} times: critique it under a randomly drawn principle, and revise it by that principle's revision
 * request. The last revision is what SL-CAI fine-tunes on. One model plays every part; prompts are processed in
 * batches, each step one batched generation.
 */
public final class CritiqueReviser {
  /**
   * @param temperature 0 for greedy decoding (every part), else sampling with {@code topP} from {@code seed}
   */
  public record Options(int rounds, int maxNewTokens, double temperature, double topP, int batchSize, long seed) {
    public Options {
      if (rounds < 1) throw new IllegalArgumentException("rounds must be >= 1, got " + rounds);
      if (maxNewTokens < 1) throw new IllegalArgumentException("maxNewTokens must be >= 1, got " + maxNewTokens);
      if (!(temperature >= 0)) throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
      if (batchSize < 1) throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
    }
  }

  /** One round: the principle drawn, the critique and the revision the model wrote. */
  public record Round(String principle, String critique, String revision) {}

  /** A prompt's whole history: the first response and every round. */
  public record Trace(String id, Content prompt, String initial, List<Round> rounds) {
    /** The response after the last round. */
    public String revised() { return rounds.isEmpty() ? initial : rounds.get(rounds.size() - 1).revision(); }
  }

  private final CausalLM model;
  private final Tokenizer tok;
  private final Constitution constitution;
  private final Options opts;
  private final Dialogue dialogue;
  private final java.util.function.Predicate<String> needsRevision;

  public CritiqueReviser(CausalLM model, Tokenizer tok, Constitution constitution, Options opts) {
    this(model, tok, constitution, opts, critique -> true);
  }

  /**
   * As above, revising only answers whose critique {@code needsRevision} accepts (e.g. one that found a problem);
   * the others keep their answer for the round, so a model that copies poorly cannot garble good answers.
   */
  public CritiqueReviser(CausalLM model, Tokenizer tok, Constitution constitution, Options opts,
      java.util.function.Predicate<String> needsRevision) {
    this.needsRevision = needsRevision;
    this.model = model;
    this.tok = tok;
    this.constitution = constitution;
    this.opts = opts;
    this.dialogue = new Dialogue(tok.chatTemplate().orElse(null));
    constitution.drawCritique(new java.util.SplittableRandom(0)); // fails now, naming the field, if no principle can critique
  }

  /**
   * Critique-revise for these prompts. {@code initial} holds given first responses (an entry may be null: the model
   * then writes it); principles are drawn from a stream seeded by each prompt's id, so a resumed run draws the same.
   */
  public List<Trace> run(List<String> ids, List<Content> prompts, List<String> initial) {
    int n = prompts.size();
    List<String> current = new ArrayList<>(initial == null ? java.util.Collections.nCopies(n, (String) null) : initial);
    List<Integer> missing = new ArrayList<>();
    for (int i = 0; i < n; i++) if (current.get(i) == null) missing.add(i);
    if (!missing.isEmpty()) {
      List<String> first = generate(missing.stream().map(i -> dialogue.initial(prompts.get(i))).toList(), 0);
      for (int k = 0; k < missing.size(); k++) current.set(missing.get(k), first.get(k));
    }
    List<String> start = List.copyOf(current);
    List<List<Round>> rounds = new ArrayList<>();
    for (int i = 0; i < n; i++) rounds.add(new ArrayList<>());
    List<java.util.SplittableRandom> draws = ids.stream().map(id -> Constitution.drawsFor(opts.seed(), id)).toList();
    for (int r = 0; r < opts.rounds(); r++) {
      List<Principle> ps = new ArrayList<>();
      for (int i = 0; i < n; i++) ps.add(constitution.drawCritique(draws.get(i)));
      List<String> critiques = new ArrayList<>();
      for (int i = 0; i < n; i++) critiques.add(dialogue.critique(prompts.get(i), current.get(i), ps.get(i)));
      critiques = generate(critiques, 1 + 2 * r);
      List<Integer> flagged = new ArrayList<>();
      for (int i = 0; i < n; i++) if (needsRevision.test(critiques.get(i))) flagged.add(i);
      List<String> contexts = new ArrayList<>();
      for (int i : flagged) contexts.add(dialogue.revision(prompts.get(i), current.get(i), ps.get(i), critiques.get(i)));
      List<String> generated = contexts.isEmpty() ? List.of() : generate(contexts, 2 + 2 * r);
      List<String> revisions = new ArrayList<>(current);
      for (int k = 0; k < flagged.size(); k++) revisions.set(flagged.get(k), generated.get(k));
      for (int i = 0; i < n; i++) {
        String revised = revisions.get(i).isEmpty() ? current.get(i) : revisions.get(i); // an empty revision changes nothing
        rounds.get(i).add(new Round(ps.get(i).name(), critiques.get(i), revised));
        current.set(i, revised);
      }
    }
    List<Trace> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) out.add(new Trace(ids.get(i), prompts.get(i), start.get(i), List.copyOf(rounds.get(i))));
    return out;
  }

  /** One step's generations for rendered contexts; {@code step} varies the sampling seed between steps. */
  private List<String> generate(List<String> contexts, int step) {
    List<long[]> ids = contexts.stream().map(c -> Responses.encode(tok, c)).toList();
    SamplingConfig cfg = Responses.sampling(tok, opts.maxNewTokens(), opts.temperature(), opts.topP(), opts.seed() * 31 + step);
    return Responses.generate(model, tok, ids, cfg, opts.batchSize()).stream().map(dialogue::clean).toList();
  }
}
