package dev.sagemakerbeam.local.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.ConnectionLimit;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * What the API port's Jetty does with slow, stalled or malformed clients, so they cannot starve the
 * others: a connection limit (at the limit, idle connections are closed after {@link
 * #AT_LIMIT_IDLE_TIMEOUT_MILLIS}), an idle timeout for a connection that sends nothing (also while
 * its headers are incomplete), a shorter timeout and a minimum data rate for a handler's blocking
 * read of a body that stops or trickles, bodies read without holding a thread ({@link
 * BodyBufferingHandler}), and errors Jetty answers itself (bad request lines, headers too large,
 * timeouts) as the service's JSON ({@code __type}, {@code message}) instead of Jetty's HTML page.
 * S3's port gets the same limits ({@code storage.LocalS3}).
 */
public final class ServerLimits {
  /** Connections open at once; beyond it Jetty stops accepting until one closes. */
  public static final int MAX_CONNECTIONS = 1000;

  /** A connection sending nothing (between requests, or in the middle of its headers). */
  public static final long IDLE_TIMEOUT_MILLIS = 30_000;

  /** A handler's blocking read (a request body) or write that makes no progress. */
  public static final long BLOCKING_TIMEOUT_MILLIS = 10_000;

  /** The idle timeout of every connection while {@link #MAX_CONNECTIONS} are open. */
  public static final long AT_LIMIT_IDLE_TIMEOUT_MILLIS = 2_000;

  /** A request body slower than this (bytes per second, on average) is cut off with 408. */
  public static final long MIN_REQUEST_DATA_RATE = 1024;

  private ServerLimits() {}

  /** Request bodies read before the API's handler runs; its own limits are at most this. */
  static final int MAX_BODY_BYTES = 8 * 1024 * 1024;

  /**
   * Applies the limits to the API server (whose handler is set), its connector and its HTTP
   * configuration; the handler is put behind a {@link BodyBufferingHandler}.
   */
  public static void apply(Server server, ServerConnector connector, HttpConfiguration config) {
    BodyBufferingHandler buffering = new BodyBufferingHandler(MAX_BODY_BYTES);
    buffering.setHandler(server.getHandler());
    server.setHandler(buffering);
    connector.setIdleTimeout(IDLE_TIMEOUT_MILLIS);
    config.setIdleTimeout(BLOCKING_TIMEOUT_MILLIS);
    config.setMinRequestDataRate(MIN_REQUEST_DATA_RATE);
    ConnectionLimit limit = new ConnectionLimit(MAX_CONNECTIONS, server);
    limit.setIdleTimeout(AT_LIMIT_IDLE_TIMEOUT_MILLIS);
    server.addBean(limit);
    server.setErrorHandler(new JsonErrorHandler());
  }

  /** The error code for an HTTP-level failure Jetty answers before any handler runs. */
  static String code(int status) {
    return switch (status) {
      case 400 -> "BadRequestException";
      case 408 -> "RequestTimeoutException";
      case 413 -> "RequestEntityTooLarge";
      case 414 -> "RequestURITooLong";
      case 431 -> "RequestHeaderFieldsTooLarge";
      default -> status >= 500 ? "InternalFailure" : "HttpError";
    };
  }

  private static boolean timedOut(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof TimeoutException) {
        return true;
      }
    }
    return false;
  }

  /** Jetty's own errors as AWS JSON. */
  static final class JsonErrorHandler extends ErrorHandler {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static byte[] body(String code, String message) {
      ObjectNode error = MAPPER.createObjectNode();
      error.put("__type", code);
      error.put("message", message);
      try {
        return MAPPER.writeValueAsBytes(error);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
      fields.put(HttpHeader.CONTENT_TYPE, "application/json");
      fields.put("x-amzn-ErrorType", code(status));
      return ByteBuffer.wrap(
          body(code(status), "Bad HTTP request: " + (reason == null ? status : reason)));
    }

    @Override
    public void handle(
        String target,
        Request baseRequest,
        HttpServletRequest request,
        HttpServletResponse response)
        throws IOException {
      baseRequest.setHandled(true);
      if (response.isCommitted()) {
        return;
      }
      Throwable cause = (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
      int status = response.getStatus();
      String message;
      if (timedOut(cause)) {
        status = 408;
        message =
            "The request body stopped arriving: nothing was received for "
                + BLOCKING_TIMEOUT_MILLIS / 1000
                + " s";
      } else {
        Object given = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
        message = given == null ? "HTTP " + status : given.toString();
      }
      byte[] out = body(code(status), message);
      response.setStatus(status);
      response.setContentType("application/json");
      response.setHeader("x-amzn-ErrorType", code(status));
      response.setContentLength(out.length);
      response.getOutputStream().write(out);
    }
  }
}
