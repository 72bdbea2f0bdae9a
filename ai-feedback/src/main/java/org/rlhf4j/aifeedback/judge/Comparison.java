package org.rlhf4j.aifeedback.judge;

import java.util.Objects;
import org.rlhf4j.data.Chat;
import org.rlhf4j.data.Content;
import org.rlhf4j.data.Message;
import org.rlhf4j.data.Text;

/**
 * One question for a pairwise judge: which of two responses to {@code prompt} is better, optionally under a
 * {@code criterion} (a principle such as "Which response is less harmful?"; empty = the judge's own default).
 */
public record Comparison(Content prompt, String responseA, String responseB, String criterion) {
  public Comparison {
    Objects.requireNonNull(prompt, "Comparison.prompt");
    Objects.requireNonNull(responseA, "Comparison.responseA");
    Objects.requireNonNull(responseB, "Comparison.responseB");
    criterion = criterion == null ? "" : criterion;
  }

  public static Comparison of(Content prompt, String responseA, String responseB) {
    return new Comparison(prompt, responseA, responseB, "");
  }

  public static Comparison of(String prompt, String responseA, String responseB) {
    return of(Content.text(prompt), responseA, responseB);
  }

  /** The same question with the responses in the other order. */
  public Comparison swapped() { return new Comparison(prompt, responseB, responseA, criterion); }

  public Comparison withCriterion(String c) { return new Comparison(prompt, responseA, responseB, c); }

  /** The prompt as a judge reads it: the text, a lone user message's content, or "role: content" lines. */
  public String promptText() {
    if (prompt instanceof Chat chat && chat.messages().size() == 1 && chat.last().role().equals(Message.USER)) {
      return chat.last().content();
    }
    return prompt.display();
  }

  /** A response side of a data record as text: the text, or the content of a lone (assistant) message. */
  public static String responseText(Content c) {
    if (c instanceof Text t) return t.text();
    Chat chat = (Chat) c;
    return chat.messages().size() == 1 ? chat.last().content() : chat.display();
  }
}
