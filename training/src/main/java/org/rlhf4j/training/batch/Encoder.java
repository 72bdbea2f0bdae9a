package org.rlhf4j.training.batch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rlhf4j.common.Reporter;
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
 *   <li>Conversations (either side a {@link Chat}), as TRL's DPOTrainer and SFTTrainer tokenise conversational data
 *       ({@code trl/trainer/dpo_trainer.py} {@code _prepare_dataset}, {@code trl/data_utils.py} {@code _tokenize}):
 *       the prompt messages rendered by the model's chat template with the generation prompt, and the whole
 *       conversation rendered without it, each tokenised as one text; the completion is the conversation's tokens
 *       after as many as the prompt has. Nothing is appended: the template ends the turn
 *       ({@code TrlChatTokenizationTest}). Special tokens: BOS once, the template's when its text starts with it,
 *       else the tokenizer's (see {@link #addsSpecials}: TRL's ids whenever the template writes BOS or the tokenizer
 *       adds none). When the tokenizer has no chat template (TRL refuses such data) rlhf4j renders ChatML and
 *       appends EOS unless the turn already ends with a stop token, so the model learns to stop. A plain-text side
 *       of a chat example is taken as a user prompt or an assistant completion.</li>
 * </ul>
 * The prompt's tokens never depend on the completion.
 */
public final class Encoder {
  private final Tokenizer tok;
  private final ChatTemplate template;
  private final boolean fallback;
  private final String bos;
  private boolean warned;
  private final int eos;
  private final Set<Integer> stops;

  public Encoder(Tokenizer tok) {
    this.tok = tok;
    this.fallback = tok.chatTemplate().isEmpty();
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
    ChatIds c = chat(prompt, completion);
    return new Sequence(c.prompt(), c.completion());
  }

  /** A conversation's ids: the prompt rendered alone, and the whole conversation's ids after as many tokens. */
  private record ChatIds(int[] prompt, int[] full, int split, int[] completion) {}

  private ChatIds chat(Content prompt, Content completion) {
    List<Message> promptMsgs = messages(prompt, Message.USER);
    List<Message> all = new ArrayList<>(promptMsgs);
    all.addAll(messages(completion, Message.ASSISTANT));
    String promptText = template.render(maps(promptMsgs), true);
    boolean special = addsSpecials(promptText);
    int[] pIds = tok.encode(promptText, special);
    int[] full = tok.encode(template.render(maps(all), false), special);
    int split = Math.min(pIds.length, full.length);
    if (!warned && !Arrays.equals(pIds, 0, split, full, 0, split)) {
      warned = true; // TRL warns the same way and trains on the slice anyway
      Reporter.get().warn("chat template: the tokenized prompt is not the start of the tokenized prompt + completion "
          + "(the template renders the generation prompt differently from the assistant turn); the completion is "
          + "taken after the prompt's " + pIds.length + " tokens, as TRL does");
    }
    int[] rest = Arrays.copyOfRange(full, split, full.length);
    if (fallback && !endsWithStop(rest)) rest = withEos(rest);
    return new ChatIds(pIds, full, split, rest);
  }

  /**
   * BOS once: the template's when the rendered text starts with it, else the tokenizer's own special tokens, as
   * generate, serve-model and the judges encode chat prompts (so training and inference see the same ids). TRL never
   * adds the tokenizer's: the ids are the same unless a template without BOS meets a tokenizer that adds one
   * (ChatML on a Llama tokenizer), where rlhf4j has the BOS and TRL not.
   */
  private boolean addsSpecials(String text) { return bos.isEmpty() || !text.startsWith(bos); }

  private boolean endsWithStop(int[] ids) {
    int i = ids.length - 1;
    while (i >= 0 && !stops.contains(ids[i]) && tok.decode(new int[] {ids[i]}, false).isBlank()) i--;
    return i >= 0 && stops.contains(ids[i]);
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
    if (prompt instanceof Text && completion instanceof Text) return encode(prompt, completion);
    ChatIds c = chat(prompt, completion); // TRL's SFT row: the conversation's ids, the loss after the prompt's length
    return new Sequence(Arrays.copyOf(c.full(), c.split()), c.completion());
  }

  /** A pre-training document: its tokens (with BOS when the tokenizer adds it) followed by EOS. */
  public int[] document(String text) {
    return withEos(tok.encode(text, true));
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

}
