package org.rlhf4j.serving;

import java.util.List;
import org.rlhf4j.models.generate.SamplingConfig;

/**
 * One request for the batcher: prompt ids, sampling settings, stop strings, top log-probs wanted (0 = none,
 * -1 = not even the chosen token's) and the sink that receives its text as it is decoded.
 */
record Job(long[] prompt, SamplingConfig sampling, List<String> stop, int topLogprobs, Sink sink) {
  Job {
    if (prompt.length == 0) throw new IllegalArgumentException("prompt needs at least one token");
    stop = List.copyOf(stop);
  }

  /** A decoded piece of text with the token(s) behind it. */
  record Delta(String text, List<TokenInfo> tokens) {}

  /** A generated token as OpenAI reports it: text, log-prob and the top alternatives (text, log-prob). */
  record TokenInfo(String token, double logprob, List<String> topTokens, double[] topLogprobs) {}

  /** Why a completion ended: "stop" (stop token or string), "length" (max_tokens). */
  record Finish(String reason, int promptTokens, int completionTokens, String text) {}

  /** Receives a job's output on the decoding thread; must not block for long. */
  interface Sink {
    void delta(Delta d);

    void done(Finish f);

    void failed(RuntimeException e);

    /** True when nobody reads the output any more (client gone): the row is finished early. */
    default boolean cancelled() { return false; }
  }
}
