package org.rlhf4j.aifeedback.cai;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rlhf4j.data.Chat;
import org.rlhf4j.data.Content;
import org.rlhf4j.data.Message;
import org.rlhf4j.data.Text;
import org.rlhf4j.models.tokenizer.ChatTemplate;

/**
 * How critique-revise talks to the model. With a chat template: the conversation, the assistant's response, then
 * the critique request as a user turn (the model critiques as the assistant), then the revision request (it revises).
 * Without one, the paper's plain-text format: "Human: ... Assistant: ... CritiqueRequest: ... Critique:" and
 * "... RevisionRequest: ... Revision:", each generation cut at its first blank line.
 */
final class Dialogue {
  private final ChatTemplate template; // null: plain text

  Dialogue(ChatTemplate template) { this.template = template; }

  /** Where the first response begins. */
  String initial(Content prompt) {
    if (template != null) return render(messages(prompt));
    return transcript(prompt) + "\n\nAssistant:";
  }

  String critique(Content prompt, String response, Principle p) {
    if (template == null) return transcript(prompt) + "\n\nAssistant: " + response + "\n\nCritiqueRequest: " + p.critiqueRequest() + "\n\nCritique:";
    List<Map<String, String>> m = messages(prompt);
    m.add(Map.of("role", Message.ASSISTANT, "content", response));
    m.add(Map.of("role", Message.USER, "content", p.critiqueRequest()));
    return render(m);
  }

  String revision(Content prompt, String response, Principle p, String critique) {
    if (template == null) return critique(prompt, response, p) + " " + critique + "\n\nRevisionRequest: " + p.revisionRequest() + "\n\nRevision:";
    List<Map<String, String>> m = messages(prompt);
    m.add(Map.of("role", Message.ASSISTANT, "content", response));
    m.add(Map.of("role", Message.USER, "content", p.critiqueRequest()));
    m.add(Map.of("role", Message.ASSISTANT, "content", critique));
    m.add(Map.of("role", Message.USER, "content", p.revisionRequest()));
    return render(m);
  }

  /** What the model wrote, cut at the first blank line in plain-text mode (the next turn would follow it). */
  String clean(String generated) {
    if (template != null) return generated.strip();
    int cut = generated.indexOf("\n\n");
    return (cut < 0 ? generated : generated.substring(0, cut)).strip();
  }

  private String render(List<Map<String, String>> messages) { return template.render(messages, true); }

  private static List<Map<String, String>> messages(Content prompt) {
    List<Map<String, String>> out = new ArrayList<>();
    for (Message m : asChat(prompt).messages()) out.add(Map.of("role", m.role(), "content", m.content()));
    return out;
  }

  private static String transcript(Content prompt) {
    List<String> turns = new ArrayList<>();
    for (Message m : asChat(prompt).messages()) {
      turns.add((m.role().equals(Message.ASSISTANT) ? "Assistant: " : m.role().equals(Message.SYSTEM) ? "System: " : "Human: ") + m.content());
    }
    return String.join("\n\n", turns);
  }

  private static Chat asChat(Content c) {
    return c instanceof Text t ? Chat.of(Message.user(t.text())) : (Chat) c;
  }
}
