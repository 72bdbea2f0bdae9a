package org.rlhf4j.training.batch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rlhf4j.data.Chat;
import org.rlhf4j.data.Content;
import org.rlhf4j.data.Message;
import org.rlhf4j.data.Text;
import org.rlhf4j.models.tokenizer.ChatTemplate;
import org.rlhf4j.models.tokenizer.Tokenizer;

/**
 * Turns data records into token ids the way the model will see them.
 *
 * <ul>
 *   <li>Plain text, as TRL: the prompt is encoded with the tokenizer's special tokens (BOS when it adds one); the
 *       completion is the tokens of prompt + completion (one text) after the prompt's, and EOS is appended to it
 *       so the model learns to stop (checked against TRL's own ids: {@code TrlTokenizationTest}).</li>
 *   <li>Conversations (either side a {@link Chat}): the model's chat template (ChatML when the
 *       tokenizer has none) renders the prompt with the generation prompt, and the whole conversation;
 *       the completion is the rendered text after the prompt. EOS is appended unless the rendered turn
 *       already ends with a stop token (e.g. Qwen's {@code <|im_end|>}). A plain-text side of a chat
 *       example is taken as a user prompt or an assistant completion.</li>
 * </ul>
 * The prompt's tokens never depend on the completion.
 */
public final class Encoder {
  private final Tokenizer tok;
  private final ChatTemplate template;
  private final String bos;
  private final int eos;
  private final Set<Integer> stops;

  public Encoder(Tokenizer tok) {
    this.tok = tok;
    this.template = tok.chatTemplate().orElseGet(ChatTemplate::chatMl);
    this.bos = tok.bosToken().orElse("");
    this.eos = tok.eosId().orElse(-1);
    this.stops = tok.stopIds();
  }

  public Tokenizer tokenizer() { return tok; }

  /** Pad id for batches (padding is always masked by the attention mask, never by comparing ids). */
  public int padId() { return tok.padId(); }

  /** The EOS id appended to completions, or -1 when the tokenizer has none. */
  public int eosId() { return eos; }

  /** A prompt and its completion, tokenized. */
  public Sequence encode(Content prompt, Content completion) {
    if (prompt instanceof Text p && completion instanceof Text c) {
      if (p.text().isEmpty()) return new Sequence(specialsOnly(), withEos(tok.encode(c.text(), false)));
      // TRL's DPOTrainer join: the prompt alone, then prompt + completion as one text, the completion
      // being what follows the prompt's tokens; a completion starting with a space then tokenises as it does
      // inside the text (not as a text of its own, which a sentencepiece tokenizer prefixes with another "▁").
      int[] pIds = tok.encode(p.text(), true);
      int[] full = tok.encode(p.text() + c.text(), true);
      return new Sequence(pIds, withEos(Arrays.copyOfRange(full, Math.min(pIds.length, full.length), full.length)));
    }
    List<Message> promptMsgs = messages(prompt, Message.USER);
    List<Message> all = new ArrayList<>(promptMsgs);
    all.addAll(messages(completion, Message.ASSISTANT));
    String promptText = template.render(maps(promptMsgs), true);
    String fullText = template.render(maps(all), false);
    int split = commonPrefix(promptText, fullText);
    String head = fullText.substring(0, split);
    String rest = fullText.substring(split);
    boolean addSpecial = bos.isEmpty() || !head.startsWith(bos);
    return new Sequence(tok.encode(head, addSpecial), chatCompletion(rest));
  }

  /**
   * A prompt and its completion as TRL's SFTTrainer tokenises them: for plain text the row is the tokens of
   * prompt + completion as one text (EOS appended), the loss masked over as many leading tokens as the prompt alone
   * has (TRL's {@code completion_mask}). It differs from {@link #encode} (TRL's DPOTrainer) only when the join
   * tokenises differently from the prompt alone, e.g. a prompt ending in a space: {@code "time, " + "there"} is
   * {@code ..., "▁there"} here and {@code ..., "▁", "there"} there. Conversations as {@link #encode}.
   */
  public Sequence encodeSft(Content prompt, Content completion) {
    if (prompt instanceof Text p && completion instanceof Text c && !p.text().isEmpty()) {
      int[] pIds = tok.encode(p.text(), true);
      int[] full = withEos(tok.encode(p.text() + c.text(), true));
      int split = Math.min(pIds.length, full.length);
      return new Sequence(Arrays.copyOf(full, split), Arrays.copyOfRange(full, split, full.length));
    }
    return encode(prompt, completion);
  }

  /** A pre-training document: its tokens (with BOS when the tokenizer adds it) followed by EOS. */
  public int[] document(String text) {
    return withEos(tok.encode(text, true));
  }

  private int[] chatCompletion(String rest) {
    int[] trimmed = tok.encode(rest.stripTrailing(), false);
    if (trimmed.length > 0 && stops.contains(trimmed[trimmed.length - 1])) return trimmed;
    return withEos(tok.encode(rest, false));
  }

  private int[] specialsOnly() { return tok.encode("", true); }

  private int[] withEos(int[] ids) {
    if (eos < 0 || (ids.length > 0 && ids[ids.length - 1] == eos)) return ids;
    int[] out = Arrays.copyOf(ids, ids.length + 1);
    out[ids.length] = eos;
    return out;
  }

  private static List<Message> messages(Content c, String roleForText) {
    if (c instanceof Chat chat) return chat.messages();
    return List.of(new Message(roleForText, ((Text) c).text()));
  }

  private static List<Map<String, String>> maps(List<Message> msgs) {
    return msgs.stream().map(m -> Map.of("role", m.role(), "content", m.content())).toList();
  }

  private static int commonPrefix(String a, String b) {
    int n = Math.min(a.length(), b.length()), i = 0;
    while (i < n && a.charAt(i) == b.charAt(i)) i++;
    return i;
  }
}
