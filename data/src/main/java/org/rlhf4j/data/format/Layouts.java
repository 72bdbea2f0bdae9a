package org.rlhf4j.data.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.rlhf4j.data.Chat;
import org.rlhf4j.data.Content;
import org.rlhf4j.data.Message;
import org.rlhf4j.data.PreferencePair;
import org.rlhf4j.data.PromptCompletion;
import org.rlhf4j.data.Ranking;
import org.rlhf4j.data.ResponsePair;
import org.rlhf4j.data.UnpairedExample;

/**
 * The record layouts each reader accepts, most specific first. A file's layout is the first one matching
 * its first record; every other record must match the same layout. See {@link DataFiles} for examples.
 */
final class Layouts {
  private Layouts() {}

  static final List<Layout<PreferencePair>> PREFERENCES = List.of(
      Layout.single("ShareGPT (conversations/chosen/rejected)",
          Layout.fields("conversations", "chosen", "rejected"), Layouts::shareGptPair),
      new Layout<>("ranking (prompt/responses), expanded to all pairs",
          Layout.fields("prompt", "responses"), row -> ranking(row).toPairs()),
      Layout.single("explicit prompt (prompt/chosen/rejected)",
          Layout.fields("prompt", "chosen", "rejected"), Layouts::explicitPair),
      Layout.single("Anthropic HH transcripts (chosen/rejected)",
          Layout.fields("chosen", "rejected").and(Layouts::hasHhChosen), Layouts::hhPair),
      Layout.single("implicit prompt (chosen/rejected sharing a prefix)",
          Layout.fields("chosen", "rejected"), Layouts::implicitPair));

  static final List<Layout<PromptCompletion>> PROMPT_COMPLETIONS = List.of(
      Layout.single("prompt/completion", Layout.fields("prompt", "completion"),
          row -> new PromptCompletion(Json.content(row, "prompt"), Json.content(row, "completion"))),
      Layout.single("messages (last assistant message is the completion)", Layout.fields("messages"),
          row -> lastTurn(messages(row, "messages"), "messages")),
      Layout.single("ShareGPT conversations (last gpt message is the completion)", Layout.fields("conversations"),
          row -> lastTurn(messages(row, "conversations"), "conversations")),
      Layout.single("text (language modelling: empty prompt)", Layout.fields("text"),
          row -> new PromptCompletion(Content.text(""), Content.text(Json.string(row, "text")))));

  static final List<Layout<Ranking>> RANKINGS = List.of(
      Layout.single("prompt/responses[/ranking]", Layout.fields("prompt", "responses"), Layouts::ranking));

  static final List<Layout<UnpairedExample>> UNPAIRED = List.of(
      Layout.single("prompt/completion/label", Layout.fields("prompt", "completion", "label"),
          row -> new UnpairedExample(Json.content(row, "prompt"), Json.content(row, "completion"), Json.bool(row, "label"))),
      Layout.single("messages/label (last assistant message is the completion)", Layout.fields("messages", "label"),
          row -> unpaired(lastTurn(messages(row, "messages"), "messages"), Json.bool(row, "label"))),
      Layout.single("ShareGPT conversations/label", Layout.fields("conversations", "label"),
          row -> unpaired(lastTurn(messages(row, "conversations"), "conversations"), Json.bool(row, "label"))),
      Layout.single("ShareGPT conversations/kto_tag", Layout.fields("conversations", "kto_tag"),
          row -> unpaired(lastTurn(messages(row, "conversations"), "conversations"), Json.bool(row, "kto_tag"))));

  static final List<Layout<ResponsePair>> RESPONSE_PAIRS = List.of(
      Layout.single("unlabelled pair (prompt/response_a/response_b)", Layout.fields("prompt", "response_a", "response_b"),
          row -> new ResponsePair(Json.content(row, "prompt"), Json.content(row, "response_a"), Json.content(row, "response_b"))));

  static final List<Layout<Content>> PROMPTS = List.of(
      Layout.single("prompt (other fields ignored)", Layout.fields("prompt"), row -> Json.content(row, "prompt")));

  private static PreferencePair shareGptPair(JsonNode row) {
    Chat prompt = new Chat(messages(row, "conversations"));
    return new PreferencePair(prompt, new Chat(Json.messages(Json.field(row, "chosen"), "chosen")),
        new Chat(Json.messages(Json.field(row, "rejected"), "rejected")), Probabilities.chosen(row));
  }

  private static PreferencePair explicitPair(JsonNode row) {
    return new PreferencePair(Json.content(row, "prompt"), Json.content(row, "chosen"), Json.content(row, "rejected"),
        Probabilities.chosen(row));
  }

  private static boolean hasHhChosen(JsonNode row) {
    JsonNode c = row.get("chosen");
    return c.isTextual() && Conversations.isHhTranscript(c.textValue());
  }

  private static PreferencePair hhPair(JsonNode row) {
    Conversations.Split s = Conversations.splitSharedPrefix(
        Conversations.parseHh(Json.string(row, "chosen"), "chosen"),
        Conversations.parseHh(Json.string(row, "rejected"), "rejected"));
    return new PreferencePair(s.prompt(), s.chosen(), s.rejected(), Probabilities.chosen(row));
  }

  private static PreferencePair implicitPair(JsonNode row) {
    JsonNode chosen = Json.field(row, "chosen");
    JsonNode rejected = Json.field(row, "rejected");
    Conversations.Split s;
    if (chosen.isTextual() && rejected.isTextual()) {
      s = Conversations.splitSharedPrefix(chosen.textValue(), rejected.textValue());
    } else if (chosen.isArray() && rejected.isArray()) {
      s = Conversations.splitSharedPrefix(Json.messages(chosen, "chosen"), Json.messages(rejected, "rejected"));
    } else {
      throw new IllegalArgumentException("without a prompt, chosen and rejected must both be strings or both message lists");
    }
    return new PreferencePair(s.prompt(), s.chosen(), s.rejected(), Probabilities.chosen(row));
  }

  /**
   * {"prompt": P, "responses": [r0, r1, ...]}: responses are best first, unless a "ranking" field lists
   * indices into responses best first (then responses may be in any order).
   */
  static Ranking ranking(JsonNode row) {
    JsonNode responses = Json.field(row, "responses");
    if (!responses.isArray()) throw new IllegalArgumentException("field 'responses' must be a list");
    List<Content> given = new ArrayList<>();
    for (int i = 0; i < responses.size(); i++) given.add(Json.contentOf(responses.get(i), "responses[" + i + "]"));
    if (!Json.has(row, "ranking")) return new Ranking(Json.content(row, "prompt"), given);
    List<Content> ordered = new ArrayList<>();
    for (int index : Probabilities.permutation(Json.field(row, "ranking"), given.size())) ordered.add(given.get(index));
    return new Ranking(Json.content(row, "prompt"), ordered);
  }

  /** A message list field, with a top-level "system" string (ShareGPT) prepended when present. */
  private static List<Message> messages(JsonNode row, String field) {
    List<Message> messages = Json.messages(Json.field(row, field), field);
    return Json.has(row, "system") ? Conversations.withSystem(Json.string(row, "system"), messages) : messages;
  }

  private static PromptCompletion lastTurn(List<Message> messages, String field) {
    Conversations.Turn t = Conversations.splitLastAssistant(messages, field);
    return new PromptCompletion(t.prompt(), t.completion());
  }

  private static UnpairedExample unpaired(PromptCompletion pc, boolean desirable) {
    return new UnpairedExample(pc.prompt(), pc.completion(), desirable);
  }
}
