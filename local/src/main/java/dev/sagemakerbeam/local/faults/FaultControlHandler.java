package dev.sagemakerbeam.local.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.HandlerWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fault control API under {@code /_local/faults} on the API port, in front of the SageMaker
 * handler: plain JSON, no SigV4, answered only to loopback clients (others get 403), so {@code
 * curl} can drive it in a test script while nothing off the machine can.
 *
 * <pre>
 * GET    /_local/faults                                        the faults in force, with counts
 * PUT    /_local/faults/endpoints/{endpoint}                   set an endpoint's FaultSpec
 * PUT    /_local/faults/endpoints/{endpoint}/variants/{variant} set one variant's
 * DELETE /_local/faults/endpoints/{endpoint}                   clear them (variants' too)
 * DELETE /_local/faults/endpoints/{endpoint}/variants/{variant}
 * POST   /_local/faults/training-jobs   {"jobNamePattern": "...", "phase": "Training"}
 * DELETE /_local/faults/training-jobs
 * DELETE /_local/faults                                        clear everything
 * </pre>
 *
 * <p>A FaultSpec body holds {@link FaultSpec#fromOptions} options as JSON numbers or strings, e.g.
 * {@code {"throttle": 0.1, "error5xx": 0.02, "latency": "20..80ms", "seed": 7}}.
 */
public final class FaultControlHandler extends HandlerWrapper {
  private static final Logger LOG = LoggerFactory.getLogger(FaultControlHandler.class);

  /** The path prefix of the control API. */
  public static final String PREFIX = "/_local/faults";

  private static final Pattern ENDPOINT =
      Pattern.compile("^/_local/faults/endpoints/([^/]+)(?:/variants/([^/]+))?$");
  private static final int MAX_BODY = 64 * 1024;

  private final FaultInjector faults;
  private final ObjectMapper mapper;

  public FaultControlHandler(FaultInjector faults, ObjectMapper mapper) {
    this.faults = faults;
    this.mapper = mapper;
  }

  @Override
  public void handle(
      String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response)
      throws IOException, ServletException {
    String path = request.getRequestURI();
    if (!path.equals(PREFIX) && !path.startsWith(PREFIX + "/")) {
      super.handle(target, baseRequest, request, response);
      return;
    }
    baseRequest.setHandled(true);
    if (!isLoopback(request.getRemoteAddr())) {
      write(
          response, 403, error("AccessDeniedException", "the fault control API is loopback-only"));
      return;
    }
    try {
      route(request, response, path, request.getMethod());
    } catch (IllegalArgumentException e) {
      write(response, 400, error("ValidationException", e.getMessage()));
    }
  }

  private void route(
      HttpServletRequest request, HttpServletResponse response, String path, String method)
      throws IOException {
    Matcher endpoint = ENDPOINT.matcher(path);
    if (path.equals(PREFIX) || path.equals(PREFIX + "/")) {
      switch (method) {
        case "GET" -> write(response, 200, state());
        case "DELETE" -> {
          faults.clearAll();
          LOG.info("Fault injection: every fault cleared");
          response.setStatus(204);
        }
        default -> notAllowed(response, "GET, DELETE");
      }
    } else if (endpoint.matches()) {
      String name = URLDecoder.decode(endpoint.group(1), StandardCharsets.UTF_8);
      String variant =
          endpoint.group(2) == null
              ? null
              : URLDecoder.decode(endpoint.group(2), StandardCharsets.UTF_8);
      switch (method) {
        case "PUT" -> {
          FaultSpec spec = FaultSpec.fromOptions(options(readJson(request)));
          if (variant == null) {
            faults.set(name, spec);
          } else {
            faults.set(name, variant, spec);
          }
          LOG.info(
              "Fault injection: endpoint {}{} now {}",
              name,
              variant == null ? "" : " variant " + variant,
              spec);
          ObjectNode answer = mapper.createObjectNode();
          answer.put("EndpointName", name);
          if (variant != null) {
            answer.put("VariantName", variant);
          }
          answer.set("Faults", optionsJson(spec));
          write(response, 200, answer);
        }
        case "DELETE" -> {
          if (variant == null) {
            faults.clear(name);
          } else {
            faults.clear(name, variant);
          }
          LOG.info(
              "Fault injection: endpoint {}{} cleared",
              name,
              variant == null ? "" : " variant " + variant);
          response.setStatus(204);
        }
        default -> notAllowed(response, "PUT, DELETE");
      }
    } else if (path.equals(PREFIX + "/training-jobs")) {
      switch (method) {
        case "POST" -> {
          JsonNode body = readJson(request);
          TrainingFault fault =
              new TrainingFault(requireText(body, "jobNamePattern"), requireText(body, "phase"));
          faults.add(fault);
          LOG.info("Fault injection: {}", fault);
          write(response, 200, mapper.valueToTree(fault));
        }
        case "DELETE" -> {
          faults.clearTrainingFaults();
          response.setStatus(204);
        }
        default -> notAllowed(response, "POST, DELETE");
      }
    } else {
      write(
          response,
          404,
          error(
              "UnknownOperationException",
              method + " " + path + " is not part of the fault control API (see local/README.md)"));
    }
  }

  private ObjectNode state() {
    ObjectNode state = mapper.createObjectNode();
    ObjectNode endpoints = state.putObject("Endpoints");
    faults
        .endpointFaults()
        .forEach(
            (name, specs) -> {
              ObjectNode entry = endpoints.putObject(name);
              ObjectNode variants = mapper.createObjectNode();
              specs.forEach(
                  (variant, active) -> {
                    ObjectNode target = variant.isEmpty() ? entry : variants.putObject(variant);
                    target.set("Faults", optionsJson(active.spec()));
                    ObjectNode counts = target.putObject("Counts");
                    active.counts().forEach((outcome, n) -> counts.put(outcome.name(), n));
                  });
              if (!variants.isEmpty()) {
                entry.set("Variants", variants);
              }
            });
    ArrayNode training = state.putArray("TrainingJobs");
    for (TrainingFault fault : faults.trainingFaults()) {
      training.add(mapper.<JsonNode>valueToTree(fault));
    }
    return state;
  }

  private ObjectNode optionsJson(FaultSpec spec) {
    ObjectNode options = mapper.createObjectNode();
    spec.toOptions()
        .forEach(
            (k, v) -> {
              switch (k) {
                case "latency" -> options.put(k, v);
                case "seed" -> options.put(k, Long.parseLong(v));
                case "modelErrorStatus", "maxConcurrency" -> options.put(k, Integer.parseInt(v));
                default -> options.put(k, Double.parseDouble(v));
              }
            });
    return options;
  }

  private static Map<String, String> options(JsonNode body) {
    if (!body.isObject()) {
      throw new IllegalArgumentException("the body must be a JSON object of fault options");
    }
    Map<String, String> options = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (!field.getValue().isValueNode() || field.getValue().isNull()) {
        throw new IllegalArgumentException(
            "fault option " + field.getKey() + " must be a number or a string");
      }
      options.put(field.getKey(), field.getValue().asText());
    }
    return options;
  }

  private static String requireText(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || !value.isTextual()) {
      throw new IllegalArgumentException(field + " is required (a string)");
    }
    return value.asText();
  }

  private JsonNode readJson(HttpServletRequest request) throws IOException {
    byte[] body;
    try (InputStream in = request.getInputStream()) {
      body = in.readNBytes(MAX_BODY + 1);
    }
    if (body.length > MAX_BODY) {
      throw new IllegalArgumentException("the body is over " + MAX_BODY + " bytes");
    }
    if (body.length == 0) {
      return mapper.createObjectNode();
    }
    try {
      return mapper.readTree(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("the body is not JSON: " + e.getMessage());
    }
  }

  private ObjectNode error(String code, String message) {
    ObjectNode error = mapper.createObjectNode();
    error.put("__type", code);
    error.put("message", message);
    return error;
  }

  private void notAllowed(HttpServletResponse response, String allowed) throws IOException {
    response.setHeader("Allow", allowed);
    write(response, 405, error("MethodNotAllowed", "allowed here: " + allowed));
  }

  private void write(HttpServletResponse response, int status, JsonNode json) throws IOException {
    byte[] out = mapper.writeValueAsBytes(json);
    response.setStatus(status);
    response.setContentType("application/json");
    response.setContentLength(out.length);
    response.getOutputStream().write(out);
  }

  static boolean isLoopback(String remoteAddress) {
    if (remoteAddress == null) {
      return false;
    }
    String address = remoteAddress;
    if (address.startsWith("[") && address.endsWith("]")) {
      address = address.substring(1, address.length() - 1);
    }
    // Only IP literals are accepted, so no name is ever looked up.
    boolean ipv4 = address.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    boolean ipv6 = address.contains(":") && address.matches("[0-9a-fA-F:.]+(%[A-Za-z0-9]+)?");
    if (!ipv4 && !ipv6) {
      return false;
    }
    try {
      return InetAddress.getByName(address).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
