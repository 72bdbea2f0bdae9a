package org.rlhf4j.feedback;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.ContentTooLargeResponse;
import io.javalin.http.Context;
import io.javalin.http.UnsupportedMediaTypeResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Reading request bodies: size-limited, JSON objects with typed, validated fields and clear 4xx errors. */
final class Body {
  /** Deepest nesting a request body may have; content (chat messages) needs 3. */
  static final int MAX_DEPTH = 100;
  static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build()).build());

  private final JsonNode node;

  private Body(JsonNode node) { this.node = node; }

  /** The raw body, rejecting more than {@code limit} bytes with 413. */
  static byte[] bytes(Context ctx, long limit) {
    long declared = ctx.contentLength();
    if (declared > limit) throw new ContentTooLargeResponse( "request body of " + declared + " bytes exceeds the limit of " + limit);
    try (InputStream in = ctx.req().getInputStream()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      for (int n; (n = in.read(buf)) > 0; ) {
        out.write(buf, 0, n);
        if (out.size() > limit) throw new ContentTooLargeResponse( "request body exceeds the limit of " + limit + " bytes");
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new BadRequestResponse("cannot read request body: " + e.getMessage());
    }
  }

  /** The body as a JSON object. */
  static Body of(Context ctx, long limit) {
    String type = ctx.contentType();
    if (type == null || !type.toLowerCase().startsWith("application/json")) {
      throw new UnsupportedMediaTypeResponse( "Content-Type must be application/json");
    }
    byte[] raw = bytes(ctx, limit);
    try {
      JsonNode n = JSON.readTree(raw);
      if (n == null || !n.isObject()) throw new BadRequestResponse("request body must be a JSON object");
      return new Body(n);
    } catch (StreamConstraintsException e) {
      throw new BadRequestResponse("JSON nested deeper than " + MAX_DEPTH + " levels");
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new BadRequestResponse("malformed JSON" + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
          + ": " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new BadRequestResponse("malformed JSON: " + e.getMessage());
    }
  }

  static Body wrap(JsonNode node) {
    if (node == null || !node.isObject()) throw new BadRequestResponse("expected a JSON object");
    return new Body(node);
  }

  JsonNode node() { return node; }
  boolean has(String field) { return node.hasNonNull(field); }
  JsonNode get(String field) { return node.get(field); }

  String text(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) throw new BadRequestResponse("field '" + field + "' is required");
    if (!v.isTextual()) throw new BadRequestResponse("field '" + field + "' must be a string");
    return ContentJson.checkText(v.asText(), field);
  }

  String text(String field, int maxLength) {
    String s = text(field);
    if (s.isBlank()) throw new BadRequestResponse("field '" + field + "' must not be blank");
    if (s.length() > maxLength) throw new BadRequestResponse("field '" + field + "' is longer than " + maxLength + " characters");
    return s;
  }

  String optText(String field, String fallback) { return has(field) ? text(field) : fallback; }

  String oneOf(String field, Set<String> allowed) {
    String s = text(field);
    if (!allowed.contains(s)) throw new BadRequestResponse("field '" + field + "' must be one of " + new java.util.TreeSet<>(allowed) + " but was '" + s + "'");
    return s;
  }

  long integer(String field, long min, long max) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) throw new BadRequestResponse("field '" + field + "' is required");
    if (!v.isIntegralNumber()) throw new BadRequestResponse("field '" + field + "' must be an integer");
    if (!v.canConvertToLong()) throw new BadRequestResponse("field '" + field + "' must be in [" + min + ", " + max + "] but was " + v.asText());
    long x = v.longValue();
    if (x < min || x > max) throw new BadRequestResponse("field '" + field + "' must be in [" + min + ", " + max + "] but was " + x);
    return x;
  }

  long optInteger(String field, long min, long max, long fallback) { return has(field) ? integer(field, min, max) : fallback; }

  double number(String field, double min, double max) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) throw new BadRequestResponse("field '" + field + "' is required");
    if (!v.isNumber()) throw new BadRequestResponse("field '" + field + "' must be a number");
    double x = v.asDouble();
    if (!(x >= min && x <= max)) throw new BadRequestResponse("field '" + field + "' must be in [" + min + ", " + max + "] but was " + x);
    return x;
  }

  boolean bool(String field, boolean fallback) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) return fallback;
    if (!v.isBoolean()) throw new BadRequestResponse("field '" + field + "' must be true or false");
    return v.asBoolean();
  }

  List<Integer> intList(String field) {
    JsonNode v = node.get(field);
    if (v == null || !v.isArray()) throw new BadRequestResponse("field '" + field + "' must be an array of integers");
    List<Integer> out = new ArrayList<>();
    for (JsonNode e : v) {
      if (!e.canConvertToInt() || !e.isIntegralNumber()) throw new BadRequestResponse("field '" + field + "' must contain only integers");
      out.add(e.asInt());
    }
    return out;
  }

  List<Body> objects(String field) {
    JsonNode v = node.get(field);
    if (v == null || !v.isArray()) throw new BadRequestResponse("field '" + field + "' must be an array of objects");
    List<Body> out = new ArrayList<>();
    for (JsonNode e : v) {
      if (!e.isObject()) throw new BadRequestResponse("field '" + field + "' must contain only objects");
      out.add(new Body(e));
    }
    return out;
  }

  static ObjectNode object() { return JSON.createObjectNode(); }
}
