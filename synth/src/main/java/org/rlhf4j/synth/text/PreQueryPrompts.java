package org.rlhf4j.synth.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.generate.Generation;
import org.rlhf4j.models.generate.Generator;
import org.rlhf4j.models.generate.SamplingConfig;
import org.rlhf4j.models.tokenizer.ChatTemplate;
import org.rlhf4j.models.tokenizer.Tokenizer;

/**
 * Prompt synthesis from the chat template's pre-query text (Magpie, Xu et al. 2024): the model is given only what the
 * template writes before a user's message (e.g. {@code "<bos> user:"}) and its continuation, cut where the template
 * would write the assistant's turn, is a new user prompt. Needs no seed prompts and no instruction the model must
 * understand (self-instruct's few-shot list does), only a model that has seen conversations. Generation stops at a
 * stop token or at the first token of what the template writes after the user's message (that token is dropped).
 * Candidates are filtered by length in words and by word-bigram overlap with every prompt kept before
 * ({@link NgramDedup}); generation stops at {@code target} prompts or after {@code maxRounds} batches.
 */
public final class PreQueryPrompts {
  private PreQueryPrompts() {}

  /** What no chat template writes on its own: marks where the user's message goes. */
  static final String SENTINEL = "RLHF4JQUERYSENTINEL"; // plain text: Jinjava drops control characters

  public record Config(int target, int maxRounds, int batch, int maxNewTokens, double temperature, long seed, int minWords,
      int maxWords, double ngramThreshold) {
    public Config {
      atLeastOne("target", target);
      atLeastOne("maxRounds", maxRounds);
      atLeastOne("batch", batch);
      atLeastOne("maxNewTokens", maxNewTokens);
      if (minWords < 1 || maxWords < minWords) throw new IllegalArgumentException("need 1 <= minWords <= maxWords, got minWords " + minWords + ", maxWords " + maxWords);
      if (!(temperature > 0)) throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
      if (!(ngramThreshold > 0 && ngramThreshold <= 1)) throw new IllegalArgumentException("ngramThreshold must be in (0, 1], got " + ngramThreshold);
    }

    private static void atLeastOne(String field, int value) {
      if (value < 1) throw new IllegalArgumentException(field + " must be >= 1, got " + value);
    }
  }

  /** The accepted prompts and what happened to the other candidates: every candidate is counted exactly once. */
  public record Result(List<String> prompts, int generated, int unfinished, int rejectedLength, int rejectedNgram) {
    public Result {
      prompts = List.copyOf(prompts);
      if (unfinished < 0 || rejectedLength < 0 || rejectedNgram < 0) {
        throw new IllegalArgumentException("rejection counts must be >= 0, got unfinished " + unfinished + ", rejectedLength "
            + rejectedLength + ", rejectedNgram " + rejectedNgram);
      }
      int counted = prompts.size() + unfinished + rejectedLength + rejectedNgram;
      if (counted != generated) throw new IllegalArgumentException("generated " + generated + " candidates but " + counted + " are accounted for");
    }
  }

  /** The template's text before and after a user's message (with the generation prompt), e.g. "<s> user:" and "assistant:". */
  public record Frame(String before, String after) {
    public Frame {
      Objects.requireNonNull(after, "after");
      if (before == null || before.isEmpty()) throw new IllegalArgumentException("the chat template writes nothing before the user's message");
    }

    public static Frame of(ChatTemplate template) {
      String r = template.render(List.of(Map.of("role", "user", "content", SENTINEL)), true);
      int at = r.indexOf(SENTINEL);
      if (at < 0) throw new IllegalArgumentException("the chat template does not write the user's message");
      return new Frame(r.substring(0, at), r.substring(at + SENTINEL.length()).strip());
    }

    /** The user's message in a continuation of {@link #before}: up to {@link #after} (null when the turn never ended). */
    public String query(String continuation, boolean endedByStop) {
      int end = after.isEmpty() ? -1 : continuation.indexOf(after);
      if (end < 0 && !endedByStop) return null;
      return (end < 0 ? continuation : continuation.substring(0, end)).strip();
    }
  }

  public static Result generate(CausalLM model, Tokenizer tok, Config c) {
    Frame frame = Frame.of(tok.chatTemplate().orElseGet(ChatTemplate::chatMl)); // ChatML: rlhf4j's fallback everywhere
    long[] prefix = Arrays.stream(tok.encode(frame.before(), false)).asLongStream().toArray();
    Set<Integer> stops = new HashSet<>(tok.stopIds());
    int afterStart = afterStart(tok, frame.after());
    if (afterStart >= 0) stops.add(afterStart); // the assistant's turn starting ends the query
    Filter filter = new Filter(c);
    for (int round = 0; round < c.maxRounds() && filter.accepted.size() < c.target(); round++) {
      List<long[]> inputs = new ArrayList<>();
      for (int b = 0; b < c.batch(); b++) inputs.add(prefix);
      Generation g = Generator.generate(model, inputs, tok.padId(),
          SamplingConfig.sample(c.maxNewTokens(), c.temperature(), 0, 1.0, c.seed() + round, stops));
      for (int i = 0; i < g.outputIds().length && filter.accepted.size() < c.target(); i++) {
        filter.offer(candidate(frame, tok, g.outputIds()[i], g.finished()[i], afterStart));
      }
    }
    return filter.result();
  }

  /** The filters in order (turn ended, length in words, word-bigram near-duplicate), counting each candidate once. */
  static final class Filter {
    private final Config c;
    private final NgramDedup ngrams;
    private final List<String> accepted = new ArrayList<>();
    private int generated, unfinished, badLength, dup;

    Filter(Config c) {
      this.c = c;
      ngrams = new NgramDedup(2, c.ngramThreshold());
    }

    /** A candidate query, null when its turn never ended. */
    void offer(String text) {
      generated++;
      if (text == null) { unfinished++; return; }
      int words = text.isEmpty() ? 0 : text.split("\\s+").length;
      if (words < c.minWords() || words > c.maxWords()) { badLength++; return; }
      if (!ngrams.add(text)) { dup++; return; }
      accepted.add(text);
    }

    Result result() { return new Result(accepted, generated, unfinished, badLength, dup); }
  }

  /**
   * The first token of the template's after-text that writes something (a SentencePiece tokenizer encodes a lone
   * text with a leading word-boundary piece, which would stop every query at its first space), or -1.
   */
  static int afterStart(Tokenizer tok, String after) {
    for (int id : tok.encode(after, false)) if (!tok.decode(new int[] {id}, false).isBlank()) return id;
    return -1;
  }

  /**
   * One generated row as a query: a row that stopped at {@code afterStart} (the first token of the template's
   * after-text, or -1) loses that token, since it belongs to the assistant's turn, not to the user's message.
   */
  static String candidate(Frame frame, Tokenizer tok, long[] out, boolean stopped, int afterStart) {
    int n = out.length;
    if (stopped && n > 0 && out[n - 1] == afterStart) n--;
    int[] ids = new int[n];
    for (int i = 0; i < n; i++) ids[i] = Math.toIntExact(out[i]);
    return frame.query(tok.decode(ids, true), stopped);
  }
}
