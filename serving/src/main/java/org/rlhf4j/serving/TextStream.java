package org.rlhf4j.serving;

import java.util.ArrayList;
import java.util.List;
import org.rlhf4j.models.tokenizer.Tokenizer;

/**
 * One row's text as its tokens arrive: decodes the whole sequence each time and hands out what became final,
 * holding back an incomplete UTF-8 character (U+FFFD at the end) and any suffix that could still grow into a
 * stop string; a stop string ends the text just before it.
 */
final class TextStream {
  private final Tokenizer tok;
  private final List<String> stop;
  private final List<Integer> ids = new ArrayList<>();
  private String full = "";
  private int emitted;
  private boolean stopped;

  TextStream(Tokenizer tok, List<String> stop) {
    this.tok = tok;
    this.stop = stop;
  }

  /** Adds a token; returns the newly final text (may be empty). After a stop string, {@link #stopped()} is true. */
  String add(long id, boolean special) {
    if (stopped) return "";
    ids.add((int) id);
    if (!special) full = tok.decode(ids.stream().mapToInt(Integer::intValue).toArray(), true);
    for (String s : stop) {
      int at = full.indexOf(s, Math.max(0, emitted - s.length()));
      if (at >= 0) {
        full = full.substring(0, at);
        stopped = true;
        return take(full.length());
      }
    }
    int safe = full.length();
    if (safe > 0 && full.charAt(safe - 1) == '\uFFFD') safe--;
    for (String s : stop) safe = Math.min(safe, full.length() - heldBack(full, s));
    return take(Math.max(emitted, safe));
  }

  /** Everything not handed out yet (at the end of the row). */
  String flush() { return take(full.length()); }

  boolean stopped() { return stopped; }

  String text() { return full; }

  private String take(int upTo) {
    if (upTo <= emitted) return "";
    String out = full.substring(emitted, upTo);
    emitted = upTo;
    return out;
  }

  /** Length of the longest suffix of {@code text} that is a proper prefix of {@code s}. */
  static int heldBack(String text, String s) {
    for (int k = Math.min(s.length() - 1, text.length()); k > 0; k--) {
      if (text.regionMatches(text.length() - k, s, 0, k)) return k;
    }
    return 0;
  }
}
