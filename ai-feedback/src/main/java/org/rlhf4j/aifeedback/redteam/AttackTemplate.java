package org.rlhf4j.aifeedback.redteam;

/**
 * A way to turn a seed into an attack. A jailbreak wraps the whole prompt ({@code {prompt}}); a paraphrase rewords
 * the bare request ({@code {request}}, e.g. "make a weapon"), so it applies only to seeds that give one.
 */
public record AttackTemplate(String name, Method method, String template) {
  public enum Method {
    PARAPHRASE("{request}"), JAILBREAK("{prompt}");

    final String placeholder;

    Method(String placeholder) { this.placeholder = placeholder; }
  }

  public AttackTemplate {
    if (name == null || name.isBlank()) throw new IllegalArgumentException("AttackTemplate.name must not be blank");
    java.util.Objects.requireNonNull(method, "AttackTemplate.method");
    if (template == null || !template.contains(method.placeholder)) {
      throw new IllegalArgumentException("attack template '" + name + "' (" + method.name().toLowerCase() + ") must contain "
          + method.placeholder + ": '" + template + "'");
    }
  }

  /** The attack text for a seed, or null when this is a paraphrase and the seed has no bare request. */
  public String apply(String prompt, String request) {
    if (method == Method.PARAPHRASE) return request == null || request.isBlank() ? null : template.replace("{request}", request);
    return template.replace("{prompt}", prompt);
  }

  public String kind() { return method.name().toLowerCase() + ":" + name; }
}
