package org.rlhf4j.data.format;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.rlhf4j.data.Chat;
import org.rlhf4j.data.Content;
import org.rlhf4j.data.Message;
import org.rlhf4j.data.Text;

/** Splitting conversations into prompt and response(s), and parsing Anthropic HH transcripts. */
final class Conversations {
  private static final Pattern HH_TURN = Pattern.compile("\n\n(Human|Assistant):");

  private Conversations() {}

  /** A prompt with the two responses that follow it. */
  record Split(Content prompt, Content chosen, Content rejected) {}

  /** A prompt and one response. */
  record Turn(Content prompt, Content completion) {}

  /** True for an Anthropic HH transcript: "\n\nHuman: ...\n\nAssistant: ...". */
  static boolean isHhTranscript(String s) {
    return s.startsWith("\n\nHuman:") && s.contains("\n\nAssistant:");
  }

  /**
   * Parses an HH transcript into messages (Human -> user, Assistant -> assistant), trimming each turn.
   * Only "\n\nHuman:" / "\n\nAssistant:" start a turn; the words inside a turn are left alone.
   */
  static List<Message> parseHh(String transcript, String field) {
    if (!isHhTranscript(transcript)) {
      throw new IllegalArgumentException("field '" + field + "' is not an HH transcript (\"\\n\\nHuman: ...\\n\\nAssistant: ...\")");
    }
    List<Message> out = new ArrayList<>();
    Matcher m = HH_TURN.matcher(transcript);
    String role = null;
    int start = 0;
    while (m.find()) {
      if (role != null) out.add(new Message(role, transcript.substring(start, m.start()).strip()));
      role = m.group(1).equals("Human") ? Message.USER : Message.ASSISTANT;
      start = m.end();
    }
    out.add(new Message(role, transcript.substring(start).strip()));
    return out;
  }

  /**
   * Splits two conversations at their longest common prefix of messages: the prefix is the prompt,
   * the rest of each is its response (TRL's implicit-prompt rule).
   */
  static Split splitSharedPrefix(List<Message> chosen, List<Message> rejected) {
    int n = 0;
    while (n < chosen.size() && n < rejected.size() && chosen.get(n).equals(rejected.get(n))) n++;
    if (n == 0) throw new IllegalArgumentException("chosen and rejected share no leading messages, so no prompt can be split off");
    if (n == chosen.size() || n == rejected.size()) {
      throw new IllegalArgumentException("chosen and rejected do not diverge (one conversation is a prefix of the other)");
    }
    return new Split(new Chat(chosen.subList(0, n)), new Chat(chosen.subList(n, chosen.size())),
        new Chat(rejected.subList(n, rejected.size())));
  }

  /**
   * Splits two plain texts at their longest common prefix, moved back to just after the last whitespace
   * so no word is cut; the prefix (possibly empty) is the prompt.
   */
  static Split splitSharedPrefix(String chosen, String rejected) {
    int n = 0;
    while (n < chosen.length() && n < rejected.length() && chosen.charAt(n) == rejected.charAt(n)) n++;
    if (n == chosen.length() && n == rejected.length()) throw new IllegalArgumentException("chosen and rejected are identical");
    while (n > 0 && !Character.isWhitespace(chosen.charAt(n - 1))) n--;
    return new Split(new Text(chosen.substring(0, n)), new Text(chosen.substring(n)), new Text(rejected.substring(n)));
  }

  /** Splits a conversation before its final assistant message: everything earlier is the prompt. */
  static Turn splitLastAssistant(List<Message> messages, String field) {
    int last = messages.size() - 1;
    if (!messages.get(last).role().equals(Message.ASSISTANT)) {
      throw new IllegalArgumentException("field '" + field + "' must end with an assistant message but ends with "
          + messages.get(last).role());
    }
    if (last == 0) throw new IllegalArgumentException("field '" + field + "' has no prompt before the assistant message");
    return new Turn(new Chat(messages.subList(0, last)), new Chat(messages.subList(last, last + 1)));
  }

  /** Prepends a system message when {@code system} is non-blank. */
  static List<Message> withSystem(String system, List<Message> messages) {
    if (system == null || system.isBlank()) return messages;
    List<Message> out = new ArrayList<>(messages.size() + 1);
    out.add(Message.system(system));
    out.addAll(messages);
    return out;
  }
}
