package org.rlhf4j.models.lora;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which modules get adapters, as PEFT's {@code target_modules} says it: a list of names (a module matches
 * when its full name equals one or ends with "." + one), a regular expression over the full module name
 * ({@code re.fullmatch}), or {@code all-linear} (every Linear/Conv1D of the decoder; the LM head is never one).
 */
public sealed interface TargetModules {
  boolean matches(String module);

  /** The names listed (names only); PEFT writes all-linear back as the leaf names it found. */
  record Names(List<String> names) implements TargetModules {
    public Names {
      if (names == null || names.isEmpty()) throw new IllegalArgumentException("target_modules: at least one module name is needed");
      for (String n : names) {
        if (n == null || n.isBlank()) throw new IllegalArgumentException("target_modules: empty module name in " + names);
      }
      names = List.copyOf(new LinkedHashSet<>(names));
    }

    @Override public boolean matches(String module) {
      for (String n : names) if (module.equals(n) || module.endsWith("." + n)) return true;
      return false;
    }
  }

  /** A regular expression matched against the whole module name. */
  record Regex(String pattern) implements TargetModules {
    public Regex {
      try {
        Pattern.compile(pattern);
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("target_modules: invalid regular expression '" + pattern + "': " + e.getDescription());
      }
    }

    @Override public boolean matches(String module) { return Pattern.compile(pattern).matcher(module).matches(); }
  }

  /** Every projection of the decoder. */
  record AllLinear() implements TargetModules {
    @Override public boolean matches(String module) { return true; }
  }

  /**
   * The command-line form: {@code all-linear}, {@code regex:PATTERN}, or module names separated by commas
   * ({@code q_proj,v_proj}).
   */
  static TargetModules parse(String s) {
    if (s == null || s.isBlank()) throw new IllegalArgumentException("target_modules: empty (e.g. q_proj,v_proj or all-linear)");
    String t = s.strip();
    if (t.equals("all-linear")) return new AllLinear();
    if (t.startsWith("regex:")) return new Regex(t.substring("regex:".length()));
    return new Names(List.of(t.split("\\s*,\\s*")));
  }

  /** The leaf names (after the last dot) of {@code modules}, in order: what PEFT saves for all-linear. */
  static Names leafNames(Collection<String> modules) {
    List<String> leaves = modules.stream().map(m -> m.substring(m.lastIndexOf('.') + 1)).distinct().toList();
    return new Names(leaves);
  }
}
