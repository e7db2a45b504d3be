package dev.sagemakerbeam.local.storage;

import dev.sagemakerbeam.local.server.ServerLimits;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.gaul.shaded.org.eclipse.jetty.http.HttpFields;
import org.gaul.shaded.org.eclipse.jetty.http.HttpHeader;
import org.gaul.shaded.org.eclipse.jetty.server.Request;
import org.gaul.shaded.org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * The errors S3Proxy's Jetty answers itself (a request line or header it cannot parse, headers too
 * large, a body that stops) as S3's XML error document, with S3's codes where it has one, instead
 * of Jetty's HTML page.
 */
final class S3ErrorHandler extends ErrorHandler {
  static String code(int status) {
    return switch (status) {
      case 400 -> "InvalidRequest";
      case 408 -> "RequestTimeout";
      case 413 -> "EntityTooLarge";
      case 414 -> "KeyTooLongError";
      case 431 -> "RequestHeaderSectionTooLarge";
      default -> status >= 500 ? "InternalError" : "InvalidRequest";
    };
  }

  static byte[] xml(String code, String message) {
    String requestId =
        UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase(Locale.ROOT);
    return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>"
            + code
            + "</Code><Message>"
            + message.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            + "</Message><RequestId>"
            + requestId
            + "</RequestId></Error>")
        .getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, "application/xml");
    return ByteBuffer.wrap(
        xml(code(status), "Bad HTTP request: " + (reason == null ? status : reason)));
  }

  @Override
  public void handle(
      String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    baseRequest.setHandled(true);
    if (response.isCommitted()) {
      return;
    }
    Throwable cause = (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
    boolean timedOut = false;
    for (Throwable t = cause; t != null; t = t.getCause()) {
      timedOut |= t instanceof TimeoutException;
    }
    int status = timedOut ? 400 : response.getStatus();
    String code = timedOut ? "RequestTimeout" : code(status);
    String message =
        timedOut
            ? "Your socket connection to the server was not read from or written to within the"
                + " timeout period ("
                + ServerLimits.BLOCKING_TIMEOUT_MILLIS / 1000
                + " s)."
            : "HTTP " + status;
    byte[] out = xml(code, message);
    response.setStatus(status);
    response.setContentType("application/xml");
    response.setContentLength(out.length);
    if (!"HEAD".equals(request.getMethod())) {
      response.getOutputStream().write(out);
    }
  }
}
