package org.rlhf4j.demo.world;

import java.util.Objects;

/** A generated assistant response with the style it was generated in. */
public record Response(String text, Style style) {
  public Response {
    Objects.requireNonNull(text, "Response.text");
    Objects.requireNonNull(style, "Response.style");
  }
}
