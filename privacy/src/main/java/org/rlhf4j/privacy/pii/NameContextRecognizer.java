package org.rlhf4j.privacy.pii;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Person names by context, the fallback when no NER model is on the classpath and a complement to it (the
 * model misses lower-case and one-word names): a name after a title ("Mr.", "Dr."), after "my name is",
 * "I am", "this is", "Dear", "Name:", "signed", or as the first line of a contact block (a signature or address
 * label: a short line of words above lines with numbers). One to four words; capitalised, or after "name is"
 * and at the head of a contact block any case ("patricia desrosiers").
 */
final class NameContextRecognizer implements Recognizer {
  private static final String CAP = "[\\p{Lu}][\\p{Ll}\\p{Lu}'-]*\\.?";
  private static final String ANY = "[\\p{L}][\\p{L}'-]*";
  private static final Pattern TITLED = Pattern.compile(
      "(?<![\\w])(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Madam|Mme|Herr|Frau|Sr|Sra)\\.? (" + CAP + "(?: " + CAP + "){0,2})");
  private static final Pattern INTRODUCED = Pattern.compile(
      "(?i:my name is|my name's|name is|i am|i'm|this is|call me|dear|hi|hello|signed|regards,|thanks,|cheers,|name:)\\s+"
          + "(?-i:(" + CAP + "(?: " + CAP + "){0,2}))");
  private static final Pattern NAME_IS_LOWER = Pattern.compile("(?i:name is|my name's|name:)\\s+(" + ANY + "(?: " + ANY + "){0,2})");
  /** The first line of a contact block (a signature or an address label): a name over lines with digits. */
  private static final Pattern CONTACT_HEAD = Pattern.compile("\\A[\\s>?]*(" + ANY + "(?: " + ANY + "\\.?){0,3})[ \\t]*\\n(?=(?:.*\\n){1,8}.*\\d{3})");
  private static final java.util.Set<String> NOT_NAMES = java.util.Set.of("I", "The", "A", "An", "It", "This", "That", "There",
      "Here", "Sorry", "Not", "So", "Very", "Just", "Also", "Going", "Looking", "Writing", "Calling", "Interested", "Happy",
      "Glad", "Trying", "Unable", "New", "Please", "Thank", "Thanks", "Good", "Your", "My", "Our", "We", "You", "All", "Team");

  @Override public String name() { return "name_context"; }

  @Override public List<Finding> find(String text) {
    List<Finding> out = new ArrayList<>();
    add(out, TITLED.matcher(text), 0.8);
    add(out, INTRODUCED.matcher(text), 0.6);
    add(out, NAME_IS_LOWER.matcher(text), 0.6);
    add(out, CONTACT_HEAD.matcher(text), 0.6);
    return out;
  }

  private static void add(List<Finding> out, Matcher m, double confidence) {
    while (m.find()) {
      int s = m.start(1);
      int e = m.end(1);
      String first = m.group(1).split(" ")[0].replace(".", "");
      if (NOT_NAMES.contains(first) || NOT_NAMES.contains(capitalise(first))) continue;
      while (e > s && m.group(1).charAt(e - s - 1) == '.') e--;
      if (e > s) out.add(new Finding(PiiType.PERSON, s, e, confidence, "name_context"));
    }
  }

  private static String capitalise(String w) {
    return w.isEmpty() ? w : Character.toUpperCase(w.charAt(0)) + w.substring(1).toLowerCase(java.util.Locale.ROOT);
  }
}
