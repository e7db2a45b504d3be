package dev.sagemakerbeam.local.server;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.HandlerWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads each request body without holding a thread (servlet async I/O) and only then hands the
 * request, with its body in memory, to the handler behind it. A client that sends its headers and
 * then stalls (or trickles) its body therefore costs a connection, not one of the server's threads,
 * and cannot starve {@code /ping} and the requests of others; it is answered 408 when the
 * connection's idle timeout passes. Bodies are read up to {@code limit + 1} bytes, so the handler
 * still sees (and refuses) one that is too long; a declared length above the limit is passed on at
 * once.
 */
final class BodyBufferingHandler extends HandlerWrapper {
  private static final Logger LOG = LoggerFactory.getLogger(BodyBufferingHandler.class);

  private final int limit;

  BodyBufferingHandler(int limit) {
    this.limit = limit;
  }

  @Override
  public void handle(
      String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response)
      throws IOException, jakarta.servlet.ServletException {
    long declared = request.getContentLengthLong();
    boolean chunked = request.getHeader("Transfer-Encoding") != null;
    if ((declared <= 0 && !chunked) || declared > limit || !request.isAsyncSupported()) {
      super.handle(target, baseRequest, request, response);
      return;
    }
    AsyncContext async = request.startAsync();
    async.setTimeout(0); // the connection's idle timeout bounds a stalled body
    ServletInputStream in = request.getInputStream();
    ByteArrayOutputStream body = new ByteArrayOutputStream(declared > 0 ? (int) declared : 8192);
    in.setReadListener(
        new ReadListener() {
          private final byte[] chunk = new byte[16 * 1024];
          private boolean dispatched;

          @Override
          public void onDataAvailable() throws IOException {
            while (!dispatched && in.isReady()) {
              int n = in.read(chunk);
              if (n < 0) {
                return; // onAllDataRead follows
              }
              body.write(chunk, 0, n);
              if (body.size() > limit) {
                dispatch(); // the handler refuses it; the rest is not read
                return;
              }
            }
          }

          @Override
          public void onAllDataRead() {
            dispatch();
          }

          @Override
          public void onError(Throwable t) {
            if (dispatched) {
              return;
            }
            dispatched = true;
            LOG.debug(
                "Request body of {} {} not read: {}", request.getMethod(), target, t.toString());
            try {
              if (!response.isCommitted()) {
                byte[] out =
                    ("{\"__type\":\"RequestTimeoutException\",\"message\":\"The request body"
                            + " stopped arriving before its end\"}")
                        .getBytes(StandardCharsets.UTF_8);
                response.setStatus(408);
                response.setContentType("application/json");
                response.setHeader("x-amzn-ErrorType", "RequestTimeoutException");
                response.setHeader("Connection", "close");
                response.setContentLength(out.length);
                response.getOutputStream().write(out);
              }
            } catch (IOException | RuntimeException e) {
              LOG.debug("Could not answer a request whose body did not arrive", e);
            } finally {
              async.complete();
            }
          }

          private void dispatch() {
            if (dispatched) {
              return;
            }
            dispatched = true;
            try {
              BodyBufferingHandler.super.handle(
                  target, baseRequest, new BufferedBody(request, body.toByteArray()), response);
            } catch (IOException | jakarta.servlet.ServletException | RuntimeException e) {
              LOG.warn("Request {} {} failed", request.getMethod(), target, e);
              if (!response.isCommitted()) {
                response.setStatus(500);
              }
            } finally {
              async.complete();
            }
          }
        });
  }

  /** The request with its body already read. */
  private static final class BufferedBody extends HttpServletRequestWrapper {
    private final byte[] body;

    BufferedBody(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream in = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public int read() {
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
          return in.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
          return in.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new IllegalStateException("the body is already read");
        }
      };
    }
  }
}
