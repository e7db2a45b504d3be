package dev.sagemakerbeam.local.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sagemakerbeam.local.LocalCredentials;
import dev.sagemakerbeam.local.algorithm.ModelWorker;
import dev.sagemakerbeam.local.hosting.Endpoints;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.AbstractHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP face of SageMaker Local's API port: the SageMaker control plane (AWS JSON 1.1, {@code
 * X-Amz-Target: SageMaker.<Op>}), the runtime ({@code POST /endpoints/<name>/invocations}) and STS
 * GetCallerIdentity (awsQuery), all SigV4-signed.
 */
public final class ApiHandler extends AbstractHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);

  /** InvokeEndpoint's payload limit. */
  public static final int MAX_INVOCATION_BYTES = 6 * 1024 * 1024;

  private static final int MAX_API_BYTES = 8 * 1024 * 1024;
  private static final Pattern INVOCATIONS = Pattern.compile("^/endpoints/([^/]+)/invocations$");
  private static final String JSON_11 = "application/x-amz-json-1.1";

  private final ObjectMapper mapper;
  private final SigV4Verifier verifier;
  private final ControlPlane controlPlane;
  private final Endpoints endpoints;
  private final String accountId;
  private final LocalCredentials credentials;
  // Request ids without a SecureRandom call per request (UUID.randomUUID synchronises on one).
  private final String requestIdPrefix = UUID.randomUUID().toString().substring(0, 24);
  private final java.util.concurrent.atomic.AtomicLong requestCounter =
      new java.util.concurrent.atomic.AtomicLong();

  public ApiHandler(
      ObjectMapper mapper,
      LocalCredentials credentials,
      String region,
      ControlPlane controlPlane,
      Endpoints endpoints,
      String accountId) {
    this.mapper = mapper;
    this.credentials = credentials;
    this.verifier = new SigV4Verifier(credentials, region);
    this.controlPlane = controlPlane;
    this.endpoints = endpoints;
    this.accountId = accountId;
  }

  @Override
  public void handle(
      String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    baseRequest.setHandled(true);
    String requestId = requestIdPrefix + Long.toHexString(requestCounter.incrementAndGet());
    response.setHeader("x-amzn-RequestId", requestId);
    String path = request.getRequestURI();
    String amzTarget = request.getHeader("X-Amz-Target");
    Matcher invocation = INVOCATIONS.matcher(path);
    boolean sts =
        amzTarget == null
            && path.equals("/")
            && "POST".equals(request.getMethod())
            && String.valueOf(request.getContentType())
                .startsWith("application/x-www-form-urlencoded");
    try {
      if (amzTarget != null) {
        handleControlPlane(request, response, amzTarget);
      } else if (invocation.matches() && "POST".equals(request.getMethod())) {
        handleInvocation(
            request, response, URLDecoder.decode(invocation.group(1), StandardCharsets.UTF_8));
      } else if (path.equals("/ping") && "GET".equals(request.getMethod())) {
        response.setStatus(200);
        response.setContentType("text/plain");
        response.getOutputStream().write("healthy\n".getBytes(StandardCharsets.UTF_8));
      } else if (sts) {
        handleSts(request, response, requestId);
      } else {
        throw new ApiException(
            404,
            "UnknownOperationException",
            request.getMethod()
                + " "
                + path
                + " is not a SageMaker, SageMaker Runtime or STS"
                + " operation; S3 is served on its own port");
      }
    } catch (ApiException e) {
      if (e.status() >= 500 && !e.injected()) {
        LOG.warn("Request {} failed: {}", requestId, e.getMessage());
      } else {
        LOG.debug("Request {} refused: {} {}", requestId, e.code(), e.getMessage());
      }
      if (sts) {
        writeStsError(response, e, requestId);
      } else {
        writeJsonError(response, e, amzTarget != null);
      }
    } catch (RuntimeException e) {
      LOG.error("Request {} failed", requestId, e);
      writeJsonError(
          response,
          new ApiException(
              500, "InternalFailure", "SageMaker Local failed to process the request: " + e),
          amzTarget != null);
    }
  }

  private void handleControlPlane(
      HttpServletRequest request, HttpServletResponse response, String amzTarget)
      throws IOException {
    byte[] body = readBody(request, MAX_API_BYTES, false);
    verify(request, body, "sagemaker");
    if (!amzTarget.startsWith("SageMaker.")) {
      throw new ApiException(
          400,
          "UnknownOperationException",
          "X-Amz-Target '"
              + amzTarget
              + "' is not a SageMaker operation (expected SageMaker.<Operation>)");
    }
    JsonNode json;
    try {
      // trailing content after the JSON value is refused, as SageMaker's parser does
      json =
          body.length == 0
              ? mapper.createObjectNode()
              : mapper
                  .reader()
                  .with(
                      com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                  .readTree(body);
    } catch (JsonProcessingException e) {
      throw new ApiException(
          400,
          "SerializationException",
          "The request body is not valid JSON: " + e.getOriginalMessage());
    }
    if (json == null) {
      json = mapper.createObjectNode();
    }
    String operation = amzTarget.substring("SageMaker.".length());
    ObjectNode result = controlPlane.call(operation, json);
    byte[] out = mapper.writeValueAsBytes(result);
    response.setStatus(200);
    response.setContentType(JSON_11);
    response.setContentLength(out.length);
    response.getOutputStream().write(out);
  }

  private void handleInvocation(
      HttpServletRequest request, HttpServletResponse response, String name) throws IOException {
    long declared = request.getContentLengthLong();
    if (declared > MAX_INVOCATION_BYTES) {
      writePayloadTooLarge(response);
      return;
    }
    byte[] body = readBody(request, MAX_INVOCATION_BYTES, true);
    if (body == null) {
      writePayloadTooLarge(response);
      return;
    }
    verify(request, body, "sagemaker");
    String contentType = request.getContentType();
    String accept = request.getHeader("Accept");
    String targetVariant = request.getHeader("X-Amzn-SageMaker-Target-Variant");
    Endpoints.InvocationResult result;
    try {
      result = endpoints.invoke(name, body, contentType, accept, targetVariant);
    } catch (ModelWorker.ModelError e) {
      writeModelError(response, name, e);
      return;
    }
    byte[] out = result.invocation().body();
    response.setStatus(200);
    response.setHeader("X-Amzn-Invoked-Production-Variant", result.variant());
    String responseType = result.invocation().contentType();
    response.setContentType(responseType != null ? responseType : "application/octet-stream");
    response.setContentLength(out.length);
    response.getOutputStream().write(out);
  }

  private void handleSts(HttpServletRequest request, HttpServletResponse response, String requestId)
      throws IOException {
    byte[] body = readBody(request, 64 * 1024, false);
    verify(request, body, "sts");
    Map<String, String> form = parseForm(new String(body, StandardCharsets.UTF_8));
    String action = form.get("Action");
    if (!"GetCallerIdentity".equals(action)) {
      throw new ApiException(
          400,
          "InvalidAction",
          "STS action '"
              + action
              + "' is not supported by SageMaker Local (only GetCallerIdentity)");
    }
    String xml =
        "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
            + "<GetCallerIdentityResult>"
            + "<Arn>arn:aws:iam::"
            + accountId
            + ":user/sagemaker-local</Arn>"
            + "<UserId>"
            + credentials.accessKeyId().replaceAll("[<>&\"']", "")
            + "</UserId>"
            + "<Account>"
            + accountId
            + "</Account>"
            + "</GetCallerIdentityResult>"
            + "<ResponseMetadata><RequestId>"
            + requestId
            + "</RequestId></ResponseMetadata>"
            + "</GetCallerIdentityResponse>";
    byte[] out = xml.getBytes(StandardCharsets.UTF_8);
    response.setStatus(200);
    response.setContentType("text/xml");
    response.setContentLength(out.length);
    response.getOutputStream().write(out);
  }

  private void verify(HttpServletRequest request, byte[] body, String service) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String name : Collections.list(request.getHeaderNames())) {
      headers.put(name, new ArrayList<>(Collections.list(request.getHeaders(name))));
    }
    verifier.verify(
        request.getMethod(),
        request.getHeader("Host"),
        request.getLocalPort(),
        request.getRequestURI(),
        request.getQueryString(),
        headers,
        body,
        service);
  }

  /** Reads the body; null when {@code truncateToNull} and it is longer than {@code limit}. */
  private static byte[] readBody(HttpServletRequest request, int limit, boolean truncateToNull)
      throws IOException {
    long declared = request.getContentLengthLong();
    if (declared > limit) {
      throw new ApiException(
          413, "RequestEntityTooLarge", "Request body exceeds " + limit + " bytes");
    }
    try (InputStream in = request.getInputStream()) {
      byte[] body = in.readNBytes(limit + 1);
      if (body.length > limit) {
        if (truncateToNull) {
          return null;
        }
        throw new ApiException(
            413, "RequestEntityTooLarge", "Request body exceeds " + limit + " bytes");
      }
      return body;
    }
  }

  private static Map<String, String> parseForm(String body) {
    Map<String, String> form = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      form.put(key, value);
    }
    return form;
  }

  private void writePayloadTooLarge(HttpServletResponse response) throws IOException {
    // What SageMaker's front end answers for an oversized InvokeEndpoint body.
    byte[] out =
        ("HTTP content length exceeded " + MAX_INVOCATION_BYTES + " bytes.")
            .getBytes(StandardCharsets.UTF_8);
    response.setStatus(413);
    response.setContentType("text/plain");
    response.setHeader("Connection", "close");
    response.setContentLength(out.length);
    response.getOutputStream().write(out);
  }

  private void writeModelError(
      HttpServletResponse response, String endpoint, ModelWorker.ModelError e) throws IOException {
    ObjectNode error = mapper.createObjectNode();
    String original = e.getMessage() == null ? "" : e.getMessage();
    String logStream =
        "arn:aws:logs:local:" + accountId + ":log-group:/aws/sagemaker/Endpoints/" + endpoint;
    error.put(
        "ErrorCode", e.statusCode() < 500 ? "CLIENT_ERROR_FROM_MODEL" : "SERVER_ERROR_FROM_MODEL");
    error.put("LogStreamArn", logStream);
    error.put(
        "message",
        "Received "
            + (e.statusCode() < 500 ? "client" : "server")
            + " error ("
            + e.statusCode()
            + ") from primary with message \""
            + original
            + "\". See "
            + logStream
            + " for more information.");
    error.put("OriginalMessage", original);
    error.put("OriginalStatusCode", e.statusCode());
    byte[] out = mapper.writeValueAsBytes(error);
    response.setStatus(424);
    response.setHeader("x-amzn-ErrorType", "ModelError");
    response.setContentType("application/json");
    response.setContentLength(out.length);
    response.getOutputStream().write(out);
  }

  private void writeJsonError(HttpServletResponse response, ApiException e, boolean json11)
      throws IOException {
    if (response.isCommitted()) {
      return;
    }
    ObjectNode error = mapper.createObjectNode();
    error.put("__type", e.code());
    error.put("message", e.getMessage());
    byte[] out = mapper.writeValueAsBytes(error);
    response.reset();
    response.setStatus(e.status());
    response.setHeader("x-amzn-ErrorType", e.code());
    response.setContentType(json11 ? JSON_11 : "application/json");
    response.setContentLength(out.length);
    response.getOutputStream().write(out);
  }

  private static void writeStsError(HttpServletResponse response, ApiException e, String requestId)
      throws IOException {
    String xml =
        "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type>"
            + "<Code>"
            + e.code()
            + "</Code><Message>"
            + escapeXml(e.getMessage())
            + "</Message>"
            + "</Error><RequestId>"
            + requestId
            + "</RequestId></ErrorResponse>";
    byte[] out = xml.getBytes(StandardCharsets.UTF_8);
    response.reset();
    response.setStatus(e.status());
    response.setContentType("text/xml");
    response.setContentLength(out.length);
    try (OutputStream os = response.getOutputStream()) {
      os.write(out);
    }
  }

  private static String escapeXml(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
